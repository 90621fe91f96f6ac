//! `overview`: every party that wins seats and every bloc in one panel — median seats with
//! 50% and 90% intervals, no-rerun above rerun, in party colours, against the majority and
//! two-thirds lines.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::style::{self, ChartResult, Swatch, Theme, INK, MUTED, REFERENCE};
use crate::report::stats::SeatStats;
use crate::report::Summary;

struct Row<'a> {
    label: String,
    color: RGBColor,
    no_rerun: &'a SeatStats,
    rerun: &'a SeatStats,
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let body = style::frame(
        root,
        theme,
        s,
        "How many seats does each party and bloc win, without and with the rerun?",
        &format!(
            "Median seats with 50% and 90% intervals over {} simulated elections · {} seats, majority {}, two-thirds {}",
            style::thousands(s.iterations),
            s.seats,
            s.majority,
            s.two_thirds
        ),
    )?;
    let (Some(nr), Some(rr)) = (s.outcomes.get("no_rerun"), s.outcomes.get("rerun")) else {
        return Ok(());
    };
    let mut rows = Vec::new();
    for p in &s.parties {
        if let (true, Some(a), Some(b)) = (
            super::wins_seats(s, &p.id),
            nr.party.get(&p.id),
            rr.party.get(&p.id),
        ) {
            rows.push(Row {
                label: format!("{} ({})", p.name, p.id),
                color: style::party_color(s, &p.id),
                no_rerun: a,
                rerun: b,
            });
        }
    }
    let parties = rows.len();
    for bloc in &s.blocs {
        if let (Some(a), Some(b)) = (nr.bloc.get(bloc), rr.bloc.get(bloc)) {
            rows.push(Row {
                label: format!("bloc: {bloc}"),
                color: style::bloc_color(s, bloc),
                no_rerun: a,
                rerun: b,
            });
        }
    }

    let plot_area = style::legend_above(
        root,
        &body,
        theme,
        &[
            (Swatch::Dot(INK), "no rerun (upper, lighter): median".into()),
            (Swatch::Ring(INK), "rerun (lower, darker): median".into()),
            (Swatch::Line(INK, 10.0), "50% interval".into()),
            (Swatch::Line(INK, 3.0), "90% interval".into()),
            (Swatch::Dashed(REFERENCE), "majority / two-thirds".into()),
        ],
        8.0,
    )?;

    let label_font = theme.font(19.0, FontStyle::Normal);
    let label_w = (theme.width as i32 * 3 / 10).min(
        rows.iter()
            .map(|r| style::text_width(&label_font, &r.label))
            .max()
            .unwrap_or(0)
            + px(24.0),
    );
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(px(36.0))
        .margin_right(px(50.0))
        .margin_left(px(16.0))
        .x_label_area_size(px(70.0))
        .y_label_area_size(label_w)
        .build_cartesian_2d(0f64..s.seats as f64, 0f64..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .bold_line_style(style::GRID)
        .light_line_style(WHITE)
        .axis_style(MUTED)
        .x_labels(14)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style(theme.text(19.0, INK))
        .axis_desc_style(theme.text(21.0, INK))
        .x_desc(format!("seats won (of {})", s.seats))
        .draw()?;

    // Rows from the top: row i spans [n-i-1, n-i].
    let y_of = |i: usize, off: f64| n - i as f64 - 0.5 + off;
    let (plot_left, _) = chart.backend_coord(&(0.0, 0.0));
    if parties > 0 && parties < rows.len() {
        let y = n - parties as f64;
        let a = chart.backend_coord(&(0.0, y));
        let b = chart.backend_coord(&(s.seats as f64, y));
        root.draw(&PathElement::new(vec![a, b], MUTED.stroke_width(1)))?;
    }
    for (label, seats) in [("majority", s.majority), ("two-thirds", s.two_thirds)] {
        let x = seats as f64 - 0.5;
        let top = chart.backend_coord(&(x, n));
        let bottom = chart.backend_coord(&(x, 0.0));
        style::dashed(root, theme, top, bottom, REFERENCE)?;
        root.draw(&Text::new(
            format!("{label}: {seats}"),
            (top.0, top.1 - px(6.0)),
            label_font
                .color(&REFERENCE)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    let total = |st: &SeatStats| st.counts.iter().sum::<u64>();
    for (i, row) in rows.iter().enumerate() {
        let (_, cy) = chart.backend_coord(&(0.0, y_of(i, 0.0)));
        style::draw_fitted(
            root,
            &row.label,
            label_font.clone(),
            INK,
            (plot_left - px(12.0), cy),
            Pos::new(HPos::Right, VPos::Center),
            label_w - px(24.0),
        )?;
        let light = style::lighten(row.color, 0.35);
        let dark = style::darken(row.color, 0.45);
        for (st, off, color, hollow) in [
            (row.no_rerun, 0.17, light, false),
            (row.rerun, -0.17, dark, true),
        ] {
            if total(st) == 0 {
                continue;
            }
            let q25 = style::quantile(&st.counts, 0.25) as f64;
            let q75 = style::quantile(&st.counts, 0.75) as f64;
            let y = y_of(i, off);
            let p = |x: f64| chart.backend_coord(&(x, y));
            root.draw(&PathElement::new(
                vec![p(st.q05 as f64), p(st.q95 as f64)],
                color.stroke_width(px(3.0) as u32),
            ))?;
            let (a, b) = (p(q25), p(q75));
            let half = px(6.0);
            root.draw(&Rectangle::new(
                [(a.0 - px(2.0), a.1 - half), (b.0 + px(2.0), b.1 + half)],
                color.filled(),
            ))?;
            let m = p(st.q50 as f64);
            style::draw_dot(root, theme, m, dark, !hollow)?;
            let end = p(st.q95 as f64).0.max(m.0 + px(8.0));
            root.draw(&Text::new(
                format!("{}", st.q50),
                (end + px(10.0), m.1),
                theme
                    .text(16.0, MUTED)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}
