//! Step 1's eta for every district at once, from the first round's batch of normals
//! (intention baseline): `eta[q][d] = ln s[d][q] + (shift[r(d)][q] + sd[q] z)`, where the
//! shift is the national plus regional noise and `z` the district's own normal, found
//! through [`NoiseSlots`] (a party not standing, or an sd of 0, reads the batch's trailing
//! 0; `ln s = -inf` keeps a party not standing at `-inf`).
//!
//! Compiled twice like the vector stage: with AVX2 the two lookups are gathers, four
//! districts at a time. Both builds do the same IEEE operations, so give the same bits.

use super::prepared::{NoiseSlots, Prepared};

/// Fill `eta` (`[party * D + district]`) from `batch`, the regional shifts `shift`
/// (`[region * P + party]`) and the per-party district sds.
pub(super) fn fill(
    p: &Prepared,
    district_sd: &[f64],
    shift: &[f64],
    batch: &[f64],
    eta: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if super::first_round::use_avx2() {
        // SAFETY: the CPU supports AVX2 (`use_avx2`); `fill_avx2` checks the rest.
        return unsafe { fill_avx2(p, district_sd, shift, batch, eta) };
    }
    fill_portable(p, district_sd, shift, batch, eta, 0);
}

/// Districts `from..` of every column, one at a time.
fn fill_portable(
    p: &Prepared,
    district_sd: &[f64],
    shift: &[f64],
    batch: &[f64],
    eta: &mut [f64],
    from: usize,
) {
    let (np, nd) = (p.parties, p.districts);
    let NoiseSlots {
        vote, shift_row, ..
    } = &p.slots;
    for q in 0..np {
        let sd = district_sd[q];
        for d in from..nd {
            let k = q * nd + d;
            let sh = shift[shift_row[d] as usize + q];
            eta[k] = p.columns.log_share[k] + (sh + sd * batch[vote[k] as usize]);
        }
    }
}

/// [`fill`] with AVX2 gathers, four districts at a time; the last `D mod 4` one at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_avx2(
    p: &Prepared,
    district_sd: &[f64],
    shift: &[f64],
    batch: &[f64],
    eta: &mut [f64],
) {
    use std::arch::x86_64::*;
    let (np, nd) = (p.parties, p.districts);
    let NoiseSlots {
        vote, shift_row, ..
    } = &p.slots;
    let log_share = &p.columns.log_share;
    // The bounds every load and gather relies on. `NoiseSlots::new` builds every slot at
    // most `first_round_normals` (the batch holds one more) and every row `region * P`.
    assert!(eta.len() >= np * nd && log_share.len() >= np * nd && vote.len() >= np * nd);
    assert!(shift_row.len() >= nd && district_sd.len() >= np);
    assert!(batch.len() > p.first_round_normals && shift.len() >= p.regions * np);
    let whole = nd / 4 * 4;
    for (q, &sd) in district_sd[..np].iter().enumerate() {
        let sd = _mm256_set1_pd(sd);
        let column = q * nd;
        for d in (0..whole).step_by(4) {
            // SAFETY: d + 4 <= nd, so every load and store is inside the columns checked
            // above; gathered indices are below `batch.len()` and `shift.len()` (see above).
            let slots = _mm_loadu_si128(vote.as_ptr().add(column + d).cast());
            let rows = _mm_loadu_si128(shift_row.as_ptr().add(d).cast());
            let z = _mm256_i32gather_pd::<8>(batch.as_ptr(), slots);
            let sh = _mm256_i32gather_pd::<8>(shift.as_ptr().add(q), rows);
            let ls = _mm256_loadu_pd(log_share.as_ptr().add(column + d));
            let e = _mm256_add_pd(ls, _mm256_add_pd(sh, _mm256_mul_pd(sd, z)));
            _mm256_storeu_pd(eta.as_mut_ptr().add(column + d), e);
        }
    }
    fill_portable(p, district_sd, shift, batch, eta, whole);
}
