//! The one place a finished run's or sweep's results become files, shared by `run`,
//! `sweep` and `merge` so that merged shards produce exactly the bytes of one big run.

use crate::charts::ChartOptions;
use crate::error::Result;
use crate::report::{self, OutputDir, Summary};
use crate::sweep::{summary as sweep_summary, SweepSummary};

/// Stage seats.csv, districts.csv, summary.json and (unless `charts` is `None`) the charts
/// and report.html; returns a note on the charts for the closing message.
pub fn stage_run_outputs(
    out: &mut OutputDir,
    summary: &Summary,
    charts: Option<&ChartOptions>,
) -> Result<String> {
    out.stage("seats.csv", &report::csv::seats_csv(summary))?;
    out.stage("districts.csv", &report::csv::districts_csv(summary))?;
    out.stage("summary.json", &report::summary_json(summary))?;
    let Some(opts) = charts else {
        return Ok("charts skipped (--no-plots)".to_string());
    };
    let files = crate::charts::render_all(summary, opts)?;
    let count = files.len();
    for (name, bytes) in files {
        out.stage(&name, &bytes)?;
    }
    Ok(format!("{count} of them charts and report.html"))
}

/// Stage sweep.csv, sweep.json and (unless `charts` is `None`) the sweep charts; returns a
/// note on the charts for the closing message.
pub fn stage_sweep_outputs(
    out: &mut OutputDir,
    summary: &SweepSummary,
    charts: Option<&ChartOptions>,
) -> Result<String> {
    out.stage("sweep.csv", &sweep_summary::sweep_csv(summary))?;
    out.stage("sweep.json", &sweep_summary::sweep_json(summary))?;
    let Some(opts) = charts else {
        return Ok("charts skipped (--no-plots)".to_string());
    };
    let files = crate::sweep::charts::render_all(summary, opts)?;
    if files.is_empty() {
        return Ok(format!(
            "no charts: they are drawn for one or two --vary keys, not {}",
            summary.vary.len()
        ));
    }
    let count = files.len();
    for (name, bytes) in files {
        out.stage(&name, &bytes)?;
    }
    Ok(format!("{count} of them charts"))
}
