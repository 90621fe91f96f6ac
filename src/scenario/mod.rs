//! Scenarios: the TOML file and its districts table, loaded and validated in one step so
//! the engine never sees invalid input.

mod hints;
mod locate;
mod overrides;
pub mod raw;
mod table;
mod validate;

use std::path::{Path, PathBuf};

pub use raw::{Baseline, SeatRule, ShareFormat};
pub use table::{csv_reader, LineCounter, TableInfo, MAX_DISTRICTS, RESERVED_COLUMNS};
pub use validate::{DEFAULT_PALETTE, MAX_PARTIES};

use crate::error::{InputError, Result};

/// A party as the engine and the reports see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Short id: the CSV column and the name used on the command line.
    pub id: String,
    /// Display name for tables and charts.
    pub name: String,
    /// `#rrggbb` colour for charts.
    pub color: String,
    /// Index into [`Scenario::blocs`].
    pub bloc: usize,
}

/// One single-member district.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    /// Id as written in the table (e.g. `"9"`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Index into [`Scenario::regions`].
    pub region: usize,
    /// Registered voters N.
    pub electorate: f64,
    /// Turnout T0 (intention baseline) or official turnout T' (official baseline).
    pub turnout: f64,
    /// Vote share per party, in party order; 0 where the party does not stand.
    pub shares: Vec<f64>,
    /// Per-district override of `fraud.incremental`.
    pub fraud_incremental: Option<f64>,
    /// Per-district override of `fraud.extreme`.
    pub fraud_extreme: Option<f64>,
}

impl District {
    /// Whether party `p` stands here (a blank or 0 cell means it does not).
    pub fn stands(&self, p: usize) -> bool {
        self.shares[p] > 0.0
    }
}

/// Normal-noise sds per party on the log-share scale (`[uncertainty]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Noise {
    /// National sd, per party.
    pub national: Vec<f64>,
    /// Regional sd, per party.
    pub regional: Vec<f64>,
    /// District sd, per party.
    pub district: Vec<f64>,
}

impl Noise {
    /// True when every sd is zero, so no draws are needed.
    pub fn is_zero(&self) -> bool {
        self.national
            .iter()
            .chain(&self.regional)
            .chain(&self.district)
            .all(|&s| s == 0.0)
    }
}

/// Turnout model (`[turnout]`, `[rerun.turnout]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TurnoutModel {
    /// Shift of turnout in percentage points.
    pub shift_pp: f64,
    /// National sd on the logit scale.
    pub national_sd: f64,
    /// Regional sd on the logit scale.
    pub regional_sd: f64,
    /// District sd on the logit scale.
    pub district_sd: f64,
    /// Who the added or removed voters vote for, per party (sums to 1).
    pub marginal: Option<Vec<f64>>,
}

/// A normal truncated to [0, 1] by redrawing; sd 0 means the mean exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncNormal {
    /// Mean of the untruncated normal, in [0, 1].
    pub mean: f64,
    /// Sd of the untruncated normal, in [0, 1].
    pub sd: f64,
}

/// The three fraud classes of Klimek et al. (2012).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FraudClass {
    /// No fraud.
    Clean = 0,
    /// Some ballot stuffing and vote stealing.
    Incremental = 1,
    /// Almost every non-voter stuffed, almost every other vote stolen.
    Extreme = 2,
}

/// A probability per fraud class (annulment, recount detection).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ByClass(pub [f64; 3]);

impl ByClass {
    /// The probability for `class`.
    pub fn get(&self, class: FraudClass) -> f64 {
        self.0[class as usize]
    }
}

/// Fraud model (`[fraud]`, `[rerun.fraud]`).
#[derive(Debug, Clone, PartialEq)]
pub struct FraudModel {
    /// The party fraud favours; `None` means no fraud at all.
    pub beneficiary: Option<usize>,
    /// f_i: probability a district is incremental.
    pub incremental: f64,
    /// f_e: probability a district is extreme.
    pub extreme: f64,
    /// Stuffing intensity x in incremental districts.
    pub stuffing: TruncNormal,
    /// Stealing intensity y in incremental districts (unless `alpha`).
    pub stealing: TruncNormal,
    /// Intensity x = y in extreme districts.
    pub extreme_intensity: TruncNormal,
    /// Klimek's coupling y = x^alpha, replacing the stealing draw.
    pub alpha: Option<f64>,
}

impl FraudModel {
    /// A model with no fraud.
    pub fn none() -> Self {
        Self {
            beneficiary: None,
            incremental: 0.0,
            extreme: 0.0,
            stuffing: TruncNormal { mean: 0.0, sd: 0.1 },
            stealing: TruncNormal {
                mean: 0.1,
                sd: 0.05,
            },
            extreme_intensity: TruncNormal {
                mean: 1.0,
                sd: 0.075,
            },
            alpha: None,
        }
    }

    /// True when no district can be falsified.
    pub fn is_none(&self) -> bool {
        self.beneficiary.is_none() || (self.incremental == 0.0 && self.extreme == 0.0)
    }
}

/// Thresholds on the official result that annul a district (`rerun.rules`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rules {
    /// Annul when official turnout is above this.
    pub turnout_above: Option<f64>,
    /// Annul when the winner's official vote share is above this.
    pub winner_share_above: Option<f64>,
    /// Annul when winner minus runner-up share is below this.
    pub margin_below: Option<f64>,
}

/// Rerun model (`[rerun]`).
#[derive(Debug, Clone, PartialEq)]
pub struct RerunModel {
    /// Districts always annulled (`rerun.districts`, or all with `rerun.all`).
    pub forced: Vec<bool>,
    /// Probability of annulment per fraud class.
    pub annul: ByClass,
    /// Threshold rules.
    pub rules: Rules,
    /// Parties that do not stand in the rerun; their supporters abstain.
    pub boycott: Vec<bool>,
    /// Fresh noise of the rerun.
    pub noise: Noise,
    /// Rerun turnout model.
    pub turnout: TurnoutModel,
    /// Rerun fraud.
    pub fraud: FraudModel,
}

/// Where a scenario came from, for provenance in every output.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// The scenario file.
    pub file: PathBuf,
    /// SHA-256 of the scenario file's bytes.
    pub sha256: String,
    /// The districts table.
    pub districts_file: PathBuf,
    /// SHA-256 of the districts table's bytes.
    pub districts_sha256: String,
    /// `--set` overrides applied, in order.
    pub overrides: Vec<String>,
}

impl Provenance {
    /// One hash that changes when the scenario, its table or any override changes.
    pub fn input_hash(&self) -> String {
        let mut text = format!("{}\n{}\n", self.sha256, self.districts_sha256);
        for o in &self.overrides {
            text.push_str(o);
            text.push('\n');
        }
        sha256_hex(text.as_bytes())
    }
}

/// A validated scenario: everything the engine needs, nothing it must check again.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Shown in tables, charts and summary.json.
    pub name: String,
    /// Files and hashes.
    pub provenance: Provenance,
    /// What the table holds.
    pub baseline: Baseline,
    /// How seats are awarded.
    pub seat_rule: SeatRule,
    /// Default seed.
    pub seed: u64,
    /// Default iteration count.
    pub iterations: u64,
    /// Parties in display order.
    pub parties: Vec<Party>,
    /// Bloc labels in order of first appearance.
    pub blocs: Vec<String>,
    /// Region names in order of first appearance in the table.
    pub regions: Vec<String>,
    /// The districts.
    pub districts: Vec<District>,
    /// First-round vote-intention noise.
    pub noise: Noise,
    /// First-round turnout model.
    pub turnout: TurnoutModel,
    /// First-round fraud.
    pub fraud: FraudModel,
    /// Official turnout below this makes a district invalid.
    pub min_turnout: Option<f64>,
    /// Districts always recounted.
    pub recount_districts: Vec<bool>,
    /// Probability of a recount per fraud class.
    pub recount_detect: ByClass,
    /// Rerun model.
    pub rerun: RerunModel,
    /// Table columns seatsim does not use (listed by `validate`).
    pub extra_columns: Vec<String>,
}

impl Scenario {
    /// Load, override and validate a scenario file and its table.
    pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario> {
        let bytes = read_limited(path, MAX_SCENARIO_BYTES)
            .map_err(|e| InputError::file(path, format!("cannot read the scenario file: {e}")))?;
        Scenario::parse(path, &bytes, overrides, |table| {
            read_limited(table, MAX_TABLE_BYTES)
        })
    }

    /// Parse, override and validate scenario bytes; `read_table` supplies the districts
    /// table named in them (a file reader in [`Scenario::load`], bytes in memory for the
    /// fuzz tests), or says why it cannot.
    pub fn parse(
        path: &Path,
        bytes: &[u8],
        overrides: &[String],
        read_table: impl FnOnce(&Path) -> std::result::Result<Vec<u8>, String>,
    ) -> Result<Scenario> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            InputError::file(
                path,
                format!(
                    "the scenario file is not valid UTF-8 text (bad byte at offset {})",
                    e.valid_up_to()
                ),
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw = overrides::parse_with_overrides(path, text, overrides)?;
        let table_path = path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(&raw.districts);
        let table_bytes = read_table(&table_path).map_err(|e| {
            let ctx = validate::Ctx::new(path, text, overrides);
            ctx.err(
                "districts",
                format!(
                    "cannot read the districts table {}: {e} (the path is relative to the scenario file)",
                    table_path.display()
                ),
            )
        })?;
        let provenance = Provenance {
            file: path.to_path_buf(),
            sha256: sha256_hex(bytes),
            districts_file: table_path.clone(),
            districts_sha256: sha256_hex(&table_bytes),
            overrides: overrides.to_vec(),
        };
        validate::validate(raw, text, overrides, provenance, &table_bytes)
    }

    /// Build a scenario from bytes already in memory, through [`Scenario::parse`] (the same
    /// parsing, overrides and validation as [`Scenario::load`]): `seatsim merge` rebuilds a
    /// shard's scenario from the copy embedded in its partial file, on a machine that may not
    /// have the original files. `file` is recorded in the provenance as given, and the table
    /// path is derived from it as `load` derives it.
    pub fn from_sources(
        file: &Path,
        scenario_bytes: &[u8],
        table_bytes: &[u8],
        overrides: &[String],
    ) -> Result<Scenario> {
        Scenario::parse(
            file,
            scenario_bytes,
            overrides,
            |_| Ok(table_bytes.to_vec()),
        )
    }

    /// Seats in the chamber: one per district.
    pub fn seats(&self) -> usize {
        self.districts.len()
    }

    /// floor(n/2) + 1.
    pub fn majority(&self) -> usize {
        self.seats() / 2 + 1
    }

    /// ceil(2n/3).
    pub fn two_thirds(&self) -> usize {
        (2 * self.seats()).div_ceil(3)
    }
}

/// Largest scenario file read: real ones are a few kilobytes, so anything bigger is the
/// wrong file (a table or a binary) and is refused before it is read into memory.
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;
/// Largest districts table read: 10,000 districts with 50 parties fit in about 10 MB.
pub const MAX_TABLE_BYTES: u64 = 64 << 20;

/// Read a whole file, refusing one above `limit` bytes without reading it.
fn read_limited(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a directory".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "it is {} bytes, more than the {limit} bytes seatsim reads",
            meta.len()
        ));
    }
    let mut bytes = Vec::new();
    // `take` also bounds files whose size the metadata does not tell (pipes, /dev files).
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("it is more than the {limit} bytes seatsim reads"));
    }
    Ok(bytes)
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
