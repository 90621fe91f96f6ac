//! The arithmetic of the reruns (MODEL.md "Rerun") for every annulled district at once,
//! after their draws are made: shares, turnout, votes, the official count and winners.
//!
//! Like [`super::first_round`], quantities are columns, here `[party * lanes + k]` for the
//! k-th annulled district, so that the loops run over districts in vector registers. The
//! loops run over the annulled districts rounded up to whole steps of the vector passes
//! ([`lanes_for`]); the lanes after the last annulled district hold what earlier
//! iterations left there (finite numbers) and are never read. Each line
//! is the per-district formula of [`crate::model`] (`votes::softmax_into`,
//! `turnout::turnout_from_logit`, `turnout::votes_into`, `rerun::apply_boycott`,
//! `fraud::official_into`, `fraud::official_turnout`, `tally::plurality_winner`) with its
//! operations in the same order, so the results are the same bits; the pinned test in
//! `iteration.rs` holds them to it.

use super::first_round::{
    column_max, leaders, official_columns, party_count, turnout_columns, vacate_below, Intensities,
};
use super::iteration::VACANT;
use super::prepared::{lanes_for, Prepared};
use crate::model::exp::exp_nonpositive;
use crate::model::{fraud, turnout};
use crate::scenario::Scenario;
use crate::simd::avx2_dispatch;

/// The rerun's columns; the draw pass fills the inputs, [`votes`] and [`winners`] the rest. Only the first
/// `k` entries of a column (the annulled districts) are meaningful.
#[derive(Debug, Clone)]
pub(super) struct RerunColumns {
    /// `[party * lanes + k]`: eta, then shares, then true votes.
    pub votes: Vec<f64>,
    /// `[party * lanes + k]`: official votes.
    official: Vec<f64>,
    /// Electorate N.
    pub electorate: Vec<f64>,
    /// Turnout the rerun starts from (the marginal-voter formula's T0).
    pub t_start: Vec<f64>,
    /// Turnout centre and its logit.
    pub centre: Vec<f64>,
    pub logit: Vec<f64>,
    /// Summed turnout noise on the logit scale.
    pub noise: Vec<f64>,
    /// Stuffing x and stealing y applied (0 in a clean rerun).
    pub stuffing: Vec<f64>,
    pub stealing: Vec<f64>,
    /// Working columns.
    max: Vec<f64>,
    total: Vec<f64>,
    turnout: Vec<f64>,
    abstain: Vec<f64>,
    /// Rerun winner (`VACANT` if nobody has a vote or turnout is below the minimum).
    pub winner: Vec<u16>,
    /// One district's shares or counts, and its votes.
    district: Vec<f64>,
    district_votes: Vec<f64>,
}

impl RerunColumns {
    pub fn new(p: &Prepared) -> Self {
        let column = vec![0.0; p.lanes];
        let table = vec![0.0; p.parties * p.lanes];
        Self {
            votes: table.clone(),
            official: table,
            electorate: column.clone(),
            t_start: column.clone(),
            centre: column.clone(),
            logit: column.clone(),
            noise: column.clone(),
            stuffing: column.clone(),
            stealing: column.clone(),
            max: column.clone(),
            total: column.clone(),
            turnout: column.clone(),
            abstain: column,
            winner: vec![VACANT; p.lanes],
            district: vec![0.0; p.parties],
            district_votes: vec![0.0; p.parties],
        }
    }
}

avx2_dispatch! {
    /// Shares, turnout and true votes of the reruns of `annulled` (district indices, in
    /// order), whose eta and turnout inputs are in `c`; what the official count needs comes
    /// out in `c.abstain` and `c.turnout` (the effective turnout `min(cast / N, 1)`).
    pub(super) fn votes<const P: usize>(
        s: &Scenario,
        p: &Prepared,
        c: &mut RerunColumns,
        annulled: &[u32],
    ) => votes_inline;
}

avx2_dispatch! {
    /// The official counts and winners of the `k` reruns, once their fraud is drawn.
    pub(super) fn winners<const P: usize>(
        s: &Scenario,
        p: &Prepared,
        c: &mut RerunColumns,
        k: usize,
    ) => winners_inline;
}

#[inline(always)]
fn votes_inline<const P: usize>(
    s: &Scenario,
    p: &Prepared,
    c: &mut RerunColumns,
    annulled: &[u32],
) {
    // `lanes` is the columns' stride, `k` the lanes the vector passes run over (the
    // annulled districts, rounded up).
    let (np, lanes, k) = (party_count::<P>(p), p.lanes, lanes_for(annulled.len()));
    let rr = &s.rerun;
    // `votes::softmax_into`: the max, then the leader's term is 1.
    let max = &mut c.max[..k];
    column_max(&c.votes[..np * lanes], lanes, max);
    let total = &mut c.total[..k];
    total.fill(0.0);
    for col in c.votes[..np * lanes].chunks_exact_mut(lanes) {
        for ((e, &m), t) in col[..k].iter_mut().zip(max.iter()).zip(total.iter_mut()) {
            let v = if *e == m {
                1.0
            } else {
                exp_nonpositive(*e - m)
            };
            *e = v;
            *t += v;
        }
    }
    // No positive total leaves the terms as they are, as `softmax_into` does.
    for t in total.iter_mut() {
        *t = if *t > 0.0 { 1.0 / *t } else { 1.0 };
    }
    for col in c.votes[..np * lanes].chunks_exact_mut(lanes) {
        for (v, &inv) in col[..k].iter_mut().zip(total.iter()) {
            *v *= inv;
        }
    }
    turnout_columns(
        &mut c.turnout[..k],
        &c.centre[..k],
        &c.logit[..k],
        &c.noise[..k],
    );
    // `turnout::votes_into`.
    match &p.rerun_marginal {
        None => {
            let nt = &mut c.max[..k];
            for ((nt, &n), &t) in nt.iter_mut().zip(&c.electorate[..k]).zip(&c.turnout[..k]) {
                *nt = n * t;
            }
            for col in c.votes[..np * lanes].chunks_exact_mut(lanes) {
                for (v, &nt) in col[..k].iter_mut().zip(nt.iter()) {
                    *v *= nt;
                }
            }
        }
        Some(marginal) => {
            // Rare: district by district, through the model's own formula.
            let (share, v) = (&mut c.district[..np], &mut c.district_votes[..np]);
            for (j, &d) in annulled.iter().enumerate() {
                for (q, s) in share.iter_mut().enumerate() {
                    *s = c.votes[q * lanes + j];
                }
                let (n, t0, t) = (c.electorate[j], c.t_start[j], c.turnout[j]);
                turnout::votes_into(n, t0, t, share, marginal[d as usize].as_deref(), v);
                for (q, &v) in v.iter().enumerate() {
                    c.votes[q * lanes + j] = v;
                }
            }
        }
    }
    // `rerun::apply_boycott`.
    for (col, &boycotted) in c.votes[..np * lanes]
        .chunks_exact_mut(lanes)
        .zip(&rr.boycott[..np])
    {
        if boycotted {
            col[..k].fill(0.0);
        }
    }
    let cast = &mut c.total[..k];
    cast.fill(0.0);
    for col in c.votes[..np * lanes].chunks_exact(lanes) {
        for (cast, &v) in cast.iter_mut().zip(&col[..k]) {
            *cast += v;
        }
    }
    for (((t_eff, abstain), &cast), &n) in c.turnout[..k]
        .iter_mut()
        .zip(c.abstain[..k].iter_mut())
        .zip(cast.iter())
        .zip(&c.electorate[..k])
    {
        *t_eff = (cast / n).min(1.0);
        *abstain = (n - cast).max(0.0);
    }
}

#[inline(always)]
fn winners_inline<const P: usize>(s: &Scenario, p: &Prepared, c: &mut RerunColumns, k: usize) {
    let (np, lanes, k) = (party_count::<P>(p), p.lanes, lanes_for(k));
    let (votes, official) = (&c.votes[..np * lanes], &mut c.official[..np * lanes]);
    let (x, y) = (&c.stuffing[..k], &c.stealing[..k]);
    // The official turnout, in place of the effective turnout.
    for (t, &x) in c.turnout[..k].iter_mut().zip(x) {
        *t = fraud::official_turnout(*t, x);
    }
    let counts: &[f64] = match s.rerun.fraud.beneficiary {
        None => votes,
        Some(b) => {
            // x = y = 0 in a clean rerun gives exactly `votes`.
            let fraud = Intensities {
                x,
                y,
                abstain: &c.abstain[..k],
            };
            official_columns(votes, official, lanes, b, &fraud, &mut c.total[..k]);
            official
        }
    };
    leaders(counts, lanes, &mut c.winner[..k], &mut c.district[..np]);
    vacate_below(s.min_turnout, &mut c.winner[..k], &c.turnout[..k]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fraud, rerun, tally, votes};
    use crate::random::Draws;
    use std::path::Path;

    /// The column arithmetic gives the bits of the per-district model functions, for every
    /// rerun district of a batch, with boycotts, marginal voters, a turnout minimum, fraud
    /// and no fraud, noise 0 and not, parties not standing, in both builds.
    #[test]
    fn columns_match_the_model_functions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let cases: [&[&str]; 4] = [
            &[],
            &["rerun.boycott=[\"AZADLIQ\"]", "validity.min_turnout=0.45"],
            &[
                "rerun.turnout.marginal={ YAP = 0.7, AZADLIQ = 0.3 }",
                "rerun.turnout.shift_pp=15",
            ],
            &["rerun.fraud.incremental=0", "rerun.fraud.extreme=0"],
        ];
        let mut rng = crate::engine::iteration_rng(5, 0);
        for portable in [false, true] {
            let _build = crate::simd::force_build(portable);
            for overrides in cases {
                let overrides: Vec<String> = overrides.iter().map(|o| o.to_string()).collect();
                let file = root.join("scenarios/azerbaijan-2005.toml");
                let s = Scenario::load(&file, &overrides).unwrap();
                let p = Prepared::new(&s);
                let (np, lanes) = (p.parties, p.lanes);
                let annulled: Vec<u32> = (0..p.districts as u32).filter(|d| d % 7 == 2).collect();
                let mut c = RerunColumns::new(&p);
                for (k, &d) in annulled.iter().enumerate() {
                    let d = d as usize;
                    for q in 0..np {
                        let stands = p.log_share[d * np + q] > f64::NEG_INFINITY;
                        c.votes[q * lanes + k] = if stands {
                            p.log_share[d * np + q] + 0.3 * rng.standard_normal()
                        } else {
                            f64::NEG_INFINITY
                        };
                    }
                    c.electorate[k] = p.columns.electorate[d];
                    c.t_start[k] = p.columns.table_turnout[d];
                    (c.centre[k], c.logit[k]) = p.district[d].rerun_turnout_centre;
                    c.noise[k] = if k % 5 == 0 {
                        0.0
                    } else {
                        0.2 * rng.standard_normal()
                    };
                    let fraud = k % 3 == 0 && s.rerun.fraud.beneficiary.is_some();
                    c.stuffing[k] = if fraud { rng.uniform() } else { 0.0 };
                    c.stealing[k] = if fraud { rng.uniform() } else { 0.0 };
                }
                let input = c.clone();
                votes::<0>(&s, &p, &mut c, &annulled);
                winners::<0>(&s, &p, &mut c, annulled.len());
                for (k, &d) in annulled.iter().enumerate() {
                    let d = d as usize;
                    let eta: Vec<f64> = (0..np).map(|q| input.votes[q * lanes + k]).collect();
                    let mut share = vec![0.0; np];
                    votes::softmax_into(&eta, &mut share);
                    let t = turnout::turnout_from_logit(
                        input.centre[k],
                        input.logit[k],
                        input.noise[k],
                    );
                    let marginal = p.rerun_marginal.as_ref().and_then(|m| m[d].as_deref());
                    let (n, t0) = (input.electorate[k], input.t_start[k]);
                    let mut v = vec![0.0; np];
                    turnout::votes_into(n, t0, t, &share, marginal, &mut v);
                    rerun::apply_boycott(&mut v, &s.rerun.boycott);
                    for (q, v) in v.iter().enumerate() {
                        assert_eq!(
                            c.votes[q * lanes + k].to_bits(),
                            v.to_bits(),
                            "votes {k} {q}"
                        );
                    }
                    let cast: f64 = v.iter().sum();
                    let t_eff = (cast / n).min(1.0);
                    let (x, y) = (input.stuffing[k], input.stealing[k]);
                    let mut official = v.clone();
                    let t_off = match s.rerun.fraud.beneficiary {
                        Some(b) if x != 0.0 || y != 0.0 => {
                            fraud::official_into(&v, (n - cast).max(0.0), b, x, y, &mut official);
                            fraud::official_turnout(t_eff, x)
                        }
                        _ => t_eff,
                    };
                    assert_eq!(c.turnout[k].to_bits(), t_off.to_bits(), "turnout of {k}");
                    if s.rerun.fraud.beneficiary.is_some() {
                        for (q, want) in official.iter().enumerate() {
                            let got = c.official[q * lanes + k];
                            assert_eq!(got.to_bits(), want.to_bits(), "official {k} {q}");
                        }
                    }
                    let valid = s.min_turnout.is_none_or(|m| t_off >= m);
                    let expected = match (valid, tally::plurality_winner(&official)) {
                        (true, Some(w)) => w as u16,
                        _ => VACANT,
                    };
                    assert_eq!(c.winner[k], expected, "{overrides:?}: winner of {k}");
                }
            }
        }
    }
}
