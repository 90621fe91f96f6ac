//! Integer histograms: everything a run reports, in memory that does not grow with the
//! number of iterations. Counts add up exactly, so any split of the iterations over threads
//! or machines merges to the same bytes.

use serde::{Deserialize, Serialize};

/// Bins per axis of the fingerprint (official turnout × beneficiary share).
pub const FINGERPRINT_BINS: usize = 100;

/// The two outcomes every iteration produces from the same first-round draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Seats as officially declared (after recounts), invalid districts vacant.
    NoRerun = 0,
    /// Seats after annulled districts are re-run.
    Rerun = 1,
}

impl Outcome {
    /// Both outcomes, in report order.
    pub const ALL: [Outcome; 2] = [Outcome::NoRerun, Outcome::Rerun];

    /// The name used in every output file.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NoRerun => "no_rerun",
            Outcome::Rerun => "rerun",
        }
    }
}

/// All counts of a run (or a shard of one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histograms {
    /// Number of parties P.
    pub parties: usize,
    /// Number of blocs B.
    pub blocs: usize,
    /// Number of districts n (= seats).
    pub districts: usize,
    /// Iterations counted.
    pub iterations: u64,
    /// `[outcome][party][seats 0..=n]`.
    pub party_seats: Vec<u64>,
    /// `[outcome][bloc][seats 0..=n]`.
    pub bloc_seats: Vec<u64>,
    /// `[outcome][vacant seats 0..=n]`.
    pub vacant: Vec<u64>,
    /// `[outcome][district][party]`: iterations the party won the district.
    pub district_wins: Vec<u64>,
    /// `[party][rerun − no_rerun + n]`.
    pub party_effect: Vec<u64>,
    /// `[bloc][rerun − no_rerun + n]`.
    pub bloc_effect: Vec<u64>,
    /// `[party or P for the total][stolen seats 0..=n]`.
    pub stolen: Vec<u64>,
    /// `[turnout bin][share bin]` of official turnout and the beneficiary's official share.
    pub fingerprint: Vec<u64>,
    /// `[district]`: iterations whose inversion draw was infeasible.
    pub infeasible: Vec<u64>,
    /// `[district]`: iterations the district was annulled and re-run.
    pub annulled: Vec<u64>,
    /// `[district]`: iterations the district was recounted.
    pub recounted: Vec<u64>,
}

impl Histograms {
    /// Empty counts for a chamber of this shape.
    pub fn new(parties: usize, blocs: usize, districts: usize) -> Self {
        let n1 = districts + 1;
        Self {
            parties,
            blocs,
            districts,
            iterations: 0,
            party_seats: vec![0; 2 * parties * n1],
            bloc_seats: vec![0; 2 * blocs * n1],
            vacant: vec![0; 2 * n1],
            district_wins: vec![0; 2 * districts * parties],
            party_effect: vec![0; parties * (2 * districts + 1)],
            bloc_effect: vec![0; blocs * (2 * districts + 1)],
            stolen: vec![0; (parties + 1) * n1],
            fingerprint: vec![0; FINGERPRINT_BINS * FINGERPRINT_BINS],
            infeasible: vec![0; districts],
            annulled: vec![0; districts],
            recounted: vec![0; districts],
        }
    }

    /// Every count vector, in one fixed order: the one list that merging, shape checks and
    /// partial-file checks go through.
    pub fn counts(&self) -> [&Vec<u64>; 11] {
        [
            &self.party_seats,
            &self.bloc_seats,
            &self.vacant,
            &self.district_wins,
            &self.party_effect,
            &self.bloc_effect,
            &self.stolen,
            &self.fingerprint,
            &self.infeasible,
            &self.annulled,
            &self.recounted,
        ]
    }

    /// [`Histograms::counts`], mutable.
    fn counts_mut(&mut self) -> [&mut Vec<u64>; 11] {
        [
            &mut self.party_seats,
            &mut self.bloc_seats,
            &mut self.vacant,
            &mut self.district_wins,
            &mut self.party_effect,
            &mut self.bloc_effect,
            &mut self.stolen,
            &mut self.fingerprint,
            &mut self.infeasible,
            &mut self.annulled,
            &mut self.recounted,
        ]
    }

    /// Empty counts for a scenario's chamber.
    pub fn for_scenario(s: &crate::Scenario) -> Self {
        Self::new(s.parties.len(), s.blocs.len(), s.districts.len())
    }

    /// Add another run's counts (same shape) to these.
    pub fn merge(&mut self, other: &Histograms) {
        debug_assert!(self.same_shape(other));
        self.iterations += other.iterations;
        for (a, b) in self.counts_mut().into_iter().zip(other.counts()) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// Whether two sets of counts describe the same chamber and can be merged.
    pub fn same_shape(&self, other: &Histograms) -> bool {
        self.parties == other.parties
            && self.blocs == other.blocs
            && self.districts == other.districts
            && self
                .counts()
                .iter()
                .zip(other.counts())
                .all(|(a, b)| a.len() == b.len())
    }

    /// Seat-count histogram of a party under an outcome (length n + 1).
    pub fn party(&self, outcome: Outcome, p: usize) -> &[u64] {
        let n1 = self.districts + 1;
        let start = (outcome as usize * self.parties + p) * n1;
        &self.party_seats[start..start + n1]
    }

    /// Seat-count histogram of a bloc under an outcome (length n + 1).
    pub fn bloc(&self, outcome: Outcome, b: usize) -> &[u64] {
        let n1 = self.districts + 1;
        let start = (outcome as usize * self.blocs + b) * n1;
        &self.bloc_seats[start..start + n1]
    }

    /// Vacant-seat histogram under an outcome.
    pub fn vacancies(&self, outcome: Outcome) -> &[u64] {
        let n1 = self.districts + 1;
        let start = outcome as usize * n1;
        &self.vacant[start..start + n1]
    }

    /// Iterations in which party `p` won district `d` under `outcome`.
    pub fn wins(&self, outcome: Outcome, d: usize, p: usize) -> u64 {
        self.district_wins[(outcome as usize * self.districts + d) * self.parties + p]
    }

    /// Rerun-minus-no-rerun histogram of a party (index = change + n).
    pub fn party_change(&self, p: usize) -> &[u64] {
        let w = 2 * self.districts + 1;
        &self.party_effect[p * w..(p + 1) * w]
    }

    /// Rerun-minus-no-rerun histogram of a bloc (index = change + n).
    pub fn bloc_change(&self, b: usize) -> &[u64] {
        let w = 2 * self.districts + 1;
        &self.bloc_effect[b * w..(b + 1) * w]
    }

    /// Stolen-seat histogram of party `p`, or of all parties together with `p = parties`.
    pub fn stolen_seats(&self, p: usize) -> &[u64] {
        let n1 = self.districts + 1;
        &self.stolen[p * n1..(p + 1) * n1]
    }
}

/// Bin of a fraction in [0, 1] on a 100-bin axis (1.0 goes in the last bin; below 0 and
/// NaN in the first).
#[inline(always)]
pub fn fingerprint_bin(v: f64) -> u32 {
    // Clamped as a float, then truncated without Rust's saturating conversion: that
    // vectorises (the saturating one does not), and the value is already in range.
    let x = (v * FINGERPRINT_BINS as f64)
        .max(0.0)
        .min((FINGERPRINT_BINS - 1) as f64);
    // SAFETY: `max` turns NaN into 0, so `x` is finite and in [0, 99], within i32.
    unsafe { x.to_int_unchecked::<i32>() as u32 }
}

#[cfg(test)]
mod tests {
    use super::{fingerprint_bin, FINGERPRINT_BINS};

    /// The float clamp gives the bins of the plain definition `clamp(trunc(100 v), 0, 99)`,
    /// at the edges and for what a district with no votes gives (NaN, infinities).
    #[test]
    fn bins_match_the_plain_definition() {
        let plain = |v: f64| ((v * 100.0) as i32).clamp(0, FINGERPRINT_BINS as i32 - 1) as u32;
        let edges = [
            0.0,
            -0.0,
            -0.004,
            -1.0,
            0.0099999,
            0.01,
            0.5,
            0.99,
            0.999_999,
            1.0,
            1.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let grid = (0..=200_000).map(|i| -0.5 + f64::from(i) / 100_000.0);
        for v in edges.into_iter().chain(grid) {
            assert_eq!(fingerprint_bin(v), plain(v), "v = {v}");
        }
        assert_eq!(fingerprint_bin(1.0), 99);
        assert_eq!(fingerprint_bin(f64::NAN), 0);
    }
}
