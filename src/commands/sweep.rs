//! `seatsim sweep`: one scenario over a grid of `--set` values, every point with the same
//! seed; or, with `--shard K/M`, one share of grid points × iterations for `seatsim merge`.

use std::path::PathBuf;

use crate::cli::SweepArgs;
use crate::engine::GridTask;
use crate::error::{Error, Result};
use crate::partial::{Partial, Payload, Sources, SweepPart};
use crate::report::OutputDir;
use crate::scenario::Scenario;
use crate::sweep::{self, Sweep, SweepSummary, Vary};

use super::{per_second, with_progress};

/// `output/<scenario file stem>-sweep/`.
pub fn default_sweep_dir(scenario: &std::path::Path) -> PathBuf {
    let mut dir = super::default_out_dir(scenario).into_os_string();
    dir.push("-sweep");
    PathBuf::from(dir)
}

/// Run a sweep (or one shard of it).
pub fn run(args: &SweepArgs) -> Result<()> {
    let path = &args.scenario.scenario;
    let vary = args
        .vary
        .iter()
        .map(|v| Vary::parse(v))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::Usage)?;
    let points = sweep::grid_size(&vary).map_err(Error::Usage)?;
    let base = Scenario::load(path, &args.scenario.set)?;
    let (iterations, seed) = args.sim.resolve(&base)?;
    let sources = Sources::read(&base)?;
    let grid = Sweep::new(&sources, vary)?;
    let out_dir = args.out.clone().unwrap_or_else(|| default_sweep_dir(path));
    let mut out = OutputDir::prepare(&out_dir)?;

    let units = points as u64 * iterations;
    let (start, end) = args.shard.map_or((0, units), |s| s.range(units));
    let tasks = sweep::shard_tasks(points, iterations, start, end);
    let label = format!("sweeping {points} points");
    let (counts, elapsed) = with_progress(end - start, args.results.quiet, &label, |hooks| {
        grid.run(&tasks, seed, args.sim.threads, hooks)
    })?;
    let rate = per_second(end - start, elapsed);

    if let Some(shard) = args.shard {
        let parts = tasks
            .iter()
            .zip(counts)
            .map(|(t, seats): (&GridTask, _)| SweepPart {
                point: t.point,
                start: t.start,
                end: t.end,
                seats,
            })
            .collect();
        let partial = Partial::new(
            &base,
            sources,
            seed,
            iterations,
            shard,
            (start, end),
            Payload::Sweep {
                vary: grid.vary.clone(),
                parts,
            },
        );
        let name = shard.file_name("sweep-");
        out.stage(&name, &partial.to_bytes()?)?;
        let written = out.commit()?;
        if !args.results.quiet {
            eprintln!(
                "sweep shard {}/{}: {} of {units} point-iterations in {:.2} s ({rate:.0} per second); wrote {}",
                shard.index,
                shard.count,
                end - start,
                elapsed.as_secs_f64(),
                written
                    .first()
                    .map_or(name, |p| p.display().to_string())
            );
        }
        return Ok(());
    }

    let summary = SweepSummary::new(&base, &grid.vary, &counts, seed, iterations);
    let charts = args.results.chart_options();
    let note = super::outputs::stage_sweep_outputs(&mut out, &summary, charts.as_ref())?;
    let dir = out.path().to_path_buf();
    let written = out.commit()?;
    if !args.results.quiet {
        eprintln!(
            "{points} grid points × {iterations} iterations in {:.2} s ({rate:.0} per second); wrote {} files to {}; {note}",
            elapsed.as_secs_f64(),
            written.len(),
            dir.display(),
        );
    }
    Ok(())
}
