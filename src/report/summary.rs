//! `summary.json`: the complete, machine-readable result of a run. Charts and `seatsim plot`
//! draw from this alone, so a finished run can be redrawn without simulating again.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::stats::{change_stats, seat_stats, ChangeStats, SeatStats};
use crate::engine::{Histograms, Outcome};
use crate::scenario::{Baseline, Scenario};

/// Identity of the inputs, so a result can be traced and reproduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// Scenario file as given on the command line.
    pub file: String,
    /// SHA-256 of the scenario file.
    pub sha256: String,
    /// Districts table path.
    pub districts_file: String,
    /// SHA-256 of the districts table.
    pub districts_sha256: String,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
    /// Hash over the files and overrides together.
    pub input_hash: String,
    /// `intention` or `official`.
    pub baseline: String,
    /// Beneficiary of first-round fraud, if any.
    pub beneficiary: Option<String>,
    /// Plain-words description of the scenario (as `seatsim validate` prints it), for
    /// report.html; empty in summaries written before it existed.
    #[serde(default)]
    pub description: String,
}

impl ScenarioInfo {
    /// The identity of a loaded scenario (shared by summary.json and sweep.json).
    pub fn new(s: &Scenario) -> ScenarioInfo {
        ScenarioInfo {
            name: s.name.clone(),
            file: s.provenance.file.display().to_string(),
            sha256: s.provenance.sha256.clone(),
            districts_file: s.provenance.districts_file.display().to_string(),
            districts_sha256: s.provenance.districts_sha256.clone(),
            overrides: s.provenance.overrides.clone(),
            input_hash: s.provenance.input_hash(),
            baseline: match s.baseline {
                Baseline::Intention => "intention".into(),
                Baseline::Official => "official".into(),
            },
            beneficiary: s.fraud.beneficiary.map(|b| s.parties[b].id.clone()),
            description: crate::commands::validate::describe(s)
                .lines()
                .skip(1)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A party as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyInfo {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chart colour.
    pub color: String,
    /// Bloc label.
    pub bloc: String,
}

impl PartyInfo {
    /// The scenario's parties as every summary reports them.
    pub fn list(s: &Scenario) -> Vec<PartyInfo> {
        s.parties
            .iter()
            .map(|p| PartyInfo {
                id: p.id.clone(),
                name: p.name.clone(),
                color: p.color.clone(),
                bloc: s.blocs[p.bloc].clone(),
            })
            .collect()
    }
}

/// Seats of one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    /// Per party id.
    pub party: IndexMap<String, SeatStats>,
    /// Per bloc.
    pub bloc: IndexMap<String, SeatStats>,
    /// Vacant seats (invalid districts).
    pub vacant: SeatStats,
}

/// Per-party and per-bloc signed distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeSummary {
    /// Per party id.
    pub party: IndexMap<String, ChangeStats>,
    /// Per bloc.
    pub bloc: IndexMap<String, ChangeStats>,
}

/// Seats won through fraud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StolenSummary {
    /// Per party id.
    pub party: IndexMap<String, ChangeStats>,
    /// All parties together.
    pub total: ChangeStats,
}

/// One district's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Annulled by `rerun.districts` or `rerun.all`.
    pub forced_rerun: bool,
    /// Share of iterations in which it was re-run.
    pub rerun_probability: f64,
    /// Share of iterations in which it was recounted.
    pub recount_probability: f64,
    /// Share of iterations whose inversion draw was infeasible (official baseline).
    pub infeasible_share: f64,
    /// Per outcome, per standing party: probability of winning.
    pub win_probability: IndexMap<String, IndexMap<String, f64>>,
}

/// Klimek's fingerprint: official turnout (rows) × beneficiary share (columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Bins per axis over [0, 1].
    pub bins: usize,
    /// The party whose share is on the y axis.
    pub beneficiary: Option<String>,
    /// `counts[turnout_bin][share_bin]` over districts and iterations.
    pub counts: Vec<Vec<u64>>,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Version of seatsim that produced it.
    pub seatsim_version: String,
    /// Inputs.
    pub scenario: ScenarioInfo,
    /// Seed.
    pub seed: u64,
    /// Iterations.
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
    /// `no_rerun` and `rerun`.
    pub outcomes: IndexMap<String, OutcomeSummary>,
    /// Rerun seats minus no-rerun seats, per iteration.
    pub rerun_effect: ChangeSummary,
    /// Districts whose official winner differs from the winner without fraud.
    pub stolen_seats: StolenSummary,
    /// Per district id: share of iterations whose inversion draw was infeasible.
    pub infeasible_draw_share: IndexMap<String, f64>,
    /// Per district detail.
    pub districts: Vec<DistrictSummary>,
    /// Fingerprint histogram.
    pub fingerprint: Fingerprint,
}

fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// A value per party, keyed by party id in scenario order (as every summary lists parties).
pub(crate) fn per_party<T>(s: &Scenario, f: impl FnMut(usize) -> T) -> IndexMap<String, T> {
    s.parties
        .iter()
        .map(|party| party.id.clone())
        .zip((0..s.parties.len()).map(f))
        .collect()
}

/// A value per bloc, keyed by bloc name in scenario order.
pub(crate) fn per_bloc<T>(s: &Scenario, f: impl FnMut(usize) -> T) -> IndexMap<String, T> {
    s.blocs
        .iter()
        .cloned()
        .zip((0..s.blocs.len()).map(f))
        .collect()
}

impl Summary {
    /// Summarise a run's counts.
    pub fn new(s: &Scenario, h: &Histograms, seed: u64) -> Summary {
        let n = s.seats();
        let (maj, two) = (s.majority(), s.two_thirds());
        let total = h.iterations;
        let mut outcomes = IndexMap::new();
        for o in Outcome::ALL {
            outcomes.insert(
                o.as_str().to_string(),
                OutcomeSummary {
                    party: per_party(s, |p| seat_stats(h.party(o, p), maj, two)),
                    bloc: per_bloc(s, |b| seat_stats(h.bloc(o, b), maj, two)),
                    vacant: seat_stats(h.vacancies(o), maj, two),
                },
            );
        }
        let offset = -(n as i64);
        let rerun_effect = ChangeSummary {
            party: per_party(s, |p| change_stats(h.party_change(p), offset)),
            bloc: per_bloc(s, |b| change_stats(h.bloc_change(b), offset)),
        };
        let stolen_seats = StolenSummary {
            party: per_party(s, |p| change_stats(h.stolen_seats(p), 0)),
            total: change_stats(h.stolen_seats(s.parties.len()), 0),
        };
        let districts = s
            .districts
            .iter()
            .enumerate()
            .map(|(d, dist)| DistrictSummary {
                id: dist.id.clone(),
                name: dist.name.clone(),
                region: s.regions[dist.region].clone(),
                forced_rerun: s.rerun.forced[d],
                rerun_probability: share(h.annulled[d], total),
                recount_probability: share(h.recounted[d], total),
                infeasible_share: share(h.infeasible[d], total),
                win_probability: Outcome::ALL
                    .iter()
                    .map(|&o| {
                        (
                            o.as_str().to_string(),
                            (0..s.parties.len())
                                .filter(|&p| dist.stands(p))
                                .map(|p| (s.parties[p].id.clone(), share(h.wins(o, d, p), total)))
                                .collect(),
                        )
                    })
                    .collect(),
            })
            .collect();
        let bins = crate::engine::histograms::FINGERPRINT_BINS;
        Summary {
            seatsim_version: crate::VERSION.to_string(),
            scenario: ScenarioInfo::new(s),
            seed,
            iterations: total,
            seats: n,
            majority: maj,
            two_thirds: two,
            parties: PartyInfo::list(s),
            blocs: s.blocs.clone(),
            outcomes,
            rerun_effect,
            stolen_seats,
            infeasible_draw_share: s
                .districts
                .iter()
                .enumerate()
                .map(|(d, dist)| (dist.id.clone(), share(h.infeasible[d], total)))
                .collect(),
            districts,
            fingerprint: Fingerprint {
                bins,
                beneficiary: s.fraud.beneficiary.map(|b| s.parties[b].id.clone()),
                counts: h.fingerprint.chunks(bins).map(|r| r.to_vec()).collect(),
            },
        }
    }

    /// Seat statistics of an outcome for a party id or bloc name.
    pub fn stats(&self, outcome: &str, kind: &str, name: &str) -> Option<&SeatStats> {
        let o = self.outcomes.get(outcome)?;
        match kind {
            "party" => o.party.get(name),
            "bloc" => o.bloc.get(name),
            _ => None,
        }
    }
}
