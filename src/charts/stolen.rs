//! `stolen-seats`: how many seats each party wins through fraud — districts whose official
//! winner differs from the winner of the same votes without fraud.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::panels::{self, Panel};
use super::style::{self, ChartResult, Theme, MUTED};
use crate::report::Summary;

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    let body = style::frame(
        root,
        theme,
        s,
        "How many seats does each party win through fraud?",
        &format!(
            "Districts whose official winner differs from the winner of the same votes without fraud, over {} simulated elections",
            style::thousands(s.iterations)
        ),
    )?;
    let mut panels: Vec<Panel<'_>> = s
        .parties
        .iter()
        .filter_map(|p| {
            let stats = s.stolen_seats.party.get(&p.id)?;
            let any = stats
                .values
                .iter()
                .zip(&stats.counts)
                .any(|(&v, &c)| v != 0 && c > 0);
            any.then(|| Panel {
                label: format!("{} ({})", p.name, p.id),
                note: format!(
                    "{} · P(at least one) {}",
                    panels::stats_note(stats, false),
                    style::percent(1.0 - stats.share(|v| v == 0))
                ),
                color: style::party_color(s, &p.id),
                stats,
            })
        })
        .collect();
    if panels.len() > 1 {
        panels.push(Panel {
            label: "all parties".into(),
            note: panels::stats_note(&s.stolen_seats.total, false),
            color: MUTED,
            stats: &s.stolen_seats.total,
        });
    }
    if panels.is_empty() {
        style::centred_message(
            &body,
            theme,
            "No seat changed hands through fraud in any simulated election.",
        )?;
        return Ok(());
    }
    panels::draw(
        root,
        &body,
        theme,
        &panels,
        "seats won through fraud",
        false,
    )
}
