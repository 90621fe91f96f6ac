//! Run-time choice between the portable and the AVX2 builds of the vectorised code (the
//! engine's column stages and the batch of normals), in one place, so that tests can force
//! the portable build of all of them at once ([`force_build`]).

/// Tests set this (through [`force_build`]) to run the portable build on a machine with
/// AVX2.
#[cfg(test)]
static PORTABLE_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// While alive, the vector stages run the portable build (`portable`) or the AVX2 one;
/// dropping it restores AVX2.
#[cfg(test)]
pub(crate) struct ForcedBuild {
    _one_at_a_time: std::sync::MutexGuard<'static, ()>,
}

/// Tests: force the portable or the AVX2 build until the guard is dropped. Tests that force
/// a build take turns, so one test's portable pass cannot be switched back to AVX2 by
/// another finishing meanwhile (tests that do not force a build may run either).
#[cfg(test)]
pub(crate) fn force_build(portable: bool) -> ForcedBuild {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    PORTABLE_ONLY.store(portable, std::sync::atomic::Ordering::Relaxed);
    ForcedBuild {
        _one_at_a_time: guard,
    }
}

#[cfg(test)]
impl Drop for ForcedBuild {
    fn drop(&mut self) {
        PORTABLE_ONLY.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether the vector stages (the engine's and the batch of normals') run their AVX2
/// build: the CPU has AVX2, and (in tests) the portable build is not asked for. Every
/// caller's `unsafe` AVX2 call relies on this.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn use_avx2() -> bool {
    #[cfg(test)]
    let portable_only = PORTABLE_ONLY.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(test))]
    let portable_only = false;
    std::arch::is_x86_feature_detected!("avx2") && !portable_only
}

/// Define a function that runs `$body` (an `#[inline(always)]` function with the same
/// parameters) compiled twice, for the baseline x86-64 target and for AVX2, and picks the
/// AVX2 build at run time where [`use_avx2`] allows it. The vector stages all dispatch
/// through this one definition. Both builds do the same IEEE operations, so they give the
/// same bits; only the vector width differs. An optional `const P: usize` (the party count,
/// as the engine's stages take it) is passed on to `$body`.
macro_rules! avx2_dispatch {
    (
        $(#[$attr:meta])*
        $vis:vis fn $name:ident $(<const $p:ident: usize>)? ($($arg:ident: $ty:ty),* $(,)?)
            $(-> $ret:ty)? => $body:ident;
    ) => {
        $(#[$attr])*
        $vis fn $name $(<const $p: usize>)? ($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            if $crate::simd::use_avx2() {
                #[target_feature(enable = "avx2")]
                unsafe fn avx2 $(<const $p: usize>)? ($($arg: $ty),*) $(-> $ret)? {
                    $body $(::<$p>)? ($($arg),*)
                }
                // SAFETY: the CPU supports AVX2 (`use_avx2`); that is all `avx2` needs.
                return unsafe { avx2 $(::<$p>)? ($($arg),*) };
            }
            $body $(::<$p>)? ($($arg),*)
        }
    };
}
pub(crate) use avx2_dispatch;
