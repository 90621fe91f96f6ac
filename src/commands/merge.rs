//! `seatsim merge`: check that the partial files are exactly the shards of one run or sweep,
//! add their counts, and write the same files the unsharded run would have written.

use crate::cli::MergeArgs;
use crate::error::Result;
use crate::partial::{self, Merged};
use crate::report::{self, OutputDir, Summary};
use crate::sweep::SweepSummary;

/// Merge partial results.
pub fn run(args: &MergeArgs) -> Result<()> {
    let merged = partial::merge(&args.partials)?;
    match merged {
        Merged::Run {
            scenario,
            seed,
            histograms,
        } => {
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| super::default_out_dir(&scenario.provenance.file));
            let mut out = OutputDir::prepare(&dir)?;
            let summary = Summary::new(&scenario, &histograms, seed);
            let charts = args.results.chart_options();
            let note = super::outputs::stage_run_outputs(&mut out, &summary, charts.as_ref())?;
            let written = out.commit()?;
            if !args.results.quiet {
                super::print_stdout(&report::table::render(&summary));
                eprintln!(
                    "merged {} shards ({} iterations); wrote {} files to {}; {note}",
                    args.partials.len(),
                    histograms.iterations,
                    written.len(),
                    dir.display()
                );
            }
        }
        Merged::Sweep {
            base,
            seed,
            iterations,
            vary,
            points,
        } => {
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| super::sweep::default_sweep_dir(&base.provenance.file));
            let mut out = OutputDir::prepare(&dir)?;
            let summary = SweepSummary::new(&base, &vary, &points, seed, iterations);
            let charts = args.results.chart_options();
            let note = super::outputs::stage_sweep_outputs(&mut out, &summary, charts.as_ref())?;
            let written = out.commit()?;
            if !args.results.quiet {
                eprintln!(
                    "merged {} sweep shards ({} grid points × {iterations} iterations); wrote {} files to {}; {note}",
                    args.partials.len(),
                    points.len(),
                    written.len(),
                    dir.display()
                );
            }
        }
    }
    Ok(())
}
