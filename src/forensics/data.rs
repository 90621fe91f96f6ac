//! The official table: one row per district or polling station, party columns holding vote
//! counts or vote shares.
//!
//! Columns follow the districts table (`district` or `station` id, optional `name`, `region`,
//! `electorate`, `turnout`, optional `stations`); every other column is a party. Counts are
//! recognised by any party cell above 1; then `turnout` may be left out (it is votes cast over
//! the electorate). Shares need a `turnout` column.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{InputError, Location};

/// Most rows accepted: a national table of polling stations is ~100,000.
pub const MAX_ROWS: usize = 1_000_000;

/// Columns that are never parties.
const RESERVED: [&str; 9] = [
    "district",
    "station",
    "name",
    "region",
    "electorate",
    "turnout",
    "stations",
    "fraud_incremental",
    "fraud_extreme",
];

/// How far a row of shares may sum from 1 (spreadsheet rounding).
const SHARE_SUM_TOLERANCE: f64 = 0.02;

/// What one row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A single-member district.
    District,
    /// A polling station (possibly with the `district` it belongs to).
    Station,
}

/// One row of the official table.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Row id (`district` or `station` column).
    pub id: String,
    /// The district a station belongs to (station tables with a `district` column).
    pub district: Option<String>,
    /// Display name (the id when blank).
    pub name: String,
    /// Region ("" when absent).
    pub region: String,
    /// Registered voters, when given.
    pub electorate: Option<f64>,
    /// Official turnout, 0..1.
    pub turnout: f64,
    /// Vote counts per party, when the table holds counts.
    pub votes: Option<Vec<f64>>,
    /// Vote shares per party (summing to 1).
    pub shares: Vec<f64>,
    /// Polling stations in a district row, when given.
    pub stations: Option<f64>,
}

/// The loaded table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// District or station rows.
    pub level: Level,
    /// Party ids in column order.
    pub parties: Vec<String>,
    /// The rows, in file order.
    pub units: Vec<Unit>,
    /// True when party columns hold counts (digit tests need them).
    pub counts: bool,
    /// Rows left out because no vote was cast there (ids).
    pub skipped: Vec<String>,
    /// Non-party columns holding text, ignored.
    pub ignored: Vec<String>,
}

impl Table {
    /// Index of the party with the most votes in the whole table (counts, or shares
    /// weighted by electorate times turnout, or plain shares without an electorate).
    pub fn largest_party(&self) -> usize {
        let mut totals = vec![0.0; self.parties.len()];
        for u in &self.units {
            let voters = u.electorate.map(|n| n * u.turnout).unwrap_or(1.0);
            for (t, s) in totals.iter_mut().zip(&u.shares) {
                *t += voters * s;
            }
        }
        let mut best = 0;
        for (p, &t) in totals.iter().enumerate() {
            if t > totals[best] {
                best = p;
            }
        }
        best
    }

    /// (official turnout, beneficiary's official vote share) per row: the fingerprint's points.
    pub fn points(&self, beneficiary: usize) -> Vec<(f64, f64)> {
        self.units
            .iter()
            .map(|u| (u.turnout, u.shares.get(beneficiary).copied().unwrap_or(0.0)))
            .collect()
    }
}

fn number(cell: &str) -> Result<Option<f64>, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let cleaned: String = t.chars().filter(|c| *c != '_').collect();
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(format!("`{t}` is not a finite number")),
        Err(_) => Err(format!("`{t}` is not a number")),
    }
}

/// Parse and check an official table (`path` names it in errors).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
    let (bytes, mut reader) = crate::scenario::csv_reader(path, bytes, "table")?;
    let mut lines = crate::scenario::LineCounter::new(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::file(path, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let header_err = |field: &str, msg: String| InputError::at(path, Location::Line(1), field, msg);
    let mut seen = HashSet::new();
    for h in &header {
        if !h.is_empty() && !seen.insert(h) {
            return Err(header_err(
                h,
                "this column appears twice in the header".into(),
            ));
        }
    }
    let find = |name: &str| header.iter().position(|h| h == name);
    let station = find("station");
    let district = find("district");
    let (level, id_col) = match (station, district) {
        (Some(s), _) => (Level::Station, s),
        (None, Some(d)) => (Level::District, d),
        (None, None) => {
            return Err(header_err(
                "district",
                format!(
                    "the header needs a `district` or `station` id column; it has: {}",
                    header.join(", ")
                ),
            ))
        }
    };
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| lines.malformed(path, &e))?;
    // A party column holds numbers; a column whose filled cells are mostly text (notes, codes)
    // is ignored and listed in the report, so an annotation column does not stop the analysis.
    // A party column with a typo in a few cells stays a party, and the typo is an error.
    let numeric = |i: usize| {
        let (mut filled, mut text) = (0usize, 0usize);
        for r in &records {
            let cell = r.get(i).unwrap_or("").trim();
            if !cell.is_empty() {
                filled += 1;
                text += usize::from(number(cell).is_err());
            }
        }
        2 * text <= filled
    };
    let candidates: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty() && !RESERVED.contains(&h.as_str()))
        .map(|(i, _)| i)
        .collect();
    let (party_cols, text_cols): (Vec<usize>, Vec<usize>) =
        candidates.into_iter().partition(|&i| numeric(i));
    let ignored: Vec<String> = text_cols.iter().map(|&i| header[i].clone()).collect();
    if party_cols.len() < 2 {
        return Err(header_err(
            "",
            format!(
                "need at least two party columns of numbers (every numeric column other than {} is a party); found {}",
                RESERVED.join(", "),
                party_cols.len()
            ),
        ));
    }
    let parties: Vec<String> = party_cols.iter().map(|&i| header[i].clone()).collect();
    let (electorate_col, turnout_col) = (find("electorate"), find("turnout"));
    let (name_col, region_col, stations_col) = (find("name"), find("region"), find("stations"));

    struct Raw {
        line: usize,
        unit: Unit,
        values: Vec<f64>,
        turnout: Option<f64>,
    }
    let mut rows: Vec<Raw> = Vec::new();
    let mut ids = HashSet::new();
    for record in records {
        let line = lines.record_line(&record);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = record.get(id_col).unwrap_or("").trim().to_string();
        let at = |field: &str, msg: String| InputError::in_row(path, line, &id, field, msg);
        if record.len() != header.len() {
            return Err(at(
                "",
                format!(
                    "this row has {} fields but the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        if id.is_empty() {
            return Err(at(&header[id_col], "the id is blank".into()));
        }
        if !ids.insert(id.clone()) {
            return Err(at(
                &header[id_col],
                format!("id `{id}` appears more than once"),
            ));
        }
        if rows.len() >= MAX_ROWS {
            return Err(at("", format!("more than {MAX_ROWS} rows")));
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let num = |col: usize| number(cell(col)).map_err(|m| at(&header[col], m));
        let text = |col: Option<usize>| col.map(|c| cell(c).trim().to_string()).unwrap_or_default();
        let electorate = match electorate_col {
            Some(c) => num(c)?,
            None => None,
        };
        if let Some(n) = electorate {
            if !(n > 0.0 && n <= 1e9) {
                return Err(at(
                    "electorate",
                    format!("{n} is not a positive number of registered voters"),
                ));
            }
        }
        let turnout = match turnout_col {
            Some(c) => num(c)?,
            None => None,
        };
        let mut values = Vec::with_capacity(party_cols.len());
        for &c in &party_cols {
            let v = num(c)?.unwrap_or(0.0);
            if v < 0.0 {
                return Err(at(&header[c], format!("{v} is negative")));
            }
            values.push(v);
        }
        let stations = match stations_col {
            Some(c) => num(c)?,
            None => None,
        };
        let name = text(name_col);
        rows.push(Raw {
            line,
            values,
            turnout,
            unit: Unit {
                district: (level == Level::Station)
                    .then(|| text(district))
                    .filter(|d| !d.is_empty()),
                name: if name.is_empty() { id.clone() } else { name },
                region: text(region_col),
                id,
                electorate,
                turnout: 0.0,
                votes: None,
                shares: Vec::new(),
                stations,
            },
        });
    }
    if rows.is_empty() {
        return Err(InputError::file(path, "the table has a header but no rows"));
    }
    let counts = rows.iter().any(|r| r.values.iter().any(|&v| v > 1.0));
    let mut units = Vec::with_capacity(rows.len());
    let mut skipped = Vec::new();
    for r in rows {
        let (line, row_id) = (r.line, r.unit.id.clone());
        let at = |field: &str, msg: String| InputError::in_row(path, line, &row_id, field, msg);
        let total: f64 = r.values.iter().sum();
        if total <= 0.0 {
            skipped.push(r.unit.id.clone());
            continue;
        }
        let mut unit = r.unit;
        let turnout = if counts {
            if let Some(n) = unit.electorate {
                if total > n * 1.000_001 {
                    return Err(at(
                        "electorate",
                        format!("{total} votes were cast but only {n} voters are registered"),
                    ));
                }
            }
            match (r.turnout, unit.electorate) {
                (Some(t), _) => t,
                (None, Some(n)) => total / n,
                (None, None) => {
                    return Err(at(
                        "turnout",
                        "blank, and no `electorate` to compute it from".into(),
                    ))
                }
            }
        } else {
            if (total - 1.0).abs() > SHARE_SUM_TOLERANCE {
                return Err(at(
                    &parties.join("/"),
                    format!(
                        "the vote shares sum to {total:.4}, not 1 (within {SHARE_SUM_TOLERANCE})"
                    ),
                ));
            }
            r.turnout.ok_or_else(|| {
                at(
                    "turnout",
                    "blank; a table of vote shares needs turnout".into(),
                )
            })?
        };
        if !(turnout > 0.0 && turnout <= 1.0) {
            return Err(at(
                "turnout",
                format!("{turnout} is not above 0 and at most 1"),
            ));
        }
        unit.turnout = turnout;
        unit.shares = r.values.iter().map(|v| v / total).collect();
        if counts {
            unit.votes = Some(r.values);
        }
        units.push(unit);
    }
    if units.is_empty() {
        return Err(InputError::file(path, "no row has any votes"));
    }
    Ok(Table {
        level,
        parties,
        units,
        counts,
        skipped,
        ignored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Table, InputError> {
        parse(Path::new("t.csv"), text.as_bytes())
    }

    #[test]
    fn counts_give_turnout_and_shares() {
        let t = p("station,district,electorate,A,B\ns1,d1,1000,300,100\ns2,d1,500,0,0\n").unwrap();
        assert!(t.counts);
        assert_eq!(t.level, Level::Station);
        assert_eq!(t.units.len(), 1);
        assert_eq!(t.skipped, vec!["s2".to_string()]);
        let u = &t.units[0];
        assert!((u.turnout - 0.4).abs() < 1e-12 && (u.shares[0] - 0.75).abs() < 1e-12);
        assert_eq!(u.district.as_deref(), Some("d1"));
        assert_eq!(t.points(1), vec![(0.4, 0.25)]);
    }

    #[test]
    fn shares_need_turnout_and_sum_to_one() {
        let t = p("district,turnout,A,B\n1,0.5,0.6,0.4\n2,0.7,0.2,0.8\n").unwrap();
        assert!(!t.counts);
        assert_eq!(t.largest_party(), 1);
        assert!(p("district,A,B\n1,0.6,0.4\n").is_err());
        let e = p("district,turnout,A,B\n1,0.5,0.6,0.6\n").unwrap_err();
        assert!(e.message.contains("sum to"), "{e}");
    }

    #[test]
    fn bad_input_names_the_place() {
        let e = p("district,electorate,A,B\n1,100,80,40\n").unwrap_err();
        assert!(e.to_string().contains("120 votes were cast"), "{e}");
        assert!(p("id,A,B\n1,1,2\n").is_err());
        let t = p("district,turnout,A,B,note\n1,0.5,0.6,0.4,recounted\n").unwrap();
        assert_eq!(t.ignored, vec!["note".to_string()]);
        assert_eq!(t.parties, vec!["A".to_string(), "B".to_string()]);
        assert!(p("district,turnout,A\n1,0.5,1\n").is_err());
        let e = p("district,turnout,A,B\n1,0.5,x,0.5\n2,0.5,0.5,0.5\n3,0.5,0.4,0.6\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    #[test]
    fn line_numbers_count_comment_and_blank_lines() {
        let e = p(
            "# official results\n\ndistrict,turnout,A,B\n1,0.5,0.6,0.4\n# note\n2,0.5,0.6,0.6\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 6"), "{e}");
    }
}
