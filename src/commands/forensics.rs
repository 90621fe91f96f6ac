//! `seatsim forensics`: fingerprint, digit tests and a fitted fraud prior from official results.

use std::path::PathBuf;
use std::time::Instant;

use crate::cli::ForensicsArgs;
use crate::error::{Error, InputError, Result};
use crate::forensics::{self, chart, data, emit, report};
use crate::report::OutputDir;

/// `output/<table stem>-forensics/`.
fn default_out(table: &std::path::Path) -> PathBuf {
    let stem = table
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "table".into());
    PathBuf::from("output").join(format!("{stem}-forensics"))
}

/// Analyse a table end to end.
pub fn run(args: &ForensicsArgs) -> Result<()> {
    let bytes = std::fs::read(&args.table).map_err(|e| {
        InputError::file(&args.table, format!("cannot read the official table: {e}"))
    })?;
    let table = data::parse(&args.table, &bytes)?;
    let beneficiary = match &args.beneficiary {
        None => table.largest_party(),
        Some(id) => table.parties.iter().position(|p| p == id).ok_or_else(|| {
            Error::Usage(format!(
                "--beneficiary {id}: not a party column of {}; the parties are {}",
                args.table.display(),
                table.parties.join(", ")
            ))
        })?,
    };
    if args.bootstrap > 10_000 || args.sim_units > 10_000_000 {
        return Err(Error::Usage(
            "--bootstrap is at most 10000 and --sim-units at most 10000000".into(),
        ));
    }
    let out_dir = args.out.clone().unwrap_or_else(|| default_out(&args.table));
    let mut out = OutputDir::prepare(&out_dir)?;
    let options = forensics::Options {
        seed: args.seed,
        sim_units: args.sim_units,
        bootstrap: args.bootstrap,
        ..forensics::Options::default()
    };
    let pool = crate::engine::pool(args.threads)?;
    let started = Instant::now();
    let analysis = pool.install(|| forensics::analyse(&table, beneficiary, &options))?;
    let source = report::Source {
        file: args.table.clone(),
        sha256: crate::scenario::sha256_hex(&bytes),
    };
    let text = report::text(&analysis, &table, &source);
    out.stage("forensics.json", &report::json(&analysis, &table, &source))?;
    out.stage("forensics.txt", text.as_bytes())?;
    let fingerprint = pool.install(|| report::fingerprint(&analysis));
    out.stage("fingerprint.csv", &report::fingerprint_csv(&fingerprint))?;
    let labels = chart::Labels {
        beneficiary: table.parties.get(beneficiary).cloned().unwrap_or_default(),
        footer: format!(
            "{} · sha256 {} · seed {} · {} bootstrap replicates · seatsim {} forensics",
            args.table.display(),
            source.sha256.get(..12).unwrap_or(""),
            args.seed,
            analysis.replicates.len(),
            crate::VERSION
        ),
    };
    for (name, bytes) in chart::render(&fingerprint, &labels)? {
        out.stage(&name, &bytes)?;
    }
    let emitted = match &args.emit_scenario {
        Some(file) => emit::emit(&analysis, &table, &source, file)?,
        None => Vec::new(),
    };
    let dir = out.path().to_path_buf();
    let written = out.commit()?;
    if !args.quiet {
        super::print_stdout(&text);
        eprintln!(
            "analysed in {:.1} s; wrote {} files to {}{}",
            started.elapsed().as_secs_f64(),
            written.len(),
            dir.display(),
            if emitted.is_empty() {
                String::new()
            } else {
                format!(
                    "; scenario: {}",
                    emitted
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    Ok(())
}
