//! seatsim: Monte Carlo simulation of seat outcomes in single-member-district legislatures
//! under turnout change, electoral fraud, recounts and reruns.
//!
//! The model is described in the README and implemented one step per file in [`model`];
//! [`engine`] runs it over many iterations with one random stream per iteration, so
//! results are identical for any number of threads or machines.
#![deny(missing_docs)]

pub mod charts;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod error;
pub mod forensics;
pub mod model;
pub mod partial;
pub mod random;
pub mod report;
pub mod scenario;
mod simd;
pub mod sweep;

use clap::Parser;

pub use error::{Error, InputError, Result};
pub use scenario::Scenario;

/// Version written into every output for provenance.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Most iterations one run accepts (counts are u64; this keeps every sum far from overflow).
pub const MAX_ITERATIONS: u64 = 1_000_000_000_000;

/// Run a parsed command.
pub fn execute(cli: &cli::Cli) -> Result<()> {
    match &cli.command {
        cli::Command::Run(a) => commands::run::run(a),
        cli::Command::Validate(a) => commands::validate::run(a),
        cli::Command::New(a) => commands::new::run(a),
        cli::Command::Sweep(a) => commands::sweep::run(a),
        cli::Command::Merge(a) => commands::merge::run(a),
        cli::Command::Plot(a) => commands::plot::run(a),
        cli::Command::Forensics(a) => commands::forensics::run(a),
    }
}

/// Parse arguments, run, print any error once as `error: …`, and return the exit code.
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match execute(&cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
