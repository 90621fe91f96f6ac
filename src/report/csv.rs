//! Tidy CSV exports: one observation per row, stable column names (see the README).

use super::summary::Summary;
use crate::engine::Draw;
use crate::scenario::Scenario;

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// `seats.csv`: `outcome,kind,name,seats,count,probability`, every seat count 0..n.
pub fn seats_csv(summary: &Summary) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["outcome", "kind", "name", "seats", "count", "probability"]);
    for (outcome, o) in &summary.outcomes {
        for (kind, map) in [("party", &o.party), ("bloc", &o.bloc)] {
            for (name, stats) in map {
                let total: u64 = stats.counts.iter().sum();
                for (k, &c) in stats.counts.iter().enumerate() {
                    let prob = if total == 0 {
                        0.0
                    } else {
                        c as f64 / total as f64
                    };
                    let _ = w.write_record([
                        outcome.as_str(),
                        kind,
                        name.as_str(),
                        &k.to_string(),
                        &c.to_string(),
                        &prob.to_string(),
                    ]);
                }
            }
        }
    }
    finish(w)
}

/// `districts.csv`: `outcome,district,party,win_probability`, every party standing.
pub fn districts_csv(summary: &Summary) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(["outcome", "district", "party", "win_probability"]);
    for outcome in summary.outcomes.keys() {
        for d in &summary.districts {
            if let Some(probs) = d.win_probability.get(outcome) {
                for (party, p) in probs {
                    let _ = w.write_record([outcome.as_str(), &d.id, party, &p.to_string()]);
                }
            }
        }
    }
    finish(w)
}

/// Header of `draws.csv`: `iteration,outcome,<party ids…>,vacant`.
pub fn draws_header(s: &Scenario) -> Vec<u8> {
    let mut w = writer();
    let mut header = vec!["iteration".to_string(), "outcome".to_string()];
    header.extend(s.parties.iter().map(|p| p.id.clone()));
    header.push("vacant".into());
    let _ = w.write_record(&header);
    finish(w)
}

/// Two rows of `draws.csv` (no-rerun and rerun) for one iteration, appended to `out`.
pub fn draws_rows(draw: &Draw, parties: usize, out: &mut Vec<u8>) {
    use std::io::Write;
    for (o, name) in ["no_rerun", "rerun"].iter().enumerate() {
        let _ = write!(out, "{},{}", draw.iteration, name);
        for seats in &draw.seats[o * parties..(o + 1) * parties] {
            let _ = write!(out, ",{seats}");
        }
        let _ = writeln!(out, ",{}", draw.vacant[o]);
    }
}
