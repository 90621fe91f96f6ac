//! `exp` written so that a loop over a slice of it vectorises.
//!
//! The engine takes about 750 exponentials per iteration (softmax and logistic turnout).
//! Through libm each is a call that cannot be vectorised, and they were a quarter of the run
//! time. This one is branch-free: Cody–Waite reduction `x = k ln 2 + r` with
//! |r| <= ln 2 / 2, a degree-11 polynomial for `exp(r)` (error 1.3 * 10^-17 relative),
//! and `2^k` built from its bits. It uses only IEEE additions,
//! multiplications and exact bit operations (no fused multiply-add), so every machine and
//! every vector width gives the same bits. It is within 1 ulp of a correctly rounded `exp`
//! (tested below against the platform's libm).
//!
//! Below -708 it returns 0 rather than a subnormal: in a softmax that is a share under
//! 10^-307, and `exp(-inf) = 0` exactly, which non-standing parties rely on.

/// `ln 2` split so that `k * LN2_HI` is exact for |k| < 2^21 (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// Adding then subtracting 1.5 * 2^52 rounds to the nearest integer; the integer also sits
/// in the low bits of the sum, from where `2^k` is built.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// Below this the result is 0; above `MAX`, infinity.
const MIN: f64 = -708.0;
const MAX: f64 = 709.0;
/// exp(r) = 1 + r + r^2 Q(r) on |r| <= ln 2 / 2, Q the degree-9 Chebyshev fit of
/// (e^r - 1 - r) / r^2 (computed with mpmath at 40 digits; error 1.3e-17 relative to e^r,
/// an eighth of an ulp). Coefficients of r^0..r^11, lowest first.
const POLY: [f64; 12] = [
    1.0,
    1.0,
    0.500_000_000_000_000_1,
    0.166_666_666_666_666_69,
    0.041_666_666_666_624_164,
    0.008_333_333_333_330_065,
    0.001_388_888_891_719_671_9,
    0.000_198_412_698_630_405_45,
    2.480_152_132_236_869_2e-5,
    2.755_726_848_031_002_4e-6,
    2.762_007_587_998_336_7e-7,
    2.510_037_583_256_123_4e-8,
];

/// e^x, within 1 ulp, identical on every platform; inlined so that callers' loops vectorise.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let y = exp_in_range(x);
    if x < MIN {
        0.0
    } else if x > MAX {
        f64::INFINITY
    } else {
        y
    }
}

/// [`exp`] of an argument that is never positive, such as a softmax's `eta - max`: the
/// same bits, without the overflow test (a comparison and a selection per vector of four
/// values, in a loop of about seventy instructions per vector).
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    let y = exp_in_range(x);
    if x < MIN {
        0.0
    } else {
        y
    }
}

/// e^x for x in [MIN, MAX]; garbage elsewhere, for the callers to discard.
#[inline(always)]
fn exp_in_range(x: f64) -> f64 {
    // Outside [MIN, MAX] the lines below compute garbage (never a panic: the bit
    // arithmetic wraps), which the final selection discards.
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // 1 + (r + r^2 Q(r)), Q by Estrin's scheme: its terms are independent, so a vector of
    // them is done in about a third of Horner's chain of dependent steps, and the rounding
    // that matters (the last two additions) is Horner's.
    let r2 = r * r;
    let r4 = r2 * r2;
    let pair = |i: usize| POLY[i] + POLY[i + 1] * r;
    let low = pair(2) + pair(4) * r2;
    let high = (pair(6) + pair(8) * r2) + pair(10) * r4;
    let q = low + high * r4;
    let poly = POLY[0] + (r + r2 * q);
    // The low bits of `shifted` hold k; shifting them into the exponent field drops the rest.
    let scale = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    poly * scale
}

#[cfg(test)]
mod tests {
    use super::{exp, exp_nonpositive};

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn within_one_ulp_of_libm() {
        let mut worst = 0;
        // The softmax range (x <= 0) densely, the logistic range (|x| < 50) and the edges.
        let points = (0..2_000_000)
            .map(|i| -708.0 * f64::from(i) / 2e6)
            .chain((0..2_000_000).map(|i| -50.0 + 100.0 * f64::from(i) / 2e6))
            .chain((0..1_000_000).map(|i| -1.0 + 2.0 * f64::from(i) / 1e6))
            .chain([
                -707.999,
                1e-300,
                -1e-300,
                0.5 * std::f64::consts::LN_2,
                708.9,
            ]);
        for x in points {
            let u = ulps(exp(x), x.exp());
            assert!(u <= 1, "exp({x}) = {} vs {}", exp(x), x.exp());
            worst = worst.max(u);
        }
        assert!(worst <= 1);
    }

    /// Without the overflow test, the same bits wherever the argument is not positive.
    #[test]
    fn nonpositive_arguments_give_the_bits_of_exp() {
        let points = (0..1_000_000)
            .map(|i| -750.0 * f64::from(i) / 1e6)
            .chain((0..1_000_000).map(|i| -f64::from(i) / 1e6))
            .chain([
                -0.0,
                -708.0,
                -708.0001,
                -1e-300,
                f64::MIN,
                f64::NEG_INFINITY,
            ]);
        for x in points {
            assert_eq!(exp_nonpositive(x).to_bits(), exp(x).to_bits(), "exp({x})");
        }
    }

    #[test]
    fn exact_at_the_points_the_engine_relies_on() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1e308), 0.0);
        assert_eq!(exp(1e308), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert!(ulps(exp(1.0), std::f64::consts::E) <= 1);
    }

    #[test]
    fn never_decreases() {
        let mut last = 0.0;
        for i in 0..1_000_000 {
            let y = exp(-30.0 + 40.0 * f64::from(i) / 1e6);
            assert!(y >= last);
            last = y;
        }
    }
}
