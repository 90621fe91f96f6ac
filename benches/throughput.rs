//! Issue 5's throughput target as the issue states it: a million iterations on two cores,
//! wall time, for the random-number floor and for the engine, taken in turn.
//!
//! `cargo bench --bench throughput [-- ROUNDS [THREADS]]` (default 3 rounds, 2 threads)
//! prints, per round, the wall seconds of
//! - `floor`: the floor of `best_of` (930 standard normals and 170 uniforms from a fresh
//!   `ChaCha8Rng` stream per iteration through `rand_distr`) for iterations 0..10⁶, split
//!   over the threads in blocks of 1,024 as the engine splits its work;
//! - `engine`: `engine::run` of `benches/data/perf-125x5.toml`, the same iterations and
//!   threads, both outcomes, no output files;
//!
//! and their ratio, each round's and the best runs' (with the median of the rounds'
//! ratios). `best_of` times one core with the other idle; this times both cores
//! busy, which on a machine whose two cores share a physical core (or a host's) is slower
//! per core, and not by the same factor for the floor and for the engine.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use seatsim::engine::{self, Hooks, RunSpec, BLOCK};
use seatsim::Scenario;

#[path = "shared/floor.rs"]
mod floor;
use floor::{chacha_stream, floor_draws};

const ITERATIONS: u64 = 1_000_000;

/// Wall seconds of `f`.
fn wall(f: impl FnOnce() -> f64) -> f64 {
    let start = Instant::now();
    black_box(f());
    start.elapsed().as_secs_f64()
}

fn main() {
    // cargo adds `--bench`; the numbers are ours.
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rounds = numbers.first().copied().unwrap_or(3).max(1);
    let threads = numbers.get(1).copied().unwrap_or(2) as usize;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/perf-125x5.toml");
    let s = Scenario::load(&path, &[]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("worker threads");
    let floor = || {
        pool.install(|| {
            (0..ITERATIONS.div_ceil(BLOCK))
                .into_par_iter()
                .map(|b| floor_draws(b * BLOCK..((b + 1) * BLOCK).min(ITERATIONS), chacha_stream))
                .sum::<f64>()
        })
    };
    let engine = || {
        let spec = RunSpec {
            seed: 1,
            start: 0,
            end: ITERATIONS,
            threads,
        };
        engine::run(&s, &spec, Hooks::default())
            .expect("runs")
            .iterations as f64
    };
    println!("{ITERATIONS} iterations on {threads} threads, wall seconds");
    let (mut best_floor, mut best_engine) = (f64::INFINITY, f64::INFINITY);
    let mut ratios = Vec::new();
    for round in 1..=rounds {
        let f = wall(floor);
        let e = wall(engine);
        best_floor = best_floor.min(f);
        best_engine = best_engine.min(e);
        ratios.push(e / f);
        println!(
            "round {round}: floor {f:.2} s, engine {e:.2} s; engine / floor {:.2}",
            e / f
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "best: floor {best_floor:.2} s, engine {best_engine:.2} s; engine / floor {:.2}; \
         median of the rounds' ratios {:.2}",
        best_engine / best_floor,
        ratios[ratios.len() / 2]
    );
}
