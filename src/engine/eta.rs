//! The intention baseline's district noise for every district at once, from the first
//! round's batch of normals: step 1's `eta[q][d] = ln s[d][q] + (shift[r(d)][q] + sd[q] z)`,
//! where the shift is the national plus regional noise and `z` the district's own normal,
//! and step 2's turnout noise `(national + regional[r(d)]) + sd z`.
//!
//! The batch holds district noise column by column ([`NoiseSlots`]), so a party standing
//! everywhere reads its normals contiguously, and districts come in runs of one region
//! ([`RegionRun`]), each adding one shift: the loops vectorise without a gather. A party
//! that does not stand somewhere reads through its slots instead (one that does not stand,
//! or an sd of 0, reads the batch's trailing 0; `ln s = -inf` keeps it at `-inf`).
//!
//! Compiled twice like the vector stage, for the baseline target and for AVX2; both do
//! the same IEEE operations, so give the same bits.

use super::prepared::{NoiseSlots, Prepared, RegionRun};
use crate::simd::avx2_dispatch;

avx2_dispatch! {
    /// Fill `eta` (`[party * lanes + district]`; the padding lanes keep their 0) from `batch`,
    /// the regional shifts `shift` (`[region * P + party]`) and the per-party district sds.
    /// One loop per region run: laying the shifts out in a column first, for one pass over
    /// all lanes, saved 0.7 k instructions an iteration but timed the same (README).
    pub(super) fn fill(
        p: &Prepared,
        district_sd: &[f64],
        shift: &[f64],
        batch: &[f64],
        eta: &mut [f64],
    ) => fill_inline;
}

#[inline(always)]
fn fill_inline(p: &Prepared, district_sd: &[f64], shift: &[f64], batch: &[f64], eta: &mut [f64]) {
    let (np, nd, lanes) = (p.parties, p.districts, p.lanes);
    let NoiseSlots {
        vote_column, vote, ..
    } = &p.slots;
    for (q, &sd) in district_sd[..np].iter().enumerate() {
        let column = q * lanes..(q + 1) * lanes;
        let out = &mut eta[column.clone()];
        let log_share = &p.columns.log_share[column];
        for RegionRun { region, districts } in &p.region_runs {
            let sh = shift[region * np + q];
            let (out, log_share) = (&mut out[districts.clone()], &log_share[districts.clone()]);
            match vote_column[q] {
                Some(start) => {
                    let z = &batch[start as usize..][districts.clone()];
                    for ((e, &ls), &z) in out.iter_mut().zip(log_share).zip(z) {
                        *e = ls + (sh + sd * z);
                    }
                }
                None => {
                    let slots = &vote[q * nd..(q + 1) * nd][districts.clone()];
                    for ((e, &ls), &slot) in out.iter_mut().zip(log_share).zip(slots) {
                        *e = ls + (sh + sd * batch[slot as usize]);
                    }
                }
            }
        }
    }
}

/// Each district's first-round turnout noise on the logit scale,
/// `(national + regional[r]) + sd z`, into `out` (`[district]`); without district noise
/// (sd 0, nothing drawn) just the national and regional part.
pub(super) fn turnout_noise(
    p: &Prepared,
    sd: f64,
    national: f64,
    regional: &[f64],
    batch: &[f64],
    out: &mut [f64],
) {
    for RegionRun { region, districts } in &p.region_runs {
        let shared = national + regional[*region];
        let out = &mut out[districts.clone()];
        match p.slots.turnout_column {
            Some(start) => {
                let z = &batch[start as usize..][districts.clone()];
                for (t, &z) in out.iter_mut().zip(z) {
                    *t = shared + sd * z;
                }
            }
            None => out.fill(shared),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::path::Path;

    /// The noise read from the batch is the documented layout's: reading the batch in
    /// order (shared terms; per party, the districts where it stands with an sd above 0;
    /// then turnout per district) gives every cell the same bits, through both builds, on
    /// the benchmark (every party everywhere) and Azerbaijan (parties missing from some
    /// districts), with and without turnout noise.
    #[test]
    fn noise_follows_the_documented_layout() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (file, overrides) in [
            ("benches/data/perf-125x5.toml", vec![]),
            ("scenarios/azerbaijan-2005.toml", vec![]),
            (
                "scenarios/azerbaijan-2005.toml",
                vec!["turnout.district_sd=0".to_string()],
            ),
        ] {
            let s = Scenario::load(&root.join(file), &overrides).unwrap();
            let p = Prepared::new(&s);
            let (np, nd, lanes) = (p.parties, p.districts, p.lanes);
            let len = p.first_round_normals;
            // Distinct values, so that reading the wrong slot shows; the trailing 0.
            let mut batch: Vec<f64> = (0..len).map(|k| 0.5 + k as f64 * 1e-3).collect();
            batch.push(0.0);
            let shift: Vec<f64> = (0..p.regions * np).map(|k| k as f64 * 0.01).collect();
            let regional: Vec<f64> = (0..p.regions).map(|r| r as f64 * 0.1).collect();
            let sd = &s.noise.district;

            let mut next = p.slots.shared;
            let mut want = vec![0.0; np * nd];
            for q in 0..np {
                for (d, district) in s.districts.iter().enumerate() {
                    let z = if district.shares[q] > 0.0 && sd[q] > 0.0 {
                        next += 1;
                        batch[next - 1]
                    } else {
                        0.0
                    };
                    let sh = shift[district.region * np + q];
                    want[q * nd + d] = p.columns.log_share[q * lanes + d] + (sh + sd[q] * z);
                }
            }
            let t_sd = s.turnout.district_sd;
            let want_turnout: Vec<f64> = s
                .districts
                .iter()
                .map(|district| {
                    let z = if t_sd > 0.0 {
                        next += 1;
                        batch[next - 1]
                    } else {
                        0.0
                    };
                    (0.3 + regional[district.region]) + t_sd * z
                })
                .collect();
            assert_eq!(next, len, "{file}: the layout fills the batch");

            let mut eta = vec![f64::NAN; np * lanes];
            fill_inline(&p, sd, &shift, &batch, &mut eta);
            let mut eta_dispatched = vec![f64::NAN; np * lanes];
            fill(&p, sd, &shift, &batch, &mut eta_dispatched);
            for q in 0..np {
                for d in 0..nd {
                    let (k, want) = (q * lanes + d, want[q * nd + d]);
                    assert_eq!(eta[k].to_bits(), want.to_bits(), "{file}: cell {q} {d}");
                    assert_eq!(eta_dispatched[k].to_bits(), want.to_bits(), "{file}");
                }
            }
            let mut t = vec![f64::NAN; nd];
            turnout_noise(&p, t_sd, 0.3, &regional, &batch, &mut t);
            for d in 0..nd {
                assert_eq!(t[d].to_bits(), want_turnout[d].to_bits(), "{file}: {d}");
            }
        }
    }
}
