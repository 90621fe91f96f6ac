//! Issue 5: the hot loop does not allocate. A counting allocator (for this test binary)
//! counts allocations per thread; simulating iterations after the scratch is built must add
//! none, with reruns, recounts and both baselines exercised.
//!
//! The same iterations check that every batch of normals is used up exactly
//! (`Normals::finish` asserts it in debug builds, as `cargo test` builds the library),
//! whatever noise terms are on or off: both baselines, rerun noise at every level, parties
//! not standing, sds of 0 and recounts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use seatsim::engine::{iteration, iteration_rng, Histograms, Prepared, Scratch};
use seatsim::Scenario;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is passed to the system allocator unchanged; the counter is a
// thread-local `Cell` with no destructor, so counting neither allocates nor re-enters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn iterations_allocate_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rerun_noise = [
        "rerun.uncertainty.national_sd=0.1",
        "rerun.uncertainty.regional_sd=0.05",
        "rerun.turnout.national_sd=0.1",
        "rerun.turnout.regional_sd=0.05",
        "rerun.turnout.district_sd=0.1",
        "rerun.annul.clean=0.3",
    ];
    let cases: [(&str, &[&str]); 8] = [
        ("benches/data/perf-125x5.toml", &[]),
        ("benches/data/perf-125x5.toml", &rerun_noise),
        (
            "benches/data/perf-125x5.toml",
            &[
                "uncertainty.regional_sd=0",
                "turnout.district_sd=0",
                "fraud.alpha=1",
            ],
        ),
        (
            "scenarios/azerbaijan-2005.toml",
            &[
                "recount.detect.extreme=0.5",
                "rerun.turnout.district_sd=0.1",
            ],
        ),
        ("scenarios/azerbaijan-2005.toml", &rerun_noise),
        ("scenarios/azerbaijan-2005-official.toml", &[]),
        ("scenarios/azerbaijan-2005-official.toml", &rerun_noise),
        (
            "scenarios/azerbaijan-2005-official.toml",
            &["recount.detect.extreme=0.5", "rerun.annul.clean=0.2"],
        ),
    ];
    for (file, overrides) in cases {
        let overrides: Vec<String> = overrides.iter().map(|o| o.to_string()).collect();
        let s = Scenario::load(&root.join(file), &overrides).unwrap();
        let p = Prepared::new(&s);
        let mut sc = Scratch::new(&p);
        let mut h = Histograms::new(p.parties, p.blocs, p.districts);
        let before = allocations();
        for i in 0..500 {
            iteration::simulate(&s, &p, &mut iteration_rng(7, i), &mut sc, &mut h);
        }
        sc.flush(&mut h);
        let during = allocations() - before;
        assert!(
            h.annulled.iter().sum::<u64>() > 0,
            "{file}: reruns exercised"
        );
        assert_eq!(during, 0, "{file}: 500 iterations allocated {during} times");
    }
}
