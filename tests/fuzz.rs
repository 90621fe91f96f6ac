//! Fuzzing without nightly: proptest mutates valid scenarios and tables (truncation, byte
//! flips, deleted, swapped and duplicated lines and columns, random keys and values, huge
//! numbers, NaN, inf, empty files, wrong types, random `--set` flags) and drives parsing,
//! validation and, when the input is accepted, a few engine iterations and the reports, in
//! process. Every case must end in `Ok` or in an input error (exit code 2) naming the file;
//! a panic anywhere fails the test.
//!
//! `SEATSIM_FUZZ_CASES=N` sets the number of cases (default 2000, a few seconds); for a long
//! run: `SEATSIM_FUZZ_CASES=2000000 nice cargo test --test integration fuzz -- --nocapture`.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use seatsim::engine::{self, Hooks, RunSpec};
use seatsim::report::Summary;
use seatsim::Scenario;

use crate::common::repo;
use crate::errors::{CSV, TOML};

/// Tokens that break parsers: quotes, separators, odd numbers, wrong types.
const TOKENS: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "#",
    "=",
    "[",
    "]",
    "[[party]]\nid = \"X\"\n",
    "{",
    "}",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1",
    "1e309",
    "-0.0",
    "99999999999999999999",
    "1e-320",
    "\u{feff}",
    "\u{0}",
    "\"\"\"",
    "'",
    "true",
    "[]",
    "{}",
    "\"9\"",
    "1,234",
    "47%",
    "0,47",
    "é",
    "\u{202e}",
    " ",
    "\t",
    "\\",
    "\\u0000",
    "districts = \"x.csv\"\n",
    "YAP",
    "A",
    "B",
];

/// Scenario keys, for inserting random `key = value` lines and `--set` flags.
const KEYS: &[&str] = &[
    "name",
    "districts",
    "baseline",
    "shares",
    "seat_rule",
    "seed",
    "iterations",
    "fraud.beneficiary",
    "fraud.incremental",
    "fraud.extreme",
    "fraud.alpha",
    "fraud.stuffing_sd",
    "fraud.extreme_mean",
    "turnout.shift_pp",
    "turnout.marginal",
    "turnout.national_sd",
    "uncertainty.district_sd",
    "uncertainty.party.A.national_sd",
    "validity.min_turnout",
    "recount.districts",
    "recount.detect.extreme",
    "rerun.all",
    "rerun.districts",
    "rerun.annul",
    "rerun.rules.margin_below",
    "rerun.boycott",
    "rerun.uncertainty.district_sd",
    "rerun.turnout.shift_pp",
    "rerun.fraud.extreme",
    "rerun.turnout.marginal",
    "party",
    "bogus",
    "fraud.extrem",
];

/// Values for those keys: right and wrong types, edges and absurdities.
const VALUES: &[&str] = &[
    "0",
    "1",
    "0.5",
    "-0.5",
    "2",
    "1e300",
    "nan",
    "inf",
    "-inf",
    "true",
    "\"A\"",
    "\"B\"",
    "\"C\"",
    "\"YAP\"",
    "\"votes\"",
    "\"official\"",
    "\"fraction\"",
    "[]",
    "[\"1\"]",
    "[1, 2]",
    "[\"A\", \"B\", \"C\"]",
    "{ A = 1.0 }",
    "{ A = 0.5, B = 0.5 }",
    "{ clean = 1 }",
    "{ turnout_above = 0.1, margin_below = 0.9 }",
    "\"\"",
    "18446744073709551615",
    "-9223372036854775808",
    "100",
    "-100",
    "0.999999",
    "1e-300",
    "{}",
    "\"x.csv\"",
];

/// One edit: `(kind, a, b)`; `a` and `b` pick positions, lines, tokens or columns.
type Edit = (u8, u32, u32);

fn pick<'a>(list: &[&'a str], i: u32) -> &'a str {
    list[i as usize % list.len()]
}

fn lines_of(text: &[u8]) -> Vec<Vec<u8>> {
    text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

/// Apply one edit to `text`; `csv` enables column edits.
fn mutate(text: &mut Vec<u8>, (kind, a, b): Edit, csv: bool) {
    let len = text.len();
    let at = |x: u32| if len == 0 { 0 } else { x as usize % (len + 1) };
    match kind % 12 {
        0 => text.truncate(at(a)),
        1 => {
            if len > 0 {
                let i = a as usize % len;
                text[i] ^= (b as u8).max(1);
            }
        }
        2 => {
            let i = at(a);
            let token = pick(TOKENS, b).as_bytes().to_vec();
            text.splice(i..i, token);
        }
        3 => {
            let (i, j) = (at(a), at(b));
            let (i, j) = (i.min(j), i.max(j).min(i.min(j) + 64));
            text.drain(i..j);
        }
        4 | 5 => {
            let mut lines = lines_of(text);
            let n = lines.len();
            let (i, j) = (a as usize % n, b as usize % n);
            if kind % 12 == 4 {
                lines.swap(i, j);
            } else {
                let l = lines[i].clone();
                lines.insert(j, l);
            }
            *text = join(&lines);
        }
        6 => {
            let mut lines = lines_of(text);
            let n = lines.len();
            lines.remove(a as usize % n);
            *text = join(&lines);
        }
        7 if csv => {
            // Delete (b even) or swap two columns in every line.
            let mut lines: Vec<Vec<Vec<u8>>> = lines_of(text)
                .into_iter()
                .map(|l| l.split(|&c| c == b',').map(<[u8]>::to_vec).collect())
                .collect();
            for cells in &mut lines {
                let n = cells.len();
                if n > 1 {
                    let (i, j) = (a as usize % n, (a as usize / 7 + 1) % n);
                    if b % 2 == 0 {
                        cells.remove(i);
                    } else {
                        cells.swap(i, j);
                    }
                }
            }
            let rows: Vec<Vec<u8>> = lines.iter().map(|c| c.join(&b',')).collect();
            *text = join(&rows);
        }
        7 | 8 => {
            // Replace a value: the text after `=` or a cell after a comma.
            let mut lines = lines_of(text);
            let n = lines.len();
            let line = &mut lines[a as usize % n];
            let sep = if csv { b',' } else { b'=' };
            let cuts: Vec<usize> = line
                .iter()
                .enumerate()
                .filter(|(_, &c)| c == sep)
                .map(|(i, _)| i)
                .collect();
            if let Some(&cut) = cuts.get(b as usize % cuts.len().max(1)) {
                let end = if csv {
                    line[cut + 1..]
                        .iter()
                        .position(|&c| c == b',')
                        .map_or(line.len(), |p| cut + 1 + p)
                } else {
                    line.len()
                };
                let value = if csv {
                    pick(TOKENS, b / 3)
                } else {
                    pick(VALUES, b / 3)
                };
                line.splice(cut + 1..end, value.bytes());
            }
            *text = join(&lines);
        }
        9 if !csv => {
            // A random key = value line somewhere.
            let mut lines = lines_of(text);
            let n = lines.len();
            let key = pick(KEYS, a);
            let short = key.rsplit('.').next().unwrap_or(key);
            let line = format!("{short} = {}", pick(VALUES, b));
            lines.insert(b as usize % (n + 1), line.into_bytes());
            *text = join(&lines);
        }
        10 => {
            // Huge input: a line repeated many times.
            let lines = lines_of(text);
            let l = lines[a as usize % lines.len()].clone();
            for _ in 0..(b % 3000) {
                text.push(b'\n');
                text.extend_from_slice(&l);
            }
        }
        11 => text.clear(),
        _ => {
            let i = at(a);
            text.insert(i, b as u8);
        }
    }
}

/// Parse, validate and (if accepted) run a few iterations; panics are the failures.
/// Returns whether the input was accepted.
fn check(toml: &[u8], csv: &[u8], overrides: &[String]) -> Result<bool, TestCaseError> {
    let path = Path::new("/fuzz/fuzz.toml");
    let asked: RefCell<Option<PathBuf>> = RefCell::new(None);
    let result = Scenario::parse(path, toml, overrides, |p| {
        *asked.borrow_mut() = Some(p.to_path_buf());
        Ok(csv.to_vec())
    });
    match result {
        Err(e) => {
            let msg = e.to_string();
            prop_assert_eq!(e.exit_code(), 2, "{}", msg);
            let names_file = msg.starts_with("/fuzz/fuzz.toml")
                || asked
                    .borrow()
                    .as_ref()
                    .is_some_and(|t| msg.starts_with(&t.display().to_string()));
            prop_assert!(names_file, "does not name the file: {}", msg);
            Ok(false)
        }
        Ok(s) => {
            let spec = RunSpec {
                seed: 1,
                start: 0,
                end: 3,
                threads: 1,
            };
            let h = engine::run(&s, &spec, Hooks::default())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let summary = Summary::new(&s, &h, 1);
            let _ = seatsim::report::csv::seats_csv(&summary);
            let _ = seatsim::report::csv::districts_csv(&summary);
            let _ = seatsim::report::summary_json(&summary);
            let _ = seatsim::commands::validate::describe(&s);
            Ok(true)
        }
    }
}

/// The valid pairs the mutations start from: the corpus base and the shipped scenarios.
fn bases() -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = vec![(TOML.as_bytes().to_vec(), CSV.as_bytes().to_vec())];
    for (toml, csv) in [
        ("azerbaijan-2005.toml", "azerbaijan-2005-districts.csv"),
        (
            "azerbaijan-2005-official.toml",
            "azerbaijan-2005-official-districts.csv",
        ),
    ] {
        let dir = repo().join("scenarios");
        if let (Ok(t), Ok(c)) = (std::fs::read(dir.join(toml)), std::fs::read(dir.join(csv))) {
            out.push((t, c));
        }
    }
    out
}

fn cases() -> u32 {
    std::env::var("SEATSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(2000)
}

#[test]
fn broken_scenarios_and_tables_never_panic() {
    let bases = bases();
    let n_bases = bases.len();
    let edits = || proptest::collection::vec((any::<u8>(), any::<u32>(), any::<u32>()), 0..5);
    let overrides = proptest::collection::vec((any::<u32>(), any::<u32>()), 0..3);
    let strategy = (0..n_bases, edits(), edits(), overrides);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    });
    let count = std::cell::Cell::new(0u64);
    let accepted = std::cell::Cell::new(0u64);
    let result = runner.run(&strategy, |(base, toml_edits, csv_edits, sets)| {
        count.set(count.get() + 1);
        let (mut toml, mut csv) = bases[base].clone();
        for e in toml_edits {
            mutate(&mut toml, e, false);
        }
        for e in csv_edits {
            mutate(&mut csv, e, true);
        }
        let sets: Vec<String> = sets
            .iter()
            .map(|&(k, v)| format!("{}={}", pick(KEYS, k), pick(VALUES, v)))
            .collect();
        if check(&toml, &csv, &sets)? {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    println!(
        "fuzz: {} cases, {} accepted as valid scenarios",
        count.get(),
        accepted.get()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
