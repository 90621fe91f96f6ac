//! `rerun-effect`: how many seats each bloc gains or loses through the rerun, from the paired
//! per-iteration difference (rerun minus no-rerun of the same simulated election).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::panels::{self, Panel};
use super::style::{self, ChartResult, Theme};
use crate::report::Summary;

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    let reruns = s.districts.iter().any(|d| d.rerun_probability > 0.0);
    let subtitle = if reruns {
        format!(
            "Rerun seats minus no-rerun seats in the same simulated election, per bloc, over {} elections",
            style::thousands(s.iterations)
        )
    } else {
        "No district is re-run in this scenario, so the rerun changes no seat".to_string()
    };
    let body = style::frame(
        root,
        theme,
        s,
        "How many seats does each bloc gain or lose through the rerun?",
        &subtitle,
    )?;
    let panels: Vec<Panel<'_>> = s
        .blocs
        .iter()
        .filter_map(|bloc| {
            let stats = s.rerun_effect.bloc.get(bloc)?;
            Some(Panel {
                label: format!("{bloc}: {}", style::bloc_members(s, bloc)),
                note: format!(
                    "{} · loses {} · gains {}",
                    panels::stats_note(stats, true),
                    style::percent(stats.share(|v| v < 0)),
                    style::percent(stats.share(|v| v > 0))
                ),
                color: style::bloc_color(s, bloc),
                stats,
            })
        })
        .collect();
    panels::draw(
        root,
        &body,
        theme,
        &panels,
        "seats changed by the rerun (rerun minus no rerun)",
        true,
    )
}
