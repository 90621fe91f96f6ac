//! Recount: stealing is undone (the ballots show it), stuffing is not (the stuffed ballots
//! are in the box): `V''[b] = V[b] + x*A`, `V''[p] = V[p]`.

/// Recounted votes from true votes `v`, non-voters `abstain`, beneficiary `b`, stuffing `x`.
pub fn recount_into(v: &[f64], abstain: f64, b: usize, x: f64, out: &mut [f64]) {
    for (p, (o, &vp)) in out.iter_mut().zip(v).enumerate() {
        *o = if p == b { vp + x * abstain } else { vp };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fraud::official_into;

    #[test]
    fn recount_undoes_stealing_and_keeps_stuffing() {
        let v = [300.0, 400.0];
        let mut official = [0.0; 2];
        official_into(&v, 300.0, 0, 0.2, 0.5, &mut official);
        // Official: 300 + 60 + 200 = 560 vs 200: the beneficiary wins.
        assert!(official[0] > official[1]);
        let mut recounted = [0.0; 2];
        recount_into(&v, 300.0, 0, 0.2, &mut recounted);
        assert_eq!(recounted, [360.0, 400.0]);
    }
}
