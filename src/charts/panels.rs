//! Stacked small multiples of signed count distributions on one shared x axis (the rerun
//! effect per bloc, seats won through fraud per party): one row per subject, so a reader
//! compares them at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::style::{self, ChartResult, Theme, INK, MUTED, REFERENCE};
use crate::report::stats::ChangeStats;

/// One row.
pub struct Panel<'a> {
    /// Shown top-left in the row.
    pub label: String,
    /// Shown top-right in the row (statistics).
    pub note: String,
    /// Bar colour.
    pub color: RGBColor,
    /// The distribution.
    pub stats: &'a ChangeStats,
}

/// Draw `panels` stacked in `area`, sharing an x axis described by `x_desc`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panels: &[Panel<'_>],
    x_desc: &str,
    signed: bool,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let total = |c: &ChangeStats| c.counts.iter().sum::<u64>().max(1) as f64;
    let lo = panels
        .iter()
        .flat_map(|p| p.stats.values.iter().copied())
        .min()
        .unwrap_or(0)
        .min(if signed { -2 } else { 0 })
        - 1;
    let hi = panels
        .iter()
        .flat_map(|p| p.stats.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(if signed { 2 } else { 0 })
        + 1;
    let (w, h) = area.dim_in_pixel();
    let axis_h = px(70.0);
    let n = panels.len().max(1) as i32;
    let row_h = ((h as i32 - axis_h) / n).max(1);
    let x_fmt = |v: &f64| {
        if v.fract() == 0.0 && signed {
            format!("{v:+.0}").replace("+0", "0")
        } else if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    for (i, panel) in panels.iter().enumerate() {
        let last = i + 1 == panels.len();
        let top = i as i32 * row_h;
        let bottom = if last { h as i32 } else { top + row_h };
        let row = area
            .clone()
            .shrink((0, top), (w, (bottom - top).max(1) as u32));
        let t = total(panel.stats);
        let ymax = panel
            .stats
            .counts
            .iter()
            .map(|&c| c as f64 / t * 100.0)
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let mut chart = ChartBuilder::on(&row)
            .margin_top(px(40.0))
            .margin_right(px(40.0))
            .margin_left(px(16.0))
            .x_label_area_size(if last { axis_h } else { px(8.0) })
            .y_label_area_size(px(96.0))
            .build_cartesian_2d((lo as f64 - 0.5)..(hi as f64 + 0.5), 0f64..ymax * 1.1)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_x_mesh()
            .bold_line_style(style::GRID)
            .light_line_style(WHITE)
            .axis_style(MUTED)
            .y_labels(3)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_labels(((hi - lo) as usize).clamp(2, 20))
            .x_label_formatter(&x_fmt)
            .label_style(theme.text(18.0, INK))
            .axis_desc_style(theme.text(21.0, INK))
            .y_desc("prob. (%)");
        if last {
            mesh.x_desc(x_desc);
        } else {
            mesh.x_labels(0);
        }
        mesh.draw()?;
        chart.draw_series(
            panel
                .stats
                .values
                .iter()
                .zip(&panel.stats.counts)
                .filter(|(_, &c)| c > 0)
                .map(|(&v, &c)| {
                    let v = v as f64;
                    Rectangle::new(
                        [(v - 0.4, 0.0), (v + 0.4, c as f64 / t * 100.0)],
                        panel.color.mix(0.85).filled(),
                    )
                }),
        )?;
        if signed {
            let zero_top = chart.backend_coord(&(0.0, ymax * 1.1));
            let zero_bottom = chart.backend_coord(&(0.0, 0.0));
            style::dashed(root, theme, zero_top, zero_bottom, REFERENCE)?;
        }
        let (left, top_px) = chart.backend_coord(&(lo as f64 - 0.5, ymax * 1.1));
        let (right, _) = chart.backend_coord(&(hi as f64 + 0.5, ymax * 1.1));
        let plot_w = right - left;
        let label_font = theme.font(20.0, FontStyle::Bold);
        let label_w = style::text_width(&label_font, &panel.label).min(plot_w / 2);
        style::draw_fitted(
            root,
            &panel.label,
            label_font,
            INK,
            (left, top_px - px(8.0)),
            Pos::new(HPos::Left, VPos::Bottom),
            plot_w / 2,
        )?;
        style::draw_fitted(
            root,
            &panel.note,
            theme.font(18.0, FontStyle::Normal),
            MUTED,
            (right, top_px - px(8.0)),
            Pos::new(HPos::Right, VPos::Bottom),
            plot_w - label_w - px(24.0),
        )?;
    }
    Ok(())
}

/// "mean -2.6 · median -3 · 90% interval -5 to 0": the statistics line of a panel (signed
/// for changes, plain for counts).
pub fn stats_note(c: &ChangeStats, signed: bool) -> String {
    if !signed {
        return format!(
            "mean {:.1} · median {} · 90% interval {} to {}",
            c.mean, c.q50, c.q05, c.q95
        );
    }
    format!(
        "mean {:+.1} · median {:+} · 90% interval {:+} to {:+}",
        c.mean, c.q50, c.q05, c.q95
    )
    .replace("+0 ", "0 ")
    .replace("+0.0 ", "0.0 ")
    .replace(" +0", " 0")
}
