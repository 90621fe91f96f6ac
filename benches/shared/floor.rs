//! Issue 5's random-number floor, shared by the benchmarks that report it.

use std::ops::Range;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use seatsim::engine::seed_key;
use seatsim::random::Draws;

/// The fresh ChaCha8 stream of iteration `i`, as issue 5 defines the floor: `rand_chacha`
/// under the engine's key for seed 1, so the same stream the engine's `Stream` reads.
/// Through `Draws`' defaults it draws with `rand_distr::StandardNormal` and `rand`'s
/// `random::<f64>()`.
pub fn chacha_stream(i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(seed_key(1));
    rng.set_stream(i);
    rng
}

/// The floor's draws, 930 standard normals and 170 uniforms per iteration, for every
/// iteration `i` of `iterations` from the generator `rng_for(i)`; their sum, so that
/// nothing is optimised away.
pub fn floor_draws<R: Draws>(iterations: Range<u64>, rng_for: impl Fn(u64) -> R) -> f64 {
    let mut acc = 0.0;
    for i in iterations {
        let mut rng = rng_for(i);
        for _ in 0..930 {
            acc += rng.standard_normal();
        }
        for _ in 0..170 {
            acc += rng.uniform();
        }
    }
    acc
}
