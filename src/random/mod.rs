//! The random numbers of one iteration, fast enough for the hot loop.
//!
//! [`Stream`] is ChaCha8 stream `i` read through a 1 KiB buffer, with the standard-normal
//! ziggurat of `rand_distr` written out so its common case (98.8% of draws: one 64-bit
//! word, a multiply and a compare) is inlined where it is used. Going through
//! `rand_distr::StandardNormal` costs a call and a refill check per draw; the profile put
//! it at a quarter of an iteration. Single draws are bit for bit those of
//! `ChaCha8Rng` + `StandardNormal` (tables copied unchanged, same bits consumed in the
//! same order), which the tests below check over millions of draws. Batches
//! ([`Stream::fill_standard_normals`], [`Stream::fill_uniforms`]) take one 32-bit word per
//! value instead: half the generator output, on a grid fine enough (2⁻²³ of a layer's
//! width, 2⁻³² for uniforms) that no Monte Carlo result can tell.

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

/// The 32-bit words of a chunk, as the stream's little-endian bytes.
type ChunkWords = [u8; 4 * CHUNK];

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

    /// Start stream `stream` under the same key, as [`Stream::new`] would, without
    /// building (and zeroing) a new 1 KiB buffer: the engine does this once per iteration.
    pub fn restart(&mut self, stream: u64) {
        self.inner.set_word_pos(0);
        self.inner.set_stream(stream);
        self.pos = BUFFER;
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
        let w = Self::le_word(&self.buf[self.pos..self.pos + 4]);
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
    /// The same ziggurat (`rand_distr`'s tables), but each value's first attempt takes one
    /// 32-bit word, not 64 bits: the low 8 bits pick the layer and the other 24, read as a
    /// signed integer k, give u = (k + 1/2)·2⁻²³, a symmetric grid on (−1, 1) (Marsaglia and
    /// Tsang's 32-bit ziggurat, with the layer and u from separate bits as Doornik advises).
    /// Half the generator output per value; the price is that a value inside a rectangle
    /// lies on a grid of 2⁻²³ times its layer's width, which moves the distribution
    /// function by about 10⁻⁷ at most.
    ///
    /// Values go in chunks of [`CHUNK`]: the chunk's first attempts from the next
    /// `CHUNK` words, all at once (four at a time with AVX2); then the chunk's few values whose
    /// attempt falls outside the rectangles (1.2%) finish the ziggurat in order, from the
    /// stream after those words, with 64-bit attempts as [`Draws::standard_normal`] makes.
    /// Each value is an exact ziggurat draw from words used once, so the values are
    /// independent N(0, 1) (to the grid); they are not the sequence `out.len()` calls of
    /// [`Draws::standard_normal`] would give.
    pub fn fill_standard_normals(&mut self, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if crate::simd::use_avx2() {
            // SAFETY: the CPU supports AVX2 (`simd::use_avx2`), all
            // `fill_standard_normals_avx2` needs.
            return unsafe { self.fill_standard_normals_avx2(out) };
        }
        self.fill_standard_normals_with(out, Self::first_attempts)
    }

    /// [`Stream::fill_standard_normals`] with the first attempts four at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn fill_standard_normals_avx2(&mut self, out: &mut [f64]) {
        // SAFETY (of the closure's call): this function runs only where AVX2 is available.
        self.fill_standard_normals_with(out, |w, o| unsafe { first_attempts_avx2(w, o) })
    }

    /// The batch, with `first_attempts` making a chunk's first attempts (and returning the
    /// bits of those outside the rectangles).
    #[inline(always)]
    fn fill_standard_normals_with(
        &mut self,
        out: &mut [f64],
        first_attempts: impl Fn(&ChunkWords, &mut [f64; CHUNK]) -> u32,
    ) {
        let mut spill = [0; 4 * CHUNK];
        let mut chunks = out.chunks_exact_mut(CHUNK);
        for chunk in &mut chunks {
            let chunk: &mut [f64; CHUNK] = chunk.try_into().unwrap();
            let words: &ChunkWords = self.next_words(4 * CHUNK, &mut spill).try_into().unwrap();
            let outside = first_attempts(words, chunk);
            if outside != 0 {
                // Kept, as the buffer may be refilled while finishing.
                let words = *words;
                self.finish_outside(outside, &words, chunk);
            }
        }
        let rest = chunks.into_remainder();
        if !rest.is_empty() {
            let mut words = [0; 4 * CHUNK];
            words[..4 * rest.len()].copy_from_slice(self.next_words(4 * rest.len(), &mut spill));
            let mut values = [0.0; CHUNK];
            let outside = first_attempts(&words, &mut values) & ((1 << rest.len()) - 1);
            rest.copy_from_slice(&values[..rest.len()]);
            if outside != 0 {
                self.finish_outside(outside, &words, rest);
            }
        }
    }

    /// The next `len / 4` words of the stream (`len` at most a chunk's bytes): read in place
    /// from the buffer when it holds them all, else copied into `spill` across the refill.
    /// (A copy of the words, stored whole and then loaded byte by byte for the layers,
    /// stalls on store forwarding; reading in place avoids it in the common case.)
    #[inline(always)]
    fn next_words<'a>(&'a mut self, len: usize, spill: &'a mut ChunkWords) -> &'a [u8] {
        let start = self.pos;
        if start + len <= BUFFER {
            self.pos += len;
            &self.buf[start..start + len]
        } else {
            self.fill_words_across_refill(&mut spill[..len]);
            &spill[..len]
        }
    }

    /// Word `j` of a run of stream bytes (a chunk's, or a batch of uniforms').
    #[inline(always)]
    fn word_of(words: &[u8], j: usize) -> u32 {
        Self::le_word(&words[4 * j..4 * j + 4])
    }

    /// The little-endian word in `bytes` (4 of them), as the stream's words are read.
    #[inline(always)]
    fn le_word(bytes: &[u8]) -> u32 {
        u32::from_le_bytes(bytes.try_into().unwrap())
    }

    /// Every value's first attempt, and a bit set for each outside the rectangles.
    #[inline(always)]
    fn first_attempts(words: &ChunkWords, out: &mut [f64; CHUNK]) -> u32 {
        let mut outside = 0u32;
        for (j, v) in out.iter_mut().enumerate() {
            let (layer, _, x) = Self::ziggurat_point32(Self::word_of(words, j));
            *v = x;
            outside |= u32::from(!Self::in_rectangle(layer, x)) << j;
        }
        outside
    }

    /// One first attempt's value from 32 bits: `(layer, u, x = u·X[layer])`, with u on the
    /// grid `(k + 1/2)·2⁻²³`, k the top 24 bits as a signed integer.
    #[inline(always)]
    fn ziggurat_point32(w: u32) -> (usize, f64, f64) {
        let layer = (w & 0xff) as usize;
        let k = (w as i32) >> 8;
        let u = (f64::from(k) + 0.5) * (1.0 / (1 << 23) as f64);
        (layer, u, u * ZIG_NORM_X[layer])
    }

    /// Finish the ziggurat, in order, for the values of `chunk` (made from `words`) whose
    /// first attempt fell outside the rectangles: the bits set in `outside`.
    #[cold]
    #[inline(never)]
    fn finish_outside(&mut self, mut outside: u32, words: &ChunkWords, chunk: &mut [f64]) {
        while outside != 0 {
            let j = outside.trailing_zeros() as usize;
            outside &= outside - 1;
            let (layer, u, x) = Self::ziggurat_point32(Self::word_of(words, j));
            chunk[j] = self.normal_slow(layer, u, x);
        }
    }

    /// Fill `out` with uniforms in (0, 1), one 32-bit word each: (w + 1/2)·2⁻³², the
    /// midpoints of a grid of 2³² cells. Half the generator output of [`Draws::uniform`]'s
    /// 53 bits; a probability compared with such a uniform is rounded to that grid, a
    /// change of at most 2⁻³³.
    #[inline]
    pub fn fill_uniforms(&mut self, out: &mut [f64]) {
        let mut spill = [0; 4 * CHUNK];
        for chunk in out.chunks_mut(CHUNK) {
            let words = self.next_words(4 * chunk.len(), &mut spill);
            // Zipped with the words, not indexed: no bounds check, so the loop vectorises.
            for (v, word) in chunk.iter_mut().zip(words.chunks_exact(4)) {
                *v = Self::uniform_from32(Self::le_word(word));
            }
        }
    }

    /// `(w + 1/2)·2⁻³²`, in (0, 1).
    #[inline(always)]
    fn uniform_from32(w: u32) -> f64 {
        // Every step is exact. `f64::from` of a u32, unlike a conversion through i64, has
        // a vector form with AVX2 (four at a time).
        (f64::from(w) + 0.5) * (1.0 / (1_u64 << 32) as f64)
    }

    /// The top 53 bits times 2^-53, as rand's StandardUniform forms an f64.
    #[inline(always)]
    fn uniform_from(word: u64) -> f64 {
        // Through i64 (the value is below 2^53, so exact either way): x86-64 converts a
        // signed integer in one instruction, an unsigned one in several.
        ((word >> 11) as i64) as f64 * (1.0 / (1_u64 << 53) as f64)
    }

    /// The next `out.len() / 4` words of the stream (at most a buffer's worth), as
    /// [`Stream::word`] reads them, when the buffer holds fewer: its rest, then the start of
    /// the next.
    #[cold]
    #[inline(never)]
    fn fill_words_across_refill(&mut self, out: &mut [u8]) {
        debug_assert!(out.len() % 4 == 0 && out.len() <= BUFFER);
        let take = (BUFFER - self.pos).min(out.len());
        out[..take].copy_from_slice(&self.buf[self.pos..self.pos + take]);
        self.pos += take;
        let rest = out.len() - take;
        if rest > 0 {
            self.refill();
            out[take..].copy_from_slice(&self.buf[..rest]);
            self.pos = rest;
        }
    }

    /// A uniform in (0, 1), as `rand`'s `Open01` draws it.
    fn open01(&mut self) -> f64 {
        f64::from_bits((self.word64() >> 12) | (1023 << 52)) - (1.0 - f64::EPSILON / 2.0)
    }
}

/// [`Stream::first_attempts`] four values at a time, with the same operations (so the same
/// bits): the compiler leaves the portable loop scalar. A layer's two bounds, `X[layer]`
/// and `X[layer + 1]`, are adjacent, so each value's pair is one 16-byte load, regrouped
/// into two vectors by two inserts and two unpacks (AVX2 gathers, tried instead, took
/// most of this function's time).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn first_attempts_avx2(words: &ChunkWords, out: &mut [f64; CHUNK]) -> u32 {
    use std::arch::x86_64::*;
    let table = ZIG_NORM_X.as_ptr();
    let half = _mm256_set1_pd(0.5);
    let scale = _mm256_set1_pd(1.0 / (1 << 23) as f64);
    let magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(i64::MAX));
    let mut outside = 0u32;
    for q in 0..CHUNK / 4 {
        // The four words' bytes; a word's layer is its low (first) byte.
        let w = &words[16 * q..16 * q + 16];
        // SAFETY: layers are below 256 and the table has 257 entries, so every 16-byte
        // load at a layer stays inside it; 4q + 3 < CHUNK, inside both arrays.
        unsafe {
            let pair = |j: usize| _mm_loadu_pd(table.add(usize::from(w[4 * j])));
            let even = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(0)), pair(2));
            let odd = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(1)), pair(3));
            let width = _mm256_unpacklo_pd(even, odd);
            let bound = _mm256_unpackhi_pd(even, odd);
            let v = _mm_loadu_si128(w.as_ptr().cast());
            let k = _mm256_cvtepi32_pd(_mm_srai_epi32::<8>(v));
            let u = _mm256_mul_pd(_mm256_add_pd(k, half), scale);
            let x = _mm256_mul_pd(u, width);
            _mm256_storeu_pd(out.as_mut_ptr().add(4 * q), x);
            let inside = _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_and_pd(x, magnitude), bound);
            outside |= ((!_mm256_movemask_pd(inside) as u32) & 0xf) << (4 * q);
        }
    }
    outside
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

    /// The batch is the ziggurat run value by value in its documented order: per chunk of
    /// 16 values, first attempts from the chunk's own 32-bit words, then the chunk's values
    /// outside the rectangles finished from the words after it; the stream then continues
    /// after everything the batch used. Checked against a plain word-by-word reading, at odd
    /// word alignments, with chunks across refills, with tail and wedge values in every
    /// batch; uniforms likewise.
    #[test]
    fn batch_normals_follow_their_draw_order() {
        for (stream, len, skip) in [
            (0u64, 816usize, 0usize),
            (1, 5000, 1),
            (2, 1, 3),
            (3, 130, 0),
            (4, 777, 5),
        ] {
            let mut batch = Stream::new(key(5), stream);
            let mut plain = Stream::new(key(5), stream);
            for _ in 0..skip {
                assert_eq!(batch.next_u32(), plain.next_u32());
            }
            let mut got = vec![0.0; len];
            batch.fill_standard_normals(&mut got);
            let mut outside_seen = 0;
            for (c, chunk) in got.chunks(CHUNK).enumerate() {
                let words: Vec<u32> = chunk.iter().map(|_| plain.word()).collect();
                for (j, &w) in words.iter().enumerate() {
                    let k = (w as i32) >> 8;
                    let layer = (w & 0xff) as usize;
                    let x = (k as f64 + 0.5) / 8_388_608.0 * ZIG_NORM_X[layer];
                    if x.abs() < ZIG_NORM_X[layer + 1] {
                        assert_eq!(chunk[j].to_bits(), x.to_bits(), "value {j} of chunk {c}");
                    }
                }
                for (j, &w) in words.iter().enumerate() {
                    let (layer, u, x) = Stream::ziggurat_point32(w);
                    if !Stream::in_rectangle(layer, x) {
                        outside_seen += 1;
                        let want = plain.normal_slow(layer, u, x);
                        assert_eq!(chunk[j].to_bits(), want.to_bits(), "value {j} of chunk {c}");
                    }
                }
            }
            assert!(len < 700 || outside_seen > 0, "slow path exercised");
            assert_eq!(batch.next_u64(), plain.next_u64(), "the stream continues");
            let mut uniforms = vec![0.0; len];
            batch.fill_uniforms(&mut uniforms);
            for (k, u) in uniforms.iter().enumerate() {
                let w = plain.word();
                let want = (w as f64 + 0.5) / 4_294_967_296.0;
                assert_eq!(u.to_bits(), want.to_bits(), "uniform {k} of {len}");
            }
            assert_eq!(batch.next_u32(), plain.next_u32(), "the stream continues");
        }
    }

    /// A restarted stream is a new one: same values, whatever was read before.
    #[test]
    fn restart_is_a_new_stream() {
        let mut reused = Stream::new(key(8), 0);
        for stream in [3u64, 0, 1 << 40, 3] {
            // Leave the buffer part-read (and the generator mid-block) before restarting.
            let mut batch = vec![0.0; 333];
            reused.fill_standard_normals(&mut batch);
            reused.next_u32();
            reused.restart(stream);
            let mut fresh = Stream::new(key(8), stream);
            for k in 0..3000 {
                assert_eq!(
                    reused.next_u64(),
                    fresh.next_u64(),
                    "word {k} of stream {stream}"
                );
            }
        }
    }

    /// The AVX2 first attempts are the portable ones, bit for bit, mask included, for
    /// every layer (both signs, the grid's ends) and a million stream words.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_first_attempts_match_the_portable_ones() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let mut rng = Stream::new(key(7), 0);
        let edges =
            (0..=255u32).flat_map(|l| [l, l | 0x8000_0000, l | 0x7fff_ff00, l | 0xffff_ff00]);
        let random = (0..1_000_000).map(|_| rng.next_u32());
        let words: Vec<u32> = edges.chain(random).collect();
        let mut outside = 0;
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        for chunk in bytes.chunks_exact(4 * CHUNK) {
            let chunk: &ChunkWords = chunk.try_into().unwrap();
            let (mut a, mut b) = ([0.0; CHUNK], [0.0; CHUNK]);
            let mask = Stream::first_attempts(chunk, &mut a);
            // SAFETY: AVX2 is available (checked above).
            assert_eq!(mask, unsafe { first_attempts_avx2(chunk, &mut b) });
            assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
            outside += mask.count_ones();
        }
        assert!(outside > 10_000, "outside values exercised: {outside}");
    }

    /// The 32-bit grids are symmetric and inside their intervals: the extreme words give
    /// u = ±(1 − 2⁻²⁴) and uniforms 2⁻³³ and 1 − 2⁻³³.
    #[test]
    fn grids_are_symmetric_and_open() {
        let (_, lo, _) = Stream::ziggurat_point32(0x8000_0000);
        let (_, hi, _) = Stream::ziggurat_point32(0x7fff_ffff);
        assert_eq!(lo, -(1.0 - 2f64.powi(-24)));
        assert_eq!(hi, 1.0 - 2f64.powi(-24));
        let (_, below, _) = Stream::ziggurat_point32(0xffff_ff00);
        let (_, above, _) = Stream::ziggurat_point32(0x0000_0000);
        assert_eq!(below, -above);
        assert_eq!(Stream::uniform_from32(0), 2f64.powi(-33));
        assert_eq!(Stream::uniform_from32(u32::MAX), 1.0 - 2f64.powi(-33));
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
