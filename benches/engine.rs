//! Engine throughput against the random-number floor (issue 5).
//!
//! `cargo bench --bench engine` measures, single-threaded:
//! - `floor`: issue 5's estimate of the draws an iteration of the benchmark scenario needs
//!   (930 standard normals and 170 uniforms from a fresh ChaCha8 stream per iteration; the
//!   engine's expected count from the scenario's settings, truncated-normal redraws and
//!   rerun noise included, is about 1,080 normals, so the true floor is higher), once through
//!   `rand_chacha` + `rand_distr` as issue 5 defines it, once through seatsim's
//!   [`seatsim::random::Stream`] (the same values), and once with the normals in one batch
//!   ([`seatsim::random::Stream::fill_standard_normals`]), the way the engine draws them;
//! - `engine/perf-125x5`: full iterations of `benches/data/perf-125x5.toml` (125 districts,
//!   5 parties, all noise terms, fraud 0.3/0.05, rerun by fraud class), both outcomes;
//! - `engine/azerbaijan-2005`: the shipped default scenario.
//!
//! Their ratio is the figure quoted in the README's performance section.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use seatsim::engine::{self, Hooks, RunSpec};
use seatsim::random::Draws;
use seatsim::Scenario;

#[path = "shared/floor.rs"]
mod floor;
use floor::{chacha_stream, floor_draws};

const ITERATIONS: u64 = 2_000;

fn floor(c: &mut Criterion) {
    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Elements(ITERATIONS));
    // `ChaCha8Rng` draws through `Draws`' defaults: `rand_distr::StandardNormal` and
    // `rand`'s `random::<f64>()`, the floor as issue 5 defines it.
    g.bench_function(
        "rand_distr: 930 normals + 170 uniforms per iteration",
        |b| b.iter(|| black_box(floor_draws(0..ITERATIONS, chacha_stream))),
    );
    g.bench_function(
        "seatsim Stream: 930 normals + 170 uniforms per iteration",
        |b| b.iter(|| black_box(floor_draws(0..ITERATIONS, |i| engine::iteration_rng(1, i)))),
    );
    g.bench_function(
        "seatsim Stream, batched: 930 normals in one batch + 170 uniforms per iteration",
        |b| {
            b.iter(|| {
                let mut normals = vec![0.0; 930];
                let mut acc = 0.0;
                for i in 0..ITERATIONS {
                    let mut rng = engine::iteration_rng(1, i);
                    rng.fill_standard_normals(&mut normals);
                    acc += normals.iter().sum::<f64>();
                    for _ in 0..170 {
                        acc += rng.uniform();
                    }
                }
                black_box(acc)
            })
        },
    );
    g.finish();
}

fn scenario(c: &mut Criterion, name: &str, path: &str) {
    let s = Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path), &[])
        .expect("benchmark scenario loads");
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(ITERATIONS));
    g.bench_function(name, |b| {
        b.iter(|| {
            let spec = RunSpec {
                seed: 1,
                start: 0,
                end: ITERATIONS,
                threads: 1,
            };
            black_box(engine::run(&s, &spec, Hooks::default()).expect("runs"))
        })
    });
    g.finish();
}

fn engines(c: &mut Criterion) {
    scenario(c, "perf-125x5", "benches/data/perf-125x5.toml");
    scenario(c, "azerbaijan-2005", "scenarios/azerbaijan-2005.toml");
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = floor, engines
}
criterion_main!(benches);
