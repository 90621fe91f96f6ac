//! The Monte Carlo engine: iteration streams, parallel execution and counting.
//!
//! Iteration i draws only from the ChaCha8 stream `i` under a key derived from the seed,
//! and every result is an integer count, so the output is byte-identical for any thread
//! count and any split of the iterations across processes.

mod eta;
mod first_round;
mod grid;
pub mod histograms;
pub mod iteration;
pub mod prepared;
mod rerun_round;

use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;
use rayon::prelude::*;

pub use grid::{run_grid, GridTask};
pub use histograms::{Histograms, Outcome};
pub use iteration::{Scratch, VACANT};
pub use prepared::Prepared;

use crate::error::{Error, Result};
use crate::random::Stream;
use crate::scenario::Scenario;

/// Iterations per unit of parallel work (and per progress-bar tick).
pub const BLOCK: u64 = 1024;
/// Blocks simulated between writes of `draws.csv`, bounding its memory.
const DRAW_CHUNK_BLOCKS: u64 = 64;

/// The ChaCha8 key of every iteration under `seed`.
pub fn seed_key(seed: u64) -> [u8; 32] {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(b"seatsim1");
    key
}

/// The generator of iteration `i` under `seed`: ChaCha8 under [`seed_key`], stream `i`.
pub fn iteration_rng(seed: u64, i: u64) -> Stream {
    Stream::new(seed_key(seed), i)
}

/// Which iterations to run, and how.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    /// Seed of every iteration stream.
    pub seed: u64,
    /// First iteration (inclusive).
    pub start: u64,
    /// Last iteration (exclusive).
    pub end: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

/// Optional observers of a run.
#[derive(Default, Clone, Copy)]
pub struct Hooks<'a> {
    /// Advanced once per block.
    pub progress: Option<&'a ProgressBar>,
    /// Set (e.g. by Ctrl-C) to stop the run early with [`Error::Interrupted`].
    pub cancel: Option<&'a AtomicBool>,
}

impl Hooks<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// A pool of `threads` workers (0: one per core).
pub(crate) fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))
}

fn blocks(spec: &RunSpec) -> u64 {
    (spec.end.saturating_sub(spec.start)).div_ceil(BLOCK)
}

fn block_range(spec: &RunSpec, k: u64) -> std::ops::Range<u64> {
    let from = spec.start + k * BLOCK;
    from..(from + BLOCK).min(spec.end)
}

fn simulate_block(
    s: &Scenario,
    p: &Prepared,
    spec: &RunSpec,
    k: u64,
    sc: &mut Scratch,
    h: &mut Histograms,
    mut each: impl FnMut(&Scratch),
) {
    let range = block_range(spec, k);
    // One generator for the block, restarted on stream i for iteration i.
    let mut rng = iteration_rng(spec.seed, range.start);
    for i in range {
        rng.restart(i);
        iteration::simulate(s, p, &mut rng, sc, h);
        each(sc);
    }
    sc.flush(h);
}

/// Run iterations `spec.start..spec.end` and count their results.
pub fn run(s: &Scenario, spec: &RunSpec, hooks: Hooks) -> Result<Histograms> {
    let p = Prepared::new(s);
    let empty = || Histograms::new(p.parties, p.blocs, p.districts);
    pool(spec.threads)?.install(|| {
        (0..blocks(spec))
            .into_par_iter()
            .try_fold(
                || (Scratch::new(&p), empty()),
                |(mut sc, mut h), k| {
                    if hooks.cancelled() {
                        return Err(Error::Interrupted);
                    }
                    simulate_block(s, &p, spec, k, &mut sc, &mut h, |_| {});
                    if let Some(pb) = hooks.progress {
                        pb.inc(block_range(spec, k).count() as u64);
                    }
                    Ok((sc, h))
                },
            )
            .map(|r| r.map(|(_, h)| h))
            .try_reduce(empty, |mut a, b| {
                a.merge(&b);
                Ok(a)
            })
    })
}

/// One iteration's seats, handed to the `draws.csv` writer in iteration order.
pub struct Draw<'a> {
    /// Iteration number.
    pub iteration: u64,
    /// `[outcome][party]` seats.
    pub seats: &'a [u32],
    /// `[outcome]` vacant seats.
    pub vacant: [u32; 2],
}

/// Like [`run`], but also hands every iteration's seats, in order, to `sink`.
pub fn run_with_draws(
    s: &Scenario,
    spec: &RunSpec,
    hooks: Hooks,
    mut sink: impl FnMut(Draw) -> Result<()>,
) -> Result<Histograms> {
    let p = Prepared::new(s);
    let width = 2 * p.parties;
    let mut total = Histograms::new(p.parties, p.blocs, p.districts);
    let pool = pool(spec.threads)?;
    let n_blocks = blocks(spec);
    let mut first = 0;
    while first < n_blocks {
        if hooks.cancelled() {
            return Err(Error::Interrupted);
        }
        let last = (first + DRAW_CHUNK_BLOCKS).min(n_blocks);
        let results: Vec<(Histograms, Vec<u32>)> = pool.install(|| {
            (first..last)
                .into_par_iter()
                .map_init(
                    || Scratch::new(&p),
                    |sc, k| {
                        let mut h = Histograms::new(p.parties, p.blocs, p.districts);
                        let mut rows = Vec::with_capacity(BLOCK as usize * (width + 2));
                        simulate_block(s, &p, spec, k, sc, &mut h, |sc| {
                            rows.extend_from_slice(&sc.seats);
                            rows.extend_from_slice(&sc.vacant);
                        });
                        if let Some(pb) = hooks.progress {
                            pb.inc(block_range(spec, k).count() as u64);
                        }
                        (h, rows)
                    },
                )
                .collect()
        });
        for (k, (h, rows)) in (first..last).zip(results) {
            total.merge(&h);
            for (i, row) in block_range(spec, k).zip(rows.chunks(width + 2)) {
                sink(Draw {
                    iteration: i,
                    seats: &row[..width],
                    vacant: [row[width], row[width + 1]],
                })?;
            }
        }
        first = last;
    }
    Ok(total)
}
