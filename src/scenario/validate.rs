//! Raw TOML structs → a typed, checked [`Scenario`].

use std::path::Path;

use indexmap::IndexMap;

use super::hints;
use super::locate::{key_line, party_line};
use super::overrides::split_override;
use super::raw::{RawByClass, RawFraud, RawScenario, RawTurnout, RawUncertainty};
use super::table::load_table;
use super::{
    ByClass, FraudModel, Noise, Party, Provenance, RerunModel, Rules, Scenario, TruncNormal,
    TurnoutModel,
};
use crate::error::{InputError, Location, Result};

/// Most parties a scenario may have.
pub const MAX_PARTIES: usize = 50;
/// Largest log-scale sd accepted; beyond it shares are pure noise.
const MAX_LOG_SD: f64 = 5.0;
/// Colour-blind-safe default palette (Okabe & Ito, 2008) for parties without a colour.
pub const DEFAULT_PALETTE: [&str; 8] = [
    "#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
];

/// Knows the file text and the overrides, so errors can say where a key was set.
pub struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    overridden: Vec<(String, String)>,
}

impl<'a> Ctx<'a> {
    /// A context for one scenario file.
    pub fn new(file: &'a Path, text: &'a str, overrides: &[String]) -> Self {
        let overridden = overrides
            .iter()
            .filter_map(|o| split_override(o).ok().map(|(k, _)| (k, o.clone())))
            .collect();
        Self {
            file,
            text,
            overridden,
        }
    }

    /// An error about `key`, located at the `--set` that last set it or its line in the file.
    pub fn err(&self, key: &str, message: impl Into<String>) -> InputError {
        let by_flag = self
            .overridden
            .iter()
            .rev()
            .find(|(k, _)| k == key || key.starts_with(&format!("{k}.")));
        let location = match by_flag {
            Some((_, flag)) => Location::SetFlag(flag.clone()),
            None => key_line(self.text, key)
                .map(Location::Line)
                .unwrap_or(Location::File),
        };
        InputError::at(self.file, location, key, message)
    }

    fn party_err(&self, index: usize, key: &str, message: impl Into<String>) -> InputError {
        let location = party_line(self.text, index)
            .map(Location::Line)
            .unwrap_or(Location::File);
        InputError::at(self.file, location, format!("party.{key}"), message)
    }

    fn probability(&self, key: &str, v: Option<f64>, default: f64) -> Result<f64> {
        let v = v.unwrap_or(default);
        if !(0.0..=1.0).contains(&v) {
            return Err(self
                .err(key, format!("{v} is not a probability between 0 and 1"))
                .into());
        }
        Ok(v)
    }

    fn sd(&self, key: &str, v: Option<f64>, default: f64, max: f64) -> Result<f64> {
        let v = v.unwrap_or(default);
        if !(0.0..=max).contains(&v) {
            return Err(self
                .err(
                    key,
                    format!("{v} is not a standard deviation between 0 and {max}"),
                )
                .into());
        }
        Ok(v)
    }
}

fn party_index(ids: &[String], id: &str) -> Option<usize> {
    ids.iter().position(|p| p == id)
}

fn unknown_party(ids: &[String], id: &str) -> String {
    format!(
        "`{id}` is not a party id; the parties are {}{}",
        ids.join(", "),
        hints::did_you_mean(id, ids)
    )
}

fn noise(ctx: &Ctx, prefix: &str, raw: &RawUncertainty, ids: &[String]) -> Result<Noise> {
    let n = ids.len();
    let national = ctx.sd(
        &format!("{prefix}.national_sd"),
        raw.national_sd,
        0.0,
        MAX_LOG_SD,
    )?;
    let regional = ctx.sd(
        &format!("{prefix}.regional_sd"),
        raw.regional_sd,
        0.0,
        MAX_LOG_SD,
    )?;
    let district = ctx.sd(
        &format!("{prefix}.district_sd"),
        raw.district_sd,
        0.0,
        MAX_LOG_SD,
    )?;
    let mut out = Noise {
        national: vec![national; n],
        regional: vec![regional; n],
        district: vec![district; n],
    };
    for (id, o) in &raw.party {
        let key = format!("{prefix}.party.{id}");
        let p = party_index(ids, id).ok_or_else(|| ctx.err(&key, unknown_party(ids, id)))?;
        if let Some(v) = o.national_sd {
            out.national[p] = ctx.sd(&format!("{key}.national_sd"), Some(v), 0.0, MAX_LOG_SD)?;
        }
        if let Some(v) = o.regional_sd {
            out.regional[p] = ctx.sd(&format!("{key}.regional_sd"), Some(v), 0.0, MAX_LOG_SD)?;
        }
        if let Some(v) = o.district_sd {
            out.district[p] = ctx.sd(&format!("{key}.district_sd"), Some(v), 0.0, MAX_LOG_SD)?;
        }
    }
    Ok(out)
}

fn marginal(
    ctx: &Ctx,
    key: &str,
    raw: &Option<IndexMap<String, f64>>,
    ids: &[String],
) -> Result<Option<Vec<f64>>> {
    let Some(map) = raw else { return Ok(None) };
    let mut m = vec![0.0; ids.len()];
    for (id, &v) in map {
        let p = party_index(ids, id)
            .ok_or_else(|| ctx.err(&format!("{key}.{id}"), unknown_party(ids, id)))?;
        if !(0.0..=1.0).contains(&v) {
            return Err(ctx
                .err(
                    &format!("{key}.{id}"),
                    format!("{v} is not a share between 0 and 1"),
                )
                .into());
        }
        m[p] = v;
    }
    let total: f64 = m.iter().sum();
    if (total - 1.0).abs() > 1e-6 {
        return Err(ctx
            .err(key, format!("the marginal shares sum to {total}, not 1"))
            .into());
    }
    Ok(Some(m))
}

fn turnout(ctx: &Ctx, prefix: &str, raw: &RawTurnout, ids: &[String]) -> Result<TurnoutModel> {
    let shift_pp = raw.shift_pp.unwrap_or(0.0);
    if !(-100.0..=100.0).contains(&shift_pp) {
        return Err(ctx
            .err(
                &format!("{prefix}.shift_pp"),
                format!("{shift_pp} is not a shift in percentage points between -100 and 100"),
            )
            .into());
    }
    Ok(TurnoutModel {
        shift_pp,
        national_sd: ctx.sd(
            &format!("{prefix}.national_sd"),
            raw.national_sd,
            0.0,
            MAX_LOG_SD,
        )?,
        regional_sd: ctx.sd(
            &format!("{prefix}.regional_sd"),
            raw.regional_sd,
            0.0,
            MAX_LOG_SD,
        )?,
        district_sd: ctx.sd(
            &format!("{prefix}.district_sd"),
            raw.district_sd,
            0.0,
            MAX_LOG_SD,
        )?,
        marginal: marginal(ctx, &format!("{prefix}.marginal"), &raw.marginal, ids)?,
    })
}

fn trunc_normal(
    ctx: &Ctx,
    prefix: &str,
    name: &str,
    mean: Option<f64>,
    sd: Option<f64>,
    defaults: TruncNormal,
) -> Result<TruncNormal> {
    let mean = ctx.probability(&format!("{prefix}.{name}_mean"), mean, defaults.mean)?;
    let sd = ctx.sd(&format!("{prefix}.{name}_sd"), sd, defaults.sd, 1.0)?;
    Ok(TruncNormal { mean, sd })
}

fn fraud(
    ctx: &Ctx,
    prefix: &str,
    raw: &RawFraud,
    ids: &[String],
    inherit: Option<&FraudModel>,
) -> Result<FraudModel> {
    let base = inherit.cloned().unwrap_or_else(FraudModel::none);
    let beneficiary = match &raw.beneficiary {
        Some(id) => Some(
            party_index(ids, id)
                .ok_or_else(|| ctx.err(&format!("{prefix}.beneficiary"), unknown_party(ids, id)))?,
        ),
        None => base.beneficiary,
    };
    // A rerun inherits the beneficiary and intensities, but not the fraud probabilities.
    let incremental = ctx.probability(&format!("{prefix}.incremental"), raw.incremental, 0.0)?;
    let extreme = ctx.probability(&format!("{prefix}.extreme"), raw.extreme, 0.0)?;
    if incremental + extreme > 1.0 + 1e-12 {
        return Err(ctx
            .err(
                &format!("{prefix}.extreme"),
                format!(
                    "incremental + extreme = {} is above 1",
                    incremental + extreme
                ),
            )
            .into());
    }
    if beneficiary.is_none() && incremental + extreme > 0.0 {
        return Err(ctx
            .err(
                &format!("{prefix}.beneficiary"),
                "fraud probabilities are set but no beneficiary party is named",
            )
            .into());
    }
    let alpha = match raw.alpha.or(base.alpha) {
        Some(a) if !(a > 0.0 && a <= 100.0) => {
            return Err(ctx
                .err(
                    &format!("{prefix}.alpha"),
                    format!("{a} is not between 0 (exclusive) and 100"),
                )
                .into())
        }
        other => other,
    };
    Ok(FraudModel {
        beneficiary,
        incremental,
        extreme,
        stuffing: trunc_normal(
            ctx,
            prefix,
            "stuffing",
            raw.stuffing_mean,
            raw.stuffing_sd,
            base.stuffing,
        )?,
        stealing: trunc_normal(
            ctx,
            prefix,
            "stealing",
            raw.stealing_mean,
            raw.stealing_sd,
            base.stealing,
        )?,
        extreme_intensity: trunc_normal(
            ctx,
            prefix,
            "extreme",
            raw.extreme_mean,
            raw.extreme_sd,
            base.extreme_intensity,
        )?,
        alpha,
    })
}

fn by_class(ctx: &Ctx, prefix: &str, raw: &RawByClass) -> Result<ByClass> {
    Ok(ByClass([
        ctx.probability(&format!("{prefix}.clean"), raw.clean, 0.0)?,
        ctx.probability(&format!("{prefix}.incremental"), raw.incremental, 0.0)?,
        ctx.probability(&format!("{prefix}.extreme"), raw.extreme, 0.0)?,
    ]))
}

fn threshold(ctx: &Ctx, key: &str, v: Option<f64>) -> Result<Option<f64>> {
    match v {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(ctx
            .err(key, format!("{v} is not a fraction between 0 and 1"))
            .into()),
        other => Ok(other),
    }
}

fn is_hex_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// Check everything and build the scenario.
pub fn validate(
    raw: RawScenario,
    text: &str,
    overrides: &[String],
    provenance: Provenance,
    table_bytes: &[u8],
) -> Result<Scenario> {
    let ctx = Ctx::new(&provenance.file, text, overrides);
    if raw.name.trim().is_empty() {
        return Err(ctx.err("name", "the scenario name is empty").into());
    }
    if raw.parties.len() < 2 {
        return Err(ctx
            .err(
                "party",
                format!(
                    "{} [[party]] table(s) given; a scenario needs at least 2",
                    raw.parties.len()
                ),
            )
            .into());
    }
    if raw.parties.len() > MAX_PARTIES {
        return Err(ctx
            .err(
                "party",
                format!(
                    "{} parties given; at most {MAX_PARTIES} are supported",
                    raw.parties.len()
                ),
            )
            .into());
    }
    let iterations = raw.iterations.unwrap_or(100_000);
    if iterations == 0 || iterations > crate::MAX_ITERATIONS {
        return Err(ctx
            .err(
                "iterations",
                format!(
                    "{iterations} is not between 1 and {}",
                    crate::MAX_ITERATIONS
                ),
            )
            .into());
    }

    let mut ids: Vec<String> = Vec::new();
    let mut parties = Vec::new();
    let mut blocs: Vec<String> = Vec::new();
    for (i, p) in raw.parties.iter().enumerate() {
        let id = p.id.trim().to_string();
        let valid_id = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !valid_id {
            return Err(ctx
                .party_err(
                    i,
                    "id",
                    format!(
                        "`{}` is not a valid party id (letters, digits, _ or -)",
                        p.id
                    ),
                )
                .into());
        }
        if let Some(col) = super::table::RESERVED_COLUMNS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&id))
        {
            return Err(ctx
                .party_err(
                    i,
                    "id",
                    format!(
                        "`{id}` cannot be a party id: the districts table already uses the column `{col}`"
                    ),
                )
                .into());
        }
        if ids.contains(&id) {
            return Err(ctx
                .party_err(i, "id", format!("party id `{id}` is used twice"))
                .into());
        }
        let color = match &p.color {
            Some(c) if is_hex_color(c.trim()) => c.trim().to_string(),
            Some(c) => {
                return Err(ctx
                    .party_err(
                        i,
                        "color",
                        format!("`{c}` is not a hex colour like \"#1f77b4\""),
                    )
                    .into())
            }
            None => DEFAULT_PALETTE[i % DEFAULT_PALETTE.len()].to_string(),
        };
        let bloc_name = p
            .bloc
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(&id)
            .to_string();
        let bloc = match blocs.iter().position(|b| *b == bloc_name) {
            Some(b) => b,
            None => {
                blocs.push(bloc_name);
                blocs.len() - 1
            }
        };
        parties.push(Party {
            id: id.clone(),
            name: p.name.clone().unwrap_or_else(|| id.clone()),
            color,
            bloc,
        });
        ids.push(id);
    }

    let table = load_table(
        &provenance.districts_file,
        table_bytes,
        &ids,
        raw.shares,
        raw.baseline,
    )?;
    // Lists of district ids can be as long as the file allows: look them up by hash.
    let district_ids: std::collections::HashMap<&str, usize> = table
        .districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let district_mask = |key: &str, refs: &[super::raw::DistrictRef]| -> Result<Vec<bool>> {
        let mut mask = vec![false; table.districts.len()];
        for r in refs {
            let id = r.as_id();
            let d = district_ids.get(id.as_str()).copied().ok_or_else(|| {
                ctx.err(
                    key,
                    format!(
                        "district `{id}` is not in {}{}",
                        provenance.districts_file.display(),
                        hints::did_you_mean(&id, table.districts.iter().map(|d| &d.id))
                    ),
                )
            })?;
            mask[d] = true;
        }
        Ok(mask)
    };

    let fraud_model = fraud(&ctx, "fraud", &raw.fraud, &ids, None)?;
    let mut rerun_fraud = fraud(
        &ctx,
        "rerun.fraud",
        &raw.rerun.fraud,
        &ids,
        Some(&fraud_model),
    )?;
    if raw.rerun.fraud.beneficiary.is_none() && rerun_fraud.is_none() {
        rerun_fraud.beneficiary = fraud_model.beneficiary;
    }
    let min_turnout =
        threshold(&ctx, "validity.min_turnout", raw.validity.min_turnout)?.filter(|&t| t > 0.0);

    let mut boycott = vec![false; ids.len()];
    for id in &raw.rerun.boycott {
        let p = party_index(&ids, id)
            .ok_or_else(|| ctx.err("rerun.boycott", unknown_party(&ids, id)))?;
        boycott[p] = true;
    }
    if boycott.iter().all(|&b| b) {
        return Err(ctx
            .err(
                "rerun.boycott",
                "every party boycotts the rerun, so nobody could win it",
            )
            .into());
    }
    let mut forced = district_mask("rerun.districts", &raw.rerun.districts)?;
    if raw.rerun.all {
        forced.iter_mut().for_each(|f| *f = true);
    }

    let rerun = RerunModel {
        forced,
        annul: by_class(&ctx, "rerun.annul", &raw.rerun.annul)?,
        rules: Rules {
            turnout_above: threshold(
                &ctx,
                "rerun.rules.turnout_above",
                raw.rerun.rules.turnout_above,
            )?,
            winner_share_above: threshold(
                &ctx,
                "rerun.rules.winner_share_above",
                raw.rerun.rules.winner_share_above,
            )?,
            margin_below: threshold(
                &ctx,
                "rerun.rules.margin_below",
                raw.rerun.rules.margin_below,
            )?,
        },
        boycott,
        noise: noise(&ctx, "rerun.uncertainty", &raw.rerun.uncertainty, &ids)?,
        turnout: turnout(&ctx, "rerun.turnout", &raw.rerun.turnout, &ids)?,
        fraud: rerun_fraud,
    };

    Ok(Scenario {
        name: raw.name.trim().to_string(),
        baseline: raw.baseline,
        seat_rule: raw.seat_rule,
        seed: raw.seed.unwrap_or(1),
        iterations,
        noise: noise(&ctx, "uncertainty", &raw.uncertainty, &ids)?,
        turnout: turnout(&ctx, "turnout", &raw.turnout, &ids)?,
        fraud: fraud_model,
        min_turnout,
        recount_districts: district_mask("recount.districts", &raw.recount.districts)?,
        recount_detect: by_class(&ctx, "recount.detect", &raw.recount.detect)?,
        rerun,
        parties,
        blocs,
        regions: table.regions,
        districts: table.districts,
        extra_columns: table.extra_columns,
        provenance,
    })
}
