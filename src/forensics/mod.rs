//! Election forensics: from an official results table to a fitted fraud prior.
//!
//! [`data`] reads the table, [`fit`] fits Klimek et al.'s (2012) model to the fingerprint
//! (turnout against the winner's share) by simulation with the engine's own formulas,
//! [`bootstrap`] gives parametric 90% intervals, [`digits`] runs the 2BL and last-digit tests,
//! and [`report`] and [`emit`] write the results and a ready-to-run scenario.

pub mod bootstrap;
pub mod chart;
pub mod data;
pub mod digits;
pub mod emit;
pub mod fit;
pub mod report;

use std::fmt::Write as _;

use rand::RngExt;

use crate::engine::iteration_rng;
use crate::error::{Error, Result};
use data::Table;
use digits::DigitTest;
use fit::{Fit, FitConfig, Params};

/// Settings of an analysis.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Seed of every random draw (fit, bootstrap, digit tests).
    pub seed: u64,
    /// Simulated units per class and objective evaluation.
    pub sim_units: usize,
    /// Most objective evaluations of the main fit.
    pub max_evals: usize,
    /// Bootstrap replicates (0: no intervals).
    pub bootstrap: usize,
    /// Most objective evaluations of each bootstrap refit.
    pub bootstrap_evals: usize,
    /// Null samples per digit test.
    pub digit_replicates: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 2012,
            sim_units: 20_000,
            max_evals: 800,
            bootstrap: 50,
            bootstrap_evals: 500,
            digit_replicates: 2000,
        }
    }
}

/// Everything the analysis found.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Index of the beneficiary (the winner whose share is on the fingerprint's y axis).
    pub beneficiary: usize,
    /// Observed (turnout, beneficiary share) per row.
    pub points: Vec<(f64, f64)>,
    /// The fit.
    pub fit: Fit,
    /// Histogram distance of the best fair model (clean parameters refitted, f_i = f_e = 0).
    pub fair_distance: f64,
    /// That fair model (the fingerprint's fair panel).
    pub fair: Params,
    /// Distance expected from sampling noise alone (`fit::noise_floor`).
    pub noise_floor: f64,
    /// Bootstrap estimates.
    pub replicates: Vec<Params>,
    /// 90% intervals per parameter (`fit::PARAM_NAMES` order); empty without bootstrap.
    pub intervals: Vec<(f64, f64)>,
    /// Digit tests, per party (empty for a table of shares).
    pub digits: Vec<DigitTest>,
    /// Settings used.
    pub options: Options,
}

/// Run the whole analysis on a loaded table.
pub fn analyse(table: &Table, beneficiary: usize, options: &Options) -> Result<Analysis> {
    if table.units.len() < 20 {
        return Err(Error::Usage(format!(
            "the table has {} rows with votes; a fingerprint needs at least 20 (polling-station rows are best)",
            table.units.len()
        )));
    }
    let points = table.points(beneficiary);
    let cfg = FitConfig {
        sim_units: options.sim_units.max(1000),
        seed: options.seed,
        max_evals: options.max_evals.max(50),
    };
    let fit = fit::fit(&points, None, &cfg);
    let fair = fit::fit_fair(&points, &fit.params, &cfg);
    let fair_distance = fair.distance;
    let noise_floor = fit::noise_floor(&points, cfg.sim_units);
    // Refits simulate half as many units: their extra simulation noise widens the intervals
    // a little (the conservative side) and halves the bootstrap's cost.
    let boot_cfg = FitConfig {
        max_evals: options.bootstrap_evals.max(50),
        sim_units: (cfg.sim_units / 2).max(1000),
        ..cfg
    };
    let replicates = bootstrap::bootstrap(
        &fit.params,
        points.len(),
        options.bootstrap,
        options.seed,
        &boot_cfg,
    );
    let intervals = if replicates.is_empty() {
        Vec::new()
    } else {
        bootstrap::intervals(&replicates)
    };
    let mut digits = Vec::new();
    if table.counts {
        for (p, id) in table.parties.iter().enumerate() {
            let counts: Vec<f64> = table
                .units
                .iter()
                .filter_map(|u| u.votes.as_ref().and_then(|v| v.get(p).copied()))
                .collect();
            digits.extend(digits::tests_for(
                id,
                &counts,
                options.digit_replicates.max(100),
                options.seed.wrapping_add(7919 * (p as u64 + 1)),
            ));
        }
    }
    Ok(Analysis {
        beneficiary,
        points,
        fit,
        fair_distance,
        fair: fair.params,
        noise_floor,
        replicates,
        intervals,
        digits,
        options: *options,
    })
}

/// A synthetic official table of vote counts (`station,electorate,A,B`, A the beneficiary)
/// drawn from the full model under `p`: for tests, demonstrations and checking a fit.
/// Electorates are log-uniform on [500, 50000], so clean counts follow Benford's law closely.
pub fn synthetic_csv(p: &Params, units: usize, seed: u64) -> String {
    let model = p.fraud_model(0);
    let mut rng = iteration_rng(seed, u64::MAX);
    let mut out = String::from("station,electorate,A,B\n");
    for i in 0..units {
        let u: f64 = rng.random();
        let n = (500.0 * 100f64.powf(u)).round();
        let (_, t, s) = fit::simulate_unit(&mut rng, p, &model);
        let a = (n * t * s).round();
        let b = (n * t * (1.0 - s)).round();
        let _ = writeln!(out, "s{},{n},{a},{b}", i + 1);
    }
    out
}
