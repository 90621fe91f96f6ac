//! The shared look of every seatsim chart, public so that other chart modules (sweeps,
//! forensics) look alike: the embedded font (text renders on machines without system fonts),
//! colours, the title / subtitle / provenance-footer frame, legends, and turning a drawing
//! into PNG or SVG bytes.
//!
//! Sizes are given for a 1600×1000 chart and scaled with [`Theme::px`], so a chart drawn at
//! another `--size` keeps its proportions.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBAColor};

use crate::report::summary::{PartyInfo, ScenarioInfo};
use crate::report::Summary;

/// The family name charts use. SVG viewers get DejaVu Sans when installed and their own
/// sans-serif otherwise; PNGs always use the embedded DejaVu Sans.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Body text.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text (subtitles, footers, annotations).
pub const MUTED: RGBColor = RGBColor(95, 95, 95);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(228, 228, 228);
/// Reference lines (majority, two-thirds, zero).
pub const REFERENCE: RGBColor = RGBColor(60, 60, 60);

/// A drawing failure; becomes [`crate::Error::Internal`] (nothing the user typed causes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

impl From<ChartError> for crate::Error {
    fn from(e: ChartError) -> Self {
        crate::Error::Internal(format!("drawing a chart: {e}"))
    }
}

/// Result of drawing.
pub type ChartResult<T> = std::result::Result<T, ChartError>;

/// Register the embedded DejaVu Sans (regular and bold) under [`FONT_FAMILY`]. Idempotent and
/// cheap after the first call; every render function calls it.
pub fn register_fonts() -> ChartResult<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError("the embedded font could not be loaded".into()))
    }
}

/// Pixel size of a chart and the factor that scales the 1600×1000 design to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Scale relative to the 1600×1000 design.
    pub scale: f64,
}

impl Theme {
    /// A theme for a chart of this size.
    pub fn new(width: u32, height: u32) -> Theme {
        let scale = (width as f64 / 1600.0).min(height as f64 / 1000.0);
        Theme {
            width,
            height,
            scale,
        }
    }

    /// A design length (pixels at 1600×1000) at this size; at least 1.
    pub fn px(&self, design: f64) -> i32 {
        (design * self.scale).round().max(1.0) as i32
    }

    /// Regular text of a design size.
    pub fn text(&self, design_size: f64, color: RGBColor) -> TextStyle<'static> {
        self.font(design_size, FontStyle::Normal).color(&color)
    }

    /// Bold text of a design size.
    pub fn bold(&self, design_size: f64, color: RGBColor) -> TextStyle<'static> {
        self.font(design_size, FontStyle::Bold).color(&color)
    }

    /// The font at a design size.
    pub fn font(&self, design_size: f64, style: FontStyle) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            (design_size * self.scale).max(6.0),
            style,
        )
    }
}

/// Width of `text` in pixels in `font` (0 if it cannot be measured).
pub fn text_width(font: &FontDesc<'_>, text: &str) -> i32 {
    font.box_size(text).map(|(w, _)| w as i32).unwrap_or(0)
}

/// `text` in `font`, shrunk (to 70% at most) and then shortened with "…" until it fits
/// `max_width`: long party names must never run off a chart.
pub fn fit(font: &FontDesc<'static>, text: &str, max_width: i32) -> (FontDesc<'static>, String) {
    let width = text_width(font, text);
    if width <= max_width || width == 0 {
        return (font.clone(), text.to_string());
    }
    let size = font.get_size();
    let shrunk = font.resize((size * max_width as f64 / width as f64).max(size * 0.7));
    if text_width(&shrunk, text) <= max_width {
        return (shrunk, text.to_string());
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&shrunk, &candidate) <= max_width {
            return (shrunk, candidate);
        }
    }
    (shrunk, String::new())
}

/// Draw `text` at `pos` (anchored as `anchor`) shrunk or shortened to fit `max_width`.
pub fn draw_fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: FontDesc<'static>,
    color: RGBColor,
    pos: (i32, i32),
    anchor: Pos,
    max_width: i32,
) -> ChartResult<()> {
    let (font, text) = fit(&font, text, max_width);
    if text.is_empty() {
        return Ok(());
    }
    area.draw(&Text::new(text, pos, font.color(&color).pos(anchor)))?;
    Ok(())
}

/// Top-left text anchor.
pub const TOP_LEFT: Pos = Pos {
    h_pos: HPos::Left,
    v_pos: VPos::Top,
};

/// Draw `text` left- or right-anchored at `pos` (vertically centred) on a white box, so it
/// stays readable where it crosses reference lines or bars.
pub fn boxed_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
    font: &FontDesc<'static>,
    color: RGBColor,
    pos: (i32, i32),
    h: HPos,
) -> ChartResult<()> {
    let w = text_width(font, text);
    let half = (font.get_size() * 0.7).round() as i32;
    let pad = theme.px(4.0);
    let (x0, x1) = match h {
        HPos::Right => (pos.0 - w - pad, pos.0 + pad),
        HPos::Center => (pos.0 - w / 2 - pad, pos.0 + w / 2 + pad),
        HPos::Left => (pos.0 - pad, pos.0 + w + pad),
    };
    area.draw(&Rectangle::new(
        [(x0, pos.1 - half), (x1, pos.1 + half)],
        WHITE.mix(0.9).filled(),
    ))?;
    area.draw(&Text::new(
        text.to_string(),
        pos,
        font.color(&color).pos(Pos::new(h, VPos::Center)),
    ))?;
    Ok(())
}

/// `#rrggbb` → colour; anything else is grey (scenario validation already rejects it).
pub fn hex(color: &str) -> RGBColor {
    let c = color.trim().trim_start_matches('#');
    let byte = |i: usize| c.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (c.len(), byte(0), byte(2), byte(4)) {
        (6, Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => RGBColor(128, 128, 128),
    }
}

/// Colour-blind-safe default palette colour `i` (Okabe & Ito), the same one scenario
/// validation assigns to parties without a colour.
pub fn palette(i: usize) -> RGBColor {
    let p = crate::scenario::DEFAULT_PALETTE;
    hex(p[i % p.len()])
}

/// A party's colour from the summary (palette colour by position if it has none).
pub fn party_color(s: &Summary, id: &str) -> RGBColor {
    color_at(&s.parties, s.parties.iter().position(|p| p.id == id))
}

/// The colour of the party at `position`: its own, else the palette's; muted if none.
fn color_at(parties: &[PartyInfo], position: Option<usize>) -> RGBColor {
    match position {
        Some(i) if !parties[i].color.is_empty() => hex(&parties[i].color),
        Some(i) => palette(i),
        None => MUTED,
    }
}

/// A bloc's colour: that of its first party in display order, so a one-party bloc wears its
/// party's colour.
pub fn bloc_color(s: &Summary, bloc: &str) -> RGBColor {
    bloc_color_in(&s.parties, bloc)
}

/// The names of a bloc's parties, comma-separated, in display order.
pub fn bloc_members(s: &Summary, bloc: &str) -> String {
    let names: Vec<&str> = s
        .parties
        .iter()
        .filter(|p| p.bloc == bloc)
        .map(|p| p.name.as_str())
        .collect();
    names.join(", ")
}

/// [`bloc_color`] from a party list, for summaries other than a run's (sweeps).
pub fn bloc_color_in(parties: &[PartyInfo], bloc: &str) -> RGBColor {
    color_at(parties, parties.iter().position(|p| p.bloc == bloc))
}

/// Mix towards black by `amount` (0..1): outlines and lines that stay visible over fills.
pub fn darken(c: RGBColor, amount: f64) -> RGBColor {
    let f = |v: u8| (v as f64 * (1.0 - amount)).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Mix towards white by `amount` (0..1).
pub fn lighten(c: RGBColor, amount: f64) -> RGBColor {
    let f = |v: u8| (v as f64 + (255.0 - v as f64) * amount).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Relative luminance (0 black … 1 white), to pick readable text over a colour.
pub fn luminance(c: RGBColor) -> f64 {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0
}

/// Thousands separated with commas: 100,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A probability as a percentage a reader can trust: "<0.1%" rather than a misleading "0.0%".
pub fn percent(p: f64) -> String {
    if p <= 0.0 {
        "0%".into()
    } else if p < 0.001 {
        "<0.1%".into()
    } else if p > 0.999 && p < 1.0 {
        ">99.9%".into()
    } else if p >= 1.0 {
        "100%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// The provenance footer: everything needed to reproduce a chart pasted on its own.
pub fn footer(s: &Summary) -> String {
    provenance(
        &s.scenario,
        &format!("{} iterations", thousands(s.iterations)),
        s.seed,
        &s.seatsim_version,
    )
}

/// Footer text shared by run and sweep charts; `iterations` says how many and of what.
pub fn provenance(scenario: &ScenarioInfo, iterations: &str, seed: u64, version: &str) -> String {
    let mut text = format!(
        "{} · {} · {iterations} · seed {seed} · seatsim {version} · inputs {}",
        scenario.name,
        scenario.file,
        scenario
            .input_hash
            .get(..12)
            .unwrap_or(&scenario.input_hash)
    );
    for o in &scenario.overrides {
        text.push_str(&format!(" · --set {o}"));
    }
    text
}

/// A one-line message in the middle of `area`, for charts with nothing to plot.
pub fn centred_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
) -> ChartResult<()> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        text,
        (w as i32 / 2, h as i32 / 2),
        theme
            .text(26.0, MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// Draw `items` as a legend across the top of `body` and return the area below it.
pub fn legend_above<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    body: &DrawingArea<DB, Shift>,
    theme: &Theme,
    items: &[(Swatch, String)],
    gap: f64,
) -> ChartResult<DrawingArea<DB, Shift>> {
    let (bx, by) = body.get_base_pixel();
    let bw = body.dim_in_pixel().0 as i32;
    let legend_h = legend(
        root,
        theme,
        items,
        (bx + theme.px(32.0), by + theme.px(4.0)),
        bw - theme.px(64.0),
    )?;
    Ok(body.split_vertically(legend_h + theme.px(gap)).1)
}

/// Fill the chart white, draw its title (the question it answers), subtitle and footer, and
/// return the area left for the plot.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    s: &Summary,
    title: &str,
    subtitle: &str,
) -> ChartResult<DrawingArea<DB, Shift>> {
    frame_with_footer(root, theme, &footer(s), title, subtitle)
}

/// [`frame`] with a footer of the caller's (sweep charts describe a grid, not one run).
pub fn frame_with_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    footer_text: &str,
    title: &str,
    subtitle: &str,
) -> ChartResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE)?;
    let m = theme.px(32.0);
    let w = theme.width as i32 - 2 * m;
    draw_fitted(
        root,
        title,
        theme.font(34.0, FontStyle::Bold),
        INK,
        (m, theme.px(22.0)),
        TOP_LEFT,
        w,
    )?;
    if !subtitle.is_empty() {
        draw_fitted(
            root,
            subtitle,
            theme.font(21.0, FontStyle::Normal),
            MUTED,
            (m, theme.px(68.0)),
            TOP_LEFT,
            w,
        )?;
    }
    let footer_y = theme.height as i32 - theme.px(34.0);
    draw_fitted(
        root,
        footer_text,
        theme.font(16.0, FontStyle::Normal),
        MUTED,
        (m, footer_y),
        TOP_LEFT,
        w,
    )?;
    let top = if subtitle.is_empty() {
        theme.px(72.0)
    } else {
        theme.px(104.0)
    };
    let body_h = (footer_y - theme.px(10.0) - top).max(1);
    let (_, rest) = root.split_vertically(top);
    let (body, _) = rest.split_vertically(body_h);
    Ok(body)
}

/// What a legend entry shows before its text.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled box.
    Fill(RGBAColor),
    /// A filled box with an outline.
    FillOutline(RGBAColor, RGBColor),
    /// A line of a given design width.
    Line(RGBColor, f64),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled circle.
    Dot(RGBColor),
    /// A white circle with a coloured outline.
    Ring(RGBColor),
    /// A downward triangle, filled or hollow.
    Triangle(RGBColor, bool),
}

/// Draw legend entries left to right from `origin`, wrapping within `max_width`; returns the
/// height used, so the caller can place the plot below.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    items: &[(Swatch, String)],
    origin: (i32, i32),
    max_width: i32,
) -> ChartResult<i32> {
    let font = theme.font(19.0, FontStyle::Normal);
    let sw = theme.px(30.0);
    let gap = theme.px(10.0);
    let spacing = theme.px(30.0);
    let line_h = theme.px(30.0);
    let (mut x, mut y) = origin;
    for (swatch, label) in items {
        let (font, label) = fit(&font, label, max_width - sw - gap);
        let w = sw + gap + text_width(&font, &label);
        if x > origin.0 && x + w > origin.0 + max_width {
            x = origin.0;
            y += line_h;
        }
        let cy = y + line_h / 2;
        let (x0, x1) = (x, x + sw);
        let (y0, y1) = (cy - theme.px(9.0), cy + theme.px(9.0));
        match *swatch {
            Swatch::Fill(c) => area.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))?,
            Swatch::FillOutline(c, o) => {
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))?;
                area.draw(&Rectangle::new(
                    [(x0, y0), (x1, y1)],
                    o.stroke_width(theme.px(2.0) as u32),
                ))?
            }
            Swatch::Line(c, width) => area.draw(&PathElement::new(
                vec![(x0, cy), (x1, cy)],
                c.stroke_width(theme.px(width) as u32),
            ))?,
            Swatch::Dashed(c) => {
                let seg = sw / 5;
                for k in 0..3 {
                    let a = x0 + k * 2 * seg;
                    area.draw(&PathElement::new(
                        vec![(a, cy), (a + seg, cy)],
                        c.stroke_width(theme.px(2.0) as u32),
                    ))?;
                }
            }
            Swatch::Dot(c) => draw_dot(area, theme, ((x0 + x1) / 2, cy), c, true)?,
            Swatch::Ring(c) => draw_dot(area, theme, ((x0 + x1) / 2, cy), c, false)?,
            Swatch::Triangle(c, filled) => {
                draw_triangle(area, theme, ((x0 + x1) / 2, cy), c, filled)?
            }
        }
        area.draw(&Text::new(
            label.clone(),
            (x1 + gap, cy),
            font.color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += w + spacing;
    }
    Ok(y + line_h - origin.1)
}

/// A median marker centred at `c`: a filled dot, or a white disc in a thick coloured ring.
pub fn draw_dot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    c: (i32, i32),
    color: RGBColor,
    filled: bool,
) -> ChartResult<()> {
    let r = theme.px(8.0);
    if filled {
        area.draw(&Circle::new(c, r, color.filled()))?;
    } else {
        area.draw(&Circle::new(c, r, WHITE.filled()))?;
        area.draw(&Circle::new(c, r, color.stroke_width(theme.px(3.0) as u32)))?;
    }
    Ok(())
}

/// A downward triangle centred at `c` (marks re-run districts).
pub fn draw_triangle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    c: (i32, i32),
    color: RGBColor,
    filled: bool,
) -> ChartResult<()> {
    let r = theme.px(7.0);
    let pts = vec![(c.0 - r, c.1 - r), (c.0 + r, c.1 - r), (c.0, c.1 + r)];
    if filled {
        area.draw(&Polygon::new(pts, color.filled()))?;
    } else {
        area.draw(&Polygon::new(pts.clone(), WHITE.filled()))?;
        let mut closed = pts.clone();
        closed.push(pts[0]);
        area.draw(&PathElement::new(
            closed,
            color.stroke_width(theme.px(2.0) as u32),
        ))?;
    }
    Ok(())
}

/// A dashed line between two pixel points (reference lines that must not look like data).
pub fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
) -> ChartResult<()> {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Ok(());
    }
    let (dash, gap) = (theme.px(10.0) as f64, theme.px(6.0) as f64);
    let mut t = 0.0;
    while t < len {
        let e = (t + dash).min(len);
        let p = |u: f64| {
            (
                from.0 + (dx * u / len).round() as i32,
                from.1 + (dy * u / len).round() as i32,
            )
        };
        area.draw(&PathElement::new(
            vec![p(t), p(e)],
            color.stroke_width(theme.px(2.0) as u32),
        ))?;
        t = e + gap;
    }
    Ok(())
}

/// Draw with `draw` into an SVG document. Deterministic: the same summary and size give the
/// same bytes, which `seatsim plot` and merged cluster runs rely on.
pub fn svg_bytes<F>(theme: &Theme, draw: F) -> ChartResult<Vec<u8>>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> ChartResult<()>,
{
    register_fonts()?;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (theme.width, theme.height)).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    Ok(svg.into_bytes())
}

/// Draw with `draw` into an RGB bitmap and encode it as PNG.
pub fn png_bytes<F>(theme: &Theme, draw: F) -> ChartResult<Vec<u8>>
where
    F: FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> ChartResult<()>,
{
    register_fonts()?;
    let (w, h) = (theme.width, theme.height);
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    let mut out = Vec::new();
    let fail = |e: png::EncodingError| ChartError(format!("encoding PNG: {e}"));
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(fail)?;
        writer.write_image_data(&pixels).map_err(fail)?;
        writer.finish().map_err(fail)?;
    }
    Ok(out)
}

/// The `q` quantile (0..1) of a seat-count histogram, with the convention of summary.json
/// (smallest k with P(X <= k) >= q); 0 for an empty histogram.
pub fn quantile(counts: &[u64], q: f64) -> usize {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0;
    }
    let target = q * total as f64;
    let mut cum = 0u64;
    for (k, &c) in counts.iter().enumerate() {
        cum += c;
        if cum > 0 && cum as f64 >= target {
            return k;
        }
    }
    counts.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_fall_back() {
        assert_eq!(hex("#E69F00"), RGBColor(0xE6, 0x9F, 0x00));
        assert_eq!(hex("0072b2"), RGBColor(0x00, 0x72, 0xB2));
        assert_eq!(hex("#12"), RGBColor(128, 128, 128));
        assert_eq!(hex("#zzzzzz"), RGBColor(128, 128, 128));
        assert_eq!(darken(RGBColor(200, 100, 0), 0.5), RGBColor(100, 50, 0));
        assert_eq!(lighten(RGBColor(0, 0, 0), 1.0), RGBColor(255, 255, 255));
    }

    #[test]
    fn quantiles_follow_summary_convention() {
        // P(0)=0.1, P(1)=0.4, P(2)=0.5
        let c = [1, 4, 5];
        assert_eq!(quantile(&c, 0.05), 0);
        assert_eq!(quantile(&c, 0.10), 0);
        assert_eq!(quantile(&c, 0.25), 1);
        assert_eq!(quantile(&c, 0.50), 1);
        assert_eq!(quantile(&c, 0.75), 2);
        assert_eq!(quantile(&[], 0.5), 0);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.357), "35.7%");
        assert_eq!(percent(0.99995), ">99.9%");
    }

    #[test]
    fn long_text_is_shrunk_then_shortened_to_fit() {
        register_fonts().unwrap();
        let theme = Theme::new(1600, 1000);
        let font = theme.font(20.0, FontStyle::Normal);
        let text = "Azadliq bloc (Musavat, Popular Front, Democratic Party)";
        let full = text_width(&font, text);
        assert!(full > 300, "the embedded font measures text ({full})");
        let (f, t) = fit(&font, text, full + 1);
        assert_eq!((f.get_size(), t.as_str()), (font.get_size(), text));
        let (f, t) = fit(&font, text, full * 9 / 10);
        assert!(f.get_size() < font.get_size() && t == text);
        let (f, t) = fit(&font, text, full / 3);
        assert!(t.ends_with('…') && text_width(&f, &t) <= full / 3, "{t}");
    }
}
