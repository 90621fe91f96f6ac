//! `seatsim run --shard K/M`: simulate one share of the iterations and write it as a
//! partial result for `seatsim merge`.

use std::path::Path;

use crate::cli::RunArgs;
use crate::engine::{self, RunSpec};
use crate::error::{Error, Result};
use crate::partial::{Partial, Payload, Shard, Sources};
use crate::report::OutputDir;
use crate::scenario::Scenario;

use super::{per_second, with_progress};

/// Run shard `shard` of `iterations` and write `partial-K-of-M.json` into `out_dir`.
pub fn run_shard(
    scenario: &Scenario,
    args: &RunArgs,
    shard: Shard,
    iterations: u64,
    seed: u64,
    out_dir: &Path,
) -> Result<()> {
    if args.draws {
        return Err(Error::Usage(
            "--draws cannot be combined with --shard: run the draws on one machine".into(),
        ));
    }
    let sources = Sources::read(scenario)?;
    let mut out = OutputDir::prepare(out_dir)?;
    let (start, end) = shard.range(iterations);
    let spec = RunSpec {
        seed,
        start,
        end,
        threads: args.sim.threads,
    };
    let (histograms, elapsed) = with_progress(
        end - start,
        args.results.quiet,
        "simulating shard",
        |hooks| engine::run(scenario, &spec, hooks),
    )?;
    let partial = Partial::new(
        scenario,
        sources,
        seed,
        iterations,
        shard,
        (start, end),
        Payload::Run {
            histograms: Box::new(histograms),
        },
    );
    let name = shard.file_name("");
    out.stage(&name, &partial.to_bytes()?)?;
    let written = out.commit()?;
    if !args.results.quiet {
        let path = written.first().map(|p| p.display().to_string());
        eprintln!(
            "shard {}/{}: iterations {start}..{end} of {iterations} in {:.2} s ({:.0} per second); wrote {}",
            shard.index,
            shard.count,
            elapsed.as_secs_f64(),
            per_second(end - start, elapsed),
            path.unwrap_or(name)
        );
    }
    Ok(())
}
