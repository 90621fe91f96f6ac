//! Step 5: the winner of a district (plurality; exact ties go to the party listed first).

/// Index of the party with the most votes; the first listed wins an exact tie. `None` when
/// nobody received a vote.
#[inline]
pub fn plurality_winner(votes: &[f64]) -> Option<usize> {
    // Strictly greater keeps the first of equal maxima; starting at 0 skips empty parties.
    let (mut best, mut most) = (usize::MAX, 0.0);
    for (p, &v) in votes.iter().enumerate() {
        if v > most {
            most = v;
            best = p;
        }
    }
    (best != usize::MAX).then_some(best)
}

/// Winner's share of the votes cast and its lead over the runner-up (both fractions).
pub fn winner_share_and_margin(votes: &[f64]) -> (f64, f64) {
    let total: f64 = votes.iter().sum();
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    let (mut first, mut second) = (0.0_f64, 0.0_f64);
    for &v in votes {
        if v > first {
            second = first;
            first = v;
        } else if v > second {
            second = v;
        }
    }
    (first / total, (first - second) / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_first_party() {
        assert_eq!(plurality_winner(&[1.0, 3.0, 3.0]), Some(1));
        assert_eq!(plurality_winner(&[0.0, 0.0]), None);
        let (s, m) = winner_share_and_margin(&[50.0, 30.0, 20.0]);
        assert!((s - 0.5).abs() < 1e-12 && (m - 0.2).abs() < 1e-12);
    }
}
