//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

/// The `seatsim` binary under test.
pub fn seatsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seatsim"))
}

/// Run `seatsim` with arguments in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    seatsim()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the seatsim binary runs")
}

/// The repository root (for shipped scenarios).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Write a scenario TOML and its table into `dir`; returns the TOML path.
pub fn write_scenario(dir: &Path, name: &str, toml: &str, csv: &str) -> PathBuf {
    let toml_path = dir.join(format!("{name}.toml"));
    std::fs::write(&toml_path, toml).unwrap();
    std::fs::write(dir.join(format!("{name}-districts.csv")), csv).unwrap();
    toml_path
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// All a spawned child wrote to its piped stderr (read after it has exited).
pub fn child_stderr(child: &mut Child) -> String {
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_string(&mut err)
        .unwrap();
    err
}
