//! The first round's arithmetic for every district at once, after all its draws are made
//! (MODEL.md steps 1–5): shares, turnout, true and official votes (intention baseline), then
//! winners, stolen-seat references, the fingerprint and annulment (both baselines).
//!
//! Quantities are stored as columns, `[party * lanes + district]`, and every loop runs over
//! districts, so the compiler keeps four districts in one AVX2 register (two with SSE2).
//! The loops run over all [`Prepared::lanes`], padding included, so they never take a
//! scalar remainder; what is per district and not per lane (the fingerprint's counts,
//! annulment) stops at the last district.
//! This stage is compiled twice, for the baseline x86-64 target and for AVX2, and the CPU
//! picks at run time. Both builds give the same bits: the arithmetic is IEEE additions,
//! multiplications, divisions and comparisons only, with no fused multiply-add.

use super::histograms::{fingerprint_bin, FINGERPRINT_BINS};
use super::iteration::{Scratch, FINGERPRINT_DISCARD, VACANT};
use super::prepared::Prepared;
use crate::model::exp::exp_nonpositive;
use crate::model::{fraud, rerun, tally, turnout};
use crate::scenario::{Baseline, Scenario};
use crate::simd::avx2_dispatch;

/// The party count: `P` when the caller is specialised for it, else the scenario's.
#[inline(always)]
pub(super) fn party_count<const P: usize>(p: &Prepared) -> usize {
    if P == 0 {
        p.parties
    } else {
        P
    }
}

avx2_dispatch! {
    /// Finish the first round once its draws are in `sc`; true if any district is annulled.
    pub(super) fn finish<const P: usize>(s: &Scenario, p: &Prepared, sc: &mut Scratch) -> bool
        => finish_inline;
}

#[inline(always)]
fn finish_inline<const P: usize>(s: &Scenario, p: &Prepared, sc: &mut Scratch) -> bool {
    if p.baseline == Baseline::Intention {
        true_turnout(p, sc);
        true_votes::<P>(p, sc);
        official_votes::<P>(s, p, sc);
    }
    winners::<P>(s, p, sc)
}

/// Step 2: `T = logistic(logit(centre) + noise)`, or the centre itself without noise.
#[inline(always)]
fn true_turnout(p: &Prepared, sc: &mut Scratch) {
    let lanes = p.lanes;
    let c = &p.columns;
    turnout_columns(
        &mut sc.t_true[..lanes],
        &c.turnout_centre[..lanes],
        &c.turnout_logit[..lanes],
        &sc.t_noise[..lanes],
    );
}

/// `turnout::turnout_from_logit` on columns, as a select so that the loop vectorises:
/// `logistic(logit + noise)`, or the centre itself where the noise is 0.
#[inline(always)]
pub(super) fn turnout_columns(out: &mut [f64], centre: &[f64], logit: &[f64], noise: &[f64]) {
    for (((t, &centre), &logit), &noise) in out.iter_mut().zip(centre).zip(logit).zip(noise) {
        let logistic = turnout::logistic(logit + noise);
        *t = if noise == 0.0 { centre } else { logistic };
    }
}

/// Each lane's largest value over the columns of `table`, `stride` apart, into `max` (as
/// long as the lanes): the softmax's shift. A select, not `f64::max`, which adds a NaN
/// test to each vector, nor a conditional store, which compiles to masked stores (slow on
/// AMD's CPUs): one `maxpd` per vector. The same values, since eta is never NaN, and where
/// a max of ±0 could pick either sign, `e - max` is the same for both (as is `e == max`).
#[inline(always)]
pub(super) fn column_max(table: &[f64], stride: usize, max: &mut [f64]) {
    let len = max.len();
    let mut columns = table.chunks_exact(stride).map(|col| &col[..len]);
    // The first two columns in one pass (a copy of the first would be a call to `memcpy`).
    match (columns.next(), columns.next()) {
        (Some(first), Some(second)) => {
            for ((m, &a), &b) in max.iter_mut().zip(first).zip(second) {
                *m = if a > b { a } else { b };
            }
        }
        (Some(first), None) => max.copy_from_slice(first),
        _ => max.fill(f64::NEG_INFINITY),
    }
    for col in columns {
        for (m, &e) in max.iter_mut().zip(col) {
            *m = if *m > e { *m } else { e };
        }
    }
}

/// Steps 1 and 3: `share = softmax(eta)` per district, then `V = N T share` (or the
/// marginal-voter formula).
#[inline(always)]
fn true_votes<const P: usize>(p: &Prepared, sc: &mut Scratch) {
    // Every lane, the padding's too.
    let (np, lanes) = (party_count::<P>(p), p.lanes);
    let c = &p.columns;
    let max = &mut sc.max[..lanes];
    column_max(&sc.eta[..np * lanes], lanes, max);
    // `votes` holds exp(eta - max) until the shares are known.
    let total = &mut sc.total[..lanes];
    total.fill(0.0);
    for (col, out) in sc.eta[..np * lanes]
        .chunks_exact(lanes)
        .zip(sc.votes[..np * lanes].chunks_exact_mut(lanes))
    {
        for (((o, &e), &m), t) in out
            .iter_mut()
            .zip(col)
            .zip(max.iter())
            .zip(total.iter_mut())
        {
            // e <= m: the leader's term is exp(0) = 1, the others' arguments negative.
            let v = exp_nonpositive(e - m);
            *o = v;
            *t += v;
        }
    }
    // The largest term is exp(0) = 1, so the total is at least 1.
    for t in total.iter_mut() {
        *t = 1.0 / *t;
    }
    match &p.marginal {
        None => {
            let nt = max;
            for ((nt, &n), &t) in nt
                .iter_mut()
                .zip(&c.electorate[..lanes])
                .zip(&sc.t_true[..lanes])
            {
                *nt = n * t;
            }
            for out in sc.votes[..np * lanes].chunks_exact_mut(lanes) {
                for ((v, &nt), &inv) in out.iter_mut().zip(nt.iter()).zip(total.iter()) {
                    *v = nt * (*v * inv);
                }
            }
        }
        Some(marginal) => {
            // Rare: district by district, through the model's own formula; the padding
            // has no votes, as its electorate of 0 gives it in the formula above.
            let (share, v) = (&mut sc.d_share[..np], &mut sc.d_votes[..np]);
            for col in sc.votes[..np * lanes].chunks_exact_mut(lanes) {
                col[p.districts..].fill(0.0);
            }
            for (d, &inv) in total[..p.districts].iter().enumerate() {
                for (q, s) in share.iter_mut().enumerate() {
                    *s = sc.votes[q * lanes + d] * inv;
                }
                let (n, t0, t) = (c.electorate[d], c.table_turnout[d], sc.t_true[d]);
                turnout::votes_into(n, t0, t, share, marginal[d].as_deref(), v);
                for (q, &v) in v.iter().enumerate() {
                    sc.votes[q * lanes + d] = v;
                }
            }
        }
    }
}

/// Step 4: the official count, `V'[b] = V[b] + x A + y sum(V[p != b])`,
/// `V'[p] = (1 - y) V[p]`, `T' = T + x (1 - T)`. A clean district has x = y = 0 and a
/// recounted one y = 0, which give exactly `V` and the recount formula `V[b] + x A`.
#[inline(always)]
fn official_votes<const P: usize>(s: &Scenario, p: &Prepared, sc: &mut Scratch) {
    let (np, lanes) = (party_count::<P>(p), p.lanes);
    let (votes, official) = (&sc.votes[..np * lanes], &mut sc.official[..np * lanes]);
    let (x, y) = (&sc.stuffing[..lanes], &sc.stealing[..lanes]);
    let t_true = &sc.t_true[..lanes];
    for ((t_off, &t), &x) in sc.t_off[..lanes].iter_mut().zip(t_true).zip(x) {
        *t_off = fraud::official_turnout(t, x);
    }
    let Some(b) = s.fraud.beneficiary else {
        official.copy_from_slice(votes);
        return;
    };
    let abstain = &mut sc.max[..lanes];
    for ((a, &n), &t) in abstain
        .iter_mut()
        .zip(&p.columns.electorate[..lanes])
        .zip(t_true)
    {
        *a = n * (1.0 - t);
    }
    let fraud = Intensities { x, y, abstain };
    official_columns(votes, official, lanes, b, &fraud, &mut sc.total[..lanes]);
}

/// Stuffing x, stealing y and non-voters A of each district of a set of columns.
pub(super) struct Intensities<'a> {
    /// Stuffing (0 where clean).
    pub x: &'a [f64],
    /// Stealing (0 where clean or recounted).
    pub y: &'a [f64],
    /// Non-voters `N (1 - T)`.
    pub abstain: &'a [f64],
}

/// `fraud::official_into` on columns `stride` apart, for the districts of `fraud`:
/// `V'[b] = V[b] + x A + y sum(V[p != b])`, `V'[p] = (1 - y) V[p]`, in the same order of
/// operations. `others` is room for one column.
#[inline(always)]
pub(super) fn official_columns(
    votes: &[f64],
    official: &mut [f64],
    stride: usize,
    b: usize,
    fraud: &Intensities,
    others: &mut [f64],
) {
    let len = fraud.x.len();
    let others = &mut others[..len];
    others.fill(0.0);
    for (q, (col, out)) in votes
        .chunks_exact(stride)
        .zip(official.chunks_exact_mut(stride))
        .enumerate()
    {
        if q == b {
            continue;
        }
        for (((o, &v), &y), sum) in out[..len]
            .iter_mut()
            .zip(&col[..len])
            .zip(fraud.y)
            .zip(others.iter_mut())
        {
            *sum += v;
            *o = (1.0 - y) * v;
        }
    }
    let (col, out) = (
        &votes[b * stride..][..len],
        &mut official[b * stride..][..len],
    );
    for ((((o, &v), &x), &y), (&abstain, &others)) in out
        .iter_mut()
        .zip(col)
        .zip(fraud.x)
        .zip(fraud.y)
        .zip(fraud.abstain.iter().zip(others.iter()))
    {
        *o = v + x * abstain + y * others;
    }
}

/// Step 5 and what follows from it: official and clean winners, the fingerprint, and
/// which districts are annulled. True if any is.
#[inline(always)]
fn winners<const P: usize>(s: &Scenario, p: &Prepared, sc: &mut Scratch) -> bool {
    // Lanes for the vector passes; districts for what is counted or listed per district.
    let (np, lanes, districts) = (party_count::<P>(p), p.lanes, p.districts);
    let official = &sc.official[..np * lanes];
    let t_off = &sc.t_off[..lanes];
    leaders(
        official,
        lanes,
        &mut sc.winner[..lanes],
        &mut sc.d_off[..np],
    );
    vacate_below(s.min_turnout, &mut sc.winner[..lanes], t_off);
    leaders(
        &sc.votes[..np * lanes],
        lanes,
        &mut sc.clean_winner[..lanes],
        &mut sc.d_off[..np],
    );

    if let Some(b) = s.fraud.beneficiary {
        let cast = &mut sc.total[..lanes];
        cast.fill(0.0);
        for col in official.chunks_exact(lanes) {
            for (c, &v) in cast.iter_mut().zip(col) {
                *c += v;
            }
        }
        let ours = &official[b * lanes..][..lanes];
        // Bins first, in vector registers; a district left out goes to the discard slot.
        let bins = &mut sc.bins[..lanes];
        let stands = &p.columns.beneficiary_stands[..lanes];
        for ((((bin, &stands), &t), &v), &c) in bins
            .iter_mut()
            .zip(stands)
            .zip(t_off)
            .zip(ours)
            .zip(cast.iter())
        {
            let at = fingerprint_bin(t) * FINGERPRINT_BINS as u32 + fingerprint_bin(v / c);
            *bin = if stands && c > 0.0 {
                at
            } else {
                FINGERPRINT_DISCARD
            };
        }
        for &bin in &bins[..districts] {
            sc.fingerprint[bin as usize] += 1;
        }
    }

    let rules = &s.rerun.rules;
    let by_rule = rules.turnout_above.is_some()
        || rules.winner_share_above.is_some()
        || rules.margin_below.is_some();
    // Annulled whatever the count, or invalid: a pass without branches.
    let annulled = &mut sc.annulled[..districts];
    match s.min_turnout {
        None => annulled.copy_from_slice(&sc.annul_drawn[..districts]),
        Some(min_turnout) => {
            for ((a, &drawn), &t) in annulled
                .iter_mut()
                .zip(&sc.annul_drawn[..districts])
                .zip(t_off)
            {
                *a = drawn | (t < min_turnout);
            }
        }
    }
    if by_rule {
        for (d, a) in annulled.iter_mut().enumerate() {
            if !*a {
                let counts = &mut sc.d_off[..np];
                for (q, c) in counts.iter_mut().enumerate() {
                    *c = official[q * lanes + d];
                }
                *a = rerun::rules_annul(rules, t_off[d], counts);
            }
        }
    }
    annulled.iter().fold(false, |any, &a| any | a)
}

/// `validity.min_turnout`: a district whose official turnout is below it has no winner.
#[inline(always)]
pub(super) fn vacate_below(min_turnout: Option<f64>, winner: &mut [u16], turnout: &[f64]) {
    if let Some(m) = min_turnout {
        for (w, &t) in winner.iter_mut().zip(turnout) {
            *w = if t >= m { *w } else { VACANT };
        }
    }
}

/// The plurality leader of each of `leader.len()` districts, whose counts are columns
/// `stride` apart in `counts` (`VACANT` if nobody has a vote); exact ties go to the party
/// listed first, as in [`tally::plurality_winner`]. `district` is room for one district's
/// counts.
#[inline(always)]
pub(super) fn leaders(counts: &[f64], stride: usize, leader: &mut [u16], district: &mut [f64]) {
    // Blocks of districts held in registers: updating `leader` in memory under a mask
    // compiles to masked stores, which are slow on some CPUs.
    const LANES: usize = 8;
    let blocks = leader.len() / LANES;
    for (k, out) in leader[..blocks * LANES].chunks_exact_mut(LANES).enumerate() {
        let mut most = [0.0; LANES];
        let mut lead = [u32::from(VACANT); LANES];
        for (q, col) in counts.chunks_exact(stride).enumerate() {
            let block = &col[k * LANES..(k + 1) * LANES];
            for ((m, l), &v) in most.iter_mut().zip(lead.iter_mut()).zip(block) {
                let ahead = v > *m;
                *m = if ahead { v } else { *m };
                *l = if ahead { q as u32 } else { *l };
            }
        }
        for (o, &l) in out.iter_mut().zip(&lead) {
            *o = l as u16;
        }
    }
    for (d, out) in leader.iter_mut().enumerate().skip(blocks * LANES) {
        for (c, col) in district.iter_mut().zip(counts.chunks_exact(stride)) {
            *c = col[d];
        }
        *out = tally::plurality_winner(district).map_or(VACANT, |w| w as u16);
    }
}
