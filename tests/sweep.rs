//! `seatsim sweep`: grids of `--set` values with common random numbers, and sharded sweeps.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{run_in, stderr};
use crate::shard::{files, fixture};

fn sweep(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["sweep", "fixture.toml", "-q"];
    all.extend_from_slice(args);
    let o = run_in(dir, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = all
        .windows(2)
        .find(|w| w[0] == "--out")
        .map(|w| w[1])
        .unwrap();
    serde_json::from_slice(&fs::read(dir.join(out).join("sweep.json")).unwrap()).unwrap()
}

fn mean(point: &Value, outcome: &str, kind: &str, name: &str) -> f64 {
    point["outcomes"][outcome][kind][name]["mean"]
        .as_f64()
        .unwrap()
}

#[test]
fn more_extreme_fraud_never_lowers_the_beneficiarys_mean_seats() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let v = sweep(
        tmp.path(),
        &[
            "--vary",
            "fraud.extreme=0:0.5:6",
            "-n",
            "4000",
            "--out",
            "sw",
        ],
    );
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[5]["values"]["fraud.extreme"], 0.5);
    for outcome in ["no_rerun", "rerun"] {
        let means: Vec<f64> = points
            .iter()
            .map(|p| mean(p, outcome, "party", "A"))
            .collect();
        assert!(
            means.windows(2).all(|w| w[1] >= w[0]),
            "{outcome}: {means:?}"
        );
        // Not flat: A trails in about 5 of 15 districts and gains ~0.5 seats per 0.1 of
        // extreme fraud (~0.25 in the rerun outcome, where half the extreme districts are
        // annulled); the mean's MC error is ~0.03 seats.
        assert!(means[5] - means[0] > 1.0, "{outcome}: {means:?}");
    }
    let csv = fs::read_to_string(tmp.path().join("sw/sweep.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("fraud.extreme,outcome,kind,name,mean,sd,q05,q50,q95,p_majority,p_two_thirds")
    );
    // 6 points × 2 outcomes × (3 parties + 2 blocs).
    assert_eq!(lines.count(), 60);
}

#[test]
fn a_grid_point_equals_a_plain_run_with_the_same_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fixture(dir);
    let v = sweep(
        dir,
        &[
            "--vary",
            "fraud.extreme=0:0.2:3",
            "-n",
            "2000",
            "--out",
            "sw",
        ],
    );
    let o = run_in(
        dir,
        &[
            "run",
            "fixture.toml",
            "--set",
            "fraud.extreme=0.1",
            "-n",
            "2000",
            "--out",
            "one",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let run: Value =
        serde_json::from_slice(&fs::read(dir.join("one/summary.json")).unwrap()).unwrap();
    let point = &v["points"][1];
    assert_eq!(point["values"]["fraud.extreme"], 0.1);
    for outcome in ["no_rerun", "rerun"] {
        for (kind, name) in [("party", "A"), ("party", "C"), ("bloc", "opposition")] {
            let r = &run["outcomes"][outcome][kind][name];
            let p = &point["outcomes"][outcome][kind][name];
            for stat in [
                "mean",
                "sd",
                "q05",
                "q50",
                "q95",
                "p_majority",
                "p_two_thirds",
            ] {
                assert_eq!(p[stat], r[stat], "{outcome} {kind} {name} {stat}");
            }
        }
    }
}

#[test]
fn a_two_key_sweep_covers_the_grid() {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let v = sweep(
        tmp.path(),
        &[
            "--vary",
            "fraud.extreme=0:0.3:3",
            "--vary",
            "turnout.shift_pp=-10:10:4",
            "-n",
            "1000",
            "--out",
            "sw2",
        ],
    );
    assert_eq!(v["points"].as_array().unwrap().len(), 12);
    assert_eq!(v["beneficiary_bloc"], "government");
    assert_eq!(v["opposition_bloc"], "opposition");
    // First key slowest, second fastest.
    assert_eq!(v["points"][1]["values"]["fraud.extreme"], 0.0);
    let shift = v["points"][1]["values"]["turnout.shift_pp"]
        .as_f64()
        .unwrap();
    assert!((shift + 10.0 / 3.0).abs() < 1e-9, "{shift}");
    let csv = fs::read_to_string(tmp.path().join("sw2/sweep.csv")).unwrap();
    assert!(csv.starts_with("fraud.extreme,turnout.shift_pp,outcome,"));
    assert_eq!(csv.lines().count(), 1 + 12 * 2 * 5);
    // Both heatmaps, in both formats, and no one-key chart.
    let charts = tmp.path().join("sw2/charts");
    for stem in ["sweep-majority", "sweep-opposition"] {
        let png = fs::read(charts.join(format!("{stem}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{stem}.png"
        );
        let svg = fs::read_to_string(charts.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("turnout.shift_pp"),
            "{stem}.svg"
        );
    }
    assert!(!charts.join("sweep-seats.png").exists());
}

#[test]
fn sweep_shards_merge_to_the_bytes_of_one_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fixture(dir);
    let grid = ["--vary", "fraud.incremental=0:0.4:5", "-n", "1500"];
    let mut args = grid.to_vec();
    args.extend(["--out", "whole"]);
    sweep(dir, &args);
    // 5 points × 1500 iterations over 3 shards: boundaries fall inside grid points.
    for k in ["0/3", "1/3", "2/3"] {
        let mut a = vec![
            "sweep",
            "fixture.toml",
            "-q",
            "--shard",
            k,
            "--out",
            "parts",
        ];
        a.extend_from_slice(&grid);
        let o = run_in(dir, &a);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = run_in(
        dir,
        &[
            "merge",
            "parts/sweep-partial-0-of-3.json",
            "parts/sweep-partial-1-of-3.json",
            "parts/sweep-partial-2-of-3.json",
            "--out",
            "merged",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (whole, merged) = (files(&dir.join("whole")), files(&dir.join("merged")));
    assert!(whole.iter().any(|(n, _)| n == "sweep.csv"));
    assert!(whole.iter().any(|(n, _)| n == "charts/sweep-seats.png"));
    assert_eq!(whole, merged);
    // A sweep shard and a run shard are not parts of one thing.
    let o = run_in(
        dir,
        &[
            "run",
            "fixture.toml",
            "--shard",
            "1/3",
            "--out",
            "run",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(
        dir,
        &[
            "merge",
            "parts/sweep-partial-0-of-3.json",
            "run/partial-1-of-3.json",
            "parts/sweep-partial-2-of-3.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("one is a sweep, the other a run"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_grids_are_refused_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fixture(dir);
    for (vary, words) in [
        ("fraud.extreme=0:0.5", "KEY=START:STOP:STEPS"),
        ("fraud.extreme=0:x:3", "not a finite number"),
        ("fraud.extreme=0:0.5:0", "STEPS"),
        ("seed=1:5:5", "same seed"),
        // 0.2 + 0.9 > 1: the grid point fails validation exactly as --set would.
        ("fraud.extreme=0:0.9:4", "--set fraud.extreme=0.9"),
    ] {
        let o = run_in(
            dir,
            &["sweep", "fixture.toml", "--vary", vary, "--out", "bad"],
        );
        assert_eq!(o.status.code(), Some(2), "{vary}: {}", stderr(&o));
        assert!(stderr(&o).contains(words), "{vary}: {}", stderr(&o));
        assert!(!dir.join("bad/sweep.csv").exists());
    }
}
