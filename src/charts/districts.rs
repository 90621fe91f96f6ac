//! `districts`: every district's most likely winner and how likely that win is, no-rerun
//! panel above the rerun panel in the same order (safest seat first), so a reader sees where
//! the seats are safe, where they are contested, and what the rerun changes. Districts that
//! are or may be re-run are marked with a triangle.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform};

use super::style::{self, ChartResult, Swatch, Theme, INK, MUTED, REFERENCE};
use crate::report::summary::DistrictSummary;
use crate::report::Summary;

/// The most likely winner (first listed on ties) and its probability.
fn leader<'a>(d: &'a DistrictSummary, outcome: &str) -> Option<(&'a str, f64)> {
    let mut best: Option<(&str, f64)> = None;
    for (party, &p) in d.win_probability.get(outcome)? {
        if best.is_none_or(|(_, b)| p > b) {
            best = Some((party.as_str(), p));
        }
    }
    best
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let safe = s
        .districts
        .iter()
        .filter(|d| leader(d, "no_rerun").is_some_and(|(_, p)| p >= 0.9))
        .count();
    let contested = s
        .districts
        .iter()
        .filter(|d| leader(d, "no_rerun").is_none_or(|(_, p)| p < 0.6))
        .count();
    let body = style::frame(
        root,
        theme,
        s,
        "Which seats are safe and which are contested?",
        &format!(
            "Most likely winner of each district and its probability, sorted from safest; {safe} of {} districts are won with at least 90% probability, {contested} with less than 60% (no rerun)",
            s.districts.len()
        ),
    )?;

    let mut order: Vec<usize> = (0..s.districts.len()).collect();
    let key = |i: usize| leader(&s.districts[i], "no_rerun").map_or(0.0, |(_, p)| p);
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));

    // Legend: every party that leads somewhere, then the rerun markers.
    let mut leaders: Vec<&str> = Vec::new();
    for d in &s.districts {
        for o in ["no_rerun", "rerun"] {
            if let Some((p, _)) = leader(d, o) {
                if !leaders.contains(&p) {
                    leaders.push(p);
                }
            }
        }
    }
    let mut items: Vec<(Swatch, String)> = s
        .parties
        .iter()
        .filter(|p| leaders.contains(&p.id.as_str()))
        .map(|p| {
            (
                Swatch::Fill(style::party_color(s, &p.id).to_rgba()),
                format!("{} ({})", p.name, p.id),
            )
        })
        .collect();
    let forced = s.districts.iter().any(|d| d.forced_rerun);
    let maybe = s
        .districts
        .iter()
        .any(|d| !d.forced_rerun && d.rerun_probability > 0.0);
    if forced {
        items.push((
            Swatch::Triangle(INK, true),
            "re-run in every election".into(),
        ));
    }
    if maybe {
        items.push((
            Swatch::Triangle(INK, false),
            "re-run in some elections (annulment or rule)".into(),
        ));
    }
    let plots = style::legend_above(root, &body, theme, &items, 4.0)?;
    let (pw, ph) = plots.dim_in_pixel();
    let n = s.districts.len().max(1);
    let slot = (pw as f64 - px(170.0) as f64) / n as f64;
    let label_ids = slot >= px(11.0) as f64;
    let axis_h = if label_ids { px(80.0) } else { px(60.0) };
    let half = ((ph as i32 - axis_h) / 2).max(1);
    let upper = plots.clone().shrink((0, 0), (pw, half as u32));
    let lower = plots
        .clone()
        .shrink((0, half), (pw, (ph as i32 - half).max(1) as u32));

    for (panel, outcome, title, last) in [
        (&upper, "no_rerun", "no rerun", false),
        (&lower, "rerun", "rerun", true),
    ] {
        let mut chart = ChartBuilder::on(panel)
            .margin_top(px(30.0))
            .margin_right(px(40.0))
            .margin_left(px(16.0))
            .x_label_area_size(if last { axis_h } else { px(6.0) })
            .y_label_area_size(px(110.0))
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..112.0)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_x_mesh()
            .bold_line_style(style::GRID)
            .light_line_style(WHITE)
            .axis_style(MUTED)
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|v| {
                if *v <= 100.0 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .label_style(theme.text(18.0, INK))
            .axis_desc_style(theme.text(20.0, INK))
            .y_desc("P(leader wins) (%)");
        if last {
            mesh.x_desc("districts, from safest to most contested (no-rerun order)");
        }
        mesh.draw()?;
        chart.draw_series(order.iter().enumerate().filter_map(|(rank, &d)| {
            let (party, p) = leader(&s.districts[d], outcome)?;
            let x = rank as f64;
            Some(Rectangle::new(
                [(x - 0.4, 0.0), (x + 0.4, p * 100.0)],
                style::party_color(s, party).filled(),
            ))
        }))?;
        let a = chart.backend_coord(&(-0.5, 50.0));
        let b = chart.backend_coord(&(n as f64 - 0.5, 50.0));
        style::dashed(root, theme, a, b, REFERENCE)?;
        for (rank, &d) in order.iter().enumerate() {
            let dist = &s.districts[d];
            if dist.forced_rerun || dist.rerun_probability > 0.0 {
                let c = chart.backend_coord(&(rank as f64, 106.0));
                style::draw_triangle(root, theme, c, INK, dist.forced_rerun)?;
            }
        }
        let (left, top) = chart.backend_coord(&(-0.5, 112.0));
        root.draw(&Text::new(
            title,
            (left, top - px(6.0)),
            theme
                .bold(20.0, INK)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
        if last {
            let font = theme.font(
                if slot >= px(14.0) as f64 { 13.0 } else { 11.0 },
                FontStyle::Normal,
            );
            let every = if label_ids { 1 } else { (n / 25).max(1) };
            for (rank, &d) in order.iter().enumerate() {
                if rank % every != 0 {
                    continue;
                }
                let (x, y) = chart.backend_coord(&(rank as f64, 0.0));
                root.draw(&Text::new(
                    s.districts[d].id.clone(),
                    (x, y + px(8.0)),
                    font.color(&INK)
                        .transform(FontTransform::Rotate270)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
        }
    }
    Ok(())
}
