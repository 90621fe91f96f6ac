//! One integration-test binary (fast linking): each module drives the library or the real
//! `seatsim` binary.

mod common;
mod shard;
mod sweep;
