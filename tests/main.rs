//! One integration-test binary (fast linking): each module drives the library or the real
//! `seatsim` binary.

mod charts;
mod cli;
mod common;
mod errors;
mod forensics;
mod formats;
mod fuzz;
mod hot_loop;
mod model_exact;
mod nothing_lost;
mod properties;
mod shard;
mod sweep;
