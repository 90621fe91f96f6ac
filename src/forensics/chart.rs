//! The fingerprint charts: observed, fitted model and fair model side by side, as in Klimek
//! et al. (2012), Fig. 4. Drawn with the shared chart style (embedded font, viridis, footer
//! placement), on one log colour scale so the three panels compare directly.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::report::{Fingerprint, FINGERPRINT_BINS};
use crate::charts::fingerprint::{bar_tick, viridis, viridis_bands};
use crate::charts::style::{self, ChartResult, Theme, INK, MUTED};

/// Chart size in pixels: three square panels and a colour bar.
pub const SIZE: (u32, u32) = (1800, 760);

/// Texts around the panels.
pub struct Labels {
    /// The beneficiary's id (y axis).
    pub beneficiary: String,
    /// Provenance line at the bottom.
    pub footer: String,
}

fn panel_title(name: &str) -> &'static str {
    match name {
        "observed" => "Observed (official results)",
        "fitted" => "Fitted model",
        _ => "Fair model (f_i = f_e = 0)",
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Fingerprint,
    labels: &Labels,
    theme: &Theme,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let body = style::frame_with_footer(
        root,
        theme,
        &labels.footer,
        "Does the official result look like the fair model or the fitted fraud model?",
        &format!(
            "Share of rows by official turnout (x) and official vote share of {} (y), Klimek et al. 2012; one log colour scale",
            labels.beneficiary
        ),
    )?;
    let top = body.get_base_pixel().1;
    let (bw, _) = body.dim_in_pixel();
    let bar_w = px(150.0).max(1) as u32;
    let (plots, bar) = body.split_horizontally(bw.saturating_sub(bar_w));
    let areas = plots.split_evenly((1, f.panels.len().max(1)));

    let floor = 1.0 / f.observed_rows.max(1) as f64;
    let max = f
        .panels
        .iter()
        .flat_map(|(_, h)| h.iter().copied())
        .fold(floor, f64::max);
    let log_span = (max / floor).ln().max(1e-9);
    let colour = |p: f64| viridis((p.max(floor) / floor).ln() / log_span);
    let bins = FINGERPRINT_BINS;
    let step = 100.0 / bins as f64;
    let mut corners = None;
    for ((name, h), area) in f.panels.iter().zip(&areas) {
        let mut chart = ChartBuilder::on(area)
            .caption(panel_title(name), theme.bold(22.0, INK))
            .margin(px(12.0))
            .x_label_area_size(px(56.0))
            .y_label_area_size(px(70.0))
            .build_cartesian_2d(0f64..100.0, 0f64..100.0)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(MUTED)
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(theme.text(17.0, INK))
            .axis_desc_style(theme.text(18.0, INK))
            .x_desc("official turnout (%)")
            .y_desc(format!("share of {} (%)", labels.beneficiary))
            .draw()?;
        chart.draw_series((0..bins).flat_map(|ti| {
            (0..bins).filter_map(move |si| {
                let p = h[ti * bins + si];
                (p > 0.0).then(|| {
                    let (x, y) = (ti as f64 * step, si as f64 * step);
                    Rectangle::new([(x, y), (x + step, y + step)], colour(p).filled())
                })
            })
        }))?;
        let (_, t) = chart.backend_coord(&(0.0, 100.0));
        let (_, b) = chart.backend_coord(&(0.0, 0.0));
        corners = Some((t, b));
    }

    // Colour bar, in the bar area's own coordinates (plotted rows share the panels' height).
    let (top_y, bottom_y) = corners.unwrap_or((px(40.0), px(500.0)));
    let (top_y, bottom_y) = (top_y - top, bottom_y - top);
    let x0 = px(30.0);
    let x1 = viridis_bands(&bar, theme, x0, top_y, bottom_y)?;
    let mut tick = floor;
    while tick <= max * 1.000_001 {
        let t = (tick / floor).ln() / log_span;
        bar_tick(
            &bar,
            theme,
            x1,
            (top_y, bottom_y),
            t,
            share_label(tick),
            15.0,
        )?;
        tick *= 10.0;
    }
    bar.draw(&Text::new(
        "of rows",
        (x0, top_y - px(8.0)),
        theme
            .text(16.0, INK)
            .pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))?;
    Ok(())
}

/// A share of rows as a percentage with as many decimals as a small share needs.
fn share_label(p: f64) -> String {
    let pct = p * 100.0;
    if pct >= 1.0 {
        format!("{pct:.0}%")
    } else if pct >= 0.1 {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.2}%")
    }
}

/// `fingerprint.png` and `fingerprint.svg` as (file name, bytes).
pub fn render(f: &Fingerprint, labels: &Labels) -> crate::Result<Vec<(String, Vec<u8>)>> {
    let theme = Theme::new(SIZE.0, SIZE.1);
    let png = style::png_bytes(&theme, |root| draw(root, f, labels, &theme))?;
    let svg = style::svg_bytes(&theme, |root| draw(root, f, labels, &theme))?;
    Ok(vec![
        ("fingerprint.png".into(), png),
        ("fingerprint.svg".into(), svg),
    ])
}
