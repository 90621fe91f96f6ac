//! Which districts are annulled, and how a rerun's votes are formed.
//!
//! Annulled = `rerun.districts` ∪ `rerun.all` ∪ annulment by fraud class ∪ threshold rules
//! on the official result ∪ districts invalid under `validity.min_turnout`. A rerun starts
//! from the same true intention plus fresh noise; boycotting parties do not stand and
//! their supporters abstain.

use crate::model::tally::winner_share_and_margin;
use crate::scenario::Rules;

/// Whether the threshold rules annul a district with this official turnout and votes.
pub fn rules_annul(rules: &Rules, official_turnout: f64, official_votes: &[f64]) -> bool {
    if rules.turnout_above.is_some_and(|t| official_turnout > t) {
        return true;
    }
    if rules.winner_share_above.is_none() && rules.margin_below.is_none() {
        return false;
    }
    let (share, margin) = winner_share_and_margin(official_votes);
    rules.winner_share_above.is_some_and(|t| share > t)
        || rules.margin_below.is_some_and(|t| margin < t)
}

/// Drop boycotting parties' votes (their supporters abstain); returns the votes removed.
pub fn apply_boycott(votes: &mut [f64], boycott: &[bool]) -> f64 {
    let mut removed = 0.0;
    for (v, &b) in votes.iter_mut().zip(boycott) {
        if b {
            removed += *v;
            *v = 0.0;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fire_on_their_thresholds() {
        let rules = Rules {
            turnout_above: Some(0.9),
            winner_share_above: None,
            margin_below: Some(0.05),
        };
        assert!(rules_annul(&rules, 0.95, &[60.0, 40.0]));
        assert!(!rules_annul(&rules, 0.5, &[60.0, 40.0]));
        assert!(rules_annul(&rules, 0.5, &[51.0, 49.0]));
        let mut v = [10.0, 20.0];
        assert_eq!(apply_boycott(&mut v, &[false, true]), 20.0);
        assert_eq!(v, [10.0, 0.0]);
    }
}
