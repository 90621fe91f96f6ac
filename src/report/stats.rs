//! Summary statistics computed exactly from integer histograms.

use serde::{Deserialize, Serialize};

/// Statistics of a seat-count distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatStats {
    /// Mean seats.
    pub mean: f64,
    /// Standard deviation (population form, over iterations).
    pub sd: f64,
    /// 5% quantile (smallest k with P(seats <= k) >= 0.05).
    pub q05: u64,
    /// Median, same convention.
    pub q50: u64,
    /// 95% quantile, same convention.
    pub q95: u64,
    /// P(seats >= majority).
    pub p_majority: f64,
    /// P(seats >= two-thirds).
    pub p_two_thirds: f64,
    /// Iterations with 0, 1, …, n seats (empty, and not written, in sweep summaries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<u64>,
}

/// Statistics of a signed count (rerun effect, stolen seats).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeStats {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5% quantile.
    pub q05: i64,
    /// Median.
    pub q50: i64,
    /// 95% quantile.
    pub q95: i64,
    /// The values that occurred…
    pub values: Vec<i64>,
    /// …and how many iterations had each.
    pub counts: Vec<u64>,
}

impl ChangeStats {
    /// Share of iterations whose value satisfies `pred` (0 when there are none).
    pub fn share(&self, pred: impl Fn(i64) -> bool) -> f64 {
        let total: u64 = self.counts.iter().sum();
        let hit: u64 = self
            .values
            .iter()
            .zip(&self.counts)
            .filter(|(v, _)| pred(**v))
            .map(|(_, c)| c)
            .sum();
        if total == 0 {
            0.0
        } else {
            hit as f64 / total as f64
        }
    }
}

/// Smallest value whose cumulative count reaches `num/den` of the total.
fn quantile(counts: &[u64], total: u64, num: u128, den: u128) -> usize {
    let mut cum: u128 = 0;
    for (k, &c) in counts.iter().enumerate() {
        cum += c as u128;
        if cum * den >= num * total as u128 && cum > 0 {
            return k;
        }
    }
    counts.len().saturating_sub(1)
}

fn moments(counts: &[u64], offset: i64) -> (f64, f64, u64) {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return (0.0, 0.0, 0);
    }
    // Sum in integers for exactness and order-independence.
    let mut s1: i128 = 0;
    let mut s2: i128 = 0;
    for (k, &c) in counts.iter().enumerate() {
        let v = k as i128 + offset as i128;
        s1 += v * c as i128;
        s2 += v * v * c as i128;
    }
    let n = total as f64;
    let mean = s1 as f64 / n;
    // Var = (s2 - s1^2/n)/n, computed as (n*s2 - s1^2)/n^2 in integers where it fits.
    let num = (total as i128)
        .checked_mul(s2)
        .and_then(|a| s1.checked_mul(s1).map(|b| a - b));
    let var = match num {
        Some(num) => num as f64 / (n * n),
        None => (s2 as f64 / n - mean * mean).max(0.0),
    };
    (mean, var.max(0.0).sqrt(), total)
}

/// Statistics of a histogram over 0..=n seats.
pub fn seat_stats(counts: &[u64], majority: usize, two_thirds: usize) -> SeatStats {
    let (mean, sd, total) = moments(counts, 0);
    let at_least = |k: usize| -> f64 {
        if total == 0 {
            return 0.0;
        }
        counts.iter().skip(k).sum::<u64>() as f64 / total as f64
    };
    SeatStats {
        mean,
        sd,
        q05: quantile(counts, total, 1, 20) as u64,
        q50: quantile(counts, total, 1, 2) as u64,
        q95: quantile(counts, total, 19, 20) as u64,
        p_majority: at_least(majority),
        p_two_thirds: at_least(two_thirds),
        counts: counts.to_vec(),
    }
}

/// Statistics of a histogram whose index `k` stands for the value `k + offset`.
pub fn change_stats(counts: &[u64], offset: i64) -> ChangeStats {
    let (mean, sd, total) = moments(counts, offset);
    let (values, nonzero): (Vec<i64>, Vec<u64>) = counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(k, &c)| (k as i64 + offset, c))
        .unzip();
    ChangeStats {
        mean,
        sd,
        q05: quantile(counts, total, 1, 20) as i64 + offset,
        q50: quantile(counts, total, 1, 2) as i64 + offset,
        q95: quantile(counts, total, 19, 20) as i64 + offset,
        values,
        counts: nonzero,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_a_small_histogram_are_exact() {
        // 10 iterations: seats 1 (x2), 2 (x5), 4 (x3): mean 24/10.
        let s = seat_stats(&[0, 2, 5, 0, 3], 3, 4);
        assert!((s.mean - 2.4).abs() < 1e-12);
        // var = E[X^2] - mean^2 = (2 + 20 + 48)/10 - 5.76 = 1.24
        assert!((s.sd - 1.24_f64.sqrt()).abs() < 1e-12);
        assert_eq!((s.q05, s.q50, s.q95), (1, 2, 4));
        assert!((s.p_majority - 0.3).abs() < 1e-12);
        let c = change_stats(&[1, 0, 3], -1);
        assert_eq!(c.values, vec![-1, 1]);
        assert_eq!((c.q05, c.q50, c.q95), (-1, 1, 1));
        assert!((c.mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn stats_stay_exact_at_ten_billion_iterations_and_ten_thousand_seats() {
        // 10^10 iterations split evenly between 0 and 10,000 seats: mean 5000, sd 5000.
        let mut counts = vec![0u64; 10_001];
        counts[0] = 5_000_000_000;
        counts[10_000] = 5_000_000_000;
        let s = seat_stats(&counts, 5_001, 6_667);
        assert_eq!(s.mean, 5000.0);
        assert_eq!(s.sd, 5000.0);
        assert_eq!((s.q05, s.q50, s.q95), (0, 0, 10_000));
        assert_eq!(s.p_majority, 0.5);
        // A signed histogram over -10,000..=10,000 with 10^12 iterations at the extremes.
        let mut change = vec![0u64; 20_001];
        change[0] = 500_000_000_000;
        change[20_000] = 500_000_000_000;
        let c = change_stats(&change, -10_000);
        assert_eq!(c.mean, 0.0);
        assert_eq!(c.sd, 10_000.0);
        assert_eq!(c.values, vec![-10_000, 10_000]);
    }
}
