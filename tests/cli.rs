//! The real binary, as a user drives it.

use std::fs;

use crate::common::{repo, run_in, stderr, stdout};

#[test]
fn new_validate_run_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["new", "study", "--districts", "15", "--parties", "X,Y,Z"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(dir.path(), &["validate", "study.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("15 districts"), "{}", stdout(&out));
    let out = run_in(
        dir.path(),
        &["run", "study.toml", "-n", "3000", "--no-plots"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for f in ["seats.csv", "districts.csv", "summary.json"] {
        assert!(dir.path().join("output/study").join(f).exists(), "{f}");
    }
    let table = stdout(&out);
    assert!(
        table.contains("bloc government") && table.contains("P(maj)"),
        "{table}"
    );
    // `new` refuses to overwrite.
    let again = run_in(dir.path(), &["new", "study"]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn seats_csv_and_summary_have_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/azerbaijan-2005.toml");
    let out = run_in(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "-n",
            "2000",
            "--out",
            "o",
            "--no-plots",
            "--draws",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let seats = fs::read_to_string(dir.path().join("o/seats.csv")).unwrap();
    let mut lines = seats.lines();
    assert_eq!(
        lines.next(),
        Some("outcome,kind,name,seats,count,probability")
    );
    // 2 outcomes × (7 parties + 4 blocs) × 126 seat counts.
    assert_eq!(lines.count(), 2 * 11 * 126);
    let districts = fs::read_to_string(dir.path().join("o/districts.csv")).unwrap();
    assert!(districts.starts_with("outcome,district,party,win_probability\n"));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("o/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["iterations"], 2000);
    assert_eq!(summary["seed"], 2005);
    assert_eq!(summary["majority"], 63);
    assert_eq!(summary["two_thirds"], 84);
    let yap = &summary["outcomes"]["no_rerun"]["party"]["YAP"];
    for key in [
        "mean",
        "sd",
        "q05",
        "q50",
        "q95",
        "p_majority",
        "p_two_thirds",
    ] {
        assert!(yap.get(key).is_some(), "{key}");
    }
    assert!(summary["rerun_effect"]["bloc"]["government"]["mean"].is_number());
    assert!(summary["stolen_seats"]["total"]["mean"].as_f64().unwrap() > 0.0);
    let draws = fs::read_to_string(dir.path().join("o/draws.csv")).unwrap();
    let mut lines = draws.lines();
    assert_eq!(
        lines.next(),
        Some("iteration,outcome,YAP,IND,AZADLIQ,YES,CSP,ANAVATAN,OTH,vacant")
    );
    assert_eq!(lines.count(), 4000);
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/azerbaijan-2005.toml");
    for t in ["1", "2"] {
        let out = run_in(
            dir.path(),
            &[
                "run",
                scenario.to_str().unwrap(),
                "-n",
                "6000",
                "--threads",
                t,
                "--out",
                t,
                "--no-plots",
                "-q",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for f in ["seats.csv", "districts.csv", "summary.json"] {
        let a = fs::read(dir.path().join("1").join(f)).unwrap();
        let b = fs::read(dir.path().join("2").join(f)).unwrap();
        assert!(a == b, "{f} differs between --threads 1 and 2");
    }
}

#[test]
fn set_overrides_change_the_result_and_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/azerbaijan-2005.toml");
    let s = scenario.to_str().unwrap();
    let mean = |args: &[&str]| -> f64 {
        let mut all = vec!["run", s, "-n", "2000", "--no-plots", "-q", "--out", "o"];
        all.extend_from_slice(args);
        let out = run_in(dir.path(), &all);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("o/summary.json")).unwrap())
                .unwrap();
        v["outcomes"]["no_rerun"]["party"]["YAP"]["mean"]
            .as_f64()
            .unwrap()
    };
    let base = mean(&[]);
    let more = mean(&["--set", "fraud.extreme=0.4"]);
    assert!(more > base + 10.0, "{base} → {more}");
    let out = run_in(dir.path(), &["validate", s, "--set", "fraud.extreme=1.5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("fraud.extreme") && err.contains("--set"),
        "{err}"
    );
    let out = run_in(dir.path(), &["validate", s, "--set", "fraud.extrem=0.1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("extrem"), "{}", stderr(&out));
}

#[test]
fn bad_input_exits_2_names_the_field_and_keeps_earlier_results() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["new", "s", "--districts", "8"])
        .status
        .success());
    let ok = run_in(
        dir.path(),
        &["run", "s.toml", "-n", "1000", "--no-plots", "-q"],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out_dir = dir.path().join("output/s");
    let before: Vec<(String, Vec<u8>)> = ["seats.csv", "districts.csv", "summary.json"]
        .iter()
        .map(|f| (f.to_string(), fs::read(out_dir.join(f)).unwrap()))
        .collect();
    // Break the table: turnout 1.4 in district 3.
    let table_path = dir.path().join("s-districts.csv");
    let table = fs::read_to_string(&table_path).unwrap();
    let broken: Vec<String> = table
        .lines()
        .map(|l| {
            if l.starts_with("3,") {
                let mut cells: Vec<&str> = l.split(',').collect();
                cells[4] = "1.4";
                cells.join(",")
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(&table_path, broken.join("\n")).unwrap();
    let bad = run_in(dir.path(), &["run", "s.toml", "-n", "1000", "--no-plots"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(
        err.contains("s-districts.csv") && err.contains("turnout") && err.contains("district 3"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    for (f, bytes) in before {
        assert_eq!(fs::read(out_dir.join(&f)).unwrap(), bytes, "{f} changed");
    }
    let leftovers: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::process::Stdio;
    let scenario = repo().join("scenarios/azerbaijan-2005.toml");
    let mut child = crate::common::seatsim()
        .args(["validate", scenario.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end of stdout at once, like `| head -0`.
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let err = crate::common::child_stderr(&mut child);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101));
}
