//! Issue 5's ratio under one set of conditions: the random-number floor and the engine,
//! each timed as the best of 30 short runs in one process, one thread.
//!
//! `cargo bench --bench best_of` prints microseconds per iteration for
//! - `floor`: 930 standard normals and 170 uniforms from a fresh `rand_chacha::ChaCha8Rng`
//!   stream per iteration through `rand_distr`, as issue 5 defines it;
//! - `engine`: full iterations of `benches/data/perf-125x5.toml`, both outcomes (arguments
//!   `key=value` override it, as `--set` does, to see what a part of the model costs; an
//!   argument ending in `.toml` times that scenario instead);
//!
//! and their ratio, from the best runs and from the median ones. The floor's and the
//! engine's runs are taken in turn, so both see the same slow spells (before the tenth
//! session all 30 floor runs came first, and the two bests could come from different
//! spells). On a shared machine whose speed drifts by tens of percent from minute
//! to minute, the best of many short runs is far steadier than one long run; to compare two
//! builds, run their `best_of` binaries at the same time, one per core
//! (`taskset -c 0 A & taskset -c 1 B`), then swap the cores.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use seatsim::engine::{self, Hooks, RunSpec};
use seatsim::Scenario;

#[path = "shared/floor.rs"]
mod floor;
use floor::{chacha_stream, floor_draws};

/// Microseconds per iteration of one run of `run(first_iteration)`, `n` iterations.
fn timed(n: u64, rep: u64, run: &mut impl FnMut(u64) -> f64) -> f64 {
    let start = Instant::now();
    black_box(run(rep * n));
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// The best and the median of `times`.
fn best_and_median(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// 30 runs of each of `a` (`na` iterations a run) and `b` (`nb`), taken in turn (a, b, a,
/// b, ...) so that both see the same slow spells of the machine: each one's best and
/// median microseconds per iteration.
fn best_of_pair(
    (na, mut a): (u64, impl FnMut(u64) -> f64),
    (nb, mut b): (u64, impl FnMut(u64) -> f64),
) -> ((f64, f64), (f64, f64)) {
    let (times_a, times_b): (Vec<f64>, Vec<f64>) = (0..30)
        .map(|rep| (timed(na, rep, &mut a), timed(nb, rep, &mut b)))
        .unzip();
    (best_and_median(times_a), best_and_median(times_b))
}

fn main() {
    // Arguments of the form `key=value` override the scenario, as `--set` does, to see what
    // a part of the model costs (`cargo bench --bench best_of -- fraud.extreme=0`); one
    // ending in `.toml` is the scenario to time (cargo adds `--bench`, which is neither).
    let args: Vec<String> = std::env::args().skip(1).collect();
    let overrides: Vec<String> = args.iter().filter(|a| a.contains('=')).cloned().collect();
    let path = match args
        .iter()
        .find(|a| a.ends_with(".toml") && !a.contains('='))
    {
        Some(scenario) => PathBuf::from(scenario),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/perf-125x5.toml"),
    };
    let s = Scenario::load(&path, &overrides).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let floor = |from| floor_draws(from..from + 4096, chacha_stream);
    let engine = |from| {
        let spec = RunSpec {
            seed: 1,
            start: from,
            end: from + 8192,
            threads: 1,
        };
        engine::run(&s, &spec, Hooks::default())
            .expect("runs")
            .iterations as f64
    };
    let ((floor, floor_median), (engine, engine_median)) =
        best_of_pair((4096, floor), (8192, engine));
    println!(
        "floor {floor:.2} us, engine {engine:.2} us per iteration; engine / floor {:.2} \
         (medians: floor {floor_median:.2}, engine {engine_median:.2}; {:.2})",
        engine / floor,
        engine_median / floor_median
    );
}
