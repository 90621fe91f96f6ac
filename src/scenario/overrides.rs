//! `--set KEY=VALUE`: overrides applied to the parsed TOML before validation, so an
//! override goes through exactly the checks a value in the file does.

use std::path::Path;

use super::hints;
use super::locate::key_at_line;
use super::raw::RawScenario;
use crate::error::{InputError, Location, Result};

/// Split `KEY=VALUE`, checking the shape.
pub fn split_override(text: &str) -> std::result::Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not KEY=VALUE (e.g. fraud.extreme=0.1)"))?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(|p| p.trim().is_empty()) {
        return Err(format!(
            "`{key}` is not a dotted scenario key (e.g. rerun.turnout.shift_pp)"
        ));
    }
    Ok((key.to_string(), value.trim().to_string()))
}

/// A value as TOML would read it; bare words become strings so `--set fraud.beneficiary=YAP` works.
fn parse_value(value: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()))
}

/// Put `value` at the dotted `key`, creating tables as needed.
fn set_path(
    table: &mut toml::Table,
    key: &str,
    value: toml::Value,
) -> std::result::Result<(), String> {
    let parts: Vec<&str> = key.split('.').map(str::trim).collect();
    let (last, parents) = parts.split_last().ok_or_else(|| "empty key".to_string())?;
    let mut cur = table;
    for (i, part) in parents.iter().enumerate() {
        let entry = cur
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        cur = match entry {
            toml::Value::Table(t) => t,
            _ => {
                return Err(format!(
                    "`{}` is not a table, so `{key}` cannot be set",
                    parts[..=i].join(".")
                ))
            }
        };
    }
    cur.insert(last.to_string(), value);
    Ok(())
}

/// Parse the scenario text, then apply overrides; errors name the line or the flag.
pub fn parse_with_overrides(path: &Path, text: &str, overrides: &[String]) -> Result<RawScenario> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    if overrides.is_empty() {
        return Ok(raw);
    }
    let mut table: toml::Table = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    for o in overrides {
        let flag =
            |msg: String| InputError::at(path, Location::SetFlag(o.clone()), String::new(), msg);
        let (key, value) = split_override(o).map_err(flag)?;
        set_path(&mut table, &key, parse_value(&value)).map_err(flag)?;
        // Check after each override so the error names the flag that caused it.
        toml::Value::Table(table.clone())
            .try_into::<RawScenario>()
            .map_err(|e| {
                InputError::at(
                    path,
                    Location::SetFlag(o.clone()),
                    key.clone(),
                    hints::explain(e.message(), Some(&key)),
                )
            })?;
    }
    Ok(toml::Value::Table(table)
        .try_into::<RawScenario>()
        .map_err(|e| InputError::file(path, hints::explain(e.message(), None)))?)
}

/// A TOML syntax or type error, pointing at its line and naming its key.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> crate::error::Error {
    let raw_msg = e.message().trim_end();
    let missing = raw_msg.starts_with("missing field ");
    let line = e.span().and_then(|span| {
        // A missing top-level key has no line of its own: serde points at the whole file.
        if missing && span.start == 0 {
            return None;
        }
        Some(
            text.as_bytes()[..span.start.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        )
    });
    let mut field = line.and_then(|l| key_at_line(text, l)).unwrap_or_default();
    // The word serde complains about, when the line's key is its enclosing table
    // (`annul = { clen = 0 }`, or a missing key of a `[[party]]`).
    let named = raw_msg
        .split('`')
        .nth(1)
        .filter(|_| raw_msg.starts_with("unknown field ") || missing);
    if let Some(word) = named {
        if field.rsplit('.').next() != Some(word) {
            field = if field.is_empty() {
                word.to_string()
            } else {
                format!("{field}.{word}")
            };
        }
    }
    let message = hints::explain(raw_msg, Some(&field));
    InputError::at(
        path,
        line.map(Location::Line).unwrap_or(Location::File),
        field,
        message,
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_toml_or_bare_strings() {
        assert_eq!(parse_value("0.1"), toml::Value::Float(0.1));
        assert_eq!(parse_value("true"), toml::Value::Boolean(true));
        assert_eq!(parse_value("YAP"), toml::Value::String("YAP".into()));
        assert!(matches!(parse_value("[\"9\", 38]"), toml::Value::Array(_)));
    }

    #[test]
    fn bad_shapes_are_rejected() {
        assert!(split_override("fraud.extreme").is_err());
        assert!(split_override("fraud..extreme=1").is_err());
        assert_eq!(
            split_override(" rerun.all = true ").unwrap(),
            ("rerun.all".to_string(), "true".to_string())
        );
    }
}
