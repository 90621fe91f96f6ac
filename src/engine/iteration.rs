//! One simulated election: MODEL.md steps 1–5, recount and rerun, for iteration i.
//!
//! The first round is made in two passes: every draw, district by district, then the
//! arithmetic for all districts at once in [`super::first_round`], where it vectorises.
//!
//! Draw order within an iteration (fixed, so results are reproducible; a draw is skipped
//! when its sd or probability makes it unnecessary):
//! 1. one batch of standard normals ([`Stream::fill_standard_normals`]) for all of the
//!    first round's noise, used in this order: national vote noise per party; regional
//!    vote noise per region × party; (intention baseline) national turnout noise and
//!    regional turnout noise per region; then the districts' own noise: with an intention
//!    baseline column by column (per party, in table order, every district where it stands;
//!    then every district's turnout noise; [`super::prepared::NoiseSlots`]), with an
//!    official baseline per district in table order its vote noise per standing party.
//!    The count is fixed by the scenario ([`Prepared::first_round_normals`]), whatever the
//!    fraud draws;
//! 2. from the stream after the batch: one batch of uniforms, the fraud class of each
//!    district where fraud is possible (f_i + f_e > 0), in table order; one batch of
//!    normals, the first attempt of every truncated-normal intensity of the fraud districts
//!    in table order (stuffing, then stealing; [`fraud::first_attempts`]); then per district
//!    in table order its fraud intensities' redraws if any (the official baseline
//!    recovers the true count here), the recount uniform (when its probability for the
//!    district's class is strictly between 0 and 1 and the district is not listed for
//!    recount) and the annulment uniform (likewise, unless the district is listed in
//!    `rerun.districts`);
//! 3. if any district is annulled: one batch of normals for the rerun's national, regional,
//!    turnout national and regional noise, then per annulled district its vote and turnout
//!    noise; then, per annulled district in order, its rerun fraud from the stream.
//!
//! So the vote and turnout noise of iteration i does not depend on the fraud settings:
//! sweep points that vary fraud share it exactly (common random numbers).

use super::eta;
use super::first_round::{self, party_count};
use super::histograms::{Histograms, FINGERPRINT_BINS};
use super::prepared::{centre_and_logit, Prepared};
use super::rerun_round::{self, RerunColumns};
use crate::model::{fraud, inversion, recount};
use crate::random::{Draws, Stream};
use crate::scenario::{Baseline, ByClass, FraudClass, Scenario};
use crate::simd::avx2_dispatch;

/// Marks a vacant seat in winner arrays.
pub const VACANT: u16 = u16::MAX;

/// The slot after the fingerprint's bins, where districts left out of it are counted
/// (so the count needs no branch) and never read.
pub(super) const FINGERPRINT_DISCARD: u32 = (FINGERPRINT_BINS * FINGERPRINT_BINS) as u32;

/// Per-thread buffers, allocated once, so the hot loop never allocates. Quantities of the
/// first round are columns: `[party * lanes + district]`, or `[district]`, each
/// [`Prepared::lanes`] long; the lanes after the last district are padding that the vector
/// stages compute on and nothing reads (their winners are `VACANT`).
#[derive(Debug, Clone)]
pub struct Scratch {
    nat: Vec<f64>,
    reg: Vec<f64>,
    t_reg: Vec<f64>,
    /// First-round eta. Official baseline: only its noise part, `shift + district noise`
    /// (`-inf` where the party gets no votes); the recovered base is added when the
    /// district is re-run, the one place eta is read, which saves a logarithm elsewhere.
    pub(super) eta: Vec<f64>,
    /// True votes V.
    pub(super) votes: Vec<f64>,
    /// Official votes, after any recount.
    pub(super) official: Vec<f64>,
    /// Turnout noise on the logit scale (intention baseline).
    pub(super) t_noise: Vec<f64>,
    /// True turnout T.
    pub(super) t_true: Vec<f64>,
    /// Official turnout T'.
    pub(super) t_off: Vec<f64>,
    /// Stuffing x applied (0 where there is no fraud).
    pub(super) stuffing: Vec<f64>,
    /// Stealing y applied (0 where there is no fraud or a recount undid it).
    pub(super) stealing: Vec<f64>,
    /// Annulled whatever the count: listed in `rerun.districts`, or by fraud class.
    pub(super) annul_drawn: Vec<bool>,
    /// Working columns of the vector stage.
    pub(super) max: Vec<f64>,
    pub(super) total: Vec<f64>,
    /// One district's eta, shares, votes and official votes, for the per-district steps.
    d_eta: Vec<f64>,
    pub(super) d_share: Vec<f64>,
    pub(super) d_votes: Vec<f64>,
    pub(super) d_off: Vec<f64>,
    pub(super) clean_winner: Vec<u16>,
    pub(super) annulled: Vec<bool>,
    /// No-rerun winner per district (`VACANT` if invalid, and in the padding lanes).
    pub winner: Vec<u16>,
    /// Rerun-outcome winner per district (likewise).
    pub rerun_winner: Vec<u16>,
    /// `[outcome][party]` seats of the last iteration.
    pub seats: Vec<u32>,
    /// `[outcome]` vacant seats of the last iteration.
    pub vacant: [u32; 2],
    bloc_seats: Vec<u32>,
    stolen: Vec<u32>,
    /// District wins since the last [`Scratch::flush`], `[(outcome * P + party) * lanes +
    /// district]`: counted in vector passes, one per party, instead of one scattered
    /// addition per district into the histograms.
    wins: Vec<u32>,
    /// Fingerprint counts since the last [`Scratch::flush`]: u32 halves the cache footprint
    /// of the hottest histogram, and a block cannot overflow it. One slot more:
    /// [`FINGERPRINT_DISCARD`].
    pub(super) fingerprint: Vec<u32>,
    /// Each district's fingerprint bin this iteration.
    pub(super) bins: Vec<u32>,
    /// Room for a batch of standard normals: the first round's, or a rerun's.
    normals: Vec<f64>,
    /// First-round fraud class per district, and the uniforms it comes from.
    class: Vec<FraudClass>,
    class_uniforms: Vec<f64>,
    /// A list of districts, in order: those with fraud draws to make (intensities,
    /// recount, annulment), then, once the first round is done, those annulled.
    busy: Vec<u32>,
    /// Recounted this iteration.
    recounted: Vec<bool>,
    /// The first attempts of the first round's fraud intensities, in one batch.
    intensity_normals: Vec<f64>,
    /// The reruns' columns.
    rerun: RerunColumns,
}

impl Scratch {
    /// Buffers sized for a prepared scenario.
    pub fn new(p: &Prepared) -> Self {
        let (np, nd, lanes) = (p.parties, p.districts, p.lanes);
        // Columns the vector stages run over are `lanes` long (see `Prepared::lanes`).
        let column = vec![0.0; lanes];
        let table = vec![0.0; np * lanes];
        let party = vec![0.0; np];
        Self {
            nat: party.clone(),
            reg: vec![0.0; p.regions * np],
            t_reg: vec![0.0; p.regions],
            eta: table.clone(),
            votes: table.clone(),
            official: table,
            t_noise: column.clone(),
            t_true: column.clone(),
            t_off: column.clone(),
            stuffing: column.clone(),
            stealing: column.clone(),
            annul_drawn: vec![false; nd],
            max: column.clone(),
            total: column,
            d_eta: party.clone(),
            d_share: party.clone(),
            d_votes: party.clone(),
            d_off: party,
            clean_winner: vec![VACANT; lanes],
            annulled: vec![false; nd],
            winner: vec![VACANT; lanes],
            rerun_winner: vec![VACANT; lanes],
            seats: vec![0; 2 * np],
            vacant: [0; 2],
            bloc_seats: vec![0; 2 * p.blocs],
            stolen: vec![0; np],
            wins: vec![0; 2 * np * lanes],
            fingerprint: vec![0; FINGERPRINT_BINS * FINGERPRINT_BINS + 1],
            bins: vec![0; lanes],
            class: vec![FraudClass::Clean; nd],
            class_uniforms: vec![0.0; p.fraud_possible.len()],
            busy: vec![0; nd],
            recounted: vec![false; nd],
            intensity_normals: vec![0.0; 2 * nd],
            rerun: RerunColumns::new(p),
            normals: vec![
                0.0;
                1 + p.first_round_normals.max(
                    p.rerun_shared_normals + p.rerun_district_normals.iter().sum::<usize>()
                )
            ],
        }
    }

    /// Move the counts kept in the scratch into `h`; call after every block of iterations.
    pub fn flush(&mut self, h: &mut Histograms) {
        // `zip` stops before the discard slot, which is only reset.
        for (total, c) in h.fingerprint.iter_mut().zip(self.fingerprint.iter_mut()) {
            *total += u64::from(*c);
            *c = 0;
        }
        self.fingerprint[FINGERPRINT_DISCARD as usize] = 0;
        // One `stolen` count per party, one winner per lane; the histograms count districts.
        let (np, nd, lanes) = (self.stolen.len(), h.districts, self.winner.len());
        for (k, wins) in self.wins.chunks_exact_mut(lanes).enumerate() {
            let (o, q) = (k / np, k % np);
            for (d, w) in wins[..nd].iter_mut().enumerate() {
                h.district_wins[(o * nd + d) * np + q] += u64::from(*w);
                *w = 0;
            }
        }
    }
}

/// A batch of standard normals drawn at once by [`Stream::fill_standard_normals`],
/// handed out in order. Like a draw from the stream, a noise term with sd 0 takes none.
struct Normals<'a> {
    z: &'a [f64],
    next: usize,
}

impl<'a> Normals<'a> {
    fn new(z: &'a [f64]) -> Self {
        Self { z, next: 0 }
    }

    /// The next normal times `sd`; 0 without taking one when `sd` is 0.
    #[inline(always)]
    fn scaled(&mut self, sd: f64) -> f64 {
        if sd > 0.0 {
            let v = sd * self.z[self.next];
            self.next += 1;
            v
        } else {
            0.0
        }
    }

    /// The next `n` normals, unscaled.
    #[inline(always)]
    fn take(&mut self, n: usize) -> &'a [f64] {
        let z = &self.z[self.next..self.next + n];
        self.next += n;
        z
    }

    /// Every normal of the batch was used: the counts in [`Prepared`] match the draws.
    fn finish(self) {
        debug_assert_eq!(self.next, self.z.len(), "normals drawn and used differ");
    }
}

/// The outcome of a Bernoulli event with probability `p` when no draw is needed (`p` at
/// most 0 or at least 1); `None` when it is uncertain.
#[inline]
pub(super) fn settled(p: f64) -> Option<bool> {
    if p <= 0.0 {
        Some(false)
    } else if p >= 1.0 {
        Some(true)
    } else {
        None
    }
}

/// A Bernoulli event that draws a uniform only when the outcome is uncertain.
#[inline]
fn chance<R: Draws + ?Sized>(rng: &mut R, p: f64) -> bool {
    settled(p).unwrap_or_else(|| rng.uniform() < p)
}

fn by_class_chance<R: Draws + ?Sized>(rng: &mut R, probs: &ByClass, class: FraudClass) -> bool {
    chance(rng, probs.get(class))
}

/// National and regional noise. `shift[r][p]` receives `nat[p] + reg[r][p]`, the part of a
/// district's log-share noise shared by its region, so districts add only their own.
fn draw_party_noise(
    z: &mut Normals,
    national_sd: &[f64],
    regional_sd: &[f64],
    nat: &mut [f64],
    shift: &mut [f64],
) {
    for (n, &sd) in nat.iter_mut().zip(national_sd) {
        *n = z.scaled(sd);
    }
    let np = nat.len();
    let regional_sd = &regional_sd[..np];
    if regional_sd.iter().all(|&sd| sd > 0.0) {
        // Every term takes a normal (a first round's usual case): no branch per term.
        let draws = z.take(shift.len());
        for (row, draws) in shift.chunks_exact_mut(np).zip(draws.chunks_exact(np)) {
            for (((r, &sd), &n), &z) in row.iter_mut().zip(regional_sd).zip(nat.iter()).zip(draws) {
                *r = n + sd * z;
            }
        }
    } else if regional_sd.iter().all(|&sd| sd == 0.0) {
        // No term takes a normal (a rerun's usual case): `scaled` would give 0 for each.
        for row in shift.chunks_exact_mut(np) {
            for (r, &n) in row.iter_mut().zip(nat.iter()) {
                *r = n + 0.0;
            }
        }
    } else {
        for row in shift.chunks_mut(np) {
            for ((r, &sd), &n) in row.iter_mut().zip(regional_sd).zip(nat.iter()) {
                *r = n + z.scaled(sd);
            }
        }
    }
}

/// `out(p, base[p] + (shift[p] + district noise))`. Every party standing (`log_share >
/// -inf`) takes its noise; one whose `base` is `-inf` (not standing, or given no votes by
/// the recovered count) gets `-inf`.
#[inline(always)]
fn perturb(
    z: &mut Normals,
    log_share: &[f64],
    base: &[f64],
    shift: &[f64],
    district_sd: &[f64],
    mut out: impl FnMut(usize, f64),
) {
    for (q, (((&ls, &b), &sh), &sd)) in log_share
        .iter()
        .zip(base)
        .zip(shift)
        .zip(district_sd)
        .enumerate()
    {
        let noise = if ls > f64::NEG_INFINITY {
            z.scaled(sd)
        } else {
            0.0
        };
        out(
            q,
            if b > f64::NEG_INFINITY {
                b + (sh + noise)
            } else {
                f64::NEG_INFINITY
            },
        );
    }
}

/// Run iteration with generator `rng` and add it to `h` (the fingerprint and district wins
/// reach `h` at the next [`Scratch::flush`]).
pub fn simulate(
    s: &Scenario,
    p: &Prepared,
    rng: &mut Stream,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    // The party count as a compile-time constant for common sizes: every per-party loop
    // then has a known length and unrolls. 0 is the general case, for any count; both
    // give the same bits.
    match p.parties {
        2 => simulate_for::<2>(s, p, rng, sc, h),
        3 => simulate_for::<3>(s, p, rng, sc, h),
        4 => simulate_for::<4>(s, p, rng, sc, h),
        5 => simulate_for::<5>(s, p, rng, sc, h),
        6 => simulate_for::<6>(s, p, rng, sc, h),
        7 => simulate_for::<7>(s, p, rng, sc, h),
        8 => simulate_for::<8>(s, p, rng, sc, h),
        _ => simulate_for::<0>(s, p, rng, sc, h),
    }
}

/// [`simulate`] with `P` parties (`P = 0`: `p.parties`, whatever it is).
fn simulate_for<const P: usize>(
    s: &Scenario,
    p: &Prepared,
    rng: &mut Stream,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    // Taken out of the scratch (no allocation) so the rest of it can be written meanwhile.
    let mut batch = std::mem::take(&mut sc.normals);
    let len = p.first_round_normals;
    rng.fill_standard_normals(&mut batch[..len]);
    // Where `NoiseSlots` points for a term with no draw.
    batch[len] = 0.0;
    let first = &batch[..=len];
    let mut z = Normals::new(match p.baseline {
        Baseline::Intention => &first[..p.slots.shared],
        Baseline::Official => &first[..len],
    });
    draw_party_noise(
        &mut z,
        &s.noise.national,
        &s.noise.regional,
        &mut sc.nat,
        &mut sc.reg,
    );
    match p.baseline {
        Baseline::Intention => draw_intention::<P>(s, p, &mut z, first, rng, sc, h),
        Baseline::Official => draw_official::<P>(s, p, &mut z, rng, sc, h),
    }
    z.finish();
    let any_annulled = first_round::finish::<P>(s, p, sc);
    // Districts not annulled keep their winner.
    sc.rerun_winner.copy_from_slice(&sc.winner);
    if any_annulled {
        run_reruns::<P>(s, p, rng, &mut batch, sc, h);
    }
    sc.normals = batch;
    record(p, sc, h);
}

/// The first round's draws with an intention baseline: eta and turnout noise from the
/// batch, then fraud, recount and annulment from the stream.
fn draw_intention<const P: usize>(
    s: &Scenario,
    p: &Prepared,
    z: &mut Normals,
    batch: &[f64],
    rng: &mut Stream,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    let (np, nd, lanes) = (party_count::<P>(p), p.districts, p.lanes);
    let t_nat = z.scaled(s.turnout.national_sd);
    for t in sc.t_reg.iter_mut() {
        *t = z.scaled(s.turnout.regional_sd);
    }
    // District noise, column by column (see `perturb` for the rule).
    eta::fill(
        p,
        &s.noise.district[..np],
        &sc.reg,
        batch,
        &mut sc.eta[..np * lanes],
    );
    eta::turnout_noise(
        p,
        s.turnout.district_sd,
        t_nat,
        &sc.t_reg,
        batch,
        &mut sc.t_noise[..nd],
    );
    draw_classes(p, rng, sc);
    // What needs no draw: a forced recount or annulment, or a settled probability for the
    // district's class (`Prepared::recount_settled`, `annul_settled`). Then the districts
    // with draws left, listed without a branch per district.
    let classes = &sc.class[..nd];
    settle(
        &mut sc.recounted[..nd],
        classes,
        &s.recount_districts,
        p.recount_settled,
    );
    settle(
        &mut sc.annul_drawn[..nd],
        classes,
        &s.rerun.forced,
        p.annul_settled,
    );
    let list = &mut sc.busy[..nd];
    let busy = if p.clean_settled {
        let mut busy = 0;
        for (d, &class) in classes.iter().enumerate() {
            list[busy] = d as u32;
            busy += usize::from(class != FraudClass::Clean);
        }
        busy
    } else {
        for (d, at) in list.iter_mut().enumerate() {
            *at = d as u32;
        }
        nd
    };
    sc.stuffing[..nd].fill(0.0);
    sc.stealing[..nd].fill(0.0);
    draw_first_attempts(p, rng, sc);
    let firsts = p.first_attempts;
    let applies = s.fraud.beneficiary.is_some();
    let mut next = 0;
    for k in 0..busy {
        let d = sc.busy[k] as usize;
        let class = sc.class[d];
        let batch = &sc.intensity_normals[next..next + firsts[class as usize]];
        next += batch.len();
        let (x, y) = fraud::draw_intensity_from(batch, rng, &s.fraud, class);
        let recounted =
            draw_recount_and_annulment(s, rng, &mut sc.recounted, &mut sc.annul_drawn, d, class);
        if applies && class != FraudClass::Clean {
            sc.stuffing[d] = x;
            sc.stealing[d] = if recounted { 0.0 } else { y };
        }
    }
    count_recounts(p, sc, h, nd);
}

/// `out[d] = listed[d] | settled[class[d]]`: an event forced for the district, or certain
/// for its class. The table is looked up by comparisons, so the loop runs on vectors of
/// districts.
#[inline(always)]
fn settle(out: &mut [bool], class: &[FraudClass], listed: &[bool], settled: [bool; 3]) {
    for ((o, &class), &listed) in out.iter_mut().zip(class).zip(listed) {
        let is = |other: FraudClass| class as u8 == other as u8;
        let certain = (settled[0] & is(FraudClass::Clean))
            | (settled[1] & is(FraudClass::Incremental))
            | (settled[2] & is(FraudClass::Extreme));
        *o = listed | certain;
    }
}

/// The first attempt of every first-round fraud intensity, in one batch of normals, in
/// table order (stuffing, then stealing).
fn draw_first_attempts(p: &Prepared, rng: &mut Stream, sc: &mut Scratch) {
    let wanted = sc.class[..p.districts]
        .iter()
        .map(|&class| p.first_attempts[class as usize])
        .sum();
    rng.fill_standard_normals(&mut sc.intensity_normals[..wanted]);
}

avx2_dispatch! {
    /// The first-round fraud class of every district: one batch of uniforms, one per
    /// district where fraud is possible, in table order. With AVX2 the uniforms'
    /// conversion and the class comparisons go four districts at a time.
    fn draw_classes(p: &Prepared, rng: &mut Stream, sc: &mut Scratch) => draw_classes_inline;
}

#[inline(always)]
fn draw_classes_inline(p: &Prepared, rng: &mut Stream, sc: &mut Scratch) {
    rng.fill_uniforms(&mut sc.class_uniforms);
    let bounds = sc
        .class_uniforms
        .iter()
        .zip(&p.fraud_bound)
        .zip(&p.extreme_bound);
    if p.fraud_everywhere() {
        // District k is the k-th: a vector pass with no scattered stores.
        for (c, ((&u, &fraud), &extreme)) in sc.class.iter_mut().zip(bounds) {
            *c = fraud::class_from_bounds(u, fraud, extreme);
        }
    } else {
        sc.class.fill(FraudClass::Clean);
        for (&d, ((&u, &fraud), &extreme)) in p.fraud_possible.iter().zip(bounds) {
            sc.class[d] = fraud::class_from_bounds(u, fraud, extreme);
        }
    }
}

/// Add this iteration's recounts to `h` (nothing to add when no district can be).
fn count_recounts(p: &Prepared, sc: &Scratch, h: &mut Histograms, nd: usize) {
    if !p.recounts_possible {
        return;
    }
    for (count, &recounted) in h.recounted.iter_mut().zip(&sc.recounted[..nd]) {
        *count += u64::from(recounted);
    }
}

/// The first round with an official baseline, district by district: fraud draws, the
/// recovered true count (the inversion), district vote noise, and the official count
/// (the table, or its recount).
fn draw_official<const P: usize>(
    s: &Scenario,
    p: &Prepared,
    z: &mut Normals,
    rng: &mut Stream,
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    let (np, nd, lanes) = (party_count::<P>(p), p.districts, p.lanes);
    let b = s.fraud.beneficiary;
    let district_sd = &s.noise.district[..np];
    draw_classes(p, rng, sc);
    draw_first_attempts(p, rng, sc);
    let firsts = p.first_attempts;
    let mut next = 0;
    for d in 0..nd {
        let dc = &p.district[d];
        let (r, n) = (dc.region, p.columns.electorate[d]);
        let t_off = p.columns.table_turnout[d];
        let row = d * np..(d + 1) * np;
        let table = &p.table_votes[row.clone()];
        let class = sc.class[d];
        let batch = &sc.intensity_normals[next..next + firsts[class as usize]];
        next += batch.len();
        let (x, y) = fraud::draw_intensity_from(batch, rng, &s.fraud, class);
        // The true count: the table itself when clean, else recovered.
        let (truth, t_true): (&[f64], f64) = match (class, b) {
            (FraudClass::Clean, _) | (_, None) => (table, t_off),
            (_, Some(b)) => {
                let rec = inversion::invert_into(
                    n,
                    t_off,
                    &p.share[row.clone()],
                    b,
                    x,
                    y,
                    &mut sc.d_votes,
                );
                if !rec.feasible {
                    h.infeasible[d] += 1;
                }
                (&sc.d_votes, rec.turnout)
            }
        };
        // District noise for every party standing, used where the true count gives it
        // votes; see `Scratch::eta`.
        let cast: f64 = truth.iter().sum();
        let log_share = &p.log_share[row];
        let shift = &sc.reg[r * np..(r + 1) * np];
        for q in 0..np {
            let stands = log_share[q] > f64::NEG_INFINITY;
            let noise = if stands {
                z.scaled(district_sd[q])
            } else {
                0.0
            };
            let gets_votes = stands && (cast <= 0.0 || truth[q] > 0.0);
            sc.eta[q * lanes + d] = if gets_votes {
                shift[q] + noise
            } else {
                f64::NEG_INFINITY
            };
            sc.votes[q * lanes + d] = truth[q];
        }
        sc.t_true[d] = t_true;
        sc.t_off[d] = t_off;

        let recounted =
            draw_recount_and_annulment(s, rng, &mut sc.recounted, &mut sc.annul_drawn, d, class);
        let official = match b {
            // Recount: undo stealing, keep stuffing.
            Some(b) if recounted && class != FraudClass::Clean => {
                recount::recount_into(truth, n * (1.0 - t_true), b, x, &mut sc.d_off);
                &sc.d_off
            }
            _ => table,
        };
        for (q, &v) in official.iter().enumerate() {
            sc.official[q * lanes + d] = v;
        }
    }
    count_recounts(p, sc, h, nd);
}

/// District `d`'s recount and by-class annulment draws; true if it is recounted.
#[inline(always)]
fn draw_recount_and_annulment(
    s: &Scenario,
    rng: &mut Stream,
    recounted_out: &mut [bool],
    annul_drawn: &mut [bool],
    d: usize,
    class: FraudClass,
) -> bool {
    let recounted = s.recount_districts[d] || by_class_chance(rng, &s.recount_detect, class);
    recounted_out[d] = recounted;
    annul_drawn[d] = s.rerun.forced[d] || by_class_chance(rng, &s.rerun.annul, class);
    recounted
}

/// District `d`'s first-round eta in `out`, from the scratch's `eta` and `votes`. With an
/// official baseline this is where the recovered log shares are added to the noise drawn
/// in the first round.
fn first_round_eta(p: &Prepared, eta: &[f64], votes: &[f64], out: &mut [f64], np: usize, d: usize) {
    let lanes = p.lanes;
    match p.baseline {
        Baseline::Intention => {
            for (q, e) in out[..np].iter_mut().enumerate() {
                *e = eta[q * lanes + d];
            }
        }
        Baseline::Official => {
            let truth = |q: usize| votes[q * lanes + d];
            let cast: f64 = (0..np).map(truth).sum();
            let log_share = &p.log_share[d * np..(d + 1) * np];
            for (q, e) in out[..np].iter_mut().enumerate() {
                let noise = eta[q * lanes + d];
                *e = if noise == f64::NEG_INFINITY {
                    noise
                } else if cast <= 0.0 {
                    log_share[q] + noise
                } else {
                    (truth(q) / cast).ln() + noise
                };
            }
        }
    }
}

/// Hold a new election in every annulled district (MODEL.md "Rerun"), over the no-rerun
/// winners already in `sc.rerun_winner`. Its noise comes in one batch (`batch` is room for
/// it), its fraud from the stream.
#[inline(never)]
fn run_reruns<const P: usize>(
    s: &Scenario,
    p: &Prepared,
    rng: &mut Stream,
    batch: &mut [f64],
    sc: &mut Scratch,
    h: &mut Histograms,
) {
    let (np, nd, lanes) = (party_count::<P>(p), p.districts, p.lanes);
    let rr = &s.rerun;
    // The annulled districts (about a tenth) hold a new election: listed from a bit mask per
    // 64 districts, one step per annulled district rather than a pass over all of them.
    let (mut annulled, mut wanted) = (0, p.rerun_shared_normals);
    let list = &mut sc.busy[..nd];
    for (block, flags) in sc.annulled[..nd].chunks(64).enumerate() {
        let mut bits = flags
            .iter()
            .enumerate()
            .fold(0u64, |bits, (i, &a)| bits | (u64::from(a) << i));
        while bits != 0 {
            let d = block * 64 + bits.trailing_zeros() as usize;
            list[annulled] = d as u32;
            annulled += 1;
            wanted += p.rerun_district_normals[d];
            bits &= bits - 1;
        }
    }
    let batch = &mut batch[..wanted];
    rng.fill_standard_normals(batch);
    let mut z = Normals::new(batch);
    draw_party_noise(
        &mut z,
        &rr.noise.national,
        &rr.noise.regional,
        &mut sc.nat,
        &mut sc.reg,
    );
    let t_nat = z.scaled(rr.turnout.national_sd);
    for t in sc.t_reg.iter_mut() {
        *t = z.scaled(rr.turnout.regional_sd);
    }
    // Per annulled district in order: its eta and turnout noise, from the batch.
    let c = &mut sc.rerun;
    for k in 0..annulled {
        let d = sc.busy[k] as usize;
        h.annulled[d] += 1;
        first_round_eta(p, &sc.eta, &sc.votes, &mut sc.d_eta, np, d);
        let r = p.district[d].region;
        // Start from the first round's true intention, plus fresh rerun noise.
        let eta = &mut c.votes;
        perturb(
            &mut z,
            &p.log_share[d * np..(d + 1) * np],
            &sc.d_eta[..np],
            &sc.reg[r * np..(r + 1) * np],
            &rr.noise.district[..np],
            |q, e| eta[q * lanes + k] = e,
        );
        let (t_start, (centre, logit)) = match p.baseline {
            Baseline::Intention => (
                p.columns.table_turnout[d],
                p.district[d].rerun_turnout_centre,
            ),
            Baseline::Official => (
                sc.t_true[d],
                centre_and_logit(sc.t_true[d], rr.turnout.shift_pp),
            ),
        };
        c.electorate[k] = p.columns.electorate[d];
        c.t_start[k] = t_start;
        c.centre[k] = centre;
        c.logit[k] = logit;
        c.noise[k] = t_nat + sc.t_reg[r] + z.scaled(rr.turnout.district_sd);
    }
    z.finish();
    let annulled = &sc.busy[..annulled];
    rerun_round::votes::<P>(s, p, c, annulled);
    // Their fraud, from the stream, in order.
    let applies = rr.fraud.beneficiary.is_some();
    for (k, &d) in annulled.iter().enumerate() {
        let (fi, fe) = p.district[d as usize].rerun_fraud_probs;
        let (class, x, y) = fraud::draw(rng, &rr.fraud, fi, fe);
        let fraud = applies && class != FraudClass::Clean;
        c.stuffing[k] = if fraud { x } else { 0.0 };
        c.stealing[k] = if fraud { y } else { 0.0 };
    }
    rerun_round::winners::<P>(s, p, c, annulled.len());
    for (&d, &w) in annulled.iter().zip(&c.winner) {
        sc.rerun_winner[d as usize] = w;
    }
}

/// How many of `winners` are `who`.
#[inline(always)]
fn count_equal(winners: &[u16], who: u16) -> u32 {
    winners.iter().map(|&w| u32::from(w == who)).sum()
}

avx2_dispatch! {
    /// Add the iteration's seats to the histograms (district wins to the scratch's counts);
    /// with AVX2, sixteen districts per comparison.
    #[inline(never)]
    fn record(p: &Prepared, sc: &mut Scratch, h: &mut Histograms) => record_inline;
}

#[inline(always)]
fn record_inline(p: &Prepared, sc: &mut Scratch, h: &mut Histograms) {
    let (np, nd, lanes) = (p.parties, p.districts, p.lanes);
    // Over every lane: the padding's winners are `VACANT`, which no party's count takes.
    for (o, winners) in [&sc.winner[..lanes], &sc.rerun_winner[..lanes]]
        .into_iter()
        .enumerate()
    {
        // Party by party in vector passes, not by adding 1 to a party's count per district:
        // those additions form one chain through memory when a party wins most districts.
        for (q, seats) in sc.seats[o * np..(o + 1) * np].iter_mut().enumerate() {
            let wins = &mut sc.wins[(o * np + q) * lanes..][..lanes];
            let mut won = 0;
            for (count, &w) in wins.iter_mut().zip(winners) {
                let here = u32::from(w == q as u16);
                *count += here;
                won += here;
            }
            *seats = won;
        }
        // Every winner is a party or `VACANT`, so the rest of the districts are vacant.
        let won: u32 = sc.seats[o * np..(o + 1) * np].iter().sum();
        sc.vacant[o] = nd as u32 - won;
        debug_assert_eq!(sc.vacant[o], count_equal(&winners[..nd], VACANT));
        debug_assert_eq!(count_equal(&winners[nd..], VACANT) as usize, lanes - nd);
    }
    // Seats whose official winner is not the clean count's (never a vacant one).
    for (q, stolen) in sc.stolen.iter_mut().enumerate() {
        let q = q as u16;
        *stolen = sc.winner[..lanes]
            .iter()
            .zip(&sc.clean_winner[..lanes])
            .map(|(&w, &c)| u32::from((w == q) & (c != q)))
            .sum();
    }
    sc.bloc_seats.iter_mut().for_each(|x| *x = 0);
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
                        simulate_for::<0>(&s, &p, &mut rng, &mut sc, &mut h);
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
    /// SHA-256 of their JSON, from the AVX2 and the portable build of the vector stage.
    /// The values were checked against the partial files written by the build before the
    /// engine's speed work (commit ba85d35): identical. A change that alters the random
    /// sequence or the arithmetic must update them and say so: the sixth session laid the
    /// intention baseline's district noise out column by column (the benchmark's hash
    /// changed; the official table's, which draws as before, did not); the seventh drew
    /// batches of normals and uniforms from 32-bit words (both changed).
    #[test]
    fn results_are_unchanged_by_speed_work() {
        use sha2::{Digest, Sha256};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for portable in [false, true] {
            let _build = crate::simd::force_build(portable);
            for (file, expected) in [
                (
                    "benches/data/perf-125x5.toml",
                    "88b364fcfa6372e25eff89b93fdc2580bef7abfddb33430e9d90db1de17a2e45",
                ),
                (
                    "scenarios/azerbaijan-2005-official.toml",
                    "13478e4116a80b23c3ddf594a2f6e297861e122fadcebf26d5ee863658d19363",
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
                assert_eq!(hex, expected, "{file}, portable build: {portable}");
            }
        }
    }
}
