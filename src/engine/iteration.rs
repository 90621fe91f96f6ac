//! One simulated election: MODEL.md steps 1–5, recount and rerun, for iteration i.
//!
//! Draw order within an iteration (fixed, so results are reproducible; a draw is skipped
//! when its sd or probability makes it unnecessary):
//! 1. national vote noise per party; regional vote noise per region × party;
//! 2. national turnout noise; regional turnout noise per region (intention baseline);
//! 3. per district in table order — intention: district vote noise per standing party,
//!    district turnout noise, fraud class and intensities; official: fraud class and
//!    intensities, then district vote noise — then the recount uniform and the annulment
//!    uniform when their probability is strictly between 0 and 1 and the outcome is not
//!    already decided (a listed recount district; a forced, invalid or rule-annulled one);
//! 4. if any district is annulled: rerun national, regional, turnout national and regional
//!    noise, then per annulled district its rerun district noise, turnout noise and fraud.

use super::histograms::{fingerprint_bin, Histograms, FINGERPRINT_BINS};
use super::prepared::Prepared;
use crate::model::{fraud, inversion, recount, rerun, tally, turnout, votes};
use crate::random::Draws;
use crate::scenario::{Baseline, ByClass, FraudClass, Scenario};

/// Marks a vacant seat in winner arrays.
pub const VACANT: u16 = u16::MAX;

/// Where a district's official count comes from before any recount.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Its true count (clean, intention baseline).
    True,
    /// The table (official baseline).
    Table,
    /// The true count falsified (fraud, intention baseline).
    Falsified,
}

/// Per-thread buffers, allocated once, so the hot loop never allocates.
#[derive(Debug, Clone)]
pub struct Scratch {
    nat: Vec<f64>,
    reg: Vec<f64>,
    t_reg: Vec<f64>,
    eta: Vec<f64>,
    share: Vec<f64>,
    v: Vec<f64>,
    off: Vec<f64>,
    clean_winner: Vec<u16>,
    annulled: Vec<bool>,
    base_t: Vec<f64>,
    /// No-rerun winner per district (`VACANT` if invalid).
    pub winner: Vec<u16>,
    /// Rerun-outcome winner per district.
    pub rerun_winner: Vec<u16>,
    /// `[outcome][party]` seats of the last iteration.
    pub seats: Vec<u32>,
    /// `[outcome]` vacant seats of the last iteration.
    pub vacant: [u32; 2],
    bloc_seats: Vec<u32>,
    stolen: Vec<u32>,
    /// Fingerprint counts since the last [`Scratch::flush`]: u32 halves the cache footprint
    /// of the hottest histogram, and a block cannot overflow it.
    fingerprint: Vec<u32>,
}

impl Scratch {
    /// Buffers sized for a prepared scenario.
    pub fn new(p: &Prepared) -> Self {
        let (np, nd) = (p.parties, p.districts);
        Self {
            nat: vec![0.0; np],
            reg: vec![0.0; p.regions * np],
            t_reg: vec![0.0; p.regions],
            eta: vec![0.0; nd * np],
            share: vec![0.0; np],
            v: vec![0.0; np],
            off: vec![0.0; np],
            clean_winner: vec![VACANT; nd],
            annulled: vec![false; nd],
            base_t: vec![0.0; nd],
            winner: vec![VACANT; nd],
            rerun_winner: vec![VACANT; nd],
            seats: vec![0; 2 * np],
            vacant: [0; 2],
            bloc_seats: vec![0; 2 * p.blocs],
            stolen: vec![0; np],
            fingerprint: vec![0; FINGERPRINT_BINS * FINGERPRINT_BINS],
        }
    }

    /// Move the counts kept in the scratch into `h`; call after every block of iterations.
    pub fn flush(&mut self, h: &mut Histograms) {
        for (total, c) in h.fingerprint.iter_mut().zip(self.fingerprint.iter_mut()) {
            *total += u64::from(*c);
            *c = 0;
        }
    }
}

#[inline]
fn normal<R: Draws + ?Sized>(rng: &mut R, sd: f64) -> f64 {
    if sd > 0.0 {
        sd * rng.standard_normal()
    } else {
        0.0
    }
}

/// A Bernoulli event that draws a uniform only when the outcome is uncertain.
#[inline]
fn chance<R: Draws + ?Sized>(rng: &mut R, p: f64) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        rng.uniform() < p
    }
}

fn by_class_chance<R: Draws + ?Sized>(rng: &mut R, probs: &ByClass, class: FraudClass) -> bool {
    chance(rng, probs.get(class))
}

/// National and regional noise draws. `shift[r][p]` receives `nat[p] + reg[r][p]`, the
/// part of a district's log-share noise shared by its region, so districts add only their own.
fn draw_party_noise<R: Draws + ?Sized>(
    rng: &mut R,
    national_sd: &[f64],
    regional_sd: &[f64],
    nat: &mut [f64],
    shift: &mut [f64],
) {
    for (n, &sd) in nat.iter_mut().zip(national_sd) {
        *n = normal(rng, sd);
    }
    let np = nat.len();
    for row in shift.chunks_mut(np) {
        for ((r, &sd), &n) in row.iter_mut().zip(regional_sd).zip(nat.iter()) {
            *r = n + normal(rng, sd);
        }
    }
}

/// `out[p] = base[p] + (shift[p] + district noise)` for the parties standing (`base > -inf`);
/// a party not standing stays at `-inf` and draws nothing.
#[inline]
fn perturb<R: Draws + ?Sized>(
    rng: &mut R,
    base: &[f64],
    shift: &[f64],
    district_sd: &[f64],
    out: &mut [f64],
) {
    for (((o, &b), &sh), &sd) in out.iter_mut().zip(base).zip(shift).zip(district_sd) {
        *o = if b > f64::NEG_INFINITY {
            b + (sh + normal(rng, sd))
        } else {
            f64::NEG_INFINITY
        };
    }
}

/// Run iteration with generator `rng` and add it to `h` (the fingerprint reaches `h` at the
/// next [`Scratch::flush`]).
pub fn simulate<R: Draws + ?Sized>(
    s: &Scenario,
    p: &Prepared,
    rng: &mut R,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    // The party count as a compile-time constant for common sizes: every per-party loop
    // then has a known length and unrolls (15% fewer instructions per iteration of the
    // 5-party benchmark). 0 is the general case, for any count; both give the same bits.
    match p.parties {
        2 => simulate_for::<2, R>(s, p, rng, sc, h),
        3 => simulate_for::<3, R>(s, p, rng, sc, h),
        4 => simulate_for::<4, R>(s, p, rng, sc, h),
        5 => simulate_for::<5, R>(s, p, rng, sc, h),
        6 => simulate_for::<6, R>(s, p, rng, sc, h),
        7 => simulate_for::<7, R>(s, p, rng, sc, h),
        8 => simulate_for::<8, R>(s, p, rng, sc, h),
        _ => simulate_for::<0, R>(s, p, rng, sc, h),
    }
}

/// The party count: `P` when specialised, else the scenario's.
#[inline(always)]
fn party_count<const P: usize>(p: &Prepared) -> usize {
    if P == 0 {
        p.parties
    } else {
        P
    }
}

/// [`simulate`] with `P` parties (`P = 0`: `p.parties`, whatever it is).
fn simulate_for<const P: usize, R: Draws + ?Sized>(
    s: &Scenario,
    p: &Prepared,
    rng: &mut R,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    let np = party_count::<P>(p);
    let intention = p.baseline == Baseline::Intention;
    draw_party_noise(
        rng,
        &s.noise.national,
        &s.noise.regional,
        &mut sc.nat,
        &mut sc.reg,
    );
    let mut t_nat = 0.0;
    if intention {
        t_nat = normal(rng, s.turnout.national_sd);
        for t in sc.t_reg.iter_mut() {
            *t = normal(rng, s.turnout.regional_sd);
        }
    }
    let b = s.fraud.beneficiary;
    let mut any_annulled = false;

    let district_sd = &s.noise.district[..np];
    for d in 0..p.districts {
        let dc = &p.district[d];
        let (r, n) = (dc.region, dc.electorate);
        let eta = &mut sc.eta[d * np..(d + 1) * np];
        let (share, v, off) = (&mut sc.share[..np], &mut sc.v[..np], &mut sc.off[..np]);
        let (fi, fe) = dc.fraud_probs;
        let class;
        let (x, y);
        let t_true;
        let t_off;
        let source;
        if intention {
            perturb(
                rng,
                &p.log_share[d * np..(d + 1) * np],
                &sc.reg[r * np..(r + 1) * np],
                district_sd,
                eta,
            );
            votes::softmax_into(eta, share);
            let noise = t_nat + sc.t_reg[r] + normal(rng, s.turnout.district_sd);
            t_true = turnout::turnout_from_logit(dc.turnout_centre, dc.turnout_logit, noise);
            let marginal = p.marginal.as_ref().and_then(|m| m[d].as_deref());
            turnout::votes_into(n, dc.table_turnout, t_true, share, marginal, v);
            (class, x, y) = fraud::draw(rng, &s.fraud, fi, fe);
            (source, t_off) = match (class, b) {
                // The official count is the true count: read `v`, copy nothing.
                (FraudClass::Clean, _) | (_, None) => (Source::True, t_true),
                (_, Some(_)) => (Source::Falsified, fraud::official_turnout(t_true, x)),
            };
        } else {
            t_off = dc.table_turnout;
            let s_off = &p.share[d * np..(d + 1) * np];
            let table_votes = &p.table_votes[d * np..(d + 1) * np];
            (class, x, y) = fraud::draw(rng, &s.fraud, fi, fe);
            // The true count: the table itself when clean (read in place), else recovered.
            let truth: &[f64] = match (class, b) {
                (FraudClass::Clean, _) | (_, None) => {
                    t_true = t_off;
                    table_votes
                }
                (_, Some(b)) => {
                    let rec = inversion::invert_into(n, t_off, s_off, b, x, y, v);
                    if !rec.feasible {
                        h.infeasible[d] += 1;
                    }
                    t_true = rec.turnout;
                    v
                }
            };
            source = Source::Table;
            let cast: f64 = truth.iter().sum();
            let log_share = &p.log_share[d * np..(d + 1) * np];
            for ((e, &v), &ls) in share.iter_mut().zip(truth).zip(log_share) {
                *e = if cast <= 0.0 {
                    ls
                } else if v > 0.0 && ls > f64::NEG_INFINITY {
                    (v / cast).ln()
                } else {
                    f64::NEG_INFINITY
                };
            }
            perturb(rng, share, &sc.reg[r * np..(r + 1) * np], district_sd, eta);
            sc.base_t[d] = t_true;
        }

        // Recount: undo stealing, keep stuffing. Decided before the falsified count is
        // built, so a recounted district builds only the recounted one.
        let recounted = s.recount_districts[d] || by_class_chance(rng, &s.recount_detect, class);
        if recounted {
            h.recounted[d] += 1;
        }
        let abstain = n * (1.0 - t_true);
        let official: &[f64] = match (b.filter(|_| class != FraudClass::Clean), source) {
            (Some(b), _) if recounted => {
                recount::recount_into(v, abstain, b, x, off);
                off
            }
            (Some(b), Source::Falsified) => {
                fraud::official_into(v, abstain, b, x, y, off);
                off
            }
            (_, Source::Table) => &p.table_votes[d * np..(d + 1) * np],
            _ => v,
        };

        let valid = s.min_turnout.is_none_or(|m| t_off >= m);
        // A clean district's official count is its true count: one tally serves both.
        let official_winner = tally::plurality_winner(official);
        let clean_winner = if class == FraudClass::Clean {
            official_winner
        } else {
            tally::plurality_winner(v)
        };
        sc.clean_winner[d] = clean_winner.map_or(VACANT, |w| w as u16);
        sc.winner[d] = match (valid, official_winner) {
            (true, Some(w)) => w as u16,
            _ => VACANT,
        };

        if let Some(b) = b {
            if p.share[d * np + b] > 0.0 {
                let cast: f64 = official.iter().sum();
                if cast > 0.0 {
                    let tb = fingerprint_bin(t_off);
                    let sb = fingerprint_bin(official[b] / cast);
                    sc.fingerprint[tb * FINGERPRINT_BINS + sb] += 1;
                }
            }
        }

        let annulled = s.rerun.forced[d]
            || !valid
            || rerun::rules_annul(&s.rerun.rules, t_off, official)
            || by_class_chance(rng, &s.rerun.annul, class);
        sc.annulled[d] = annulled;
        any_annulled |= annulled;
    }

    if any_annulled {
        run_reruns::<P, R>(s, p, rng, sc, h);
    } else {
        sc.rerun_winner.copy_from_slice(&sc.winner);
    }
    record(p, sc, h);
}

/// Hold a new election in every annulled district (MODEL.md "Rerun").
#[inline(never)]
fn run_reruns<const P: usize, R: Draws + ?Sized>(
    s: &Scenario,
    p: &Prepared,
    rng: &mut R,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    let np = party_count::<P>(p);
    let rr = &s.rerun;
    draw_party_noise(
        rng,
        &rr.noise.national,
        &rr.noise.regional,
        &mut sc.nat,
        &mut sc.reg,
    );
    let t_nat = normal(rng, rr.turnout.national_sd);
    for t in sc.t_reg.iter_mut() {
        *t = normal(rng, rr.turnout.regional_sd);
    }
    let b = rr.fraud.beneficiary;
    for d in 0..p.districts {
        if !sc.annulled[d] {
            sc.rerun_winner[d] = sc.winner[d];
            continue;
        }
        h.annulled[d] += 1;
        let (share, v, off) = (&mut sc.share[..np], &mut sc.v[..np], &mut sc.off[..np]);
        let dc = &p.district[d];
        let (r, n) = (dc.region, dc.electorate);
        // Start from the first round's true intention, plus fresh rerun noise.
        perturb(
            rng,
            &sc.eta[d * np..(d + 1) * np],
            &sc.reg[r * np..(r + 1) * np],
            &rr.noise.district[..np],
            off,
        );
        // `off` holds the rerun's eta until the rerun's official count needs it.
        votes::softmax_into(off, share);
        let t_start = if p.baseline == Baseline::Intention {
            dc.table_turnout
        } else {
            sc.base_t[d]
        };
        let centre = turnout::shifted(t_start, rr.turnout.shift_pp);
        let t_r = turnout::turnout(
            centre,
            t_nat + sc.t_reg[r] + normal(rng, rr.turnout.district_sd),
        );
        let marginal = p.rerun_marginal.as_ref().and_then(|m| m[d].as_deref());
        turnout::votes_into(n, t_start, t_r, share, marginal, v);
        rerun::apply_boycott(v, &rr.boycott[..np]);
        let cast: f64 = v.iter().sum();
        let t_eff = (cast / n).min(1.0);
        let abstain = (n - cast).max(0.0);
        let (fi, fe) = dc.rerun_fraud_probs;
        let (class, x, y) = fraud::draw(rng, &rr.fraud, fi, fe);
        let (t_off, official): (f64, &[f64]) = match (class, b) {
            (FraudClass::Clean, _) | (_, None) => (t_eff, v),
            (_, Some(b)) => {
                fraud::official_into(v, abstain, b, x, y, off);
                (fraud::official_turnout(t_eff, x), off)
            }
        };
        let valid = s.min_turnout.is_none_or(|m| t_off >= m);
        sc.rerun_winner[d] = match (valid, tally::plurality_winner(official)) {
            (true, Some(w)) => w as u16,
            _ => VACANT,
        };
    }
}

/// Add the iteration's seats to the histograms.
#[inline(never)]
fn record(p: &Prepared, sc: &mut Scratch, h: &mut Histograms) {
    let (np, nd) = (p.parties, p.districts);
    sc.seats.iter_mut().for_each(|x| *x = 0);
    sc.bloc_seats.iter_mut().for_each(|x| *x = 0);
    sc.stolen.iter_mut().for_each(|x| *x = 0);
    sc.vacant = [0, 0];
    for d in 0..nd {
        for (o, w) in [(0usize, sc.winner[d]), (1, sc.rerun_winner[d])] {
            if w == VACANT {
                sc.vacant[o] += 1;
            } else {
                let w = w as usize;
                sc.seats[o * np + w] += 1;
                h.district_wins[(o * nd + d) * np + w] += 1;
            }
        }
        let w = sc.winner[d];
        if w != VACANT && w != sc.clean_winner[d] {
            sc.stolen[w as usize] += 1;
        }
    }
    let n1 = nd + 1;
    let w = 2 * nd + 1;
    for o in 0..2 {
        for q in 0..np {
            let seats = sc.seats[o * np + q];
            h.party_seats[(o * np + q) * n1 + seats as usize] += 1;
            sc.bloc_seats[o * p.blocs + p.bloc_of[q]] += seats;
        }
        for bl in 0..p.blocs {
            h.bloc_seats[(o * p.blocs + bl) * n1 + sc.bloc_seats[o * p.blocs + bl] as usize] += 1;
        }
        h.vacant[o * n1 + sc.vacant[o] as usize] += 1;
    }
    let mut total_stolen = 0;
    for q in 0..np {
        let change = sc.seats[np + q] as i64 - sc.seats[q] as i64;
        h.party_effect[q * w + (change + nd as i64) as usize] += 1;
        h.stolen[q * n1 + sc.stolen[q] as usize] += 1;
        total_stolen += sc.stolen[q];
    }
    h.stolen[np * n1 + total_stolen as usize] += 1;
    for bl in 0..p.blocs {
        let change = sc.bloc_seats[p.blocs + bl] as i64 - sc.bloc_seats[bl] as i64;
        h.bloc_effect[bl * w + (change + nd as i64) as usize] += 1;
    }
    h.iterations += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::iteration_rng;
    use std::path::Path;

    /// The unrolled code for a fixed party count and the general code give identical
    /// counts, on the 5-party benchmark (intention baseline) and the 7-party official table.
    #[test]
    fn specialised_and_general_paths_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "benches/data/perf-125x5.toml",
            "scenarios/azerbaijan-2005-official.toml",
        ] {
            let s = Scenario::load(&root.join(file), &[]).unwrap();
            let p = Prepared::new(&s);
            assert!(
                (2..=8).contains(&p.parties),
                "{file} takes a specialised path"
            );
            let mut counts = Vec::new();
            for general in [false, true] {
                let mut sc = Scratch::new(&p);
                let mut h = Histograms::new(p.parties, p.blocs, p.districts);
                for i in 0..300 {
                    let mut rng = iteration_rng(9, i);
                    if general {
                        simulate_for::<0, _>(&s, &p, &mut rng, &mut sc, &mut h);
                    } else {
                        simulate(&s, &p, &mut rng, &mut sc, &mut h);
                    }
                }
                sc.flush(&mut h);
                counts.push(h);
            }
            assert!(counts[0] == counts[1], "{file}: paths differ");
            assert!(
                counts[0].annulled.iter().sum::<u64>() > 0,
                "{file}: reruns exercised"
            );
        }
    }

    /// Speed work must not change results: the counts of 2,000 iterations (seed 1) of the
    /// benchmark scenario (intention baseline) and of the official Azerbaijan table, as
    /// SHA-256 of their JSON. The values were checked against the partial files written by
    /// the build before the engine's speed work (commit ba85d35): identical. A change that
    /// alters the random sequence or the arithmetic must update them and say so.
    #[test]
    fn results_are_unchanged_by_speed_work() {
        use sha2::{Digest, Sha256};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (file, expected) in [
            (
                "benches/data/perf-125x5.toml",
                "fe06001558707aa65718d9a5dda9983f42deb848dbf0497f7dc765a8c88f6771",
            ),
            (
                "scenarios/azerbaijan-2005-official.toml",
                "661158488983471a7a3d7b400fed67a3645787441bc2ce9e4da4224ace226edb",
            ),
        ] {
            let s = Scenario::load(&root.join(file), &[]).unwrap();
            let spec = crate::engine::RunSpec {
                seed: 1,
                start: 0,
                end: 2000,
                threads: 1,
            };
            let h = crate::engine::run(&s, &spec, crate::engine::Hooks::default()).unwrap();
            let digest = Sha256::digest(serde_json::to_vec(&h).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, expected, "{file}");
        }
    }
}
