//! Everything about a scenario that does not change between iterations, laid out flat so
//! the hot loop reads it with little indirection (marginal-voter shares, rarely used, are
//! nested).

use std::ops::Range;

use super::iteration::settled;
use crate::model::{fraud, turnout, votes};
use crate::scenario::{Baseline, FraudClass, FraudModel, Noise, Scenario, TurnoutModel};

/// What the draw loop reads about one district, in one record: one bounds check and one
/// memory region per district instead of one per array.
#[derive(Debug, Clone, Copy)]
pub struct DistrictConsts {
    /// Region index.
    pub region: usize,
    /// (f_i, f_e) for reruns.
    pub rerun_fraud_probs: (f64, f64),
    /// The rerun's turnout centre `clamp(T0 + shift)` and its logit, computed once: with an
    /// intention baseline they depend only on the table (the official baseline starts from
    /// the recovered turnout, drawn each iteration, and ignores these).
    pub rerun_turnout_centre: (f64, f64),
}

/// Column lengths are a multiple of this many districts ([`Prepared::lanes`]): the
/// vectorised loops then take whole steps (four districts per AVX2 register, up to four
/// registers per step) and never run their scalar remainder, which cost about a tenth of
/// an iteration's instructions with 125 districts.
pub const LANE_BLOCK: usize = 16;

/// `n` rounded up to a multiple of [`LANE_BLOCK`]: the lanes a vector pass over `n`
/// districts runs over.
pub fn lanes_for(n: usize) -> usize {
    n.div_ceil(LANE_BLOCK) * LANE_BLOCK
}

/// What the first round's arithmetic reads, one column per quantity indexed by district,
/// so that its loops run over districts in vector registers. Each column is
/// [`Prepared::lanes`] long: the lanes after the last district are padding, set to a
/// district with no electorate (so no votes) and no fraud, whose arithmetic is finite and
/// never read.
#[derive(Debug, Clone)]
pub struct DistrictColumns {
    /// Electorate N.
    pub electorate: Vec<f64>,
    /// Table turnout (T0, or official T' in the official baseline).
    pub table_turnout: Vec<f64>,
    /// First-round turnout centre `clamp(T0 + shift)`.
    pub turnout_centre: Vec<f64>,
    /// `logit(turnout_centre)`, computed once.
    pub turnout_logit: Vec<f64>,
    /// `[party * lanes + district]` ln of table shares (`-inf` where not standing).
    pub log_share: Vec<f64>,
    /// The fraud beneficiary stands in the district (always false without one): only
    /// those districts enter the fingerprint.
    pub beneficiary_stands: Vec<bool>,
}

/// Where the intention baseline's district noise sits in the first round's batch of
/// normals. After the shared terms the batch holds it column by column: each party's noise
/// for the districts where it stands, in table order, then every district's turnout noise.
/// A party standing everywhere then reads its normals as one contiguous column.
#[derive(Debug, Clone, Default)]
pub struct NoiseSlots {
    /// Normals before the districts' own: national and regional vote and turnout noise.
    pub shared: usize,
    /// `[party]`: where the party's column of district noise starts, when it holds one
    /// normal per district (the party stands everywhere with an sd above 0).
    pub vote_column: Vec<Option<u32>>,
    /// `[party * D + district]`: the batch index of that party's district vote noise; a
    /// term with no draw (party not standing, or sd 0) points one past the batch, where the
    /// engine keeps a 0.
    pub vote: Vec<u32>,
    /// Where the column of turnout noise starts (`None` with a district sd of 0).
    pub turnout_column: Option<u32>,
}

/// Districts in a row that share a region, so that a loop over them adds one region's
/// shift without looking it up per district.
#[derive(Debug, Clone)]
pub struct RegionRun {
    /// Region index.
    pub region: usize,
    /// The districts, in table order.
    pub districts: Range<usize>,
}

/// A column of `values` with `pad` in the lanes after the last district.
fn padded<T: Clone>(values: impl IntoIterator<Item = T>, lanes: usize, pad: T) -> Vec<T> {
    let mut column: Vec<T> = values.into_iter().collect();
    column.resize(lanes, pad);
    column
}

/// The table cut into runs of consecutive districts of one region.
fn region_runs(s: &Scenario) -> Vec<RegionRun> {
    let mut runs: Vec<RegionRun> = Vec::new();
    for (d, district) in s.districts.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if run.region == district.region => run.districts.end = d + 1,
            _ => runs.push(RegionRun {
                region: district.region,
                districts: d..d + 1,
            }),
        }
    }
    runs
}

/// A scenario compiled for the engine.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Parties P.
    pub parties: usize,
    /// Regions R.
    pub regions: usize,
    /// Districts D.
    pub districts: usize,
    /// D rounded up to a multiple of [`LANE_BLOCK`]: the length of the vector stages'
    /// columns and the stride of their tables (`[party * lanes + district]`).
    pub lanes: usize,
    /// Bloc of each party.
    pub bloc_of: Vec<usize>,
    /// Blocs B.
    pub blocs: usize,
    /// The scalar constants of each district, in table order.
    pub district: Vec<DistrictConsts>,
    /// The per-district numbers the vectorised arithmetic reads.
    pub columns: DistrictColumns,
    /// `[d][p]` ln of table shares (`-inf` where not standing).
    pub log_share: Vec<f64>,
    /// `[d][p]` table shares.
    pub share: Vec<f64>,
    /// `[d][p]` the table's votes `N·T·s`: the official count in the official baseline.
    pub table_votes: Vec<f64>,
    /// First-round marginal shares `[d][p]` per district, if any.
    pub marginal: Option<Vec<Option<Vec<f64>>>>,
    /// Rerun marginal shares per district, if any.
    pub rerun_marginal: Option<Vec<Option<Vec<f64>>>>,
    /// The intention or official baseline.
    pub baseline: Baseline,
    /// Standard normals the first round draws in one batch: its national and regional
    /// noise, then each district's (fixed by the scenario; see [`NormalCounts`]).
    pub first_round_normals: usize,
    /// Rerun normals shared by every annulled district (national and regional noise).
    pub rerun_shared_normals: usize,
    /// Rerun normals of each district when it is annulled.
    pub rerun_district_normals: Vec<usize>,
    /// The batch layout of the first round's district noise (intention baseline).
    pub slots: NoiseSlots,
    /// The table as runs of districts of one region.
    pub region_runs: Vec<RegionRun>,
    /// Districts where first-round fraud is possible (f_i + f_e > 0), in table order: each
    /// draws its class from one uniform of a batch.
    pub fraud_possible: Vec<usize>,
    /// Their class bounds, as columns so that the classes are found in a vector pass: a
    /// uniform below `f_e + f_i` is fraud ([`fraud::class_from_bounds`]) ...
    pub fraud_bound: Vec<f64>,
    /// ... and below `f_e` extreme.
    pub extreme_bound: Vec<f64>,
    /// By class: the normals a first-round intensity draw takes from its batch
    /// ([`fraud::first_attempts`]).
    pub first_attempts: [usize; 3],
    /// A clean district makes no recount or annulment draw (both probabilities for the
    /// clean class are 0 or 1), so the fraud pass can leave clean districts out.
    pub clean_settled: bool,
    /// Some district may be recounted: else the per-district recount counts are skipped.
    pub recounts_possible: bool,
    /// By class: recounted without a draw (the probability is at least 1).
    pub recount_settled: [bool; 3],
    /// By class: annulled without a draw.
    pub annul_settled: [bool; 3],
}

impl NoiseSlots {
    /// The layout of the first round's batch (intention baseline); see [`NoiseSlots`].
    fn new(s: &Scenario, counts: &NormalCounts, len: usize) -> Self {
        if s.baseline != Baseline::Intention {
            return Self::default();
        }
        let (np, nd) = (s.parties.len(), s.districts.len());
        let shared = counts.shared(&s.noise, Some(&s.turnout));
        let none = len as u32;
        let mut vote = vec![none; np * nd];
        let mut vote_column = vec![None; np];
        let mut next = shared as u32;
        for (q, column) in vote_column.iter_mut().enumerate() {
            let start = next;
            for (d, district) in s.districts.iter().enumerate() {
                if NormalCounts::draws(district.shares[q], s.noise.district[q]) {
                    vote[q * nd + d] = next;
                    next += 1;
                }
            }
            if (next - start) as usize == nd {
                *column = Some(start);
            }
        }
        let turnout_column = (NormalCounts::flag(s.turnout.district_sd) == 1).then_some(next);
        if turnout_column.is_some() {
            next += nd as u32;
        }
        debug_assert_eq!(next as usize, len, "the slots fill the batch");
        Self {
            shared,
            vote_column,
            vote,
            turnout_column,
        }
    }
}

/// The fraud classes, in the order of their discriminants.
const CLASSES: [FraudClass; 3] = [
    FraudClass::Clean,
    FraudClass::Incremental,
    FraudClass::Extreme,
];

/// A turnout centre shifted from `t0`, and its logit.
pub(super) fn centre_and_logit(t0: f64, shift_pp: f64) -> (f64, f64) {
    let centre = turnout::shifted(t0, shift_pp);
    (centre, turnout::logit(centre))
}

/// How many standard normals a set of noise sds draws: one per sd above 0, per party
/// standing where the noise is per district. An sd of 0 draws nothing.
struct NormalCounts<'a> {
    s: &'a Scenario,
}

impl NormalCounts<'_> {
    fn positive(sds: &[f64]) -> usize {
        sds.iter().filter(|&&sd| sd > 0.0).count()
    }

    fn flag(sd: f64) -> usize {
        usize::from(sd > 0.0)
    }

    /// Whether a party with table share `share` takes a district-noise draw of sd `sd`:
    /// it stands there and the sd is above 0.
    fn draws(share: f64, sd: f64) -> bool {
        share > 0.0 && sd > 0.0
    }

    /// National and regional vote noise, plus turnout noise if `turnout` is given.
    fn shared(&self, noise: &Noise, turnout: Option<&TurnoutModel>) -> usize {
        let regions = self.s.regions.len();
        Self::positive(&noise.national)
            + regions * Self::positive(&noise.regional)
            + turnout.map_or(0, |t| {
                Self::flag(t.national_sd) + regions * Self::flag(t.regional_sd)
            })
    }

    /// District `d`'s vote noise for the parties standing, plus its turnout noise if given.
    fn district(&self, d: usize, noise: &Noise, turnout: Option<&TurnoutModel>) -> usize {
        let standing_noisy = self.s.districts[d]
            .shares
            .iter()
            .zip(&noise.district)
            .filter(|&(&share, &sd)| Self::draws(share, sd))
            .count();
        standing_noisy + turnout.map_or(0, |t| Self::flag(t.district_sd))
    }
}

impl Prepared {
    /// Fraud is possible in every district: then `fraud_possible` is `0..districts`.
    pub fn fraud_everywhere(&self) -> bool {
        self.fraud_possible.len() == self.districts
    }

    /// Compile a validated scenario.
    pub fn new(s: &Scenario) -> Self {
        let p_count = s.parties.len();
        let mut log_share = Vec::with_capacity(s.districts.len() * p_count);
        let mut share = Vec::with_capacity(s.districts.len() * p_count);
        let mut table_votes = Vec::with_capacity(s.districts.len() * p_count);
        for d in &s.districts {
            log_share.extend(votes::log_shares(&d.shares));
            share.extend(&d.shares);
            table_votes.extend(d.shares.iter().map(|&sh| d.electorate * d.turnout * sh));
        }
        let marginal_for = |m: &Option<Vec<f64>>| {
            m.as_ref().map(|m| {
                s.districts
                    .iter()
                    .map(|d| turnout::district_marginal(m, &d.shares))
                    .collect()
            })
        };
        let probs = |f: &FraudModel, table_override: bool| -> Vec<(f64, f64)> {
            s.districts
                .iter()
                .map(|d| match f.beneficiary {
                    Some(b) if d.stands(b) => {
                        if table_override {
                            (
                                d.fraud_incremental.unwrap_or(f.incremental),
                                d.fraud_extreme.unwrap_or(f.extreme),
                            )
                        } else {
                            (f.incremental, f.extreme)
                        }
                    }
                    _ => (0.0, 0.0),
                })
                .collect()
        };
        let fraud_probs = probs(&s.fraud, true);
        let rerun_fraud_probs = match s.rerun.fraud.beneficiary {
            // A beneficiary that boycotts the rerun cannot gain from its fraud.
            Some(b) if s.rerun.boycott[b] => vec![(0.0, 0.0); s.districts.len()],
            _ => probs(&s.rerun.fraud, false),
        };
        let district = s
            .districts
            .iter()
            .enumerate()
            .map(|(k, d)| DistrictConsts {
                region: d.region,
                rerun_fraud_probs: rerun_fraud_probs[k],
                rerun_turnout_centre: centre_and_logit(d.turnout, s.rerun.turnout.shift_pp),
            })
            .collect();
        let (turnout_centre, turnout_logit): (Vec<_>, Vec<_>) = s
            .districts
            .iter()
            .map(|d| centre_and_logit(d.turnout, s.turnout.shift_pp))
            .unzip();
        let nd = s.districts.len();
        let lanes = lanes_for(nd);
        let columns = DistrictColumns {
            electorate: padded(s.districts.iter().map(|d| d.electorate), lanes, 0.0),
            table_turnout: padded(s.districts.iter().map(|d| d.turnout), lanes, 0.5),
            turnout_logit: padded(turnout_logit, lanes, 0.0),
            turnout_centre: padded(turnout_centre, lanes, 0.5),
            log_share: (0..p_count)
                .flat_map(|q| padded((0..nd).map(|d| log_share[d * p_count + q]), lanes, 0.0))
                .collect(),
            beneficiary_stands: padded(
                (0..nd).map(|d| {
                    s.fraud
                        .beneficiary
                        .is_some_and(|b| share[d * p_count + b] > 0.0)
                }),
                lanes,
                false,
            ),
        };
        let counts = NormalCounts { s };
        // The official baseline has no first-round turnout noise: its turnout is recovered.
        let first_turnout = (s.baseline == Baseline::Intention).then_some(&s.turnout);
        let first_round_normals = counts.shared(&s.noise, first_turnout)
            + (0..s.districts.len())
                .map(|d| counts.district(d, &s.noise, first_turnout))
                .sum::<usize>();
        let slots = NoiseSlots::new(s, &counts, first_round_normals);
        let rerun_district_normals = (0..s.districts.len())
            .map(|d| counts.district(d, &s.rerun.noise, Some(&s.rerun.turnout)))
            .collect();
        let fraud_possible: Vec<usize> = (0..s.districts.len())
            .filter(|&d| fraud_probs[d] != (0.0, 0.0))
            .collect();
        let (fraud_bound, extreme_bound) = fraud_possible
            .iter()
            .map(|&d| {
                let (fi, fe) = fraud_probs[d];
                (fe + fi, fe)
            })
            .unzip();
        let clean_settled = [&s.recount_detect, &s.rerun.annul]
            .iter()
            .all(|probs| settled(probs.get(FraudClass::Clean)).is_some());
        Self {
            fraud_possible,
            fraud_bound,
            extreme_bound,
            first_attempts: CLASSES.map(|class| fraud::first_attempts(&s.fraud, class)),
            clean_settled,
            recounts_possible: s.recount_districts.iter().any(|&r| r)
                || CLASSES.iter().any(|&c| s.recount_detect.get(c) > 0.0),
            recount_settled: CLASSES.map(|c| settled(s.recount_detect.get(c)) == Some(true)),
            annul_settled: CLASSES.map(|c| settled(s.rerun.annul.get(c)) == Some(true)),
            first_round_normals,
            slots,
            region_runs: region_runs(s),
            rerun_shared_normals: counts.shared(&s.rerun.noise, Some(&s.rerun.turnout)),
            rerun_district_normals,
            parties: p_count,
            regions: s.regions.len(),
            districts: nd,
            lanes,
            bloc_of: s.parties.iter().map(|p| p.bloc).collect(),
            blocs: s.blocs.len(),
            district,
            columns,
            log_share,
            share,
            table_votes,
            marginal: marginal_for(&s.turnout.marginal),
            rerun_marginal: marginal_for(&s.rerun.turnout.marginal),
            baseline: s.baseline,
        }
    }
}
