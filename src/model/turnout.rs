//! Step 2 and 3: turnout on the logit scale, and true votes.
//!
//! `T = logistic(logit(clamp(T0 + shift_pp/100)) + n_nat + n_reg + n_dis)`, clamp to
//! [0.01, 0.99]. Votes are `V[p] = N*T*share[p]`, or with marginal-voter shares m,
//! `V[p] = N*(T0*share[p] + (T - T0)*m[p])` floored at 0.

use super::exp::exp;

/// Bounds of the clamp applied before the logit.
pub const CLAMP: (f64, f64) = (0.01, 0.99);

/// ln(p / (1 - p)).
pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// 1 / (1 + e^-x), with seatsim's `exp` (the same bits on every platform).
#[inline]
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + exp(-x))
}

/// `clamp(T0 + shift_pp/100)`: the turnout the noise is centred on.
pub fn shifted(t0: f64, shift_pp: f64) -> f64 {
    (t0 + shift_pp / 100.0).clamp(CLAMP.0, CLAMP.1)
}

/// Turnout from its centre and the summed logit-scale noise.
pub fn turnout(centre: f64, noise: f64) -> f64 {
    turnout_from_logit(centre, logit(centre), noise)
}

/// [`turnout`] with `logit(centre)` computed once per district instead of per draw.
#[inline]
pub fn turnout_from_logit(centre: f64, logit_centre: f64, noise: f64) -> f64 {
    if noise == 0.0 {
        centre
    } else {
        logistic(logit_centre + noise)
    }
}

/// The marginal-voter shares restricted to the parties standing in a district, renormalised;
/// `None` when no standing party has marginal weight (then voters split like everyone else).
pub fn district_marginal(marginal: &[f64], shares: &[f64]) -> Option<Vec<f64>> {
    let total: f64 = marginal
        .iter()
        .zip(shares)
        .filter(|(_, &s)| s > 0.0)
        .map(|(m, _)| m)
        .sum();
    (total > 0.0).then(|| {
        marginal
            .iter()
            .zip(shares)
            .map(|(&m, &s)| if s > 0.0 { m / total } else { 0.0 })
            .collect()
    })
}

/// True votes `V` of a district into `out`.
pub fn votes_into(
    electorate: f64,
    t0: f64,
    t: f64,
    share: &[f64],
    marginal: Option<&[f64]>,
    out: &mut [f64],
) {
    match marginal {
        None => {
            for (o, &s) in out.iter_mut().zip(share) {
                *o = electorate * t * s;
            }
        }
        Some(m) => {
            for ((o, &s), &mp) in out.iter_mut().zip(share).zip(m) {
                *o = (electorate * (t0 * s + (t - t0) * mp)).max(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logit_and_logistic_invert() {
        for p in [0.01, 0.3, 0.5, 0.99] {
            assert!((logistic(logit(p)) - p).abs() < 1e-12);
        }
        assert_eq!(shifted(0.995, 0.0), 0.99);
        assert_eq!(shifted(0.5, -60.0), 0.01);
    }

    #[test]
    fn marginal_voters_go_where_told() {
        let mut v = [0.0; 2];
        // T0 = 0.5, T = 0.6: 10% of 1000 voters added, all to party 1.
        votes_into(1000.0, 0.5, 0.6, &[0.5, 0.5], Some(&[0.0, 1.0]), &mut v);
        assert!((v[0] - 250.0).abs() < 1e-9 && (v[1] - 350.0).abs() < 1e-9);
        // Removing voters floors at zero.
        votes_into(1000.0, 0.5, 0.1, &[0.9, 0.1], Some(&[0.0, 1.0]), &mut v);
        assert!((v[0] - 450.0).abs() < 1e-9 && v[1] == 0.0);
        assert_eq!(district_marginal(&[0.0, 1.0], &[1.0, 0.0]), None);
    }
}
