//! `seatsim plot DIR`: redraw a finished run's charts and report.html from its summary.json,
//! without simulating again (to change format or size).

use crate::cli::PlotArgs;
use crate::error::{Error, InputError, Result};
use crate::report::{OutputDir, Summary};

/// Read `DIR/summary.json`, draw, and write atomically into `DIR`.
pub fn run(args: &PlotArgs) -> Result<()> {
    let path = args.dir.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        InputError::file(
            &path,
            format!("cannot read it ({e}); is this the output directory of a `seatsim run`?"),
        )
    })?;
    let summary: Summary = serde_json::from_str(&text).map_err(|e| {
        InputError::file(
            &path,
            format!("not a seatsim summary (line {}: {e})", e.line()),
        )
    })?;
    check(&summary).map_err(|m| Error::Input(InputError::file(&path, m)))?;
    let mut out = OutputDir::prepare(&args.dir)?;
    let files = crate::charts::render_all(&summary, &args.charts.options())?;
    for (name, bytes) in &files {
        out.stage(name, bytes)?;
    }
    let written = out.commit()?;
    if !args.quiet {
        eprintln!(
            "redrew {} files in {} from summary.json ({} iterations, seed {})",
            written.len(),
            args.dir.display(),
            summary.iterations,
            summary.seed
        );
    }
    Ok(())
}

/// Reject summaries whose parts do not fit together (hand-edited or truncated files), so
/// drawing never indexes out of range.
fn check(s: &Summary) -> std::result::Result<(), String> {
    for (name, o) in &s.outcomes {
        for (key, st) in o.party.iter().chain(o.bloc.iter()) {
            if st.counts.len() != s.seats + 1 {
                return Err(format!(
                    "outcome {name}, `{key}`: {} seat counts for {} seats",
                    st.counts.len(),
                    s.seats
                ));
            }
        }
    }
    for (key, c) in s
        .rerun_effect
        .party
        .iter()
        .chain(s.rerun_effect.bloc.iter())
        .chain(s.stolen_seats.party.iter())
    {
        if c.values.len() != c.counts.len() {
            return Err(format!("`{key}`: values and counts differ in length"));
        }
    }
    if s.fingerprint
        .counts
        .iter()
        .any(|r| r.len() != s.fingerprint.counts.len())
    {
        return Err("the fingerprint is not square".into());
    }
    if s.seats == 0 || s.seats > 1_000_000 {
        return Err(format!("{} seats is not a chamber seatsim draws", s.seats));
    }
    if s.majority > s.seats || s.two_thirds > s.seats {
        return Err("majority or two-thirds exceed the seats".into());
    }
    Ok(())
}
