//! Step 4: fraud (Klimek et al. 2012, PNAS; Mebane's three-class mixture).
//!
//! A district is extreme with probability f_e, incremental with f_i, clean otherwise.
//! Incremental: x ~ TN(stuffing), y ~ TN(stealing) or y = x^alpha. Extreme: x ~ TN(extreme),
//! y = x. Official votes: `V'[b] = V[b] + x*A + y*sum_{p!=b} V[p]`, `V'[p] = (1-y) V[p]`;
//! official turnout `T' = T + x(1 - T)`.

use crate::random::Draws;
use crate::scenario::{FraudClass, FraudModel, TruncNormal};

/// The class of a district from one uniform draw `u` in [0, 1):
/// `u < f_e` is extreme, `u < f_e + f_i` incremental, otherwise clean.
pub fn class_from_uniform(u: f64, incremental: f64, extreme: f64) -> FraudClass {
    class_from_bounds(u, extreme + incremental, extreme)
}

/// [`class_from_uniform`] with the bounds computed once: `fraud = f_e + f_i`,
/// `extreme = f_e`.
#[inline(always)]
pub fn class_from_bounds(u: f64, fraud: f64, extreme: f64) -> FraudClass {
    // Selected rather than branched on: classes follow no pattern a branch predictor could
    // learn. Two selects take fewer instructions than counting the two comparisons and
    // matching on the count. (Probabilities are at least 0, so `u < extreme` implies
    // `u < fraud`.)
    let incremental_or_clean = if u < fraud {
        FraudClass::Incremental
    } else {
        FraudClass::Clean
    };
    if u < extreme {
        FraudClass::Extreme
    } else {
        incremental_or_clean
    }
}

/// A normal truncated to [0, 1], by redrawing until inside; sd 0 gives the mean exactly.
/// Validation keeps the mean in [0, 1] and sd <= 1, so acceptance is at least 34%.
///
/// With the mean on a bound (Klimek's defaults: stuffing 0, extreme 1) the normal is folded
/// onto the interval's side: `|Z| sd` (or `1 - |Z| sd`), redrawn only beyond the other
/// bound. That is the same distribution (the density is `phi((x - mean)/sd)` on [0, 1]
/// either way) with half the draws and no coin-flip branch.
pub fn trunc_normal<R: Draws + ?Sized>(rng: &mut R, tn: TruncNormal) -> f64 {
    if tn.sd == 0.0 {
        return tn.mean;
    }
    let first = rng.standard_normal();
    trunc_normal_from(first, rng, tn)
}

/// [`trunc_normal`] (with sd > 0) whose first attempt is the standard normal `z`, given;
/// redraws come from `rng`.
#[inline(always)]
pub fn trunc_normal_from<R: Draws + ?Sized>(mut z: f64, rng: &mut R, tn: TruncNormal) -> f64 {
    loop {
        let x = if tn.mean == 0.0 {
            tn.sd * z.abs()
        } else if tn.mean == 1.0 {
            1.0 - tn.sd * z.abs()
        } else {
            tn.mean + tn.sd * z
        };
        if (0.0..=1.0).contains(&x) {
            return x;
        }
        z = rng.standard_normal();
    }
}

/// Stuffing x and stealing y for a district of `class` (both 0 when clean).
pub fn draw_intensity<R: Draws + ?Sized>(
    rng: &mut R,
    model: &FraudModel,
    class: FraudClass,
) -> (f64, f64) {
    intensity_with(rng, model, class, |rng| rng.standard_normal())
}

/// How many standard normals [`draw_intensity_from`] takes from its batch for `class`: the
/// first attempt of each truncated normal with sd above 0.
pub fn first_attempts(model: &FraudModel, class: FraudClass) -> usize {
    let drawn = |tn: TruncNormal| usize::from(tn.sd > 0.0);
    match class {
        FraudClass::Clean => 0,
        FraudClass::Incremental => {
            drawn(model.stuffing) + model.alpha.map_or(drawn(model.stealing), |_| 0)
        }
        FraudClass::Extreme => drawn(model.extreme_intensity),
    }
}

/// [`draw_intensity`] with the first attempts of its truncated normals from `firsts` (a
/// batch's share, [`first_attempts`] long) and any redraw from `rng`: the engine draws
/// every district's first attempts in one batch. Always inlined: it is the first round's
/// draw per fraud district, and a call costs more than its usual work (two comparisons).
#[inline(always)]
pub fn draw_intensity_from<R: Draws + ?Sized>(
    firsts: &[f64],
    rng: &mut R,
    model: &FraudModel,
    class: FraudClass,
) -> (f64, f64) {
    let mut next = 0;
    intensity_with(rng, model, class, |_| {
        next += 1;
        firsts[next - 1]
    })
}

/// The intensities of `class`, each truncated normal starting from `first(rng)`.
#[inline(always)]
fn intensity_with<R: Draws + ?Sized>(
    rng: &mut R,
    model: &FraudModel,
    class: FraudClass,
    mut first: impl FnMut(&mut R) -> f64,
) -> (f64, f64) {
    let mut draw = |rng: &mut R, tn: TruncNormal| {
        if tn.sd == 0.0 {
            tn.mean
        } else {
            let z = first(rng);
            trunc_normal_from(z, rng, tn)
        }
    };
    match class {
        FraudClass::Clean => (0.0, 0.0),
        FraudClass::Incremental => {
            let x = draw(rng, model.stuffing);
            let y = match model.alpha {
                Some(alpha) => x.powf(alpha),
                None => draw(rng, model.stealing),
            };
            (x, y)
        }
        FraudClass::Extreme => {
            let x = draw(rng, model.extreme_intensity);
            (x, x)
        }
    }
}

/// Draw a district's class and intensities: one uniform, then only what the class needs.
#[inline(always)]
pub fn draw<R: Draws + ?Sized>(
    rng: &mut R,
    model: &FraudModel,
    incremental: f64,
    extreme: f64,
) -> (FraudClass, f64, f64) {
    if incremental == 0.0 && extreme == 0.0 {
        return (FraudClass::Clean, 0.0, 0.0);
    }
    let u = rng.uniform();
    let class = class_from_uniform(u, incremental, extreme);
    if class == FraudClass::Clean {
        // Most districts: no call into the intensity draws.
        return (class, 0.0, 0.0);
    }
    let (x, y) = draw_intensity(rng, model, class);
    (class, x, y)
}

/// Official votes from true votes `v`, non-voters `abstain`, beneficiary `b`.
#[inline]
pub fn official_into(v: &[f64], abstain: f64, b: usize, x: f64, y: f64, out: &mut [f64]) {
    let others: f64 = v
        .iter()
        .enumerate()
        .filter(|&(p, _)| p != b)
        .map(|(_, &x)| x)
        .sum();
    for (p, (o, &vp)) in out.iter_mut().zip(v).enumerate() {
        *o = if p == b {
            vp + x * abstain + y * others
        } else {
            (1.0 - y) * vp
        };
    }
}

/// `T' = T + x (1 - T)`.
#[inline]
pub fn official_turnout(t: f64, x: f64) -> f64 {
    t + x * (1.0 - t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn official_votes_follow_the_formula() {
        let v = [300.0, 200.0, 100.0];
        let mut out = [0.0; 3];
        official_into(&v, 400.0, 0, 0.1, 0.2, &mut out);
        assert!((out[0] - (300.0 + 40.0 + 0.2 * 300.0)).abs() < 1e-9);
        assert!((out[1] - 160.0).abs() < 1e-9 && (out[2] - 80.0).abs() < 1e-9);
        // Votes added equal ballots stuffed: x*A.
        let added: f64 = out.iter().sum::<f64>() - v.iter().sum::<f64>();
        assert!((added - 40.0).abs() < 1e-9);
        assert!((official_turnout(0.6, 0.1) - 0.64).abs() < 1e-12);
    }

    #[test]
    fn classes_partition_the_unit_interval() {
        assert_eq!(class_from_uniform(0.04, 0.3, 0.05), FraudClass::Extreme);
        assert_eq!(class_from_uniform(0.05, 0.3, 0.05), FraudClass::Incremental);
        assert_eq!(
            class_from_uniform(0.349, 0.3, 0.05),
            FraudClass::Incremental
        );
        assert_eq!(class_from_uniform(0.35, 0.3, 0.05), FraudClass::Clean);
    }

    /// The folded draws for a mean on a bound, and the redraws otherwise, follow the
    /// truncated normal's CDF `(Phi((x - m)/sd) - Phi(-m/sd)) / (Phi((1 - m)/sd) -
    /// Phi(-m/sd))`: a KS test on 10^5 draws at the 1% level, with sds small (the bound
    /// far away) and large (both bounds cut).
    #[test]
    fn truncated_normal_follows_its_cdf() {
        use crate::model::votes::normal_cdf;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (mean, sd) in [
            (0.0, 0.1),
            (0.0, 0.8),
            (1.0, 0.075),
            (1.0, 0.6),
            (0.1, 0.05),
        ] {
            let n = 100_000;
            let mut x: Vec<f64> = (0..n)
                .map(|_| trunc_normal(&mut rng, TruncNormal { mean, sd }))
                .collect();
            x.sort_by(f64::total_cmp);
            let (lo, hi) = (normal_cdf(-mean / sd), normal_cdf((1.0 - mean) / sd));
            let cdf = |v: f64| (normal_cdf((v - mean) / sd) - lo) / (hi - lo);
            let nf = n as f64;
            let d = x
                .iter()
                .enumerate()
                .map(|(k, &v)| (cdf(v) - k as f64 / nf).max((k + 1) as f64 / nf - cdf(v)))
                .fold(0.0, f64::max);
            assert!(d < 1.628 / nf.sqrt(), "TN({mean}, {sd}): KS distance {d}");
            assert!(x[0] >= 0.0 && x[n - 1] <= 1.0);
        }
    }

    #[test]
    fn truncated_normal_stays_inside_with_the_right_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        // Klimek's stuffing: TN(0, 0.1) on [0,1] is |N(0, 0.1)|: mean 0.1*sqrt(2/pi).
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = trunc_normal(&mut rng, TruncNormal { mean: 0.0, sd: 0.1 });
            assert!((0.0..=1.0).contains(&x));
            sum += x;
        }
        let expected = 0.1 * (2.0 / std::f64::consts::PI).sqrt();
        // sd of |N| is 0.1*sqrt(1-2/pi) ~ 0.06; MC error ~ 1.3e-4.
        assert!(
            (sum / n as f64 - expected).abs() < 6e-4,
            "{}",
            sum / n as f64
        );
        // Extreme: 1 - |N(0, 0.075)|.
        let mut sum = 0.0;
        for _ in 0..n {
            let x = trunc_normal(
                &mut rng,
                TruncNormal {
                    mean: 1.0,
                    sd: 0.075,
                },
            );
            assert!((0.0..=1.0).contains(&x));
            sum += x;
        }
        let expected = 1.0 - 0.075 * (2.0 / std::f64::consts::PI).sqrt();
        assert!((sum / n as f64 - expected).abs() < 5e-4);
        assert_eq!(
            trunc_normal(&mut rng, TruncNormal { mean: 0.3, sd: 0.0 }),
            0.3
        );
    }
}
