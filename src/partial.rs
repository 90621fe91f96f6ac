//! Partial results of a run or sweep split across machines (`--shard K/M`), and merging
//! them back (`seatsim merge`).
//!
//! A partial file is self-contained: besides its counts it carries the scenario text, the
//! districts table and the overrides, so `merge` rebuilds the scenario (through the same
//! validation as `run`) on any machine. Counts are integers and iteration i depends only on
//! `(seed, i)`, so merged shards give the same bytes as one unsharded run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::Histograms;
use crate::error::{Error, InputError, Result};
use crate::scenario::Scenario;
use crate::sweep::{SeatCounts, Vary};

/// Written into every partial file; bumped when its layout changes.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT: &str = "seatsim-partial";

/// Shard `index` of `count` (`--shard K/M`, K counted from 0 like Slurm's array ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, in `0..count`.
    pub index: u64,
    /// M, at least 1.
    pub count: u64,
}

impl Shard {
    /// Parse `K/M`.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let bad =
            || format!("`{text}` is not K/M with 0 <= K < M (e.g. --shard 3/64, counting from 0)");
        let (k, m) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = m.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// This shard's share `[K*total/M, (K+1)*total/M)` of `total` units of work.
    pub fn range(&self, total: u64) -> (u64, u64) {
        let at = |k: u64| (k as u128 * total as u128 / self.count as u128) as u64;
        (at(self.index), at(self.index + 1))
    }

    /// `partial-K-of-M.json` (with a prefix for sweeps, so both can share a directory).
    pub fn file_name(&self, prefix: &str) -> String {
        format!("{prefix}partial-{}-of-{}.json", self.index, self.count)
    }
}

/// Bytes of an input file, as text when they are UTF-8 (the usual case), else hex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Embedded {
    /// The file's bytes as UTF-8 text.
    Text(String),
    /// The file's bytes in lower-case hex.
    Hex(String),
}

impl Embedded {
    fn new(bytes: Vec<u8>) -> Embedded {
        match String::from_utf8(bytes) {
            Ok(text) => Embedded::Text(text),
            Err(e) => Embedded::Hex(e.as_bytes().iter().map(|b| format!("{b:02x}")).collect()),
        }
    }

    fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            Embedded::Text(t) => Some(t.as_bytes().to_vec()),
            Embedded::Hex(h) => {
                if h.len() % 2 != 0 {
                    return None;
                }
                (0..h.len())
                    .step_by(2)
                    .map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
                    .collect()
            }
        }
    }
}

/// Everything needed to rebuild the scenario elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    /// The scenario file as given on the command line (recorded in summary.json).
    pub file: String,
    /// Its bytes.
    pub scenario: Embedded,
    /// The districts table's path as `run` saw it (for the reader; `merge` derives it again
    /// from `file` and the scenario's `districts` key, as `run` did).
    pub districts_file: String,
    /// Its bytes.
    pub districts: Embedded,
    /// `--set` overrides, in order.
    pub overrides: Vec<String>,
}

impl Sources {
    /// Read the files a loaded scenario came from, checking they have not changed since.
    pub fn read(s: &Scenario) -> Result<Sources> {
        let p = &s.provenance;
        let read = |path: &Path, sha: &str| -> Result<Vec<u8>> {
            let bytes = std::fs::read(path)
                .map_err(|e| InputError::file(path, format!("cannot read it again: {e}")))?;
            if crate::scenario::sha256_hex(&bytes) != sha {
                return Err(
                    InputError::file(path, "the file changed while seatsim read it").into(),
                );
            }
            Ok(bytes)
        };
        Ok(Sources {
            file: p.file.display().to_string(),
            scenario: Embedded::new(read(&p.file, &p.sha256)?),
            districts_file: p.districts_file.display().to_string(),
            districts: Embedded::new(read(&p.districts_file, &p.districts_sha256)?),
            overrides: p.overrides.clone(),
        })
    }

    /// Validate the embedded files into a scenario, with `extra` overrides after the recorded ones.
    pub fn scenario(&self, extra: &[String]) -> Result<Scenario> {
        let file = PathBuf::from(&self.file);
        let corrupt =
            |what: &str| InputError::file(&file, format!("the embedded {what} is corrupt"));
        let scenario = self.scenario.bytes().ok_or_else(|| corrupt("scenario"))?;
        let table = self
            .districts
            .bytes()
            .ok_or_else(|| corrupt("districts table"))?;
        let mut overrides = self.overrides.clone();
        overrides.extend_from_slice(extra);
        Scenario::from_sources(&file, &scenario, &table, &overrides)
    }
}

/// One grid point's share of a sweep shard: iterations `start..end` of point `point`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPart {
    /// Grid point index (first `--vary` key slowest).
    pub point: usize,
    /// First iteration (inclusive).
    pub start: u64,
    /// Last iteration (exclusive).
    pub end: u64,
    /// Seat counts of these iterations.
    pub seats: SeatCounts,
}

/// What a shard computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Payload {
    /// `seatsim run --shard`: counts of iterations `start..end`.
    Run {
        /// All counts of the run's share.
        histograms: Box<Histograms>,
    },
    /// `seatsim sweep --shard`: work units are (grid point, iteration), point-major.
    Sweep {
        /// The grid.
        vary: Vec<Vary>,
        /// Per grid point touched, in order.
        parts: Vec<SweepPart>,
    },
}

/// The contents of `partial-K-of-M.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always `seatsim-partial`.
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// seatsim version that wrote it; merge requires the same.
    pub seatsim_version: String,
    /// `Provenance::input_hash` of the scenario (without sweep values).
    pub input_hash: String,
    /// Seed of every iteration stream.
    pub seed: u64,
    /// Iterations of the whole run (per grid point for sweeps).
    pub iterations: u64,
    /// M.
    pub shards: u64,
    /// K.
    pub shard: u64,
    /// This shard's units of work `[start, end)` (iterations; for sweeps point × iteration).
    pub start: u64,
    /// End (exclusive).
    pub end: u64,
    /// The inputs.
    pub sources: Sources,
    /// The counts.
    pub payload: Payload,
}

impl Partial {
    /// A partial for shard `shard` of a run or sweep.
    pub fn new(
        s: &Scenario,
        sources: Sources,
        seed: u64,
        iterations: u64,
        shard: Shard,
        range: (u64, u64),
        payload: Payload,
    ) -> Partial {
        Partial {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            seatsim_version: crate::VERSION.into(),
            input_hash: s.provenance.input_hash(),
            seed,
            iterations,
            shards: shard.count,
            shard: shard.index,
            start: range.0,
            end: range.1,
            sources,
            payload,
        }
    }

    /// Compact JSON (these files are for machines) with a trailing newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec(self)
            .map_err(|e| Error::Internal(format!("cannot encode the partial result: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Read and check one partial file on its own.
    pub fn read(path: &Path) -> Result<Partial> {
        let bytes = std::fs::read(path)
            .map_err(|e| InputError::file(path, format!("cannot read the partial result: {e}")))?;
        let not_partial = |why: String| {
            InputError::file(
                path,
                format!("not a seatsim partial-result file (written by `run --shard` or `sweep --shard`): {why}"),
            )
        };
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| not_partial(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(not_partial("no `format: seatsim-partial` field".into()).into());
        }
        let version = value.get("format_version").and_then(|v| v.as_u64());
        if version != Some(FORMAT_VERSION as u64) {
            return Err(InputError::file(
                path,
                format!(
                    "partial-file format {} is not the format {FORMAT_VERSION} this seatsim reads",
                    version.map_or("(none)".to_string(), |v| v.to_string())
                ),
            )
            .into());
        }
        let p: Partial = serde_json::from_value(value).map_err(|e| not_partial(e.to_string()))?;
        if p.seatsim_version != crate::VERSION {
            return Err(InputError::file(
                path,
                format!(
                    "written by seatsim {}, but this is seatsim {}: merge with the version that ran the shards",
                    p.seatsim_version,
                    crate::VERSION
                ),
            )
            .into());
        }
        let bad = |msg: String| -> Error { InputError::file(path, msg).into() };
        let shard = Shard {
            index: p.shard,
            count: p.shards,
        };
        if p.shards == 0 || p.shard >= p.shards {
            return Err(bad(format!(
                "shard {} of {} does not exist",
                p.shard, p.shards
            )));
        }
        if p.iterations == 0 || p.iterations > crate::MAX_ITERATIONS {
            return Err(bad(format!("{} iterations is out of range", p.iterations)));
        }
        let units = match &p.payload {
            Payload::Run { .. } => p.iterations,
            Payload::Sweep { vary, .. } => {
                crate::sweep::grid_size(vary).map_err(bad)? as u64 * p.iterations
            }
        };
        if (p.start, p.end) != shard.range(units) {
            return Err(bad(format!(
                "its range {}..{} is not shard {} of {} of {units} units",
                p.start, p.end, p.shard, p.shards
            )));
        }
        Ok(p)
    }

    fn describe(&self) -> &'static str {
        match self.payload {
            Payload::Run { .. } => "a run",
            Payload::Sweep { .. } => "a sweep",
        }
    }
}

/// What `merge` produces: the scenario and the counts of the whole run or sweep.
pub enum Merged {
    /// A run: the scenario, its seed and all counts.
    Run {
        /// The scenario, rebuilt from the embedded sources.
        scenario: Box<Scenario>,
        /// Seed.
        seed: u64,
        /// Counts of every iteration.
        histograms: Box<Histograms>,
    },
    /// A sweep: the base scenario (without sweep values), the grid and per-point counts.
    Sweep {
        /// The scenario with `--set` overrides but no `--vary` values.
        base: Box<Scenario>,
        /// Seed.
        seed: u64,
        /// Iterations per grid point.
        iterations: u64,
        /// The grid.
        vary: Vec<Vary>,
        /// Counts per grid point.
        points: Vec<SeatCounts>,
    },
}

/// Check that `files` are exactly the M shards of one run or sweep, and add them up.
pub fn merge(files: &[PathBuf]) -> Result<Merged> {
    let mut partials = Vec::with_capacity(files.len());
    for f in files {
        partials.push((f.clone(), Partial::read(f)?));
    }
    let Some((first_file, first)) = partials.first() else {
        return Err(Error::Usage("merge needs at least one partial file".into()));
    };
    for (file, p) in &partials[1..] {
        let differ = |what: String| -> Error {
            Error::Usage(format!(
                "{} and {} are not shards of the same {}: {what}",
                first_file.display(),
                file.display(),
                first.describe().trim_start_matches("a ")
            ))
        };
        if p.describe() != first.describe() {
            return Err(differ(format!(
                "one is {}, the other {}",
                first.describe(),
                p.describe()
            )));
        }
        if p.input_hash != first.input_hash {
            return Err(differ(format!(
                "other scenario or overrides (input hash {} vs {})",
                short(&first.input_hash),
                short(&p.input_hash)
            )));
        }
        if p.seed != first.seed {
            return Err(differ(format!("seed {} vs {}", first.seed, p.seed)));
        }
        if p.shards != first.shards {
            return Err(differ(format!(
                "split into {} vs {} shards",
                first.shards, p.shards
            )));
        }
        if p.iterations != first.iterations {
            return Err(differ(format!(
                "{} vs {} iterations",
                first.iterations, p.iterations
            )));
        }
        if let (Payload::Sweep { vary: a, .. }, Payload::Sweep { vary: b, .. }) =
            (&first.payload, &p.payload)
        {
            if a != b {
                return Err(differ("other --vary grids".into()));
            }
        }
    }
    let m = first.shards;
    let mut by_shard: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for (file, p) in &partials {
        if let Some(other) = by_shard.insert(p.shard, file) {
            return Err(Error::Usage(format!(
                "shard {}/{m} is given twice: {} and {}",
                p.shard,
                other.display(),
                file.display()
            )));
        }
    }
    if (by_shard.len() as u64) < m {
        let missing: Vec<String> = (0..m)
            .filter(|k| !by_shard.contains_key(k))
            .take(10)
            .map(|k| format!("{k}/{m}"))
            .collect();
        let more = m - by_shard.len() as u64 - missing.len() as u64;
        return Err(Error::Usage(format!(
            "{} of {m} shards are missing: {}{} (given: {})",
            m - by_shard.len() as u64,
            missing.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    partials.sort_by_key(|(_, p)| p.shard);
    let (file0, p0) = &partials[0];
    let base = p0
        .sources
        .scenario(&[])
        .map_err(|e| Error::Usage(format!("{}: its embedded scenario: {e}", file0.display())))?;
    if base.provenance.input_hash() != p0.input_hash {
        return Err(InputError::file(
            file0,
            "its embedded scenario does not match its input hash (the file was edited)",
        )
        .into());
    }
    let (seed, iterations) = (p0.seed, p0.iterations);
    match &p0.payload {
        Payload::Run { .. } => {
            let mut total = Histograms::for_scenario(&base);
            for (file, p) in &partials {
                if let Payload::Run { histograms } = &p.payload {
                    check_histograms(file, histograms, &total, p.end - p.start)?;
                    total.merge(histograms);
                }
            }
            Ok(Merged::Run {
                scenario: Box::new(base),
                seed,
                histograms: Box::new(total),
            })
        }
        Payload::Sweep { vary, .. } => {
            let g = crate::sweep::grid_size(vary).map_err(Error::Usage)?;
            let empty = SeatCounts::empty(&base);
            let mut points = vec![empty.clone(); g];
            for (file, p) in &partials {
                let Payload::Sweep { parts, .. } = &p.payload else {
                    continue;
                };
                let mut at = p.start;
                for part in parts {
                    let unit = part.point as u128 * iterations as u128;
                    let ok = part.point < g
                        && part.start < part.end
                        && part.end <= iterations
                        && unit + part.start as u128 == at as u128
                        && part.seats.same_shape(&empty)
                        && part.seats.is_consistent(part.end - part.start);
                    if !ok {
                        return Err(InputError::file(
                            file,
                            format!(
                                "its counts for grid point {} do not fit its range (the file was edited or truncated)",
                                part.point
                            ),
                        )
                        .into());
                    }
                    points[part.point].merge(&part.seats);
                    at += part.end - part.start;
                }
                if at != p.end {
                    return Err(InputError::file(
                        file,
                        "its counts do not cover its range (the file was edited or truncated)",
                    )
                    .into());
                }
            }
            Ok(Merged::Sweep {
                base: Box::new(base),
                seed,
                iterations,
                vary: vary.clone(),
                points,
            })
        }
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A run shard's counts must have the scenario's shape, count exactly its iterations and
/// hold no count larger than possible (so adding them up cannot overflow).
fn check_histograms(
    file: &Path,
    h: &Histograms,
    shape: &Histograms,
    iterations: u64,
) -> Result<()> {
    let limit = iterations.saturating_mul(h.districts.max(1) as u64);
    let ok = h.same_shape(shape)
        && h.iterations == iterations
        && h.counts().iter().all(|v| v.iter().all(|&c| c <= limit));
    if ok {
        Ok(())
    } else {
        Err(InputError::file(
            file,
            "its counts do not fit its scenario and iteration range (the file was edited or truncated)",
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_any_total() {
        for total in [0u64, 1, 7, 10, 1000, 999_999_999_999] {
            for m in [1u64, 2, 3, 4, 7, 64] {
                let mut next = 0;
                for k in 0..m {
                    let (a, b) = Shard { index: k, count: m }.range(total);
                    assert_eq!(a, next, "total {total}, shard {k}/{m}");
                    assert!(b >= a && b - a <= total / m + 1);
                    next = b;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_specs_parse_from_zero() {
        assert_eq!(
            Shard::parse("3/64"),
            Ok(Shard {
                index: 3,
                count: 64
            })
        );
        for bad in ["64/64", "1/0", "-1/4", "1", "a/b", "1/2/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn embedded_bytes_round_trip() {
        for bytes in [b"a,b\n1,2\n".to_vec(), vec![0xff, 0x00, 0x41]] {
            assert_eq!(Embedded::new(bytes.clone()).bytes(), Some(bytes));
        }
        assert_eq!(Embedded::Hex("abc".into()).bytes(), None);
    }
}
