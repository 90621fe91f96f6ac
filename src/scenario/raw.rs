//! The scenario file exactly as written: serde structs that reject unknown keys.
//!
//! Parsing and checking are separate steps (as in ripgrep's flag handling): these structs
//! only mirror the TOML; `validate` turns them into a [`crate::scenario::Scenario`].

// Field names are the scenario keys themselves, each documented in the README's key table.
#![allow(missing_docs)]

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A district id as written in TOML: students write `9`, tables write `"9"`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum DistrictRef {
    /// `"9"`
    Text(String),
    /// `9`
    Number(i64),
}

impl DistrictRef {
    /// The id as the districts table spells it.
    pub fn as_id(&self) -> String {
        match self {
            DistrictRef::Text(s) => s.trim().to_string(),
            DistrictRef::Number(n) => n.to_string(),
        }
    }
}

/// Top level of a scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    pub districts: String,
    #[serde(default)]
    pub baseline: Baseline,
    #[serde(default)]
    pub shares: ShareFormat,
    #[serde(default)]
    pub seat_rule: SeatRule,
    pub seed: Option<u64>,
    pub iterations: Option<u64>,
    #[serde(rename = "party", default)]
    pub parties: Vec<RawParty>,
    #[serde(default)]
    pub uncertainty: RawUncertainty,
    #[serde(default)]
    pub turnout: RawTurnout,
    #[serde(default)]
    pub fraud: RawFraud,
    #[serde(default)]
    pub validity: RawValidity,
    #[serde(default)]
    pub recount: RawRecount,
    #[serde(default)]
    pub rerun: RawRerun,
}

/// What the districts table holds.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Baseline {
    /// True voter intention; the fraud model adds the official distortion.
    #[default]
    Intention,
    /// Official (possibly falsified) results; the engine inverts the fraud prior.
    Official,
}

/// How party columns are written.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ShareFormat {
    /// Vote-share fractions.
    #[default]
    Fraction,
    /// Vote counts.
    Votes,
}

/// How a district's seat is awarded.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeatRule {
    /// Most official votes wins; exact ties go to the party listed first.
    #[default]
    Plurality,
}

/// One `[[party]]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub id: String,
    pub name: Option<String>,
    pub color: Option<String>,
    pub bloc: Option<String>,
}

/// `[uncertainty]`: sds on the log-share scale.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    pub national_sd: Option<f64>,
    pub regional_sd: Option<f64>,
    pub district_sd: Option<f64>,
    /// Per-party overrides: `[uncertainty.party.YAP] district_sd = 0.2`.
    #[serde(default)]
    pub party: IndexMap<String, RawPartyUncertainty>,
}

/// `[uncertainty.party.ID]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartyUncertainty {
    pub national_sd: Option<f64>,
    pub regional_sd: Option<f64>,
    pub district_sd: Option<f64>,
}

/// `[turnout]` and `[rerun.turnout]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTurnout {
    pub shift_pp: Option<f64>,
    pub national_sd: Option<f64>,
    pub regional_sd: Option<f64>,
    pub district_sd: Option<f64>,
    pub marginal: Option<IndexMap<String, f64>>,
}

/// `[fraud]` and `[rerun.fraud]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFraud {
    pub beneficiary: Option<String>,
    pub incremental: Option<f64>,
    pub extreme: Option<f64>,
    pub stuffing_mean: Option<f64>,
    pub stuffing_sd: Option<f64>,
    pub stealing_mean: Option<f64>,
    pub stealing_sd: Option<f64>,
    pub extreme_mean: Option<f64>,
    pub extreme_sd: Option<f64>,
    pub alpha: Option<f64>,
}

/// `[validity]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawValidity {
    pub min_turnout: Option<f64>,
}

/// Probabilities per fraud class.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawByClass {
    pub clean: Option<f64>,
    pub incremental: Option<f64>,
    pub extreme: Option<f64>,
}

/// `[recount]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecount {
    #[serde(default)]
    pub districts: Vec<DistrictRef>,
    #[serde(default)]
    pub detect: RawByClass,
}

/// `rerun.rules`: thresholds on the official result that annul a district.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    pub turnout_above: Option<f64>,
    pub winner_share_above: Option<f64>,
    pub margin_below: Option<f64>,
}

/// `[rerun]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRerun {
    #[serde(default)]
    pub districts: Vec<DistrictRef>,
    #[serde(default)]
    pub all: bool,
    #[serde(default)]
    pub annul: RawByClass,
    #[serde(default)]
    pub rules: RawRules,
    #[serde(default)]
    pub boycott: Vec<String>,
    #[serde(default)]
    pub uncertainty: RawUncertainty,
    #[serde(default)]
    pub turnout: RawTurnout,
    #[serde(default)]
    pub fraud: RawFraud,
}
