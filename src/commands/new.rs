//! `seatsim new`: a commented starter scenario and table that run as they are.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::cli::NewArgs;
use crate::error::{Error, Result};

/// Write NAME.toml and NAME-districts.csv.
pub fn run(args: &NewArgs) -> Result<()> {
    let (toml_path, csv_path) = paths(&args.name)?;
    let parties = check_parties(&args.parties)?;
    if !(1..=crate::scenario::MAX_DISTRICTS).contains(&args.districts) {
        return Err(Error::Usage(format!(
            "--districts {} is not between 1 and {}",
            args.districts,
            crate::scenario::MAX_DISTRICTS
        )));
    }
    for p in [&toml_path, &csv_path] {
        if p.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; choose another name or remove it",
                p.display()
            )));
        }
    }
    if let Some(dir) = toml_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let csv_name = csv_path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = toml_path
        .file_stem()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    write(&csv_path, &starter_table(args.districts, &parties))?;
    write(&toml_path, &starter_scenario(&name, &csv_name, &parties))?;
    super::print_stdout(&format!(
        "wrote {} and {}\nnext: seatsim validate {0}   then: seatsim run {0}\n",
        toml_path.display(),
        csv_path.display()
    ));
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

fn paths(name: &str) -> Result<(PathBuf, PathBuf)> {
    let base = name.trim().trim_end_matches(".toml");
    let stem = Path::new(base)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        return Err(Error::Usage(format!(
            "`{name}` is not a usable scenario name (letters, digits, - _ .)"
        )));
    }
    Ok((
        PathBuf::from(format!("{base}.toml")),
        PathBuf::from(format!("{base}-districts.csv")),
    ))
}

fn check_parties(ids: &[String]) -> Result<Vec<String>> {
    let ids: Vec<String> = ids.iter().map(|s| s.trim().to_string()).collect();
    if ids.len() < 2 || ids.len() > crate::scenario::MAX_PARTIES {
        return Err(Error::Usage(format!(
            "--parties needs 2 to {} ids, got {}",
            crate::scenario::MAX_PARTIES,
            ids.len()
        )));
    }
    for (i, id) in ids.iter().enumerate() {
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let reserved = crate::scenario::RESERVED_COLUMNS;
        if !ok || reserved.contains(&id.as_str()) || ids[..i].contains(id) {
            return Err(Error::Usage(format!(
                "--parties: `{id}` is not a usable party id (letters, digits, _ or -, unique, not a table column name)"
            )));
        }
    }
    Ok(ids)
}

/// A small deterministic hash, so starter tables vary by district but never by run.
fn jitter(a: usize, b: usize) -> f64 {
    let mut x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    (x % 10_000) as f64 / 10_000.0
}

fn starter_table(districts: usize, parties: &[String]) -> String {
    let regions = ["North", "South", "East", "West", "Capital"];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Starter districts table written by `seatsim new`: the numbers are made up."
    );
    let _ = writeln!(out, "# Columns: district id, name, region, registered voters, turnout (0..1), then one vote-share column per party (blank = does not stand).");
    let _ = writeln!(
        out,
        "district,name,region,electorate,turnout,{}",
        parties.join(",")
    );
    for d in 0..districts {
        let region = regions[d * regions.len() / districts.max(1)];
        let electorate = 40_000 + (jitter(d, 99) * 20_000.0) as u64;
        let turnout = 0.45 + 0.25 * jitter(d, 98);
        // Each party's strength varies by region and district; the first party is a little ahead.
        let raw: Vec<f64> = (0..parties.len())
            .map(|p| {
                let lead = if p == 0 { 0.4 } else { 0.0 };
                1.0 + lead
                    + jitter(d, p)
                    + 0.5 * jitter(d * regions.len() / districts.max(1), p + 50)
                    - 0.3 * p as f64 / parties.len() as f64
            })
            .collect();
        let total: f64 = raw.iter().sum();
        let mut shares: Vec<f64> = raw
            .iter()
            .map(|r| (r / total * 1000.0).round() / 1000.0)
            .collect();
        let residual = 1.0 - shares.iter().sum::<f64>();
        shares[0] = ((shares[0] + residual) * 1000.0).round() / 1000.0;
        let cells: Vec<String> = shares.iter().map(|s| format!("{s:.3}")).collect();
        let _ = writeln!(
            out,
            "{},District {},{},{},{:.3},{}",
            d + 1,
            d + 1,
            region,
            electorate,
            turnout,
            cells.join(",")
        );
    }
    out
}

fn starter_scenario(name: &str, table: &str, parties: &[String]) -> String {
    let palette = crate::scenario::DEFAULT_PALETTE;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"# A seatsim scenario. Every key is documented in the README ("Scenario keys").
# Run it:       seatsim run {name}.toml
# Try a what-if: seatsim run {name}.toml --set fraud.extreme=0.1

name = "{name}"               # shown in tables, charts and summary.json
districts = "{table}"   # the districts table, relative to this file
baseline = "intention"        # the table holds true voter intention ("official": official results)
shares = "fraction"           # party columns hold vote shares ("votes": vote counts)
seat_rule = "plurality"       # most votes wins; exact ties go to the party listed first
seed = 1                      # same seed, same results, whatever the number of threads
iterations = 20000            # simulated elections

"#
    );
    for (i, id) in parties.iter().enumerate() {
        let bloc = if i == 0 { "government" } else { "opposition" };
        let _ = write!(
            out,
            "[[party]]                     # one table per party, in display order\nid = \"{id}\"                    # its column in the districts table\nname = \"Party {id}\"\ncolor = \"{}\"\nbloc = \"{bloc}\"            # seats are also reported per bloc\n\n",
            palette[i % palette.len()]
        );
    }
    let _ = write!(
        out,
        r#"[uncertainty]                 # vote-intention noise, sds on the log-share scale
national_sd = 0.10            # one draw per party for the whole country
regional_sd = 0.05            # one draw per party and region
district_sd = 0.15            # one draw per party and district

[turnout]                     # turnout noise, sds on the logit scale
shift_pp = 0.0                # move every district's turnout by this many percentage points
national_sd = 0.10
regional_sd = 0.05
district_sd = 0.10

[fraud]                       # Klimek et al. (2012): clean, incremental or extreme districts
beneficiary = "{b}"           # the party fraud favours
incremental = 0.10            # probability a district has some stuffing and stealing
extreme = 0.02                # probability a district is almost entirely falsified
stuffing_mean = 0.0           # stuffing x ~ normal(mean, sd) truncated to [0, 1]
stuffing_sd = 0.10
stealing_mean = 0.10          # stealing y ~ normal(mean, sd) truncated to [0, 1]
stealing_sd = 0.05

[rerun]                       # which districts are annulled and voted again
districts = []                # ids always re-run, e.g. ["3", "7"]
all = false                   # true: re-run every district
annul = {{ clean = 0.0, incremental = 0.0, extreme = 0.5 }}   # annulment chance by fraud class

[rerun.turnout]
shift_pp = -5.0               # reruns usually draw fewer voters
"#,
        b = parties[0]
    );
    out
}
