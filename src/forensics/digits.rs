//! Digit tests on vote counts, with p-values simulated under the null.
//!
//! - 2BL (Mebane): the mean of the second significant digit of counts >= 10; under Benford's
//!   law it is 4.187. The statistic is |mean - 4.187|.
//! - Last digit (Beber & Scacco): the last digit of counts >= 100 is uniform on 0..9 when
//!   nobody made the numbers up; the statistic is Pearson's chi-square.
//!
//! p-values are the share of `replicates` samples of the same size drawn from the null whose
//! statistic is at least the observed one, (1 + k) / (1 + R), so none is ever exactly 0.

use rand::RngExt;
use rayon::prelude::*;

use crate::engine::iteration_rng;

/// Smallest count whose second digit is tested (it needs two digits).
pub const MIN_2BL: u64 = 10;
/// Smallest count whose last digit is tested (small counts favour small last digits).
pub const MIN_LAST: u64 = 100;

/// Benford's law for the second significant digit: P(d) = sum_{k=1..9} log10(1 + 1/(10k + d)).
pub fn benford_second() -> [f64; 10] {
    let mut p = [0.0; 10];
    for (d, p) in p.iter_mut().enumerate() {
        *p = (1..=9)
            .map(|k| (1.0 + 1.0 / (10 * k + d) as f64).log10())
            .sum();
    }
    p
}

/// Expected second digit under Benford's law (4.187).
pub fn benford_second_mean() -> f64 {
    benford_second()
        .iter()
        .enumerate()
        .map(|(d, p)| d as f64 * p)
        .sum()
}

/// The second significant digit of `v` (None below 10).
pub fn second_digit(mut v: u64) -> Option<u8> {
    if v < 10 {
        return None;
    }
    while v >= 100 {
        v /= 10;
    }
    Some((v % 10) as u8)
}

/// One test's result.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitTest {
    /// The party whose counts were tested.
    pub party: String,
    /// `"2BL"` or `"last_digit"`.
    pub test: &'static str,
    /// Counts tested.
    pub n: usize,
    /// Observed mean second digit (2BL) or chi-square (last digit).
    pub statistic: f64,
    /// Value expected under the null (4.187, or 9 degrees of freedom for chi-square).
    pub expected: f64,
    /// Simulated p-value.
    pub p_value: f64,
}

fn sample_digit<R: rand::Rng + ?Sized>(rng: &mut R, cdf: &[f64; 10]) -> usize {
    let u: f64 = rng.random();
    cdf.iter().position(|&c| u < c).unwrap_or(9)
}

/// Simulated p-value: share of null samples of size `n` whose statistic reaches `observed`.
fn simulated_p(
    probs: &[f64; 10],
    n: usize,
    observed: f64,
    replicates: usize,
    seed: u64,
    stat: impl Fn(&[usize; 10], usize) -> f64 + Sync,
) -> f64 {
    let mut cdf = [0.0; 10];
    let mut acc = 0.0;
    for (c, p) in cdf.iter_mut().zip(probs) {
        acc += p;
        *c = acc;
    }
    cdf[9] = f64::INFINITY;
    let hits: usize = (0..replicates)
        .into_par_iter()
        .map(|r| {
            let mut rng = iteration_rng(seed, r as u64);
            let mut counts = [0usize; 10];
            for _ in 0..n {
                counts[sample_digit(&mut rng, &cdf)] += 1;
            }
            usize::from(stat(&counts, n) >= observed - 1e-12)
        })
        .sum();
    (1 + hits) as f64 / (1 + replicates) as f64
}

fn mean_gap(counts: &[usize; 10], n: usize, expected: f64) -> f64 {
    let sum: usize = counts.iter().enumerate().map(|(d, c)| d * c).sum();
    (sum as f64 / n.max(1) as f64 - expected).abs()
}

fn chi_square(counts: &[usize; 10], n: usize) -> f64 {
    let e = n as f64 / 10.0;
    counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum()
}

/// Both tests for one party's counts. `None` for a test with fewer than 10 usable counts.
pub fn tests_for(party: &str, counts: &[f64], replicates: usize, seed: u64) -> Vec<DigitTest> {
    let ints: Vec<u64> = counts
        .iter()
        .filter(|v| v.is_finite() && **v >= 0.0)
        .map(|v| v.round() as u64)
        .collect();
    let mut out = Vec::new();
    let mut second = [0usize; 10];
    for d in ints.iter().filter_map(|&v| second_digit(v)) {
        second[d as usize] += 1;
    }
    let n2: usize = second.iter().sum();
    if n2 >= 10 {
        let expected = benford_second_mean();
        let sum: usize = second.iter().enumerate().map(|(d, c)| d * c).sum();
        let mean = sum as f64 / n2 as f64;
        let gap = (mean - expected).abs();
        let p = simulated_p(&benford_second(), n2, gap, replicates, seed, |c, n| {
            mean_gap(c, n, expected)
        });
        out.push(DigitTest {
            party: party.to_string(),
            test: "2BL",
            n: n2,
            statistic: mean,
            expected,
            p_value: p,
        });
    }
    let mut last = [0usize; 10];
    for &v in ints.iter().filter(|&&v| v >= MIN_LAST) {
        last[(v % 10) as usize] += 1;
    }
    let nl: usize = last.iter().sum();
    if nl >= 10 {
        let chi = chi_square(&last, nl);
        let p = simulated_p(&[0.1; 10], nl, chi, replicates, seed ^ 0x5eed, chi_square);
        out.push(DigitTest {
            party: party.to_string(),
            test: "last_digit",
            n: nl,
            statistic: chi,
            expected: 9.0,
            p_value: p,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benford_second_digit_law() {
        let p = benford_second();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Published values: P(0) = 0.11968, P(9) = 0.08500, mean 4.187.
        assert!((p[0] - 0.11968).abs() < 1e-5 && (p[9] - 0.08500).abs() < 1e-5);
        assert!((benford_second_mean() - 4.187).abs() < 1e-3);
        assert_eq!(second_digit(9), None);
        assert_eq!(second_digit(10), Some(0));
        assert_eq!(second_digit(4567), Some(5));
    }

    #[test]
    fn invented_numbers_are_caught_and_uniform_ones_are_not() {
        // Last digits all 0 or 5 (rounded by hand): rejected.
        let made_up: Vec<f64> = (0..500).map(|i| 100.0 + 5.0 * i as f64).collect();
        let t = tests_for("A", &made_up, 500, 1);
        let last = t.iter().find(|t| t.test == "last_digit").unwrap();
        assert!(last.p_value < 0.01, "{last:?}");
        // Consecutive integers: last digits exactly uniform, chi-square 0, p = 1.
        let fair: Vec<f64> = (100..1100).map(|v| v as f64).collect();
        let t = tests_for("A", &fair, 500, 1);
        let last = t.iter().find(|t| t.test == "last_digit").unwrap();
        assert!(last.statistic == 0.0 && last.p_value == 1.0, "{last:?}");
    }
}
