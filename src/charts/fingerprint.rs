//! `fingerprint`: Klimek et al.'s (2012) election fingerprint — the 2-D histogram of official
//! turnout (x) against the beneficiary's official vote share (y) over districts and iterations,
//! log-scaled colour. Clean elections make one round blob; incremental fraud smears it towards
//! the top right, extreme fraud piles results up in the 100% / 100% corner.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, ChartResult, Theme, INK, MUTED};
use crate::report::Summary;

/// Viridis (perceptually uniform, colour-blind safe, readable in greyscale), 9 stops.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Viridis colour at `t` in 0..1.
pub fn viridis(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A vertical viridis colour bar (0 at `bottom`, 1 at `top`) starting at x = `x0`, outlined;
/// returns its right edge, where tick marks go. Shared with the sweep heatmaps.
pub fn viridis_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    x0: i32,
    top: i32,
    bottom: i32,
) -> ChartResult<i32> {
    let x1 = viridis_bands(root, theme, x0, top, bottom)?;
    root.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        MUTED.stroke_width(1),
    ))?;
    Ok(x1)
}

/// The bands of [`viridis_bar`] without its outline (the forensics chart's bar); returns
/// the right edge.
pub fn viridis_bands<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    x0: i32,
    top: i32,
    bottom: i32,
) -> ChartResult<i32> {
    let x1 = x0 + theme.px(26.0);
    let height = (bottom - top).max(1);
    let bands = 64;
    for k in 0..bands {
        let ya = top + height * k / bands;
        let yb = top + height * (k + 1) / bands;
        let t = 1.0 - (k as f64 + 0.5) / bands as f64;
        area.draw(&Rectangle::new([(x0, ya), (x1, yb)], viridis(t).filled()))?;
    }
    Ok(x1)
}

/// A labelled tick at `t` (0 at `bottom`, 1 at `top`) on a colour bar whose right edge is
/// `x1`, with text of design size `size`.
pub fn bar_tick<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    x1: i32,
    (top, bottom): (i32, i32),
    t: f64,
    label: String,
    size: f64,
) -> ChartResult<()> {
    let height = (bottom - top).max(1);
    let y = bottom - (t * height as f64).round() as i32;
    area.draw(&PathElement::new(
        vec![(x1, y), (x1 + theme.px(6.0), y)],
        MUTED.stroke_width(1),
    ))?;
    area.draw(&Text::new(
        label,
        (x1 + theme.px(10.0), y),
        theme
            .text(size, INK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let fp = &s.fingerprint;
    let who = fp.beneficiary.as_deref().map(|id| {
        s.parties
            .iter()
            .find(|p| p.id == id)
            .map_or(id.to_string(), |p| format!("{} ({})", p.name, p.id))
    });
    let title = "Does the official result carry the fraud fingerprint (Klimek et al. 2012)?";
    let subtitle = match &who {
        Some(w) => format!(
            "Official turnout against the official vote share of {w}, one count per district and simulated election ({} elections); colour on a log scale",
            style::thousands(s.iterations)
        ),
        None => "The scenario names no fraud beneficiary, so there is no vote share to plot".into(),
    };
    let body = style::frame(root, theme, s, title, &subtitle)?;
    let max = fp.counts.iter().flatten().copied().max().unwrap_or(0);
    if who.is_none() || max == 0 {
        style::centred_message(
            &body,
            theme,
            "No fingerprint: no district result of a fraud beneficiary was recorded.",
        )?;
        return Ok(());
    }
    let bins = fp.counts.len().max(1) as f64;
    let (bw, bh) = body.dim_in_pixel();
    let bar_w = px(190.0);
    let plot = body
        .clone()
        .shrink((0, 0), (bw.saturating_sub(bar_w as u32), bh));
    let mut chart = ChartBuilder::on(&plot)
        .margin_top(px(16.0))
        .margin_right(px(20.0))
        .margin_left(px(16.0))
        .x_label_area_size(px(70.0))
        .y_label_area_size(px(96.0))
        .build_cartesian_2d(0f64..100.0, 0f64..100.0)?;
    let log_max = (max as f64).ln().max(1e-9);
    let color_of = |c: u64| viridis((c as f64).ln() / log_max);
    chart.draw_series(fp.counts.iter().enumerate().flat_map(|(tb, row)| {
        row.iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(move |(sb, &c)| {
                let (x, y) = (tb as f64 * 100.0 / bins, sb as f64 * 100.0 / bins);
                let step = 100.0 / bins;
                Rectangle::new([(x, y), (x + step, y + step)], color_of(c).filled())
            })
    }))?;
    chart
        .configure_mesh()
        .bold_line_style(style::GRID.mix(0.6))
        .light_line_style(TRANSPARENT)
        .axis_style(MUTED)
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(theme.text(19.0, INK))
        .axis_desc_style(theme.text(21.0, INK))
        .x_desc("official turnout (%)")
        .y_desc(format!(
            "official vote share of {} (%)",
            fp.beneficiary.as_deref().unwrap_or("")
        ))
        .draw()?;

    // Colour bar with log ticks.
    let (_, top) = chart.backend_coord(&(0.0, 100.0));
    let (right, bottom) = chart.backend_coord(&(100.0, 0.0));
    let x0 = right + px(50.0);
    let x1 = viridis_bar(root, theme, x0, top, bottom)?;
    let mut tick: u64 = 1;
    loop {
        let t = (tick as f64).ln() / log_max;
        bar_tick(
            root,
            theme,
            x1,
            (top, bottom),
            t,
            style::thousands(tick),
            17.0,
        )?;
        match tick.checked_mul(10) {
            Some(next) if next <= max => tick = next,
            _ => break,
        }
    }
    root.draw(&Text::new(
        "district results",
        (x0, top - px(10.0)),
        theme
            .text(18.0, INK)
            .pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))?;
    Ok(())
}
