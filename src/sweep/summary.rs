//! `sweep.json` and `sweep.csv`: per grid point, per outcome, per party and bloc, the same
//! seat statistics `summary.json` gives for one run.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{format_value, SeatCounts, Vary};
use crate::engine::Outcome;
use crate::report::stats::{seat_stats, SeatStats};
use crate::report::summary::{per_bloc, per_party, PartyInfo, ScenarioInfo};
use crate::scenario::Scenario;

/// Seat statistics of one party or bloc at one grid point: summary.json's [`SeatStats`]
/// without the per-seat counts (left empty, so they are not written).
pub type PointStats = SeatStats;

/// One outcome at one grid point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointOutcome {
    /// Per party id.
    pub party: IndexMap<String, PointStats>,
    /// Per bloc.
    pub bloc: IndexMap<String, PointStats>,
}

/// One grid point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Value of each varied key.
    pub values: IndexMap<String, f64>,
    /// `no_rerun` and `rerun`.
    pub outcomes: IndexMap<String, PointOutcome>,
}

/// The grid as run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaryInfo {
    /// Key.
    pub key: String,
    /// Its values, in grid order.
    pub values: Vec<f64>,
}

/// Everything a sweep found (`sweep.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Version of seatsim that produced it.
    pub seatsim_version: String,
    /// The scenario with `--set` overrides, before any `--vary` value.
    pub scenario: ScenarioInfo,
    /// Seed shared by every grid point.
    pub seed: u64,
    /// Iterations per grid point.
    pub iterations: u64,
    /// Seats in the chamber.
    pub seats: usize,
    /// floor(n/2)+1.
    pub majority: usize,
    /// ceil(2n/3).
    pub two_thirds: usize,
    /// Parties in display order.
    pub parties: Vec<PartyInfo>,
    /// Blocs in order.
    pub blocs: Vec<String>,
    /// The bloc of the fraud beneficiary (or of the party with most table votes if none).
    pub beneficiary_bloc: String,
    /// `opposition` if such a bloc exists, else the other bloc with most table votes.
    pub opposition_bloc: Option<String>,
    /// The varied keys, first varying slowest.
    pub vary: Vec<VaryInfo>,
    /// Every grid point.
    pub points: Vec<SweepPoint>,
}

/// Votes per bloc in the districts table (electorate × turnout × share), for choosing the
/// blocs the charts follow.
fn table_votes(s: &Scenario) -> Vec<f64> {
    let mut votes = vec![0.0; s.blocs.len()];
    for d in &s.districts {
        for (p, party) in s.parties.iter().enumerate() {
            if let (Some(v), Some(share)) = (votes.get_mut(party.bloc), d.shares.get(p)) {
                *v += d.electorate * d.turnout * share;
            }
        }
    }
    votes
}

/// Largest by table votes among `candidates` (first listed on ties).
fn largest(votes: &[f64], candidates: impl Iterator<Item = usize>) -> Option<usize> {
    candidates.fold(None, |best: Option<usize>, b| match best {
        Some(a) if votes[a] >= votes[b] => Some(a),
        _ => Some(b),
    })
}

/// (beneficiary's bloc, opposition bloc): see [`SweepSummary`] for the rule.
pub fn focus_blocs(s: &Scenario) -> (usize, Option<usize>) {
    let votes = table_votes(s);
    let ben = match s.fraud.beneficiary {
        Some(b) => s.parties[b].bloc,
        None => largest(&votes, 0..s.blocs.len()).unwrap_or(0),
    };
    let named = s
        .blocs
        .iter()
        .position(|b| b == "opposition")
        .filter(|&o| o != ben);
    let opp = named.or_else(|| largest(&votes, (0..s.blocs.len()).filter(|&b| b != ben)));
    (ben, opp)
}

fn point_stats(counts: &[u64], maj: usize, two: usize) -> PointStats {
    SeatStats {
        counts: Vec::new(),
        ..seat_stats(counts, maj, two)
    }
}

impl SweepSummary {
    /// Summarise per-point counts; `base` is the scenario without `--vary` values.
    pub fn new(
        base: &Scenario,
        vary: &[Vary],
        points: &[SeatCounts],
        seed: u64,
        iterations: u64,
    ) -> SweepSummary {
        let (maj, two) = (base.majority(), base.two_thirds());
        let (ben, opp) = focus_blocs(base);
        let grid = super::grid(vary);
        let points = grid
            .iter()
            .zip(points)
            .map(|(values, c)| SweepPoint {
                values: vary
                    .iter()
                    .zip(values)
                    .map(|(v, &x)| (v.key.clone(), x))
                    .collect(),
                outcomes: Outcome::ALL
                    .iter()
                    .map(|&o| {
                        let party = per_party(base, |p| point_stats(c.party(o, p), maj, two));
                        let bloc = per_bloc(base, |b| point_stats(c.bloc(o, b), maj, two));
                        (o.as_str().to_string(), PointOutcome { party, bloc })
                    })
                    .collect(),
            })
            .collect();
        SweepSummary {
            seatsim_version: crate::VERSION.to_string(),
            scenario: ScenarioInfo::new(base),
            seed,
            iterations,
            seats: base.seats(),
            majority: maj,
            two_thirds: two,
            parties: PartyInfo::list(base),
            blocs: base.blocs.clone(),
            beneficiary_bloc: base.blocs[ben].clone(),
            opposition_bloc: opp.map(|o| base.blocs[o].clone()),
            vary: vary
                .iter()
                .map(|v| VaryInfo {
                    key: v.key.clone(),
                    values: v.values(),
                })
                .collect(),
            points,
        }
    }
}

/// `sweep.json`, pretty-printed, with a trailing newline.
pub fn sweep_json(s: &SweepSummary) -> Vec<u8> {
    crate::report::pretty_json(s)
}

/// `sweep.csv`: one column per varied key, then
/// `outcome,kind,name,mean,sd,q05,q50,q95,p_majority,p_two_thirds`.
pub fn sweep_csv(s: &SweepSummary) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = s.vary.iter().map(|v| v.key.clone()).collect();
    header.extend(
        [
            "outcome",
            "kind",
            "name",
            "mean",
            "sd",
            "q05",
            "q50",
            "q95",
            "p_majority",
            "p_two_thirds",
        ]
        .map(String::from),
    );
    let _ = w.write_record(&header);
    for point in &s.points {
        let keys: Vec<String> = point.values.values().map(|&v| format_value(v)).collect();
        for (outcome, o) in &point.outcomes {
            for (kind, map) in [("party", &o.party), ("bloc", &o.bloc)] {
                for (name, st) in map {
                    let mut row = keys.clone();
                    row.extend([
                        outcome.clone(),
                        kind.to_string(),
                        name.clone(),
                        st.mean.to_string(),
                        st.sd.to_string(),
                        st.q05.to_string(),
                        st.q50.to_string(),
                        st.q95.to_string(),
                        st.p_majority.to_string(),
                        st.p_two_thirds.to_string(),
                    ]);
                    let _ = w.write_record(&row);
                }
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
