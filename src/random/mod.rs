//! The random numbers of one iteration, fast enough for the hot loop.
//!
//! [`Stream`] is ChaCha8 stream `i` read through a 1 KiB buffer, with the standard-normal
//! ziggurat of `rand_distr` written out so its common case (98.8% of draws: one 64-bit
//! word, a multiply and a compare) is inlined where it is used. Going through
//! `rand_distr::StandardNormal` costs a call and a refill check per draw; the profile put
//! it at a quarter of an iteration. The values are bit for bit those of
//! `ChaCha8Rng` + `StandardNormal` (tables copied unchanged, same bits consumed in the
//! same order), which the tests below check over millions of draws, so switching to the
//! stream changed no result.

mod ziggurat_tables;

use std::convert::Infallible;

use rand::{Rng, RngExt, SeedableRng, TryRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use ziggurat_tables::{ZIG_NORM_F, ZIG_NORM_R, ZIG_NORM_X};

/// Standard normal and uniform draws. Every [`Rng`] gets them through `rand_distr`;
/// [`Stream`] answers them inline with the same values.
pub trait Draws: Rng {
    /// A standard normal, as `rand_distr::StandardNormal` draws it.
    #[inline]
    fn standard_normal(&mut self) -> f64 {
        self.sample(StandardNormal)
    }

    /// A uniform in [0, 1), as `rand`'s `random::<f64>()` draws it.
    #[inline]
    fn uniform(&mut self) -> f64 {
        self.random()
    }
}

impl Draws for ChaCha8Rng {}

/// Values per chunk of a batch of normals: small enough that a chunk holding a value
/// outside the ziggurat's rectangles (then looked at again, value by value) is the
/// exception, 18% of chunks.
const CHUNK: usize = 16;

/// Bytes of generator output buffered at a time (16 ChaCha blocks).
const BUFFER: usize = 1024;

/// A ChaCha8 stream read through a buffer; see the module documentation.
#[derive(Clone)]
pub struct Stream {
    inner: ChaCha8Rng,
    buf: [u8; BUFFER],
    /// Next unread byte of `buf`; `BUFFER` when empty.
    pos: usize,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream").field("pos", &self.pos).finish()
    }
}

impl Stream {
    /// Stream `stream` of ChaCha8 under `key`.
    pub fn new(key: [u8; 32], stream: u64) -> Self {
        let mut inner = ChaCha8Rng::from_seed(key);
        inner.set_stream(stream);
        Self {
            inner,
            buf: [0; BUFFER],
            pos: BUFFER,
        }
    }

    #[cold]
    #[inline(never)]
    fn refill(&mut self) {
        self.inner.fill_bytes(&mut self.buf);
        self.pos = 0;
    }

    /// The next 4 bytes as a little-endian word, as `ChaCha8Rng::next_u32` gives them.
    #[inline]
    fn word(&mut self) -> u32 {
        if self.pos + 4 > BUFFER {
            self.refill();
        }
        let w = u32::from_le_bytes(self.buf[self.pos..self.pos + 4].try_into().unwrap());
        self.pos += 4;
        w
    }

    /// Two words, low first, as `ChaCha8Rng::next_u64` combines them.
    #[inline(always)]
    fn word64(&mut self) -> u64 {
        if self.pos + 8 <= BUFFER {
            let w = u64::from_le_bytes(self.buf[self.pos..self.pos + 8].try_into().unwrap());
            self.pos += 8;
            w
        } else {
            self.word64_across_refill()
        }
    }

    #[cold]
    #[inline(never)]
    fn word64_across_refill(&mut self) -> u64 {
        let lo = u64::from(self.word());
        let hi = u64::from(self.word());
        (hi << 32) | lo
    }

    /// One ziggurat attempt's value from 64 bits: `(layer, u in [-1, 1), x = u·X[layer])`.
    #[inline(always)]
    fn ziggurat_point(bits: u64) -> (usize, f64, f64) {
        let layer = (bits & 0xff) as usize;
        // 52 bits as a float in [2, 4), minus 3: u in [-1, 1), as rand_distr forms it.
        let u = f64::from_bits((bits >> 12) | (1024 << 52)) - 3.0;
        (layer, u, u * ZIG_NORM_X[layer])
    }

    /// Whether an attempt `x` in `layer` lies inside the layer's rectangle: then it is the
    /// value (98.8% of attempts).
    #[inline(always)]
    fn in_rectangle(layer: usize, x: f64) -> bool {
        x.abs() < ZIG_NORM_X[layer + 1]
    }

    /// The ziggurat beyond its rectangles: wedge tests, the tail, and redraws.
    #[cold]
    #[inline(never)]
    fn normal_slow(&mut self, mut layer: usize, mut u: f64, mut x: f64) -> f64 {
        loop {
            if layer == 0 {
                return self.normal_tail(u);
            }
            let f = ZIG_NORM_F[layer + 1]
                + (ZIG_NORM_F[layer] - ZIG_NORM_F[layer + 1]) * self.uniform();
            if f < (-x * x / 2.0).exp() {
                return x;
            }
            (layer, u, x) = Self::ziggurat_point(self.word64());
            if Self::in_rectangle(layer, x) {
                return x;
            }
        }
    }

    /// Marsaglia's tail beyond `R`, on the side of `u`'s sign.
    fn normal_tail(&mut self, u: f64) -> f64 {
        let (mut x, mut y) = (1.0_f64, 0.0_f64);
        while -2.0 * y < x * x {
            x = self.open01().ln() / ZIG_NORM_R;
            y = self.open01().ln();
        }
        if u < 0.0 {
            x - ZIG_NORM_R
        } else {
            ZIG_NORM_R - x
        }
    }

    /// Fill `out` with independent standard normals, much faster than one draw at a time.
    ///
    /// Every value takes its first ziggurat attempt from its own 64-bit word, the next
    /// `out.len()` words of the stream in order, all at once (the loop vectorises); the few
    /// values whose attempt falls outside the ziggurat's rectangles (about 1.2%) then finish
    /// the ziggurat in order, from the words after the batch. Each value is an exact ziggurat
    /// draw and every word is used once, so the values are independent N(0, 1); they are not
    /// the sequence `out.len()` calls of [`Draws::standard_normal`] would give.
    pub fn fill_standard_normals(&mut self, out: &mut [f64]) {
        self.fill_words(out);
        self.normals_from_words(out);
    }

    /// Replace the raw words in `out` by normals; see [`Stream::fill_standard_normals`].
    /// (An AVX2 build with gathers for the two table lookups was tried: fewer instructions,
    /// no faster; the generator, not this loop, sets the pace.)
    fn normals_from_words(&mut self, out: &mut [f64]) {
        let mut words = [0u64; CHUNK];
        for chunk in out.chunks_mut(CHUNK) {
            let words = &mut words[..chunk.len()];
            let mut outside = 0u32;
            for (j, (w, v)) in words.iter_mut().zip(chunk.iter_mut()).enumerate() {
                *w = u64::from_le(v.to_bits());
                let (layer, _, x) = Self::ziggurat_point(*w);
                *v = x;
                outside |= u32::from(!Self::in_rectangle(layer, x)) << j;
            }
            if outside != 0 {
                self.finish_outside(outside, words, chunk);
            }
        }
    }

    /// Finish the ziggurat, in order, for the values of `chunk` (made from `words`) whose
    /// first attempt fell outside the rectangles: the bits set in `outside`.
    #[cold]
    #[inline(never)]
    fn finish_outside(&mut self, mut outside: u32, words: &[u64], chunk: &mut [f64]) {
        while outside != 0 {
            let j = outside.trailing_zeros() as usize;
            outside &= outside - 1;
            let (layer, u, x) = Self::ziggurat_point(words[j]);
            chunk[j] = self.normal_slow(layer, u, x);
        }
    }

    /// Fill `out` with uniforms in [0, 1): the same values, from the same words, as
    /// `out.len()` calls of [`Draws::uniform`], without a call or buffer check per value.
    pub fn fill_uniforms(&mut self, out: &mut [f64]) {
        self.fill_words(out);
        for v in out.iter_mut() {
            *v = Self::uniform_from(u64::from_le(v.to_bits()));
        }
    }

    /// The top 53 bits times 2^-53, as rand's StandardUniform forms an f64.
    #[inline(always)]
    fn uniform_from(word: u64) -> f64 {
        // Through i64 (the value is below 2^53, so exact either way): x86-64 converts a
        // signed integer in one instruction, an unsigned one in several.
        ((word >> 11) as i64) as f64 * (1.0 / (1_u64 << 53) as f64)
    }

    /// The next `out.len()` 64-bit words of the stream, as `word64` would read them, stored
    /// as the bits of `out`: what is left of the buffer, then straight from the generator.
    fn fill_words(&mut self, out: &mut [f64]) {
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(out);
        let take = (BUFFER - self.pos).min(bytes.len());
        bytes[..take].copy_from_slice(&self.buf[self.pos..self.pos + take]);
        self.pos += take;
        // Whole words only, so the generator stays word-aligned with the buffer's reads.
        self.inner.fill_bytes(&mut bytes[take..]);
    }

    /// A uniform in (0, 1), as `rand`'s `Open01` draws it.
    fn open01(&mut self) -> f64 {
        f64::from_bits((self.word64() >> 12) | (1023 << 52)) - (1.0 - f64::EPSILON / 2.0)
    }
}

impl Draws for Stream {
    #[inline(always)]
    fn standard_normal(&mut self) -> f64 {
        let (layer, u, x) = Self::ziggurat_point(self.word64());
        if Self::in_rectangle(layer, x) {
            return x;
        }
        self.normal_slow(layer, u, x)
    }

    #[inline(always)]
    fn uniform(&mut self) -> f64 {
        Self::uniform_from(self.word64())
    }
}

impl TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.word())
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.word64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let w = self.word().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> [u8; 32] {
        let mut k = [0u8; 32];
        k[0] = seed;
        k[9] = 7;
        k
    }

    fn chacha(seed: u8, stream: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::from_seed(key(seed));
        r.set_stream(stream);
        r
    }

    /// Same values as ChaCha8Rng + rand_distr, whatever mix of calls, across many refills
    /// and every odd word alignment (a `next_u32` shifts later 64-bit reads by 4 bytes).
    #[test]
    fn draws_are_bit_identical_to_rand_distr() {
        for stream in 0..4u64 {
            let mut reference = chacha(1, stream);
            let mut fast = Stream::new(key(1), stream);
            for k in 0..400_000u64 {
                let a: f64 = reference.sample(StandardNormal);
                let b = fast.standard_normal();
                assert_eq!(a.to_bits(), b.to_bits(), "normal {k} of stream {stream}");
                if k % 5 == 0 {
                    let a: f64 = reference.random();
                    assert_eq!(a.to_bits(), fast.uniform().to_bits(), "uniform {k}");
                }
                if k % 13 == 0 {
                    assert_eq!(reference.next_u32(), fast.next_u32(), "u32 {k}");
                }
                if k % 17 == 0 {
                    assert_eq!(reference.next_u64(), fast.next_u64(), "u64 {k}");
                }
            }
        }
    }

    /// The tail and wedge paths are taken (about 1.2% of draws) and agree too.
    #[test]
    fn tail_draws_agree() {
        let mut reference = chacha(2, 0);
        let mut fast = Stream::new(key(2), 0);
        let mut beyond_r = 0;
        for _ in 0..2_000_000 {
            let a: f64 = reference.sample(StandardNormal);
            assert_eq!(a.to_bits(), fast.standard_normal().to_bits());
            if a.abs() > ZIG_NORM_R {
                beyond_r += 1;
            }
        }
        // P(|Z| > 3.654) = 2.58e-4: about 516 of 2e6.
        assert!((400..650).contains(&beyond_r), "{beyond_r}");
    }

    /// The sampler is exact on its own terms too: the first four moments of 10^6 draws
    /// are within 5 standard errors of N(0, 1)'s, and a Kolmogorov-Smirnov test on 10^5
    /// draws passes at the 1% level.
    #[test]
    fn draws_are_standard_normal() {
        let mut rng = Stream::new(key(4), 11);
        let n = 1_000_000;
        let (mut m1, mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            let z = rng.standard_normal();
            m1 += z;
            m2 += z * z;
            m3 += z * z * z;
            m4 += z * z * z * z;
        }
        let nf = n as f64;
        let (mean, var, skew, kurt) = (m1 / nf, m2 / nf, m3 / nf, m4 / nf);
        let se = |v: f64| 5.0 * (v / nf).sqrt();
        assert!(mean.abs() < se(1.0), "mean {mean}");
        assert!((var - 1.0).abs() < se(2.0), "variance {var}");
        assert!(skew.abs() < se(15.0), "third moment {skew}");
        assert!((kurt - 3.0).abs() < se(96.0), "fourth moment {kurt}");

        let n = 100_000;
        let mut z: Vec<f64> = (0..n).map(|_| rng.standard_normal()).collect();
        z.sort_by(f64::total_cmp);
        let d = z
            .iter()
            .enumerate()
            .map(|(k, &x)| {
                let f = crate::model::votes::normal_cdf(x);
                (f - k as f64 / n as f64).max((k + 1) as f64 / n as f64 - f)
            })
            .fold(0.0, f64::max);
        assert!(d < 1.628 / (n as f64).sqrt(), "KS distance {d}");
        // Uniforms: mean 1/2, variance 1/12.
        let u: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        let mean = u.iter().sum::<f64>() / n as f64;
        let var = u.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(u.iter().all(|x| (0.0..1.0).contains(x)));
        assert!((mean - 0.5).abs() < 5.0 * (1.0 / 12.0 / n as f64).sqrt());
        assert!((var - 1.0 / 12.0).abs() < 0.002);
    }

    /// The batch is the ziggurat run value by value in its documented order: first attempts
    /// from the batch's own words, then the values outside the rectangles finished from the
    /// words after it; the stream then continues after everything the batch used. Checked
    /// against a plain word-by-word reading, at odd word alignments and across refills, with
    /// tail and wedge values in every batch.
    #[test]
    fn batch_normals_follow_their_draw_order() {
        for (stream, len, skip) in [
            (0u64, 816usize, 0usize),
            (1, 5000, 1),
            (2, 1, 3),
            (3, 130, 0),
        ] {
            let mut batch = Stream::new(key(5), stream);
            let mut plain = Stream::new(key(5), stream);
            for _ in 0..skip {
                assert_eq!(batch.next_u32(), plain.next_u32());
            }
            let mut got = vec![0.0; len];
            batch.fill_standard_normals(&mut got);
            let words: Vec<u64> = (0..len).map(|_| plain.word64()).collect();
            for (k, &w) in words.iter().enumerate() {
                let (layer, u, x) = Stream::ziggurat_point(w);
                let want = if Stream::in_rectangle(layer, x) {
                    x
                } else {
                    plain.normal_slow(layer, u, x)
                };
                assert_eq!(got[k].to_bits(), want.to_bits(), "value {k} of {len}");
            }
            assert_eq!(batch.next_u64(), plain.next_u64(), "the stream continues");
            let mut uniforms = vec![0.0; len];
            batch.fill_uniforms(&mut uniforms);
            for (k, u) in uniforms.iter().enumerate() {
                assert_eq!(
                    u.to_bits(),
                    plain.uniform().to_bits(),
                    "uniform {k} of {len}"
                );
            }
            assert_eq!(batch.next_u32(), plain.next_u32(), "the stream continues");
        }
    }

    /// Batches are N(0, 1): moments of 10^6 values within 5 standard errors, a KS test on
    /// 10^5 at the 1% level, and the tail beyond the ziggurat's last layer at its rate.
    #[test]
    fn batch_normals_are_standard_normal() {
        let mut rng = Stream::new(key(6), 2);
        let mut z = vec![0.0; 1_000_000];
        for chunk in z.chunks_mut(777) {
            rng.fill_standard_normals(chunk);
        }
        let nf = z.len() as f64;
        let moment = |k: i32| z.iter().map(|x| x.powi(k)).sum::<f64>() / nf;
        let se = |v: f64| 5.0 * (v / nf).sqrt();
        assert!(moment(1).abs() < se(1.0), "mean {}", moment(1));
        assert!((moment(2) - 1.0).abs() < se(2.0), "variance {}", moment(2));
        assert!(moment(3).abs() < se(15.0), "third moment {}", moment(3));
        assert!(
            (moment(4) - 3.0).abs() < se(96.0),
            "fourth moment {}",
            moment(4)
        );
        // P(|Z| > 3.654) = 2.58e-4: about 258 of 1e6.
        let beyond_r = z.iter().filter(|x| x.abs() > ZIG_NORM_R).count();
        assert!((190..330).contains(&beyond_r), "{beyond_r}");
        let mut sample = z[..100_000].to_vec();
        sample.sort_by(f64::total_cmp);
        let n = sample.len() as f64;
        let d = sample
            .iter()
            .enumerate()
            .map(|(k, &x)| {
                let f = crate::model::votes::normal_cdf(x);
                (f - k as f64 / n).max((k + 1) as f64 / n - f)
            })
            .fold(0.0, f64::max);
        assert!(d < 1.628 / n.sqrt(), "KS distance {d}");
    }

    #[test]
    fn fill_bytes_continues_the_stream() {
        let mut reference = chacha(3, 5);
        let mut fast = Stream::new(key(3), 5);
        let (mut a, mut b) = ([0u8; 4099], [0u8; 4099]);
        fast.next_u32();
        reference.next_u32();
        reference.fill_bytes(&mut a[..4096]);
        fast.fill_bytes(&mut b[..4096]);
        assert_eq!(a[..4096], b[..4096]);
        assert_eq!(reference.next_u64(), fast.next_u64());
        // A length that is not a whole number of words uses up the last word, as
        // `ChaCha8Rng` does.
        reference.fill_bytes(&mut a);
        fast.fill_bytes(&mut b);
        assert_eq!(a, b);
        assert_eq!(reference.next_u32(), fast.next_u32());
    }
}
