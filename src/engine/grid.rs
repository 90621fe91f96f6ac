//! Many scenarios (the points of a sweep) run as one parallel job: the unit of work is a
//! block of iterations of one point, so a grid of small runs keeps every core busy as well
//! as one large run does. Iteration i of every point draws from stream i under the same
//! seed (common random numbers), exactly as [`super::run`] would.

use rayon::prelude::*;

use super::{blocks, pool, simulate_block, Histograms, Hooks, Prepared, RunSpec, Scratch};
use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// Iterations `start..end` of grid point `point`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridTask {
    /// Index into the scenarios given to [`run_grid`].
    pub point: usize,
    /// First iteration (inclusive).
    pub start: u64,
    /// Last iteration (exclusive).
    pub end: u64,
}

type Partials = Vec<Option<Histograms>>;

/// Run every task, returning one set of counts per task (in task order).
///
/// Counts are integers and each iteration's draws depend only on `(seed, i)`, so the result
/// is the same for any thread count, block split or grouping of tasks.
pub fn run_grid(
    scenarios: &[Scenario],
    tasks: &[GridTask],
    seed: u64,
    threads: usize,
    hooks: Hooks,
) -> Result<Vec<Histograms>> {
    if let Some(t) = tasks.iter().find(|t| t.point >= scenarios.len()) {
        return Err(Error::Internal(format!(
            "grid task for point {} of {}",
            t.point,
            scenarios.len()
        )));
    }
    // Only the points these tasks touch: a sweep runs its grid a chunk at a time.
    let mut prepared: Vec<Option<Prepared>> = vec![None; scenarios.len()];
    for t in tasks {
        if prepared[t.point].is_none() {
            prepared[t.point] = Some(Prepared::new(&scenarios[t.point]));
        }
    }
    let spec = |t: &GridTask| RunSpec {
        seed,
        start: t.start,
        end: t.end,
        threads,
    };
    let units: Vec<(usize, u64)> = tasks
        .iter()
        .enumerate()
        .flat_map(|(i, t)| (0..blocks(&spec(t))).map(move |k| (i, k)))
        .collect();
    let none = || -> Partials { vec![None; tasks.len()] };
    let merged = pool(threads)?.install(|| {
        units
            .par_iter()
            .try_fold(
                || (Vec::<Option<Scratch>>::new(), none()),
                |(mut scratch, mut partials), &(i, k)| {
                    if hooks.cancelled() {
                        return Err(Error::Interrupted);
                    }
                    let task = &tasks[i];
                    let s = &scenarios[task.point];
                    let Some(p) = prepared[task.point].as_ref() else {
                        return Err(Error::Internal("grid point not prepared".into()));
                    };
                    if scratch.len() < prepared.len() {
                        scratch.resize(prepared.len(), None);
                    }
                    let sc = scratch[task.point].get_or_insert_with(|| Scratch::new(p));
                    let h = partials[i]
                        .get_or_insert_with(|| Histograms::new(p.parties, p.blocs, p.districts));
                    let spec = spec(task);
                    simulate_block(s, p, &spec, k, sc, h, |_| {});
                    if let Some(pb) = hooks.progress {
                        pb.inc(super::block_range(&spec, k).count() as u64);
                    }
                    Ok((scratch, partials))
                },
            )
            .map(|r| r.map(|(_, partials)| partials))
            .try_reduce(none, |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    match (x.as_mut(), y) {
                        (Some(x), Some(y)) => x.merge(&y),
                        (None, y) => *x = y,
                        (Some(_), None) => {}
                    }
                }
                Ok(a)
            })
    })?;
    Ok(merged
        .into_iter()
        .zip(tasks)
        .map(|(h, t)| {
            h.unwrap_or_else(|| {
                let s = &scenarios[t.point];
                Histograms::for_scenario(s)
            })
        })
        .collect())
}
