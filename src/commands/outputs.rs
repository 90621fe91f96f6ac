//! The one place a finished run's or sweep's results become files, shared by `run`,
//! `sweep` and `merge` so that merged shards produce exactly the bytes of one big run.

use crate::error::Result;
use crate::report::{self, OutputDir, Summary};
use crate::scenario::Scenario;
use crate::sweep::{summary as sweep_summary, SweepSummary};

/// Stage seats.csv, districts.csv, summary.json and the charts; returns a note on charts.
pub fn stage_run_outputs(
    out: &mut OutputDir,
    _scenario: &Scenario,
    summary: &Summary,
    plots: bool,
) -> Result<String> {
    out.stage("seats.csv", &report::csv::seats_csv(summary))?;
    out.stage("districts.csv", &report::csv::districts_csv(summary))?;
    out.stage("summary.json", &report::summary_json(summary))?;
    Ok(if plots {
        "charts are not drawn by this version: data files only".to_string()
    } else {
        "charts skipped (--no-plots)".to_string()
    })
}

/// Stage sweep.csv, sweep.json and the sweep charts; returns a note on charts.
pub fn stage_sweep_outputs(
    out: &mut OutputDir,
    summary: &SweepSummary,
    plots: bool,
) -> Result<String> {
    out.stage("sweep.csv", &sweep_summary::sweep_csv(summary))?;
    out.stage("sweep.json", &sweep_summary::sweep_json(summary))?;
    Ok(if plots {
        "charts are not drawn by this version: data files only".to_string()
    } else {
        "charts skipped (--no-plots)".to_string()
    })
}
