//! `seatsim forensics`: recovery of known fraud parameters from synthetic official results,
//! clean data, and the emitted scenario.

use std::path::Path;

use seatsim::forensics::fit::{Params, PARAM_NAMES};
use seatsim::forensics::{analyse, data, synthetic_csv, Options};

use crate::common::{run_in, stderr, stdout};

fn truth(incremental: f64, extreme: f64) -> Params {
    Params {
        incremental,
        extreme,
        stuffing_sd: 0.1,
        alpha: 1.0,
        turnout_centre: 0.6,
        turnout_sd: 0.3,
        share_centre: 0.55,
        share_sd: 0.25,
    }
}

fn table(p: &Params, units: usize, seed: u64) -> data::Table {
    let csv = synthetic_csv(p, units, seed);
    data::parse(Path::new("synthetic.csv"), csv.as_bytes()).expect("synthetic table parses")
}

/// 5,000 units from f_i = 0.3, f_e = 0.05, stuffing sd 0.1: every parameter inside its 90%
/// bootstrap interval and within a stated tolerance of the truth. Tolerances come from the
/// spread of the estimator seen over repeated synthetic tables: f_e is pinned by the corner
/// of the fingerprint (binomial sd 0.003 at n = 5000), f_i, stuffing_sd and alpha trade off
/// along a ridge and are known far less precisely (f_i came out 0.16 to 0.20 on such tables,
/// see the README, hence 0.15 for it; this table gives 0.17).
#[test]
fn fit_recovers_known_parameters() {
    let t = truth(0.3, 0.05);
    let options = Options {
        seed: 11,
        sim_units: 20_000,
        max_evals: 500,
        bootstrap: 20,
        bootstrap_evals: 500,
        digit_replicates: 200,
    };
    let a = analyse(&table(&t, 5000, 5), 0, &options).expect("analysis runs");
    let tolerance = [0.15, 0.012, 0.05, 1.5, 0.02, 0.05, 0.03, 0.05];
    let est = a.fit.params.to_array();
    let mut failures = Vec::new();
    for (k, name) in PARAM_NAMES.iter().enumerate() {
        let (lo, hi) = a.intervals[k];
        let truth = t.to_array()[k];
        println!(
            "{name}: truth {truth}, estimate {:.4}, 90% [{lo:.4}, {hi:.4}]",
            est[k]
        );
        if !(lo <= truth && truth <= hi) || (est[k] - truth).abs() > tolerance[k] {
            failures.push(*name);
        }
    }
    assert!(failures.is_empty(), "not recovered: {failures:?}");
    // Fraud is detectable: the best fair model is far outside the sampling noise (seen 7.6 to
    // 10.5 times the floor on three such tables, 0.8 to 1.0 on clean ones).
    let ratio = a.fair_distance / a.noise_floor;
    assert!(ratio > 3.0, "fair model at {ratio} times the noise floor");
}

/// Clean data: no fraud detected, and the digit tests do not reject (p > 0.01). The robust
/// signals are f_e (below 0.003) and the fair model's distance against the noise floor
/// (below 1.5 times it). f_i alone is no evidence at this size: clean tables of 5,000 rows
/// have given f_i from 0 to 0.33 with weak stuffing (the ridge described in the README; this
/// table gives 0.19), so it is only held below that range.
#[test]
fn clean_data_gives_no_fraud_and_passes_digit_tests() {
    let options = Options {
        seed: 3,
        sim_units: 20_000,
        max_evals: 500,
        bootstrap: 0,
        bootstrap_evals: 0,
        digit_replicates: 1000,
    };
    let a = analyse(&table(&truth(0.0, 0.0), 5000, 8), 0, &options).expect("analysis runs");
    let p = a.fit.params;
    assert!(p.incremental < 0.35, "f_i {}", p.incremental);
    assert!(p.extreme < 0.003, "f_e {}", p.extreme);
    let ratio = a.fair_distance / a.noise_floor;
    assert!(ratio < 1.5, "fair model at {ratio} times the noise floor");
    assert_eq!(a.digits.len(), 4);
    for d in &a.digits {
        assert!(d.p_value > 0.01, "{d:?}");
    }
}

/// The binary end to end on station rows grouped into districts: outputs, the emitted scenario
/// (summed into 10 districts) validates and runs.
#[test]
fn emitted_scenario_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = synthetic_csv(&truth(0.2, 0.05), 600, 21);
    let mut lines = csv.lines();
    let mut grouped = format!("district,{}\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        grouped.push_str(&format!("D{},{line}\n", i % 10 + 1));
    }
    std::fs::write(dir.path().join("official.csv"), grouped).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "forensics",
            "official.csv",
            "--bootstrap",
            "3",
            "--sim-units",
            "2000",
            "--out",
            "out",
            "--emit-scenario",
            "fitted/fitted.toml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Klimek model fitted"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/forensics.json")).unwrap())
            .unwrap();
    assert_eq!(json["beneficiary"], "A");
    let fi = json["fit"]["parameters"]["incremental"]["estimate"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&fi));
    assert!(dir.path().join("out/forensics.txt").exists());
    assert!(dir.path().join("out/fingerprint.csv").exists());
    let png = std::fs::read(dir.path().join("out/fingerprint.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let svg = std::fs::read_to_string(dir.path().join("out/fingerprint.svg")).unwrap();
    assert!(svg.contains("Fair model"));
    let districts =
        std::fs::read_to_string(dir.path().join("fitted/fitted-districts.csv")).unwrap();
    assert_eq!(districts.lines().count(), 11, "{districts}");

    let o = run_in(dir.path(), &["validate", "fitted/fitted.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("official baseline"), "{}", stdout(&o));
    let o = run_in(
        dir.path(),
        &[
            "run",
            "fitted/fitted.toml",
            "-n",
            "200",
            "--out",
            "run",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("run/summary.json").exists());
}

#[test]
fn unknown_beneficiary_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.csv"),
        synthetic_csv(&truth(0.0, 0.0), 50, 1),
    )
    .unwrap();
    let o = run_in(dir.path(), &["forensics", "t.csv", "--beneficiary", "Z"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the parties are A, B"),
        "{}",
        stderr(&o)
    );
}
