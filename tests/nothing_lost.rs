//! Nothing lost: a failed or interrupted run leaves the previous run's files byte-identical
//! and no temporary files behind, and an unwritable `--out` fails before simulating.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::{child_stderr, repo, run_in, seatsim, stderr};

/// Every file under `dir` (relative name → bytes), hidden ones included.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.file_type().unwrap().is_dir() {
            out.insert(format!("{name}/"), Vec::new());
        } else {
            out.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

fn azerbaijan() -> String {
    repo()
        .join("scenarios/azerbaijan-2005.toml")
        .to_string_lossy()
        .to_string()
}

/// A first, successful run into `dir/o`; returns its files.
fn earlier_run(dir: &Path, draws: bool) -> BTreeMap<String, Vec<u8>> {
    let s = azerbaijan();
    let mut args = vec!["run", &s, "-n", "2000", "-j", "1", "-q", "--out", "o"];
    if draws {
        args.push("--draws");
    }
    let out = run_in(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = snapshot(&dir.join("o"));
    assert!(files.contains_key("seats.csv") && files.contains_key("summary.json"));
    files
}

fn wait(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("seatsim did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether the process has a handler for SIGINT (bit 2 of SigCgt in /proc/PID/status).
fn catches_sigint(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1 << 1) != 0)
}

fn interrupt(pid: u32) {
    let ok = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -INT failed");
}

/// Start an endless run into `dir/o`, wait until `ready`, send Ctrl-C, and check it stops
/// with exit code 130 leaving exactly the earlier files.
fn interrupted_run(draws: bool) {
    if !Path::new("/proc/self/status").exists() {
        eprintln!("skipped: needs /proc to see when the Ctrl-C handler is installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let before = earlier_run(dir.path(), draws);
    let s = azerbaijan();
    let mut args = vec!["run", &s, "-n", "1e11", "-j", "1", "-q", "--out", "o"];
    if draws {
        args.push("--draws");
    }
    let mut child = seatsim()
        .current_dir(dir.path())
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let start = Instant::now();
    // Simulating: the handler is installed, and with --draws the temporary file exists.
    let temp = format!(".draws.csv.tmp-{pid}");
    while !(catches_sigint(pid) && (!draws || dir.path().join("o").join(&temp).exists())) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "seatsim exited before it was interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    interrupt(pid);
    let status = wait(&mut child, Duration::from_secs(60));
    let err = child_stderr(&mut child);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && !err.contains("panicked"),
        "{err}"
    );
    let after = snapshot(&dir.path().join("o"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "files appeared or vanished"
    );
    assert!(after == before, "an earlier output file changed");
}

#[test]
fn ctrl_c_keeps_the_earlier_run() {
    interrupted_run(false);
}

#[test]
fn ctrl_c_while_writing_draws_keeps_the_earlier_run() {
    interrupted_run(true);
}

#[test]
fn unwritable_out_fails_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), b"not a directory").unwrap();
    let s = azerbaijan();
    // 10^11 iterations would take hours: a quick exit proves nothing was simulated.
    let mut child = seatsim()
        .current_dir(dir.path())
        .args(["run", &s, "-n", "1e11", "-j", "1", "-q", "--out", "file/o"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait(&mut child, Duration::from_secs(60));
    let err = child_stderr(&mut child);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("file/o") && !err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("file")).unwrap(),
        b"not a directory"
    );
}

#[test]
fn a_failure_at_commit_keeps_the_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut before = earlier_run(dir.path(), false);
    // Something in the way of one output file: the run fails after simulating, and must
    // not have replaced any of the others.
    std::fs::create_dir(dir.path().join("o/draws.csv")).unwrap();
    before.insert("draws.csv/".into(), Vec::new());
    let s = azerbaijan();
    let out = run_in(
        dir.path(),
        &[
            "run", &s, "-n", "3000", "-j", "1", "-q", "--out", "o", "--draws",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("draws.csv") && !err.contains("panicked"),
        "{err}"
    );
    assert!(
        snapshot(&dir.path().join("o")) == before,
        "earlier files changed"
    );
}

#[test]
fn bad_input_keeps_the_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let before = earlier_run(dir.path(), true);
    let s = azerbaijan();
    for set in ["rerun.districts=[\"999\"]", "fraud.beneficiary=NOPE"] {
        let out = run_in(
            dir.path(),
            &["run", &s, "-n", "2000", "-q", "--out", "o", "--set", set],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            snapshot(&dir.path().join("o")) == before,
            "{set}: files changed"
        );
    }
}
