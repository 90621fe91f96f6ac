//! Step 1: vote intention, additive logistic normal (Katz & King 1999).
//!
//! `eta[p] = ln(s[p]) + nat[p] + reg[r][p] + dis[p]`, shares = softmax(eta) over the
//! parties standing. A party that does not stand has `ln 0 = -inf`, so softmax gives it 0.

use super::exp::exp;

/// Shares from log-scale intentions. Entries of `-inf` (party not standing) get 0.
#[inline]
pub fn softmax_into(eta: &[f64], out: &mut [f64]) {
    // A plain compare, not `f64::max`: entries are never NaN, so skip its NaN handling.
    let max = eta
        .iter()
        .fold(f64::NEG_INFINITY, |m, &e| if e > m { e } else { m });
    let mut total = 0.0;
    for (o, &e) in out.iter_mut().zip(eta) {
        // exp(-inf) is exactly 0, so a party not standing gets no share; exp(0) is exactly 1,
        // so the leader's term needs no call.
        let v = if e == max { 1.0 } else { exp(e - max) };
        *o = v;
        total += v;
    }
    if total > 0.0 {
        let inv = 1.0 / total;
        for o in out.iter_mut() {
            *o *= inv;
        }
    }
}

/// Natural log of each share: `-inf` where the party does not stand.
pub fn log_shares(shares: &[f64]) -> Vec<f64> {
    shares
        .iter()
        .map(|&s| if s > 0.0 { s.ln() } else { f64::NEG_INFINITY })
        .collect()
}

/// P(A wins) with two parties and district noise sd `sigma` only:
/// `Phi(ln(sA/sB) / (sigma * sqrt 2))`. Used by tests and the docs as the exact reference.
pub fn two_party_win_probability(share_a: f64, share_b: f64, sigma: f64) -> f64 {
    let z = (share_a / share_b).ln() / (sigma * std::f64::consts::SQRT_2);
    normal_cdf(z)
}

/// Standard normal CDF, from libm's double-precision erfc.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_recovers_shares_without_noise() {
        let s = [0.5, 0.3, 0.0, 0.2];
        let eta = log_shares(&s);
        let mut out = [0.0; 4];
        softmax_into(&eta, &mut out);
        for (a, b) in out.iter().zip(&s) {
            assert!((a - b).abs() < 1e-12);
        }
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 1e-6);
    }
}
