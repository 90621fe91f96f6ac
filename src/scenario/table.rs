//! The districts table: one CSV row per single-member district.

use std::collections::HashSet;
use std::path::Path;

use super::hints;
use super::raw::{Baseline, ShareFormat};
use super::District;
use crate::error::{InputError, Location};

/// Largest table seatsim accepts; beyond this a typo is likelier than a real chamber.
pub const MAX_DISTRICTS: usize = 10_000;

/// A loaded table.
#[derive(Debug, Clone)]
pub struct TableInfo {
    /// Districts in table order.
    pub districts: Vec<District>,
    /// Region names in order of first appearance.
    pub regions: Vec<String>,
    /// Columns seatsim ignores.
    pub extra_columns: Vec<String>,
}

/// Columns with a fixed meaning; a party id may not reuse one.
pub const RESERVED_COLUMNS: [&str; 7] = [
    "district",
    "name",
    "region",
    "electorate",
    "turnout",
    "fraud_incremental",
    "fraud_extreme",
];

/// How far a row of fractions may sum from 1 before it is an error (spreadsheet rounding).
const SHARE_SUM_TOLERANCE: f64 = 0.02;

struct Columns {
    district: usize,
    name: Option<usize>,
    region: Option<usize>,
    electorate: usize,
    turnout: Option<usize>,
    parties: Vec<usize>,
    fraud_incremental: Option<usize>,
    fraud_extreme: Option<usize>,
}

fn find(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h == name)
}

fn columns(
    path: &Path,
    header: &[String],
    party_ids: &[String],
    format: ShareFormat,
) -> Result<(Columns, Vec<String>), InputError> {
    let missing = |col: &str, why: &str| {
        InputError::at(
            path,
            Location::Line(1),
            col,
            format!(
                "the header has no `{col}` column ({why}){}; it has: {}",
                hints::did_you_mean(col, header),
                header.join(", ")
            ),
        )
    };
    let mut seen = HashSet::new();
    for h in header {
        if !h.is_empty() && !seen.insert(h) {
            return Err(InputError::at(
                path,
                Location::Line(1),
                h.clone(),
                "this column appears twice in the header",
            ));
        }
    }
    let district = find(header, "district").ok_or_else(|| missing("district", "district ids"))?;
    let electorate =
        find(header, "electorate").ok_or_else(|| missing("electorate", "registered voters"))?;
    let turnout = find(header, "turnout");
    if turnout.is_none() && format == ShareFormat::Fraction {
        return Err(missing("turnout", "turnout as a fraction 0..1"));
    }
    let mut parties = Vec::with_capacity(party_ids.len());
    for id in party_ids {
        match find(header, id) {
            Some(i) => parties.push(i),
            None => {
                let hint = match header.iter().find(|h| h.eq_ignore_ascii_case(id)) {
                    Some(h) => format!(" (found `{h}`: party ids are case-sensitive)"),
                    None => hints::did_you_mean(id, header),
                };
                return Err(InputError::at(
                    path,
                    Location::Line(1),
                    id.clone(),
                    format!(
                        "the header has no column for party `{id}`{hint}; every [[party]] id needs one"
                    ),
                ));
            }
        }
    }
    let cols = Columns {
        district,
        name: find(header, "name"),
        region: find(header, "region"),
        electorate,
        turnout,
        parties,
        fraud_incremental: find(header, "fraud_incremental"),
        fraud_extreme: find(header, "fraud_extreme"),
    };
    let used: HashSet<usize> = [
        Some(cols.district),
        cols.name,
        cols.region,
        Some(cols.electorate),
        cols.turnout,
        cols.fraud_incremental,
        cols.fraud_extreme,
    ]
    .into_iter()
    .flatten()
    .chain(cols.parties.iter().copied())
    .collect();
    let extra = header
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(i, h)| {
            if h.is_empty() {
                format!("(unnamed column {})", i + 1)
            } else {
                h.clone()
            }
        })
        .collect();
    Ok((cols, extra))
}

/// Whether `digits` is a whole number written in groups of three separated by `sep`
/// (`1,234,567`), optionally followed by a decimal part.
fn grouped(t: &str, sep: char) -> bool {
    let int = t.split_once('.').map_or(t, |(i, _)| i);
    let mut groups = int.split(sep);
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.chars().all(|c| c.is_ascii_digit()));
    first_ok
        && int.contains(sep)
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// A number cell: `None` when blank.
///
/// `count` cells (electorate, vote counts) may use thousands separators as spreadsheets
/// export them — `1,234,567`, `1 234 567` (also with no-break spaces) or `1_234_567` —
/// but only in strict groups of three, so a decimal comma (`0,47`) is never misread.
/// Fraction cells accept plain decimals only; `47%` and `0,47` get a hint.
fn number(cell: &str, count: bool) -> Result<Option<f64>, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let mut cleaned = t.to_string();
    for sep in [',', ' ', '\u{a0}', '\u{202f}', '_'] {
        if cleaned.contains(sep) {
            if count && grouped(&cleaned, sep) {
                cleaned = cleaned.replace(sep, "");
            } else if count {
                return Err(format!(
                    "`{t}` is not a number (thousands separators must group digits in threes, e.g. 1,234,567)"
                ));
            } else if sep == ',' {
                return Err(format!(
                    "`{t}` is not a number (write decimals with a point, e.g. 0.47)"
                ));
            } else {
                return Err(format!("`{t}` is not a number"));
            }
        }
    }
    if let Some(pct) = cleaned.strip_suffix('%') {
        let hint = pct
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| format!(" (write {t} as {})", v / 100.0))
            .unwrap_or_default();
        return Err(format!(
            "`{t}` is a percentage; write fractions between 0 and 1{hint}"
        ));
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(format!("`{t}` is not a finite number")),
        Err(_) => Err(format!("`{t}` is not a number")),
    }
}

/// 1-based line numbers of byte offsets, counted incrementally as the reader moves on.
/// The csv crate's own line numbers skip comment lines, so every table reader uses this.
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    /// A counter over the bytes the csv reader reads (BOM already stripped).
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of a record read by the csv reader (0 if it has no position).
    pub fn record_line(&mut self, record: &csv::StringRecord) -> usize {
        record.position().map_or(0, |p| self.line_at(p.byte()))
    }

    /// A csv reader error as an input error naming its line.
    pub fn malformed(&mut self, path: &Path, e: &csv::Error) -> InputError {
        let line = e.position().map_or(0, |p| self.line_at(p.byte()));
        InputError::at(
            path,
            Location::Line(line),
            "",
            format!("malformed CSV: {e}"),
        )
    }

    /// The line of the record the csv reader places at `byte`. The reader's position is
    /// where the previous record ended, so the blank and comment lines it skipped are
    /// skipped here too before counting.
    pub fn line_at(&mut self, byte: u64) -> usize {
        let mut byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        loop {
            match self.bytes.get(byte) {
                Some(b'\n') | Some(b'\r') => byte += 1,
                Some(b'#') => {
                    byte = self.bytes[byte..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.bytes.len(), |i| byte + i + 1)
                }
                _ => break,
            }
        }
        if byte < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.offset..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = byte;
        self.line
    }
}

/// A reader for a CSV table as seatsim reads all of them: UTF-8 (BOM stripped), `#` comment
/// lines, fields trimmed, rows of any length (checked by the caller, with its own message).
/// Returns the bytes without the BOM, to which the reader's byte offsets refer.
pub fn csv_reader<'a>(
    path: &Path,
    bytes: &'a [u8],
    what: &str,
) -> Result<(&'a [u8], csv::Reader<&'a [u8]>), InputError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(InputError::file(
            path,
            format!("the {what} is not UTF-8 text (save it as CSV UTF-8)"),
        ));
    }
    let reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    Ok((bytes, reader))
}

/// Parse and check the table.
pub fn load_table(
    path: &Path,
    bytes: &[u8],
    party_ids: &[String],
    format: ShareFormat,
    baseline: Baseline,
) -> Result<TableInfo, InputError> {
    let (bytes, mut reader) = csv_reader(path, bytes, "districts table")?;
    let header_record = reader
        .headers()
        .map_err(|e| InputError::file(path, format!("cannot read the header: {e}")))?;
    // The csv crate's own line numbers skip comment lines, so lines are counted from
    // byte offsets instead.
    let mut lines = LineCounter::new(bytes);
    let header_line = header_record
        .position()
        .map_or(1, |p| lines.line_at(p.byte()));
    let header: Vec<String> = header_record.iter().map(|h| h.trim().to_string()).collect();
    if header.iter().all(|h| h.is_empty()) {
        return Err(InputError::file(path, "the table is empty (no header row)"));
    }
    let (cols, extra_columns) = columns(path, &header, party_ids, format).map_err(|mut e| {
        e.location = Location::Line(header_line);
        e
    })?;

    // The field named by errors about a whole row of party cells.
    let all_parties = if party_ids.len() <= 6 {
        party_ids.join("/")
    } else {
        format!(
            "{} … {} (party columns)",
            party_ids[0],
            party_ids[party_ids.len() - 1]
        )
    };
    let mut districts = Vec::new();
    let mut regions: Vec<String> = Vec::new();
    let mut ids = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| lines.malformed(path, &e))?;
        let line = lines.record_line(&record);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let trailing_blanks =
            record.len() > header.len() && record.iter().skip(header.len()).all(str::is_empty);
        if record.len() != header.len() && !trailing_blanks {
            let swallowed = record.len() < header.len()
                && record.iter().any(|c| c.contains('\n') || c.contains(','));
            if swallowed {
                return Err(InputError::at(
                    path,
                    Location::Line(line),
                    "",
                    format!(
                        "this row has {} fields but the header has {}, and a quoted field holds commas or line breaks: is a closing `\"` missing?",
                        record.len(),
                        header.len()
                    ),
                ));
            }
            return Err(InputError::at(
                path,
                Location::Line(line),
                "",
                format!(
                    "this row has {} fields but the header has {} (a stray comma, or an unquoted comma inside a name?)",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let id = record.get(cols.district).unwrap_or("").trim().to_string();
        let at = |field: &str, msg: String| InputError::in_row(path, line, &id, field, msg);
        if id.is_empty() {
            return Err(at("district", "the district id is blank".into()));
        }
        if !ids.insert(id.clone()) {
            return Err(at(
                "district",
                format!("district id `{id}` appears more than once"),
            ));
        }
        if districts.len() >= MAX_DISTRICTS {
            return Err(at(
                "district",
                format!(
                    "the table has more than {MAX_DISTRICTS} districts, the most seatsim accepts"
                ),
            ));
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let num = |col: &str, i: usize| number(cell(i), false).map_err(|m| at(col, m));
        let count = |col: &str, i: usize| number(cell(i), true).map_err(|m| at(col, m));
        let votes = format == ShareFormat::Votes;

        let electorate = count("electorate", cols.electorate)?
            .ok_or_else(|| at("electorate", "blank; registered voters are required".into()))?;
        if !(electorate > 0.0 && electorate <= 1e9) {
            return Err(at(
                "electorate",
                format!(
                    "{electorate} is not a positive number of registered voters (at most 10^9)"
                ),
            ));
        }

        let mut values = vec![0.0; party_ids.len()];
        for (p, &c) in cols.parties.iter().enumerate() {
            let v = if votes {
                count(&party_ids[p], c)?
            } else {
                num(&party_ids[p], c)?
            }
            .unwrap_or(0.0);
            if v < 0.0 {
                return Err(at(
                    &party_ids[p],
                    format!("{v} is negative; use a blank or 0 where the party does not stand"),
                ));
            }
            values[p] = v;
        }
        let total: f64 = values.iter().sum();
        if total <= 0.0 {
            return Err(at(
                &all_parties,
                "no party stands here (every party cell is blank or 0)".into(),
            ));
        }

        let turnout_cell = match cols.turnout {
            Some(c) => num("turnout", c)?,
            None => None,
        };
        let (shares, turnout) = match format {
            ShareFormat::Fraction => {
                if values.iter().any(|&v| v > 1.0) {
                    return Err(at(
                        &all_parties,
                        "a vote share is above 1; with shares = \"fraction\" write 47% as 0.47 (or set shares = \"votes\" for counts)".into(),
                    ));
                }
                if (total - 1.0).abs() > SHARE_SUM_TOLERANCE {
                    return Err(at(
                        &all_parties,
                        format!("the vote shares sum to {total:.4}, not 1 (within {SHARE_SUM_TOLERANCE})"),
                    ));
                }
                let t = turnout_cell
                    .ok_or_else(|| at("turnout", "blank; turnout is required".into()))?;
                (values.iter().map(|v| v / total).collect::<Vec<_>>(), t)
            }
            ShareFormat::Votes => {
                if total <= 1.0 + SHARE_SUM_TOLERANCE && electorate > 100.0 {
                    return Err(at(
                        &all_parties,
                        format!("the vote counts add up to {total}, which looks like fractions; set shares = \"fraction\" in the scenario, or write counts"),
                    ));
                }
                let t = turnout_cell.unwrap_or(total / electorate);
                if total > electorate * 1.000_001 {
                    return Err(at(
                        "electorate",
                        format!(
                            "{total} votes were cast but only {electorate} voters are registered"
                        ),
                    ));
                }
                (values.iter().map(|v| v / total).collect::<Vec<_>>(), t)
            }
        };
        if !(0.0..=1.0).contains(&turnout) {
            // 55 is surely a percentage; 1.4 is as likely a typo, so no hint for it.
            let hint = if (2.0..=100.0).contains(&turnout) {
                format!(" (write {turnout}% as {:.3})", turnout / 100.0)
            } else {
                String::new()
            };
            return Err(at(
                "turnout",
                format!("{turnout} is not between 0 and 1{hint}"),
            ));
        }
        if baseline == Baseline::Official && turnout <= 0.0 {
            return Err(at(
                "turnout",
                "official turnout must be above 0 to recover the clean vote".into(),
            ));
        }

        let prob = |col: &str, i: Option<usize>| -> Result<Option<f64>, InputError> {
            let Some(i) = i else { return Ok(None) };
            let v = num(col, i)?;
            if let Some(v) = v {
                if !(0.0..=1.0).contains(&v) {
                    return Err(at(col, format!("{v} is not a probability between 0 and 1")));
                }
            }
            Ok(v)
        };
        let fraud_incremental = prob("fraud_incremental", cols.fraud_incremental)?;
        let fraud_extreme = prob("fraud_extreme", cols.fraud_extreme)?;
        if fraud_incremental.unwrap_or(0.0) + fraud_extreme.unwrap_or(0.0) > 1.0 + 1e-12 {
            return Err(at(
                "fraud_extreme",
                "fraud_incremental + fraud_extreme is above 1".into(),
            ));
        }

        let region_name = cols
            .region
            .map(|c| cell(c).trim().to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "(no region)".to_string());
        let region = match regions.iter().position(|r| *r == region_name) {
            Some(r) => r,
            None => {
                regions.push(region_name);
                regions.len() - 1
            }
        };
        let name = cols
            .name
            .map(|c| cell(c).trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        districts.push(District {
            id: id.clone(),
            name,
            region,
            electorate,
            turnout,
            shares,
            fraud_incremental,
            fraud_extreme,
        });
    }
    if districts.is_empty() {
        return Err(InputError::file(
            path,
            "the table has a header but no districts",
        ));
    }
    Ok(TableInfo {
        districts,
        regions,
        extra_columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_strict_thousands_separators_only() {
        assert_eq!(number("1,234,567", true), Ok(Some(1_234_567.0)));
        assert_eq!(number("1 234", true), Ok(Some(1234.0)));
        assert_eq!(number("12\u{a0}345", true), Ok(Some(12345.0)));
        assert_eq!(number("1_000", true), Ok(Some(1000.0)));
        assert_eq!(number("999", true), Ok(Some(999.0)));
        assert!(number("1,23", true).is_err());
        assert!(number("12,3456", true).is_err());
        assert!(number(",123", true).is_err());
        assert!(number("0,47", false)
            .unwrap_err()
            .contains("decimals with a point"));
        assert!(number("1,234", false).is_err());
        assert!(number("47%", false).unwrap_err().contains("0.47"));
        assert!(number("nan", false).is_err());
        assert!(number("inf", true).is_err());
        assert!(number("1e400", false).is_err());
        assert_eq!(number("  ", false), Ok(None));
    }

    #[test]
    fn lines_skip_comments_and_blank_lines_like_the_reader() {
        let text = b"# a\n# b\nh1,h2\n1,2\n\n3,4\r\n\r\n5,6\n";
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(&text[..]);
        let mut lines = LineCounter::new(text);
        let header = reader.headers().unwrap().position().unwrap().byte();
        assert_eq!(lines.line_at(header), 3);
        let found: Vec<usize> = reader
            .records()
            .map(|r| lines.line_at(r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(found, vec![4, 6, 8]);
    }
}
