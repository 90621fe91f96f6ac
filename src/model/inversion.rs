//! Official baseline: recover the clean vote by inverting the fraud model.
//!
//! `T = (T' - x)/(1 - x)`, `V[p] = N T' s'[p]/(1 - y)` for p != b,
//! `V[b] = N T' s'[b] - x N (1 - T) - y sum_{p!=b} V[p]`. Negative values, or T < 0, make
//! the draw infeasible: they are clamped at 0 and counted.

/// The recovered clean state of a district.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recovered {
    /// Clean turnout T.
    pub turnout: f64,
    /// False when something had to be clamped.
    pub feasible: bool,
}

/// Recover clean votes into `out` from official turnout `t_off`, official shares `s_off`.
/// A party whose official share is 0 stays at 0. With x = 1 (or y = 1) the official result
/// carries no information about the clean one; such a draw is infeasible unless the
/// official result is exactly what it implies.
pub fn invert_into(
    electorate: f64,
    t_off: f64,
    s_off: &[f64],
    b: usize,
    x: f64,
    y: f64,
    out: &mut [f64],
) -> Recovered {
    let mut feasible = true;
    let mut t = if x < 1.0 {
        (t_off - x) / (1.0 - x)
    } else {
        feasible = t_off >= 1.0;
        0.0
    };
    if t < 0.0 {
        feasible = false;
        t = 0.0;
    }
    let mut others = 0.0;
    for (p, o) in out.iter_mut().enumerate() {
        if p == b {
            continue;
        }
        let official = electorate * t_off * s_off[p];
        *o = if y < 1.0 {
            official / (1.0 - y)
        } else {
            if official > 0.0 {
                feasible = false;
            }
            0.0
        };
        others += *o;
    }
    let vb = electorate * t_off * s_off[b] - x * electorate * (1.0 - t) - y * others;
    out[b] = if vb < 0.0 {
        feasible = false;
        0.0
    } else {
        vb
    };
    Recovered {
        turnout: t,
        feasible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fraud::{official_into, official_turnout};

    #[test]
    fn inversion_undoes_fraud() {
        let n = 10_000.0;
        let t = 0.5;
        let v = [2000.0, 2500.0, 500.0];
        let (x, y) = (0.15, 0.3);
        let mut off = [0.0; 3];
        official_into(&v, n * (1.0 - t), 0, x, y, &mut off);
        let t_off = official_turnout(t, x);
        let total: f64 = off.iter().sum();
        assert!((total - n * t_off).abs() < 1e-6);
        let s_off: Vec<f64> = off.iter().map(|o| o / total).collect();
        let mut back = [0.0; 3];
        let r = invert_into(n, t_off, &s_off, 0, x, y, &mut back);
        assert!(r.feasible);
        assert!((r.turnout - t).abs() < 1e-12);
        for (a, b) in back.iter().zip(&v) {
            assert!((a - b).abs() < 1e-6, "{back:?}");
        }
    }

    #[test]
    fn too_much_assumed_fraud_is_infeasible_and_clamped() {
        let mut back = [0.0; 2];
        // Official turnout 30% cannot hide 50% stuffing.
        let r = invert_into(1000.0, 0.3, &[0.6, 0.4], 0, 0.5, 0.0, &mut back);
        assert!(!r.feasible);
        assert_eq!(r.turnout, 0.0);
        assert!(back.iter().all(|&v| v >= 0.0));
    }
}
