//! What-if sweeps: the same scenario at every point of a grid of `--set` values, all with
//! the same seed (common random numbers), so neighbouring points differ only by the change
//! of inputs, not by fresh simulation noise.

pub mod charts;
pub mod summary;

use serde::{Deserialize, Serialize};

use crate::engine::{self, GridTask, Histograms, Hooks, Outcome};
use crate::error::Result;
use crate::scenario::Scenario;

pub use summary::SweepSummary;

/// Most grid points one sweep accepts (results stay in memory, ~25 kB per point).
pub const MAX_POINTS: usize = 10_000;
/// Grid points simulated together: enough work to keep every core busy, little memory.
const CHUNK_POINTS: usize = 64;

/// One `--vary KEY=START:STOP:STEPS`: STEPS evenly spaced values from START to STOP inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vary {
    /// Dotted scenario key, as `--set` takes it.
    pub key: String,
    /// First value.
    pub start: f64,
    /// Last value.
    pub stop: f64,
    /// Number of values (grid points along this key).
    pub steps: usize,
}

impl Vary {
    /// Parse `KEY=START:STOP:STEPS`.
    pub fn parse(text: &str) -> std::result::Result<Vary, String> {
        let usage =
            || format!("--vary `{text}` is not KEY=START:STOP:STEPS (e.g. fraud.extreme=0:0.5:21)");
        let (key, range) = text.split_once('=').ok_or_else(usage)?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(|p| p.trim().is_empty()) {
            return Err(usage());
        }
        if matches!(key, "seed" | "iterations") {
            return Err(format!(
                "--vary {key}: every grid point uses the same seed and iteration count; \
                 use --seed and --iterations instead"
            ));
        }
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let [start, stop, steps] = parts[..] else {
            return Err(usage());
        };
        let number = |t: &str| -> std::result::Result<f64, String> {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("--vary {key}: `{t}` is not a finite number"))
        };
        let steps: usize = steps
            .parse()
            .ok()
            .filter(|&n| (1..=MAX_POINTS).contains(&n))
            .ok_or_else(|| {
                format!(
                    "--vary {key}: STEPS `{steps}` is not a whole number from 1 to {MAX_POINTS}"
                )
            })?;
        Ok(Vary {
            key: key.to_string(),
            start: number(start)?,
            stop: number(stop)?,
            steps,
        })
    }

    /// The values, START and STOP exactly at the ends, inner values rounded to 12
    /// significant digits so `0:0.3:4` gives 0.1 rather than 0.09999999999999999.
    pub fn values(&self) -> Vec<f64> {
        let last = self.steps.saturating_sub(1);
        (0..self.steps)
            .map(|i| {
                if i == 0 {
                    self.start
                } else if i == last {
                    self.stop
                } else {
                    let v = self.start + (self.stop - self.start) * i as f64 / last as f64;
                    format!("{v:.11e}").parse().unwrap_or(v)
                }
            })
            .collect()
    }
}

/// A value as written into `--set` and the outputs (shortest text that reads back exactly).
pub fn format_value(v: f64) -> String {
    format!("{v}")
}

/// Number of grid points, or why the grid is not acceptable.
pub fn grid_size(vary: &[Vary]) -> std::result::Result<usize, String> {
    if vary.is_empty() {
        return Err("a sweep needs at least one --vary KEY=START:STOP:STEPS".into());
    }
    for (i, v) in vary.iter().enumerate() {
        if vary[..i].iter().any(|w| w.key == v.key) {
            return Err(format!("--vary {} is given twice", v.key));
        }
    }
    vary.iter()
        .try_fold(1usize, |acc, v| acc.checked_mul(v.steps.max(1)))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| format!("the grid has more than {MAX_POINTS} points"))
}

/// The values of every grid point, first key slowest.
pub fn grid(vary: &[Vary]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for v in vary {
        let values = v.values();
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |&x| {
                    let mut q = p.clone();
                    q.push(x);
                    q
                })
            })
            .collect();
    }
    points
}

/// The `--set` overrides of one grid point.
pub fn point_overrides(vary: &[Vary], values: &[f64]) -> Vec<String> {
    vary.iter()
        .zip(values)
        .map(|(v, &x)| format!("{}={}", v.key, format_value(x)))
        .collect()
}

/// Seat-count histograms of a grid point: all a sweep reports, and all its shards carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCounts {
    /// Parties P.
    pub parties: usize,
    /// Blocs B.
    pub blocs: usize,
    /// Districts n.
    pub districts: usize,
    /// Iterations counted.
    pub iterations: u64,
    /// `[outcome][party][seats 0..=n]`.
    pub party_seats: Vec<u64>,
    /// `[outcome][bloc][seats 0..=n]`.
    pub bloc_seats: Vec<u64>,
}

impl SeatCounts {
    /// No iterations yet, shaped for `s`.
    pub fn empty(s: &Scenario) -> SeatCounts {
        Self::from_histograms(&Histograms::for_scenario(s))
    }

    /// The seat histograms of a run's counts.
    pub fn from_histograms(h: &Histograms) -> SeatCounts {
        SeatCounts {
            parties: h.parties,
            blocs: h.blocs,
            districts: h.districts,
            iterations: h.iterations,
            party_seats: h.party_seats.clone(),
            bloc_seats: h.bloc_seats.clone(),
        }
    }

    /// Same chamber and parties, so the two can be added.
    pub fn same_shape(&self, other: &SeatCounts) -> bool {
        self.parties == other.parties
            && self.blocs == other.blocs
            && self.districts == other.districts
            && self.party_seats.len() == other.party_seats.len()
            && self.bloc_seats.len() == other.bloc_seats.len()
    }

    /// Every histogram counts exactly `iterations` iterations (true of anything seatsim wrote).
    pub fn is_consistent(&self, iterations: u64) -> bool {
        let n1 = self.districts + 1;
        self.iterations == iterations
            && self
                .party_seats
                .chunks(n1)
                .chain(self.bloc_seats.chunks(n1))
                .all(|c| c.iter().try_fold(0u64, |a, &x| a.checked_add(x)) == Some(iterations))
    }

    /// Add another share of the same point's iterations.
    pub fn merge(&mut self, other: &SeatCounts) {
        self.iterations += other.iterations;
        for (a, b) in self.party_seats.iter_mut().zip(&other.party_seats) {
            *a += b;
        }
        for (a, b) in self.bloc_seats.iter_mut().zip(&other.bloc_seats) {
            *a += b;
        }
    }

    /// Histogram of party `p` under `o` (length n + 1).
    pub fn party(&self, o: Outcome, p: usize) -> &[u64] {
        let n1 = self.districts + 1;
        let start = (o as usize * self.parties + p) * n1;
        self.party_seats.get(start..start + n1).unwrap_or(&[])
    }

    /// Histogram of bloc `b` under `o` (length n + 1).
    pub fn bloc(&self, o: Outcome, b: usize) -> &[u64] {
        let n1 = self.districts + 1;
        let start = (o as usize * self.blocs + b) * n1;
        self.bloc_seats.get(start..start + n1).unwrap_or(&[])
    }
}

/// A sweep ready to simulate: the grid and one validated scenario per point.
pub struct Sweep {
    /// The grid keys.
    pub vary: Vec<Vary>,
    /// Scenario per point (base overrides, then the point's values).
    pub scenarios: Vec<Scenario>,
}

impl Sweep {
    /// Build and validate every grid point from the base scenario's embedded sources, so a
    /// bad value fails here, before any simulation, with the same message `--set` gives.
    pub fn new(sources: &crate::partial::Sources, vary: Vec<Vary>) -> Result<Sweep> {
        grid_size(&vary).map_err(crate::Error::Usage)?;
        let scenarios = grid(&vary)
            .iter()
            .map(|v| sources.scenario(&point_overrides(&vary, v)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Sweep { vary, scenarios })
    }

    /// Simulate `tasks` (grid points × iteration ranges) and return their seat counts.
    pub fn run(
        &self,
        tasks: &[GridTask],
        seed: u64,
        threads: usize,
        hooks: Hooks,
    ) -> Result<Vec<SeatCounts>> {
        let mut out = Vec::with_capacity(tasks.len());
        for chunk in tasks.chunks(CHUNK_POINTS) {
            let hs = engine::run_grid(&self.scenarios, chunk, seed, threads, hooks)?;
            out.extend(hs.iter().map(SeatCounts::from_histograms));
        }
        Ok(out)
    }
}

/// Tasks of shard range `[start, end)` of the point-major (point, iteration) units.
pub fn shard_tasks(points: usize, iterations: u64, start: u64, end: u64) -> Vec<GridTask> {
    (0..points)
        .filter_map(|g| {
            let lo = g as u64 * iterations;
            let hi = lo + iterations;
            let (a, b) = (start.max(lo), end.min(hi));
            (a < b).then(|| GridTask {
                point: g,
                start: a - lo,
                end: b - lo,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hit_both_ends_and_are_evenly_spaced() {
        let v = Vary::parse("fraud.extreme=0:0.5:21").unwrap();
        let x = v.values();
        assert_eq!(x.len(), 21);
        assert_eq!((x[0], x[20]), (0.0, 0.5));
        assert_eq!(format_value(x[1]), "0.025");
        assert_eq!(format_value(x[3]), "0.075");
        assert_eq!(Vary::parse("a.b=2:9:1").unwrap().values(), vec![2.0]);
        let tenths = Vary::parse("a.b=0:0.3:4").unwrap().values();
        assert_eq!(tenths, vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(
            Vary::parse("a.b=1:-1:3").unwrap().values(),
            vec![1.0, 0.0, -1.0]
        );
    }

    #[test]
    fn grids_put_the_first_key_slowest() {
        let a = Vary::parse("a.x=0:1:2").unwrap();
        let b = Vary::parse("b.y=5:7:3").unwrap();
        let g = grid(&[a.clone(), b.clone()]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1], vec![0.0, 6.0]);
        assert_eq!(g[3], vec![1.0, 5.0]);
        assert_eq!(
            point_overrides(&[a.clone(), b], &g[4]),
            vec!["a.x=1", "b.y=6"]
        );
        assert!(grid_size(&[a.clone(), a]).is_err());
        assert!(grid_size(&[]).is_err());
    }

    #[test]
    fn shard_tasks_cut_points_at_the_right_iterations() {
        // 3 points × 10 iterations; units 8..23 = point 0 8..10, point 1 all, point 2 0..3.
        let t = shard_tasks(3, 10, 8, 23);
        let spans: Vec<_> = t.iter().map(|t| (t.point, t.start, t.end)).collect();
        assert_eq!(spans, vec![(0, 8, 10), (1, 0, 10), (2, 0, 3)]);
    }
}
