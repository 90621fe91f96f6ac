//! `seats-<party|bloc>`: how many seats one party or bloc wins, without and with the rerun.
//! No-rerun is a filled histogram, rerun a thick dark outline over it, so the two stay apart in
//! greyscale too; majority and two-thirds lines, median and 90% intervals are annotated, and a
//! second x scale on top gives the seat share.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::style::{self, ChartError, ChartResult, Swatch, Theme, INK, MUTED, REFERENCE};
use super::SubjectKind;
use crate::report::Summary;

/// Who a seat chart is about, as shown.
struct Subject {
    title_name: String,
    subtitle: String,
    color: RGBColor,
}

fn subject(s: &Summary, kind: SubjectKind, key: &str) -> Subject {
    let common = format!(
        "{} seats, majority {}, two-thirds {} · probabilities over {} simulated elections",
        s.seats,
        s.majority,
        s.two_thirds,
        style::thousands(s.iterations)
    );
    match kind {
        SubjectKind::Party => {
            let p = s.parties.iter().find(|p| p.id == key);
            let name = p.map(|p| p.name.clone()).unwrap_or_else(|| key.to_string());
            let bloc = p.map(|p| p.bloc.clone()).unwrap_or_default();
            Subject {
                title_name: name.clone(),
                subtitle: format!("{name} ({key}), bloc {bloc} · {common}"),
                color: style::party_color(s, key),
            }
        }
        SubjectKind::Bloc => Subject {
            title_name: format!("the {key} bloc"),
            subtitle: format!("Bloc {key}: {} · {common}", style::bloc_members(s, key)),
            color: style::bloc_color(s, key),
        },
    }
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
    kind: SubjectKind,
    key: &str,
) -> ChartResult<()> {
    let kind_str = match kind {
        SubjectKind::Party => "party",
        SubjectKind::Bloc => "bloc",
    };
    let missing = || ChartError(format!("summary has no {kind_str} `{key}`"));
    let nr = s.stats("no_rerun", kind_str, key).ok_or_else(missing)?;
    let rr = s.stats("rerun", kind_str, key).ok_or_else(missing)?;
    let subj = subject(s, kind, key);
    let body = style::frame(
        root,
        theme,
        s,
        &format!(
            "How many seats does {} win, without and with the rerun?",
            subj.title_name
        ),
        &subj.subtitle,
    )?;
    let px = |v: f64| theme.px(v);
    let fill = subj.color.mix(0.55);
    let dark = style::darken(subj.color, 0.55);

    let describe = |label: &str, st: &crate::report::stats::SeatStats| {
        format!(
            "{label}: median {}, 90% interval {}–{}, P(majority) {}",
            st.q50,
            st.q05,
            st.q95,
            style::percent(st.p_majority)
        )
    };
    let total = s.iterations.max(1) as f64;
    let prob = |c: &[u64], k: usize| c.get(k).copied().unwrap_or(0) as f64 / total * 100.0;
    let first = |c: &[u64]| c.iter().position(|&x| x > 0).unwrap_or(0);
    let last = |c: &[u64]| c.iter().rposition(|&x| x > 0).unwrap_or(0);
    let lo = first(&nr.counts).min(first(&rr.counts));
    let hi = last(&nr.counts).max(last(&rr.counts));
    let n = s.seats;
    let pad = ((hi - lo) / 8).max(3);
    let x0 = lo.saturating_sub(pad);
    // Show the thresholds when the distribution comes near them; otherwise zoom in on the
    // distribution and say where they are, so small parties are not a spike at the edge.
    let show_thresholds = hi + 10 >= s.majority;
    let x1 = if show_thresholds {
        (hi.max(s.two_thirds) + pad).min(n)
    } else {
        (hi + pad).max(x0 + 20).min(n)
    }
    .max(x0 + 1);
    let ymax = (x0..=x1)
        .map(|k| prob(&nr.counts, k).max(prob(&rr.counts, k)))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let y_top = ymax * 1.42;

    let mut items = vec![
        (
            Swatch::FillOutline(fill, subj.color),
            describe("no rerun", nr),
        ),
        (Swatch::Line(dark, 4.0), describe("rerun", rr)),
    ];
    if show_thresholds {
        items.push((Swatch::Dashed(REFERENCE), "majority / two-thirds".into()));
    }
    let plot_area = style::legend_above(root, &body, theme, &items, 8.0)?;

    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(px(62.0))
        .margin_right(px(40.0))
        .margin_left(px(16.0))
        .x_label_area_size(px(70.0))
        .y_label_area_size(px(96.0))
        .build_cartesian_2d((x0 as f64 - 0.5)..(x1 as f64 + 0.5), 0f64..y_top)?;
    let x_fmt = |v: &f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    let decimals = if ymax < 2.0 { 1 } else { 0 };
    let y_fmt = move |v: &f64| format!("{v:.decimals$}");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(style::GRID)
        .light_line_style(WHITE)
        .axis_style(MUTED)
        .x_labels((x1 - x0).clamp(2, 14))
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(theme.text(19.0, INK))
        .axis_desc_style(theme.text(21.0, INK))
        .x_desc(format!("seats won (of {n})"))
        .y_desc("probability (%)")
        .draw()?;

    chart.draw_series(
        (x0..=x1)
            .filter(|&k| nr.counts.get(k).is_some_and(|&c| c > 0))
            .map(|k| {
                let kx = k as f64;
                Rectangle::new(
                    [(kx - 0.45, 0.0), (kx + 0.45, prob(&nr.counts, k))],
                    fill.filled(),
                )
            }),
    )?;
    let (r0, r1) = (
        first(&rr.counts).max(x0 + 1) - 1,
        (last(&rr.counts) + 1).min(x1),
    );
    let mut step = vec![(r0 as f64 - 0.5, 0.0)];
    for k in r0..=r1 {
        let p = prob(&rr.counts, k);
        step.push((k as f64 - 0.5, p));
        step.push((k as f64 + 0.5, p));
    }
    step.push((r1 as f64 + 0.5, 0.0));
    chart.draw_series(std::iter::once(PathElement::new(
        step,
        dark.stroke_width(px(4.0) as u32),
    )))?;

    // Majority and two-thirds: a seat count right of the line reaches the threshold.
    let label_font = theme.font(19.0, FontStyle::Normal);
    for (label, seats) in [("majority", s.majority), ("two-thirds", s.two_thirds)] {
        let x = seats as f64 - 0.5;
        if x < x0 as f64 - 0.5 || x > x1 as f64 + 0.5 {
            continue;
        }
        let top = chart.backend_coord(&(x, y_top * 0.99));
        let bottom = chart.backend_coord(&(x, 0.0));
        style::dashed(root, theme, top, bottom, REFERENCE)?;
        let text = format!("{label}: {seats}+");
        let (right_edge, _) = chart.backend_coord(&(x1 as f64 + 0.5, 0.0));
        let fits_right = top.0 + px(6.0) + style::text_width(&label_font, &text) < right_edge;
        let (pos, h) = if fits_right {
            ((top.0 + px(6.0), top.1), HPos::Left)
        } else {
            ((top.0 - px(6.0), top.1), HPos::Right)
        };
        root.draw(&Text::new(
            text,
            pos,
            label_font.color(&REFERENCE).pos(Pos::new(h, VPos::Top)),
        ))?;
    }
    if !show_thresholds {
        let (right_edge, top) = chart.backend_coord(&(x1 as f64 + 0.5, y_top * 0.99));
        root.draw(&Text::new(
            format!(
                "majority ({}+) and two-thirds ({}+) lie off this scale →",
                s.majority, s.two_thirds
            ),
            (right_edge - px(6.0), top),
            label_font
                .color(&REFERENCE)
                .pos(Pos::new(HPos::Right, VPos::Top)),
        ))?;
    }

    // Median and 90% interval of each outcome, above the bars.
    let mid = (x0 + x1) as f64 / 2.0;
    for (st, y, color, hollow, label) in [
        (nr, ymax * 1.11, subj.color, false, "no rerun"),
        (rr, ymax * 1.25, dark, true, "rerun"),
    ] {
        let a = chart.backend_coord(&(st.q05 as f64, y));
        let b = chart.backend_coord(&(st.q95 as f64, y));
        let m = chart.backend_coord(&(st.q50 as f64, y));
        root.draw(&PathElement::new(
            vec![a, b],
            color.stroke_width(px(4.0) as u32),
        ))?;
        for end in [a, b] {
            root.draw(&PathElement::new(
                vec![(end.0, end.1 - px(7.0)), (end.0, end.1 + px(7.0))],
                color.stroke_width(px(3.0) as u32),
            ))?;
        }
        style::draw_dot(root, theme, m, color, !hollow)?;
        let text = format!("{label}: {}–{}, median {}", st.q05, st.q95, st.q50);
        let (pos, anchor) = if (st.q50 as f64) > mid {
            ((a.0 - px(14.0), a.1), HPos::Right)
        } else {
            ((b.0 + px(14.0), b.1), HPos::Left)
        };
        style::boxed_text(
            root,
            theme,
            &text,
            &theme.font(18.0, FontStyle::Normal),
            INK,
            pos,
            anchor,
        )?;
    }

    // Second x scale on top: seat share in %.
    let span_pct = (x1 - x0) as f64 / n.max(1) as f64 * 100.0;
    let step_pct = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0]
        .into_iter()
        .find(|st| span_pct / st <= 10.0)
        .unwrap_or(50.0);
    let (left, top) = chart.backend_coord(&(x0 as f64 - 0.5, y_top));
    let (right, _) = chart.backend_coord(&(x1 as f64 + 0.5, y_top));
    root.draw(&PathElement::new(
        vec![(left, top), (right, top)],
        MUTED.stroke_width(1),
    ))?;
    let mut t = ((x0 as f64 - 0.5) / n.max(1) as f64 * 100.0 / step_pct).ceil() * step_pct + 0.0;
    if t < 0.0 {
        t = 0.0;
    }
    while t / 100.0 * n as f64 <= x1 as f64 + 0.5 {
        let (px_x, _) = chart.backend_coord(&(t / 100.0 * n as f64, y_top));
        root.draw(&PathElement::new(
            vec![(px_x, top), (px_x, top - px(6.0))],
            MUTED.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("{t:.0}%"),
            (px_x, top - px(9.0)),
            theme
                .text(17.0, INK)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        t += step_pct;
    }
    root.draw(&Text::new(
        "seat share (%)",
        (right, top - px(36.0)),
        theme
            .text(19.0, INK)
            .pos(Pos::new(HPos::Right, VPos::Bottom)),
    ))?;
    Ok(())
}
