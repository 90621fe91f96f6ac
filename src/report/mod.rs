//! Turning results into bytes (each exporter returns `Vec<u8>`, testable on its own) and
//! putting those bytes on disk atomically.

pub mod csv;
pub mod output;
pub mod stats;
pub mod summary;
pub mod table;

pub use output::OutputDir;
pub use summary::Summary;

/// `summary.json`, pretty-printed, with a trailing newline.
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    pretty_json(summary)
}

/// Any JSON output as seatsim writes them all: pretty-printed, with a trailing newline.
pub fn pretty_json(value: &impl serde::Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
