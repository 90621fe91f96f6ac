//! The analysis as bytes: `forensics.json`, the text report and the fingerprint table.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::json;

use super::data::{Level, Table};
use super::fit::{self, Params, PARAM_NAMES};
use super::Analysis;

/// Where the table came from, for provenance.
#[derive(Debug, Clone)]
pub struct Source {
    /// The table's path as given.
    pub file: PathBuf,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// Bins per axis of the fingerprint table and charts.
pub const FINGERPRINT_BINS: usize = 40;

/// What each parameter means, for the text report.
fn describe(name: &str) -> &'static str {
    match name {
        "incremental" => "f_i, share of units with incremental fraud",
        "extreme" => "f_e, share of units with extreme fraud",
        "stuffing_sd" => "sd of ballot stuffing x ~ TN(0, sd)",
        "alpha" => "stealing y = x^alpha",
        "turnout_centre" => "median clean turnout",
        "turnout_sd" => "sd of clean turnout (logit scale)",
        "share_centre" => "median clean winner share",
        "share_sd" => "sd of clean winner share (logit scale)",
        _ => "",
    }
}

/// `forensics.json`.
pub fn json(a: &Analysis, table: &Table, source: &Source) -> Vec<u8> {
    let est = a.fit.params.to_array();
    let mut params = serde_json::Map::new();
    for (k, name) in PARAM_NAMES.iter().enumerate() {
        let ci = a
            .intervals
            .get(k)
            .map(|&(lo, hi)| json!([lo, hi]))
            .unwrap_or(serde_json::Value::Null);
        params.insert(
            name.to_string(),
            json!({ "estimate": est[k], "ci90": ci, "meaning": describe(name) }),
        );
    }
    let p = &a.fit.params;
    let n = a.points.len() as f64;
    let doc = json!({
        "version": crate::VERSION,
        "table": {
            "file": source.file.display().to_string(),
            "sha256": source.sha256,
            "level": match table.level { Level::District => "district", Level::Station => "station" },
            "rows": table.units.len(),
            "rows_without_votes": table.skipped,
            "ignored_columns": table.ignored,
            "counts": table.counts,
            "parties": table.parties,
        },
        "beneficiary": table.parties.get(a.beneficiary),
        "seed": a.options.seed,
        "settings": {
            "sim_units": a.options.sim_units,
            "max_evals": a.options.max_evals,
            "bootstrap": a.options.bootstrap,
            "bootstrap_evals": a.options.bootstrap_evals,
            "digit_replicates": a.options.digit_replicates,
            "histogram_bins_2d": fit::BINS_2D,
        },
        "observed": {
            "mean_turnout": a.points.iter().map(|p| p.0).sum::<f64>() / n,
            "mean_winner_share": a.points.iter().map(|p| p.1).sum::<f64>() / n,
        },
        "fit": {
            "parameters": params,
            "distance": a.fit.distance,
            "fair_distance": a.fair_distance,
            "fair_model": {
                "turnout_centre": a.fair.turnout_centre,
                "turnout_sd": a.fair.turnout_sd,
                "share_centre": a.fair.share_centre,
                "share_sd": a.fair.share_sd,
            },
            "noise_floor": a.noise_floor,
            "fair_over_noise": a.fair_distance / a.noise_floor.max(1e-300),
            "evaluations": a.fit.evals,
            "bootstrap_replicates": a.replicates.len(),
        },
        "fraud_prior": {
            "beneficiary": table.parties.get(a.beneficiary),
            "incremental": p.incremental,
            "extreme": p.extreme,
            "stuffing_mean": 0.0,
            "stuffing_sd": p.stuffing_sd,
            "alpha": p.alpha,
            "extreme_mean": fit::EXTREME.mean,
            "extreme_sd": fit::EXTREME.sd,
        },
        "digit_tests": a.digits.iter().map(|d| json!({
            "party": d.party,
            "test": d.test,
            "n": d.n,
            "statistic": d.statistic,
            "expected": d.expected,
            "p_value": d.p_value,
        })).collect::<Vec<_>>(),
    });
    crate::report::pretty_json(&doc)
}

/// The readable report (also printed).
pub fn text(a: &Analysis, table: &Table, source: &Source) -> String {
    let mut s = String::new();
    let b = table
        .parties
        .get(a.beneficiary)
        .map(String::as_str)
        .unwrap_or("?");
    let level = match table.level {
        Level::District => "district",
        Level::Station => "polling-station",
    };
    let _ = writeln!(
        s,
        "Election forensics of {} ({} {level} rows{}, {}).",
        source.file.display(),
        table.units.len(),
        if table.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} without votes left out", table.skipped.len())
        },
        if table.counts {
            "vote counts"
        } else {
            "vote shares"
        }
    );
    if !table.ignored.is_empty() {
        let _ = writeln!(
            s,
            "Ignored text columns (not parties): {}.",
            table.ignored.join(", ")
        );
    }
    let _ = writeln!(
        s,
        "Fingerprint: official turnout against the share of {b} (the beneficiary)."
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Klimek model fitted by simulation ({} evaluations, seed {}), 90% parametric-bootstrap intervals ({} replicates):",
        a.fit.evals,
        a.options.seed,
        a.replicates.len()
    );
    let est = a.fit.params.to_array();
    for (k, name) in PARAM_NAMES.iter().enumerate() {
        let ci = a
            .intervals
            .get(k)
            .map(|(lo, hi)| format!("[{lo:.3}, {hi:.3}]"))
            .unwrap_or_else(|| "(no bootstrap)".into());
        let _ = writeln!(
            s,
            "  {name:<15} {:>7.3}  {ci:<18}  {}",
            est[k],
            describe(name)
        );
    }
    let improvement = if a.fair_distance > 0.0 {
        100.0 * (1.0 - a.fit.distance / a.fair_distance)
    } else {
        0.0
    };
    let _ = writeln!(
        s,
        "  histogram distance {:.3e} (best fair model, f_i = f_e = 0: {:.3e}; fraud terms remove {improvement:.0}% of it)",
        a.fit.distance, a.fair_distance
    );
    let ratio = a.fair_distance / a.noise_floor.max(1e-300);
    let _ = writeln!(
        s,
        "  the fair model's distance is {ratio:.1} times the sampling-noise floor {:.3e}{}",
        a.noise_floor,
        if ratio < 1.5 {
            ": it fits about as well as noise allows, so no fraud is detectable here whatever f_i says"
        } else {
            ""
        }
    );
    let _ = writeln!(s);
    if a.digits.is_empty() {
        let _ = writeln!(
            s,
            "Digit tests: not run (they need vote counts; this table holds shares)."
        );
    } else {
        let _ = writeln!(
            s,
            "Digit tests (simulated p-values, {} null samples each):",
            a.options.digit_replicates.max(100)
        );
        for d in &a.digits {
            let what = if d.test == "2BL" {
                format!(
                    "2BL mean second digit {:.3} (Benford {:.3})",
                    d.statistic, d.expected
                )
            } else {
                format!(
                    "last-digit chi-square {:.1} (uniform: about {:.0})",
                    d.statistic, d.expected
                )
            };
            let flag = if d.p_value < 0.01 {
                "  <- rejects at 1%"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "  {:<10} {what}, n = {}, p = {:.4}{flag}",
                d.party, d.n, d.p_value
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "A fingerprint is evidence of irregularities, not proof of fraud: other mechanisms (e.g. \
         mobilisation, heterogeneous regions) can bend it, and the fit depends on the assumed \
         clean model. f_e is pinned by the cluster near 100% turnout and share; f_i, stuffing_sd \
         and alpha trade off along a ridge, so a small f_i alone is no evidence (clean tables of \
         5,000 rows have given f_i up to 0.33, interval and all); the fair model's distance against \
         the noise floor is the better guide."
    );
    s
}

fn histogram(points: &[(f64, f64)]) -> Vec<f64> {
    let bins = FINGERPRINT_BINS;
    let mut h = vec![0.0; bins * bins];
    let w = 1.0 / points.len().max(1) as f64;
    let cell = |v: f64| ((v.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
    for &(t, s) in points {
        h[cell(t) * bins + cell(s)] += w;
    }
    h
}

/// Simulated fingerprints of the fitted and the best fair model (as many points as `n`, at least
/// 10,000 so the picture is smooth).
pub fn model_points(p: &Params, fair: &Params, n: usize, seed: u64) -> [Vec<(f64, f64)>; 2] {
    let n = n.max(10_000);
    [
        fit::simulate(p, n, seed ^ 0xF17),
        fit::simulate(&fair.fair(), n, seed ^ 0xFA1),
    ]
}

/// The three fingerprints compared: observed, fitted model, fair model (f_i = f_e = 0), each a
/// [`FINGERPRINT_BINS`]² histogram of proportions indexed `[turnout_bin * bins + share_bin]`.
pub struct Fingerprint {
    /// (panel name, histogram) for `observed`, `fitted`, `fair`.
    pub panels: Vec<(&'static str, Vec<f64>)>,
    /// Observed rows (the colour scale's floor is one row).
    pub observed_rows: usize,
}

/// Simulate the model panels and bin all three.
pub fn fingerprint(a: &Analysis) -> Fingerprint {
    let [fitted, fair] = model_points(&a.fit.params, &a.fair, a.points.len(), a.options.seed);
    Fingerprint {
        panels: vec![
            ("observed", histogram(&a.points)),
            ("fitted", histogram(&fitted)),
            ("fair", histogram(&fair)),
        ],
        observed_rows: a.points.len(),
    }
}

/// `fingerprint.csv`: `panel,turnout_low,share_low,proportion` on a 40 x 40 grid for the
/// observed, fitted and fair panels (zero cells included), for charts and own analysis.
pub fn fingerprint_csv(f: &Fingerprint) -> Vec<u8> {
    let mut out = String::from("panel,turnout_low,share_low,proportion\n");
    let bins = FINGERPRINT_BINS;
    for (panel, h) in &f.panels {
        for ti in 0..bins {
            for si in 0..bins {
                let _ = writeln!(
                    out,
                    "{panel},{:.3},{:.3},{:.6}",
                    ti as f64 / bins as f64,
                    si as f64 / bins as f64,
                    h[ti * bins + si]
                );
            }
        }
    }
    out.into_bytes()
}
