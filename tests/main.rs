//! One integration-test binary (fast linking): each module drives the library or the real
//! `seatsim` binary.

mod charts;
mod cli;
mod common;
mod forensics;
mod model_exact;
mod properties;
