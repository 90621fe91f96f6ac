//! Sweep charts, drawn from `sweep.json` alone with the shared look of [`crate::charts::style`]:
//! - one varied key: `sweep-seats` — mean seats (line) and 90% interval (band) of every bloc
//!   against the key, without and with the rerun side by side;
//! - two varied keys: `sweep-majority` — heatmap of P(majority) of the beneficiary's bloc, and
//!   `sweep-opposition` — heatmap of the opposition bloc's mean seats, both outcomes each.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use rayon::prelude::*;

use super::summary::{PointStats, SweepSummary};
use crate::charts::fingerprint::{bar_tick, viridis, viridis_bar};
use crate::charts::style::{self, ChartError, ChartResult, Swatch, Theme, INK, MUTED, REFERENCE};
use crate::charts::{ChartOptions, Format};
use crate::error::{Error, Result};

const OUTCOMES: [(&str, &str); 2] = [("no_rerun", "No rerun"), ("rerun", "With the rerun")];

/// The sweep charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepChart {
    /// One key: seats per bloc against the key.
    Seats,
    /// Two keys: P(majority) of the beneficiary's bloc.
    Majority,
    /// Two keys: mean seats of the opposition bloc.
    Opposition,
}

/// The charts a sweep gets, with their file stems: none for three or more keys.
pub fn charts_for(s: &SweepSummary) -> Vec<(&'static str, SweepChart)> {
    match s.vary.len() {
        1 => vec![("sweep-seats", SweepChart::Seats)],
        2 => {
            let mut v = vec![("sweep-majority", SweepChart::Majority)];
            if s.opposition_bloc.is_some() {
                v.push(("sweep-opposition", SweepChart::Opposition));
            }
            v
        }
        _ => Vec::new(),
    }
}

impl SweepChart {
    /// Draw onto `root` (any backend).
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        s: &SweepSummary,
        theme: &Theme,
    ) -> ChartResult<()> {
        match self {
            SweepChart::Seats => draw_seats(root, s, theme),
            SweepChart::Majority => {
                let bloc = s.beneficiary_bloc.clone();
                draw_heatmap(
                    root,
                    s,
                    theme,
                    &Heat {
                        title: format!(
                            "When does the {bloc} bloc keep its majority ({}+ seats)?",
                            s.majority
                        ),
                        what: format!("P(majority) of the {bloc} bloc"),
                        bloc,
                        range: (0.0, 1.0),
                        value: |st: &PointStats| st.p_majority,
                        text: style::percent,
                    },
                )
            }
            SweepChart::Opposition => {
                let bloc = s.opposition_bloc.clone().unwrap_or_default();
                let all: Vec<f64> = (0..s.points.len())
                    .flat_map(|g| OUTCOMES.map(|(o, _)| stats(s, g, o, &bloc).map(|st| st.mean)))
                    .flatten()
                    .collect();
                let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let range = if lo.is_finite() && hi > lo {
                    (lo, hi)
                } else if lo.is_finite() {
                    (lo - 0.5, lo + 0.5)
                } else {
                    (0.0, 1.0)
                };
                draw_heatmap(
                    root,
                    s,
                    theme,
                    &Heat {
                        title: format!("How many seats does the {bloc} bloc win?"),
                        what: format!("Mean seats of the {bloc} bloc (of {})", s.seats),
                        bloc,
                        range,
                        value: |st: &PointStats| st.mean,
                        text: |v| format!("{v:.1}"),
                    },
                )
            }
        }
    }
}

/// Every sweep chart file in the requested formats, as (path in the output directory, bytes).
pub fn render_all(s: &SweepSummary, opts: &ChartOptions) -> Result<Vec<(String, Vec<u8>)>> {
    let charts = charts_for(s);
    if charts.is_empty() {
        return Ok(Vec::new());
    }
    style::register_fonts()?;
    let theme = Theme::new(opts.width, opts.height);
    let (png, svg) = match opts.format {
        Format::Png => (true, false),
        Format::Svg => (false, true),
        Format::Both => (true, true),
    };
    let drawn = charts
        .into_par_iter()
        .map(|(stem, chart)| {
            let mut files = Vec::new();
            if png {
                let bytes = style::png_bytes(&theme, |root| chart.draw(root, s, &theme))?;
                files.push((format!("charts/{stem}.png"), bytes));
            }
            if svg {
                let bytes = style::svg_bytes(&theme, |root| chart.draw(root, s, &theme))?;
                files.push((format!("charts/{stem}.svg"), bytes));
            }
            Ok(files)
        })
        .collect::<std::result::Result<Vec<_>, ChartError>>()
        .map_err(Error::from)?;
    Ok(drawn.into_iter().flatten().collect())
}

/// Provenance of a sweep chart pasted on its own.
fn footer(s: &SweepSummary) -> String {
    style::provenance(
        &s.scenario,
        &format!(
            "{} iterations per point, same random numbers at every point",
            style::thousands(s.iterations)
        ),
        s.seed,
        &s.seatsim_version,
    )
}

fn stats<'a>(
    s: &'a SweepSummary,
    point: usize,
    outcome: &str,
    bloc: &str,
) -> Option<&'a PointStats> {
    s.points.get(point)?.outcomes.get(outcome)?.bloc.get(bloc)
}

/// An axis value, short: 0.025, -3.33, 1200.
fn tidy(v: f64) -> String {
    let plain = format!("{v}");
    if plain.len() <= 6 {
        return plain;
    }
    let t = format!("{v:.3}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".into()
    } else {
        t.to_string()
    }
}

fn draw_seats<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &SweepSummary,
    theme: &Theme,
) -> ChartResult<()> {
    let px = |v: f64| theme.px(v);
    let vary = s
        .vary
        .first()
        .ok_or_else(|| ChartError("no varied key".into()))?;
    let key = &vary.key;
    let xs = &vary.values;
    let body = style::frame_with_footer(
        root,
        theme,
        &footer(s),
        &format!("How do the blocs' seats change with {key}?"),
        &format!(
            "Mean seats (line) and 90% interval (band) of each bloc at {} values of {key} · {} seats, majority {}, two-thirds {}",
            xs.len(),
            s.seats,
            s.majority,
            s.two_thirds
        ),
    )?;
    let mut items: Vec<(Swatch, String)> = s
        .blocs
        .iter()
        .map(|b| {
            (
                Swatch::Line(style::bloc_color_in(&s.parties, b), 4.0),
                format!("bloc {b}"),
            )
        })
        .collect();
    items.push((
        Swatch::Dashed(REFERENCE),
        format!("majority {}+ / two-thirds {}+", s.majority, s.two_thirds),
    ));
    let plots = style::legend_above(root, &body, theme, &items, 8.0)?;
    let panels = plots.split_evenly((1, 2));

    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (x0, x1) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, lo + 0.5)
    };
    let top = (0..s.points.len())
        .flat_map(|g| {
            OUTCOMES
                .iter()
                .flat_map(move |(o, _)| s.blocs.iter().map(move |b| (g, *o, b)))
        })
        .filter_map(|(g, o, b)| stats(s, g, o, b).map(|st| st.q95))
        .max()
        .unwrap_or(0) as usize;
    let y1 = ((top.max(s.two_thirds) as f64) * 1.06 + 1.0).min(s.seats as f64);

    for (panel, (outcome, label)) in panels.iter().zip(OUTCOMES) {
        let mut chart = ChartBuilder::on(panel)
            .caption(label, theme.bold(24.0, INK))
            .margin_top(px(8.0))
            .margin_right(px(28.0))
            .margin_left(px(12.0))
            .x_label_area_size(px(70.0))
            .y_label_area_size(px(80.0))
            .build_cartesian_2d(x0..x1, 0f64..y1)?;
        chart
            .configure_mesh()
            .bold_line_style(style::GRID)
            .light_line_style(WHITE)
            .axis_style(MUTED)
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|v| tidy(*v))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(theme.text(18.0, INK))
            .axis_desc_style(theme.text(20.0, INK))
            .x_desc(key.as_str())
            .y_desc("seats")
            .draw()?;
        for b in &s.blocs {
            let color = style::bloc_color_in(&s.parties, b);
            let pts: Vec<(f64, &PointStats)> = xs
                .iter()
                .enumerate()
                .filter_map(|(g, &x)| stats(s, g, outcome, b).map(|st| (x, st)))
                .collect();
            let mut band: Vec<(f64, f64)> = pts.iter().map(|(x, st)| (*x, st.q95 as f64)).collect();
            band.extend(pts.iter().rev().map(|(x, st)| (*x, st.q05 as f64)));
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                color.mix(0.18).filled(),
            )))?;
            chart.draw_series(LineSeries::new(
                pts.iter().map(|(x, st)| (*x, st.mean)),
                color.stroke_width(px(4.0) as u32),
            ))?;
            if pts.len() <= 41 {
                chart.draw_series(
                    pts.iter()
                        .map(|(x, st)| Circle::new((*x, st.mean), px(4.0), color.filled())),
                )?;
            }
        }
        for seats in [s.majority, s.two_thirds] {
            let y = seats as f64 - 0.5;
            if y > y1 {
                continue;
            }
            let a = chart.backend_coord(&(x0, y));
            let b = chart.backend_coord(&(x1, y));
            style::dashed(root, theme, a, b, REFERENCE)?;
        }
    }
    Ok(())
}

/// What a heatmap shows.
struct Heat<V: Fn(&PointStats) -> f64, T: Fn(f64) -> String> {
    title: String,
    what: String,
    bloc: String,
    range: (f64, f64),
    value: V,
    text: T,
}

fn draw_heatmap<DB: DrawingBackend, V, T>(
    root: &DrawingArea<DB, Shift>,
    s: &SweepSummary,
    theme: &Theme,
    heat: &Heat<V, T>,
) -> ChartResult<()>
where
    V: Fn(&PointStats) -> f64,
    T: Fn(f64) -> String,
{
    let px = |v: f64| theme.px(v);
    let (kx, ky) = match &s.vary[..] {
        [a, b] => (a, b),
        _ => return Err(ChartError("a heatmap needs two varied keys".into())),
    };
    let (nx, ny) = (kx.values.len(), ky.values.len());
    let body = style::frame_with_footer(
        root,
        theme,
        &footer(s),
        &heat.title,
        &format!(
            "{} at every combination of {} ({nx} values) and {} ({ny} values)",
            heat.what, kx.key, ky.key
        ),
    )?;
    let (bw, bh) = body.dim_in_pixel();
    let bar_w = px(150.0);
    let plots = body
        .clone()
        .shrink((0, 0), (bw.saturating_sub(bar_w as u32), bh));
    let panels = plots.split_evenly((1, 2));
    let (lo, hi) = heat.range;
    let scale = |v: f64| ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let cell_font = theme.font(17.0, FontStyle::Normal);
    let index_label = |values: &[f64], v: f64| {
        let i = v.round();
        if (v - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        values.get(i as usize).map(|&x| tidy(x)).unwrap_or_default()
    };
    let mut plot_box = None;
    for (panel, (outcome, label)) in panels.iter().zip(OUTCOMES) {
        let mut chart = ChartBuilder::on(panel)
            .caption(label, theme.bold(24.0, INK))
            .margin_top(px(8.0))
            .margin_right(px(20.0))
            .margin_left(px(12.0))
            .x_label_area_size(px(70.0))
            .y_label_area_size(px(90.0))
            .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(MUTED)
            .x_labels(nx.min(12) + 1)
            .y_labels(ny.min(12) + 1)
            .x_label_formatter(&|v| index_label(&kx.values, *v))
            .y_label_formatter(&|v| index_label(&ky.values, *v))
            .label_style(theme.text(17.0, INK))
            .axis_desc_style(theme.text(20.0, INK))
            .x_desc(kx.key.as_str())
            .y_desc(ky.key.as_str())
            .draw()?;
        for i in 0..nx {
            for j in 0..ny {
                let Some(st) = stats(s, i * ny + j, outcome, &heat.bloc) else {
                    continue;
                };
                let v = (heat.value)(st);
                let color = viridis(scale(v));
                let (x, y) = (i as f64, j as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    color.filled(),
                )))?;
                let a = chart.backend_coord(&(x - 0.5, y - 0.5));
                let b = chart.backend_coord(&(x + 0.5, y + 0.5));
                let text = (heat.text)(v);
                let fits = (b.0 - a.0).abs() > style::text_width(&cell_font, &text) + px(8.0)
                    && (a.1 - b.1).abs() > px(24.0);
                if fits {
                    let ink = if style::luminance(color) < 0.5 {
                        WHITE
                    } else {
                        INK
                    };
                    root.draw(&Text::new(
                        text,
                        ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
                        cell_font
                            .clone()
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
            }
        }
        let top_left = chart.backend_coord(&(-0.5, ny as f64 - 0.5));
        let bottom_right = chart.backend_coord(&(nx as f64 - 0.5, -0.5));
        plot_box = Some((top_left, bottom_right));
    }

    // Colour bar, right of the panels.
    let Some(((_, top), (right, bottom))) = plot_box else {
        return Ok(());
    };
    let x1 = viridis_bar(root, theme, right + px(40.0), top, bottom)?;
    for k in 0..=4 {
        let t = k as f64 / 4.0;
        let label = (heat.text)(lo + t * (hi - lo));
        bar_tick(root, theme, x1, (top, bottom), t, label, 17.0)?;
    }
    Ok(())
}
