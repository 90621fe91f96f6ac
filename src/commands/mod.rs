//! One module per subcommand; each takes parsed arguments and returns a `Result`.

pub mod forensics;
pub mod merge;
pub mod new;
pub mod outputs;
pub mod plot;
pub mod run;
pub mod shard;
pub mod sweep;
pub mod validate;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::engine::Hooks;
use crate::error::Result;

/// Print to stdout; a closed pipe (`seatsim validate … | head`) is not an error worth a panic.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// `output/<scenario file stem>/`.
pub fn default_out_dir(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "run".into());
    PathBuf::from("output").join(stem)
}

/// A flag set by Ctrl-C, installed once per process.
fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = flag.clone();
        // If a handler cannot be installed, Ctrl-C simply kills the process; temporary
        // files are then the only leftovers, and their names start with a dot.
        let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::Relaxed));
        flag
    })
    .clone()
}

/// A progress bar on stderr when it is a terminal and the user did not ask for quiet.
fn progress_bar(total: u64, quiet: bool, label: &str) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{msg} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb.set_message(label.to_string());
    Some(pb)
}

/// Run `work` (a simulation over `total` units) under Ctrl-C cancellation and, unless
/// quiet, a progress bar; returns its result and how long it took.
pub fn with_progress<T>(
    total: u64,
    quiet: bool,
    label: &str,
    work: impl FnOnce(Hooks<'_>) -> Result<T>,
) -> Result<(T, Duration)> {
    let cancel = interrupt_flag();
    let pb = progress_bar(total, quiet, label);
    let hooks = Hooks {
        progress: pb.as_ref(),
        cancel: Some(&cancel),
    };
    let started = Instant::now();
    let value = work(hooks)?;
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    Ok((value, started.elapsed()))
}

/// Units per second over `elapsed`, for the closing message.
pub fn per_second(units: u64, elapsed: Duration) -> f64 {
    units as f64 / elapsed.as_secs_f64().max(1e-9)
}
