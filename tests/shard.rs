//! `run --shard K/M` and `merge`: merged shards reproduce the unsharded run byte for byte,
//! and anything that is not exactly the M shards of one run is refused.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{run_in, stderr, write_scenario};

/// A small scenario (15 districts, 3 parties in 2 blocs, fraud and a rerun) that runs in
/// milliseconds. Returns the scenario file name, relative to `dir`.
pub fn fixture(dir: &Path) -> &'static str {
    let toml = r##"
name = "Shard fixture"
districts = "fixture-districts.csv"
seed = 7
iterations = 3000

[[party]]
id = "A"
name = "Government"
color = "#E69F00"
bloc = "government"

[[party]]
id = "B"
name = "Opposition one"
color = "#0072B2"
bloc = "opposition"

[[party]]
id = "C"
name = "Opposition two"
color = "#009E73"
bloc = "opposition"

[uncertainty]
national_sd = 0.05
regional_sd = 0.03
district_sd = 0.10

[turnout]
national_sd = 0.05
district_sd = 0.05

[fraud]
beneficiary = "A"
incremental = 0.2
extreme = 0.05

[rerun]
districts = ["3", "11"]
annul = { extreme = 0.5 }

[rerun.turnout]
shift_pp = -5.0
"##;
    let mut csv = String::from("district,name,region,electorate,turnout,A,B,C\n");
    for d in 1..=15 {
        let a = 0.25 + 0.02 * d as f64;
        let b = (1.0 - a) * 0.6;
        let c = 1.0 - a - b;
        let region = ["North", "South", "Capital"][d % 3];
        csv.push_str(&format!(
            "{d},District {d},{region},{},{:.2},{a:.3},{b:.3},{c:.3}\n",
            40_000 + 1_000 * d,
            0.45 + 0.01 * d as f64
        ));
    }
    write_scenario(dir, "fixture", toml, &csv);
    "fixture.toml"
}

/// Every file under a directory, recursively: relative path → bytes.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn shard(dir: &Path, k: u64, m: u64, extra: &[&str]) -> PathBuf {
    let spec = format!("{k}/{m}");
    let mut args = vec!["run", "fixture.toml", "--shard", &spec, "--out", "parts"];
    args.extend_from_slice(extra);
    let o = run_in(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("parts").join(format!("partial-{k}-of-{m}.json"))
}

fn merge(dir: &Path, partials: &[&Path]) -> std::process::Output {
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(partials.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), "merged".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(dir, &args)
}

#[test]
fn four_shards_merge_to_the_bytes_of_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fixture(dir);
    let o = run_in(dir, &["run", "fixture.toml", "--out", "full", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Shards in a scrambled order, with other thread counts: neither may matter.
    let parts: Vec<PathBuf> = [2, 0, 3, 1]
        .iter()
        .map(|&k| shard(dir, k, 4, &["-j", "1", "-q"]))
        .collect();
    let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let o = merge(dir, &refs);
    assert!(o.status.success(), "{}", stderr(&o));
    let full = files(&dir.join("full"));
    let merged = files(&dir.join("merged"));
    assert!(full.iter().any(|(n, _)| n == "summary.json"));
    assert!(
        full.iter().any(|(n, _)| n.ends_with(".png")),
        "charts are compared too"
    );
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&full), names(&merged));
    for ((name, a), (_, b)) in full.iter().zip(&merged) {
        assert!(
            a == b,
            "{name} differs between the run and the merged shards"
        );
    }
}

#[test]
fn shard_ranges_split_the_iterations_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fixture(dir);
    // 10 iterations over 4 shards: 0..2, 2..5, 5..7, 7..10.
    let mut ranges = Vec::new();
    for k in 0..4 {
        let p = shard(dir, k, 4, &["-n", "10", "-q"]);
        let v: serde_json::Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        ranges.push((v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap()));
        assert_eq!(
            v["payload"]["histograms"]["iterations"],
            v["end"].as_u64().unwrap() - v["start"].as_u64().unwrap()
        );
    }
    assert_eq!(ranges, vec![(0, 2), (2, 5), (5, 7), (7, 10)]);
}

fn three_shards(dir: &Path) -> Vec<PathBuf> {
    fixture(dir);
    (0..3).map(|k| shard(dir, k, 3, &["-q"])).collect()
}

fn refused(o: &std::process::Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for w in words {
        assert!(err.contains(w), "`{w}` not in: {err}");
    }
}

#[test]
fn merge_refuses_a_missing_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_shards(tmp.path());
    let o = merge(tmp.path(), &[&p[0], &p[2]]);
    refused(&o, &["missing", "1/3", "partial-0-of-3.json"]);
    assert!(!tmp.path().join("merged").join("summary.json").exists());
}

#[test]
fn merge_refuses_a_duplicate_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_shards(tmp.path());
    let copy = tmp.path().join("copy-of-1.json");
    fs::copy(&p[1], &copy).unwrap();
    let o = merge(tmp.path(), &[&p[0], &p[1], &copy, &p[2]]);
    refused(&o, &["twice", "partial-1-of-3.json", "copy-of-1.json"]);
}

#[test]
fn merge_refuses_a_shard_from_another_seed_scenario_or_split() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let p = three_shards(dir);
    let other = |extra: &[&str], name: &str| {
        let mut args = vec!["run", "fixture.toml", "--out", "other", "-q"];
        args.extend_from_slice(extra);
        let o = run_in(dir, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let from = dir.join("other").join(
            fs::read_dir(dir.join("other"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .find(|n| n.to_string_lossy().starts_with("partial-"))
                .unwrap(),
        );
        let to = dir.join(name);
        fs::rename(from, &to).unwrap();
        to
    };
    let seed = other(&["--shard", "1/3", "--seed", "8"], "seed8.json");
    refused(
        &merge(dir, &[&p[0], &seed, &p[2]]),
        &["seed 7 vs 8", "seed8.json"],
    );
    let set = other(
        &["--shard", "1/3", "--set", "fraud.extreme=0.1"],
        "set.json",
    );
    refused(
        &merge(dir, &[&p[0], &set, &p[2]]),
        &["other scenario", "set.json"],
    );
    let split = other(&["--shard", "1/4"], "split.json");
    refused(&merge(dir, &[&p[0], &split, &p[2]]), &["3 vs 4 shards"]);
}

#[test]
fn merge_refuses_files_that_are_not_partials() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let p = three_shards(dir);
    let junk = dir.join("junk.json");
    fs::write(&junk, "{\"hello\": 1}").unwrap();
    refused(
        &merge(dir, &[&p[0], &junk, &p[2]]),
        &["junk.json", "not a seatsim partial"],
    );
    // A hand-edited count no longer adds up to the shard's iterations.
    let text = fs::read_to_string(&p[1]).unwrap();
    let edited = text.replacen("\"iterations\":1000", "\"iterations\":999", 1);
    assert_ne!(text, edited);
    fs::write(&p[1], edited).unwrap();
    refused(
        &merge(dir, &[&p[0], &p[1], &p[2]]),
        &["partial-1-of-3.json"],
    );
    // A shard written by another seatsim version may draw other random numbers.
    let text = fs::read_to_string(&p[2]).unwrap();
    let version = format!("\"seatsim_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    fs::write(
        &p[2],
        text.replacen(&version, "\"seatsim_version\":\"0.0.1\"", 1),
    )
    .unwrap();
    refused(
        &merge(dir, &[&p[2]]),
        &["written by seatsim 0.0.1", "partial-2-of-3.json"],
    );
    let o = run_in(dir, &["run", "fixture.toml", "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
