//! Command-line interface (clap derive). Parsing only: each subcommand's behaviour lives
//! in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Simulate who wins the seats of a single-member-district legislature under changes of
/// turnout, fraud, recounts and reruns.
#[derive(Debug, Parser)]
#[command(name = "seatsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo simulation of a scenario and write its results.
    Run(RunArgs),
    /// Check a scenario and describe it in a short paragraph.
    Validate(ValidateArgs),
    /// Write a commented starter scenario and districts table that run as they are.
    New(NewArgs),
    /// Run a scenario at every point of a grid of `--set` values, with the same seed everywhere.
    Sweep(SweepArgs),
    /// Combine the partial results of `run --shard` or `sweep --shard` into the full outputs.
    Merge(MergeArgs),
    /// Redraw the charts and report.html of a finished run from its summary.json.
    Plot(PlotArgs),
    /// Fit a fraud prior to official results: fingerprint, digit tests, emitted scenario.
    Forensics(ForensicsArgs),
}

/// Parse an iteration count: `100000`, `100_000` or `1e6`.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != '_' && *c != ',')
        .collect();
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => {
            Ok(f as u64)
        }
        _ => Err(format!(
            "`{text}` is not a whole number of iterations (e.g. 100000 or 1e6)"
        )),
    }
}

/// Most worker threads accepted: more than any machine has cores, fewer than would
/// exhaust the process's thread limit.
pub const MAX_THREADS: usize = 1024;

/// Parse a thread count: 0 (one per core) up to [`MAX_THREADS`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n <= MAX_THREADS => Ok(n),
        _ => Err(format!(
            "`{text}` is not a thread count between 0 (one per core) and {MAX_THREADS}"
        )),
    }
}

/// Options shared by every command that loads a scenario.
#[derive(Debug, Args, Clone)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Override a scenario key, e.g. `--set fraud.extreme=0.1` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// How much to simulate and on how many threads: shared by `run` and `sweep`.
#[derive(Debug, Args, Clone)]
pub struct SimulationArgs {
    /// Simulated elections, per grid point in a sweep (default: the scenario's `iterations`).
    #[arg(long, short = 'n', value_parser = parse_count)]
    pub iterations: Option<u64>,
    /// Seed, the same at every grid point of a sweep (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
}

impl SimulationArgs {
    /// `--iterations` and `--seed`, or the scenario's defaults; checks the count's range.
    pub fn resolve(&self, scenario: &crate::Scenario) -> crate::Result<(u64, u64)> {
        let iterations = self.iterations.unwrap_or(scenario.iterations);
        if iterations == 0 || iterations > crate::MAX_ITERATIONS {
            return Err(crate::Error::Usage(format!(
                "--iterations {iterations} is not between 1 and {}",
                crate::MAX_ITERATIONS
            )));
        }
        Ok((iterations, self.seed.unwrap_or(scenario.seed)))
    }
}

/// `seatsim run`.
#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Scenario and overrides.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Iterations, seed and threads.
    #[command(flatten)]
    pub sim: SimulationArgs,
    /// Output directory (default: output/<scenario file stem>/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Also write draws.csv: every iteration's seats.
    #[arg(long)]
    pub draws: bool,
    /// Charts and messages.
    #[command(flatten)]
    pub results: ResultArgs,
    /// Compute only shard K of M (K from 0) and write a partial result for `seatsim merge`.
    #[arg(long, value_name = "K/M", value_parser = crate::partial::Shard::parse)]
    pub shard: Option<crate::partial::Shard>,
}

/// What `run`, `sweep` and `merge` draw and print.
#[derive(Debug, Args, Clone)]
pub struct ResultArgs {
    /// Do not draw charts (nor report.html).
    #[arg(long)]
    pub no_plots: bool,
    /// Chart format and size.
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl ResultArgs {
    /// Chart options, or `None` under `--no-plots`.
    pub fn chart_options(&self) -> Option<crate::charts::ChartOptions> {
        (!self.no_plots).then(|| self.charts.options())
    }
}

/// Chart options shared by `run` and `plot`.
#[derive(Debug, Args, Clone)]
pub struct ChartArgs {
    /// Chart file format.
    #[arg(long, value_enum, default_value = "both")]
    pub format: crate::charts::Format,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1600x1000", value_parser = crate::charts::parse_size)]
    pub size: (u32, u32),
}

impl ChartArgs {
    /// As drawing options.
    pub fn options(&self) -> crate::charts::ChartOptions {
        crate::charts::ChartOptions {
            format: self.format,
            width: self.size.0,
            height: self.size.1,
        }
    }
}

/// `seatsim plot`.
#[derive(Debug, Args, Clone)]
pub struct PlotArgs {
    /// Output directory of a finished run (holding summary.json).
    pub dir: PathBuf,
    /// Chart format and size.
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `seatsim sweep`.
#[derive(Debug, Args, Clone)]
pub struct SweepArgs {
    /// Scenario and overrides applied at every grid point.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A key to vary: STEPS evenly spaced values from START to STOP, e.g.
    /// `fraud.extreme=0:0.5:21` (repeatable; the grid is every combination).
    #[arg(long, value_name = "KEY=START:STOP:STEPS", required = true)]
    pub vary: Vec<String>,
    /// Iterations (per grid point), seed (of every grid point) and threads.
    #[command(flatten)]
    pub sim: SimulationArgs,
    /// Output directory (default: output/<scenario file stem>-sweep/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Charts and messages.
    #[command(flatten)]
    pub results: ResultArgs,
    /// Compute only shard K of M (K from 0) of grid points × iterations, for `seatsim merge`.
    #[arg(long, value_name = "K/M", value_parser = crate::partial::Shard::parse)]
    pub shard: Option<crate::partial::Shard>,
}

/// `seatsim merge`.
#[derive(Debug, Args, Clone)]
pub struct MergeArgs {
    /// Every partial file of one sharded run or sweep (`partial-K-of-M.json`).
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,
    /// Output directory (default: output/<scenario file stem>/, or …-sweep/ for sweeps).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Charts and messages.
    #[command(flatten)]
    pub results: ResultArgs,
}

/// `seatsim validate`.
#[derive(Debug, Args, Clone)]
pub struct ValidateArgs {
    /// Scenario and overrides.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// `seatsim new`.
#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// Name of the scenario; writes NAME.toml and NAME-districts.csv (NAME may include a directory).
    pub name: String,
    /// Number of districts.
    #[arg(long, default_value_t = 25)]
    pub districts: usize,
    /// Party ids, comma-separated.
    #[arg(long, default_value = "A,B,C", value_delimiter = ',')]
    pub parties: Vec<String>,
}

/// `seatsim forensics`.
#[derive(Debug, Args, Clone)]
pub struct ForensicsArgs {
    /// Official results: district or polling-station rows, party columns as counts or shares.
    pub table: PathBuf,
    /// The party fraud would favour (default: the party with the most votes).
    #[arg(long)]
    pub beneficiary: Option<String>,
    /// Output directory (default: output/<table file stem>-forensics/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Also write a scenario with the fitted prior (and FILE's districts table beside it).
    #[arg(long, value_name = "FILE")]
    pub emit_scenario: Option<PathBuf>,
    /// Seed of the fit, bootstrap and digit tests.
    #[arg(long, default_value_t = 2012)]
    pub seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// Parametric-bootstrap replicates for the 90% intervals (0: none).
    #[arg(long, default_value_t = 50)]
    pub bootstrap: usize,
    /// Simulated units per fraud class in each evaluation of the fit.
    #[arg(long, default_value_t = 20_000)]
    pub sim_units: usize,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_common_spellings() {
        assert_eq!(parse_count("100_000"), Ok(100_000));
        assert_eq!(parse_count("1e6"), Ok(1_000_000));
        assert!(parse_count("1.5").is_err());
        assert!(parse_count("-3").is_err());
        assert_eq!(parse_count("1e10"), Ok(10_000_000_000));
        assert!(parse_count("1e30").is_err());
        assert!(parse_count("nan").is_err());
        assert_eq!(parse_threads("0"), Ok(0));
        assert!(parse_threads("100000").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
