//! `seatsim validate`: check a scenario and say in plain words what it will simulate.

use std::fmt::Write;

use crate::cli::ValidateArgs;
use crate::error::Result;
use crate::scenario::{Baseline, ByClass, FraudModel, Noise, Rules, Scenario, TurnoutModel};

/// Check and describe.
pub fn run(args: &ValidateArgs) -> Result<()> {
    let scenario = Scenario::load(&args.scenario.scenario, &args.scenario.set)?;
    super::print_stdout(&format!("{}\n", describe(&scenario)));
    Ok(())
}

fn noise_text(n: &Noise) -> String {
    let first = |v: &[f64]| v.first().copied().unwrap_or(0.0);
    let uniform = |v: &[f64]| v.iter().all(|&x| x == first(v));
    let part = |label: &str, v: &[f64]| {
        if uniform(v) {
            format!("{label} {}", first(v))
        } else {
            format!("{label} per party {v:?}")
        }
    };
    if n.is_zero() {
        "none".into()
    } else {
        format!(
            "{}, {}, {}",
            part("national sd", &n.national),
            part("regional sd", &n.regional),
            part("district sd", &n.district)
        )
    }
}

fn turnout_text(t: &TurnoutModel) -> String {
    let mut s = format!(
        "shift {:+} pp, sds {}/{}/{} (national/regional/district, logit scale)",
        t.shift_pp, t.national_sd, t.regional_sd, t.district_sd
    );
    if t.marginal.is_some() {
        s.push_str(", marginal voters' shares set");
    }
    s
}

fn fraud_text(s: &Scenario, f: &FraudModel) -> String {
    match f.beneficiary {
        Some(b) if !f.is_none() => {
            let stealing = match f.alpha {
                Some(a) => format!("stealing y = x^{a}"),
                None => format!("stealing TN({}, {})", f.stealing.mean, f.stealing.sd),
            };
            format!(
                "in favour of {}: incremental {} (stuffing TN({}, {}), {stealing}), extreme {} (x = y ~ TN({}, {}))",
                s.parties[b].id,
                f.incremental,
                f.stuffing.mean,
                f.stuffing.sd,
                f.extreme,
                f.extreme_intensity.mean,
                f.extreme_intensity.sd
            )
        }
        _ => "none".into(),
    }
}

fn by_class_text(b: &ByClass) -> String {
    format!(
        "clean {}, incremental {}, extreme {}",
        b.0[0], b.0[1], b.0[2]
    )
}

fn rules_text(r: &Rules) -> String {
    let mut parts = Vec::new();
    if let Some(t) = r.turnout_above {
        parts.push(format!("official turnout above {t}"));
    }
    if let Some(t) = r.winner_share_above {
        parts.push(format!("winner's share above {t}"));
    }
    if let Some(t) = r.margin_below {
        parts.push(format!("margin below {t}"));
    }
    if parts.is_empty() {
        "none".into()
    } else {
        format!("annul when {}", parts.join(" or "))
    }
}

/// A short paragraph describing the scenario.
pub fn describe(s: &Scenario) -> String {
    let mut out = String::new();
    let electorate: f64 = s.districts.iter().map(|d| d.electorate).sum();
    let voters: f64 = s.districts.iter().map(|d| d.electorate * d.turnout).sum();
    let _ = writeln!(out, "{} ({}): valid.", s.name, s.provenance.file.display());
    let _ = writeln!(
        out,
        "{} districts in {} regions from {} ({} baseline); {:.0} registered voters, {} turnout {:.1}%.",
        s.districts.len(),
        s.regions.len(),
        s.provenance.districts_file.display(),
        match s.baseline {
            Baseline::Intention => "intention",
            Baseline::Official => "official",
        },
        electorate,
        match s.baseline {
            Baseline::Intention => "table",
            Baseline::Official => "official",
        },
        100.0 * voters / electorate
    );
    let parties: Vec<String> = s
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let standing = s.districts.iter().filter(|d| d.stands(i)).count();
            format!(
                "{} {} ({}, stands in {})",
                p.id, p.name, s.blocs[p.bloc], standing
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "{} parties in {} blocs: {}. Majority {} of {} seats, two-thirds {}.",
        s.parties.len(),
        s.blocs.len(),
        parties.join("; "),
        s.majority(),
        s.seats(),
        s.two_thirds()
    );
    let _ = writeln!(out, "Vote-intention noise: {}.", noise_text(&s.noise));
    let _ = writeln!(out, "Turnout: {}.", turnout_text(&s.turnout));
    let _ = writeln!(out, "Fraud: {}.", fraud_text(s, &s.fraud));
    if let Some(m) = s.min_turnout {
        let _ = writeln!(
            out,
            "Districts with official turnout below {m} are invalid."
        );
    }
    let recount: Vec<&str> = s
        .districts
        .iter()
        .zip(&s.recount_districts)
        .filter(|(_, &r)| r)
        .map(|(d, _)| d.id.as_str())
        .collect();
    let _ = writeln!(
        out,
        "Recount: {} district(s) always{}; recount probability by class {}.",
        recount.len(),
        if recount.is_empty() {
            String::new()
        } else {
            format!(" ({})", recount.join(", "))
        },
        by_class_text(&s.recount_detect)
    );
    let forced: Vec<&str> = s
        .districts
        .iter()
        .zip(&s.rerun.forced)
        .filter(|(_, &r)| r)
        .map(|(d, _)| d.id.as_str())
        .collect();
    let boycott: Vec<&str> = s
        .parties
        .iter()
        .zip(&s.rerun.boycott)
        .filter(|(_, &b)| b)
        .map(|(p, _)| p.id.as_str())
        .collect();
    let _ = writeln!(
        out,
        "Rerun: {} district(s) always annulled{}; annulment by class {}; rules: {}; boycott: {}; rerun noise {}; rerun turnout {}; rerun fraud {}.",
        forced.len(),
        if forced.is_empty() { String::new() } else { format!(" ({})", forced.join(", ")) },
        by_class_text(&s.rerun.annul),
        rules_text(&s.rerun.rules),
        if boycott.is_empty() { "none".to_string() } else { boycott.join(", ") },
        noise_text(&s.rerun.noise),
        turnout_text(&s.rerun.turnout),
        fraud_text(s, &s.rerun.fraud)
    );
    if !s.extra_columns.is_empty() {
        let _ = writeln!(
            out,
            "Ignored table columns: {}.",
            s.extra_columns.join(", ")
        );
    }
    let _ = write!(
        out,
        "Default run: {} iterations, seed {}.",
        s.iterations, s.seed
    );
    out
}
