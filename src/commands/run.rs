//! `seatsim run`: simulate, summarise, write every output atomically, print the table.

use std::io::Write;

use crate::cli::RunArgs;
use crate::engine::{self, RunSpec};
use crate::error::{Error, Result};
use crate::report::{self, OutputDir, Summary};
use crate::scenario::Scenario;

use super::{default_out_dir, per_second, with_progress};

/// Run a scenario end to end.
pub fn run(args: &RunArgs) -> Result<()> {
    let path = &args.scenario.scenario;
    let scenario = Scenario::load(path, &args.scenario.set)?;
    let (iterations, seed) = args.sim.resolve(&scenario)?;
    let out_dir = args.out.clone().unwrap_or_else(|| default_out_dir(path));
    if let Some(shard) = args.shard {
        return super::shard::run_shard(&scenario, args, shard, iterations, seed, &out_dir);
    }
    let mut out = OutputDir::prepare(&out_dir)?;

    let spec = RunSpec {
        seed,
        start: 0,
        end: iterations,
        threads: args.sim.threads,
    };
    let (histograms, elapsed) =
        with_progress(iterations, args.results.quiet, "simulating", |hooks| {
            if !args.draws {
                return engine::run(&scenario, &spec, hooks);
            }
            let temp = out.temp_path("draws.csv")?;
            let file = std::fs::File::create(&temp).map_err(|source| Error::Output {
                path: temp.clone(),
                source,
            })?;
            let mut w = std::io::BufWriter::new(file);
            let io_err = |source| Error::Output {
                path: temp.clone(),
                source,
            };
            w.write_all(&report::csv::draws_header(&scenario))
                .map_err(io_err)?;
            let mut buf = Vec::with_capacity(256);
            let parties = scenario.parties.len();
            let h = engine::run_with_draws(&scenario, &spec, hooks, |draw| {
                buf.clear();
                report::csv::draws_rows(&draw, parties, &mut buf);
                w.write_all(&buf).map_err(io_err)
            })?;
            w.flush().map_err(io_err)?;
            Ok(h)
        })?;

    let summary = Summary::new(&scenario, &histograms, seed);
    let charts = args.results.chart_options();
    let charts_note = super::outputs::stage_run_outputs(&mut out, &summary, charts.as_ref())?;
    let dir = out.path().to_path_buf();
    let written = out.commit()?;
    if !args.results.quiet {
        super::print_stdout(&report::table::render(&summary));
        eprintln!(
            "{} iterations in {:.2} s ({:.0} per second); wrote {} files to {}; {}",
            iterations,
            elapsed.as_secs_f64(),
            per_second(iterations, elapsed),
            written.len(),
            dir.display(),
            charts_note
        );
    }
    Ok(())
}
