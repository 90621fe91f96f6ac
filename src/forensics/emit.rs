//! `--emit-scenario FILE`: the fitted prior as a scenario with `baseline = "official"`, and
//! the official table beside it as its districts table, ready for `seatsim run`.
//!
//! Polling-station rows that name their `district` are summed into districts (votes, or shares
//! weighted by electorate times turnout); other rows become districts as they are.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::data::{Level, Table, Unit};
use super::fit::EXTREME;
use super::report::Source;
use super::Analysis;
use crate::error::{Error, Result};
use crate::report::OutputDir;
use crate::scenario::DEFAULT_PALETTE;

/// One district of the emitted table.
struct Row {
    id: String,
    name: String,
    region: String,
    electorate: f64,
    voters: f64,
    votes: Vec<f64>,
}

fn rows(table: &Table) -> Result<Vec<Row>> {
    let need_electorate = |u: &Unit| {
        u.electorate.ok_or_else(|| {
            Error::Usage(format!(
                "row `{}` has no electorate: --emit-scenario needs an `electorate` column (the districts table requires registered voters)",
                u.id
            ))
        })
    };
    let aggregate =
        table.level == Level::Station && table.units.iter().all(|u| u.district.is_some());
    let mut out: Vec<Row> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for u in &table.units {
        let n = need_electorate(u)?;
        let voters = n * u.turnout;
        let votes: Vec<f64> = u.shares.iter().map(|s| s * voters).collect();
        let key = if aggregate {
            u.district.clone().unwrap_or_default()
        } else {
            u.id.clone()
        };
        match index.get(&key) {
            Some(&i) => {
                let r = &mut out[i];
                r.electorate += n;
                r.voters += voters;
                for (a, b) in r.votes.iter_mut().zip(&votes) {
                    *a += b;
                }
            }
            None => {
                index.insert(key.clone(), out.len());
                out.push(Row {
                    name: if aggregate {
                        key.clone()
                    } else {
                        u.name.clone()
                    },
                    id: key,
                    region: u.region.clone(),
                    electorate: n,
                    voters,
                    votes,
                });
            }
        }
    }
    if out.len() > crate::scenario::MAX_DISTRICTS {
        return Err(Error::Usage(format!(
            "the emitted table would have {} districts, more than a scenario accepts ({}); give station rows a `district` column to sum them",
            out.len(),
            crate::scenario::MAX_DISTRICTS
        )));
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The districts table: `district,name,region,electorate,turnout,<party shares>`.
fn districts_csv(table: &Table, rows: &[Row]) -> Vec<u8> {
    let mut s = String::from("district,name,region,electorate,turnout");
    for p in &table.parties {
        s.push(',');
        s.push_str(&csv_field(p));
    }
    s.push('\n');
    for r in rows {
        let total: f64 = r.votes.iter().sum();
        let _ = write!(
            s,
            "{},{},{},{},{:.6}",
            csv_field(&r.id),
            csv_field(&r.name),
            csv_field(&r.region),
            r.electorate.round().max(1.0),
            (r.voters / r.electorate).clamp(0.0, 1.0)
        );
        for v in &r.votes {
            let share = if total > 0.0 { v / total } else { 0.0 };
            let _ = write!(s, ",{share:.6}");
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn scenario_toml(a: &Analysis, table: &Table, source: &Source, districts: &str) -> String {
    let p = &a.fit.params;
    let ci = |k: usize| {
        a.intervals
            .get(k)
            .map(|(lo, hi)| format!("  # 90% interval [{lo:.4}, {hi:.4}]"))
            .unwrap_or_default()
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Written by `seatsim forensics` {} from {} (sha256 {}).",
        crate::VERSION,
        source.file.display(),
        source.sha256
    );
    let _ = writeln!(
        s,
        "# The districts table holds the official result; [fraud] is the prior fitted to its\n\
         # fingerprint (Klimek et al. 2012), so `seatsim run` inverts it to recover the clean vote.\n\
         # Intervals are 90% parametric-bootstrap intervals ({} replicates, seed {}).",
        a.replicates.len(),
        a.options.seed
    );
    let stem = source
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "official".into());
    let _ = writeln!(
        s,
        "name = {}",
        toml_string(&format!("{stem} (fitted fraud prior)"))
    );
    let _ = writeln!(s, "districts = {}", toml_string(districts));
    s.push_str("baseline = \"official\"\nshares = \"fraction\"\nseat_rule = \"plurality\"\n");
    let _ = writeln!(s, "seed = {}\niterations = 10000\n", a.options.seed);
    for (i, id) in table.parties.iter().enumerate() {
        let bloc = if i == a.beneficiary {
            "beneficiary"
        } else {
            "others"
        };
        let _ = writeln!(
            s,
            "[[party]]\nid = {}\nname = {}\ncolor = \"{}\"\nbloc = \"{bloc}\"\n",
            toml_string(id),
            toml_string(id),
            DEFAULT_PALETTE[i % DEFAULT_PALETTE.len()]
        );
    }
    let _ = writeln!(s, "[fraud]");
    let _ = writeln!(
        s,
        "beneficiary = {}",
        toml_string(&table.parties[a.beneficiary])
    );
    let _ = writeln!(s, "incremental = {:.4}{}", p.incremental, ci(0));
    let _ = writeln!(s, "extreme = {:.4}{}", p.extreme, ci(1));
    let _ = writeln!(s, "stuffing_mean = 0.0");
    let _ = writeln!(s, "stuffing_sd = {:.4}{}", p.stuffing_sd, ci(2));
    let _ = writeln!(s, "alpha = {:.3}{}", p.alpha, ci(3));
    let _ = writeln!(s, "extreme_mean = {:?}", EXTREME.mean);
    let _ = writeln!(s, "extreme_sd = {:?}", EXTREME.sd);
    s
}

/// The districts table's path for scenario `file`: `<stem>-districts.csv` beside it.
pub fn districts_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    file.with_file_name(format!("{stem}-districts.csv"))
}

/// Write the scenario and its districts table atomically; returns both paths.
pub fn emit(a: &Analysis, table: &Table, source: &Source, file: &Path) -> Result<Vec<PathBuf>> {
    let rows = rows(table)?;
    let csv_path = districts_path(file);
    let csv_name = csv_path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let toml_name = file
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .ok_or_else(|| {
            Error::Usage(format!(
                "--emit-scenario {}: not a file name",
                file.display()
            ))
        })?;
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut out = OutputDir::prepare(dir)?;
    out.stage(&csv_name, &districts_csv(table, &rows))?;
    out.stage(
        &toml_name,
        scenario_toml(a, table, source, &csv_name).as_bytes(),
    )?;
    out.commit()
}
