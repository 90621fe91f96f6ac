//! Charts an analyst can paste into a briefing, and the one-page `report.html`.
//!
//! Every chart is drawn from a [`Summary`] alone (the contents of summary.json), never from
//! the engine, so `seatsim plot DIR` redraws the same charts without simulating again. One
//! file per chart; the shared look (font, colours, frame, footer) is in [`style`].

pub mod districts;
pub mod fingerprint;
pub mod html;
pub mod overview;
pub mod panels;
pub mod rerun_effect;
pub mod seats;
pub mod stolen;
pub mod style;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::report::Summary;
use style::{ChartResult, Theme};

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartOptions {
    /// File formats.
    pub format: Format,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: Format::Both,
            width: 1600,
            height: 1000,
        }
    }
}

/// Smallest and largest accepted chart sides: below the minimum text no longer fits, above the
/// maximum a single PNG would need gigabytes.
pub const SIZE_LIMITS: (u32, u32) = (400, 10_000);

/// Parse `--size WxH` (e.g. `1600x1000`).
pub fn parse_size(text: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || {
        format!(
            "`{text}` is not a size like 1600x1000 (width and height between {} and {} pixels)",
            SIZE_LIMITS.0, SIZE_LIMITS.1
        )
    };
    let (w, h) = text.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    let ok = |v: u32| (SIZE_LIMITS.0..=SIZE_LIMITS.1).contains(&v);
    if ok(w) && ok(h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

/// Whether a seat chart is about a party or a bloc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// A party, by id.
    Party,
    /// A bloc, by name.
    Bloc,
}

/// One chart to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chart {
    /// Seat distribution of one party or bloc (`seats-<name>`).
    Seats(SubjectKind, String),
    /// Every party and bloc in one panel.
    Overview,
    /// Seats changed by the rerun, per bloc.
    RerunEffect,
    /// Every district's most likely winner.
    Districts,
    /// Klimek's turnout × vote-share fingerprint.
    Fingerprint,
    /// Seats won through fraud, per party.
    StolenSeats,
}

impl Chart {
    /// Draw this chart onto `root` (any backend).
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        s: &Summary,
        theme: &Theme,
    ) -> ChartResult<()> {
        match self {
            Chart::Seats(kind, key) => seats::draw(root, s, theme, *kind, key),
            Chart::Overview => overview::draw(root, s, theme),
            Chart::RerunEffect => rerun_effect::draw(root, s, theme),
            Chart::Districts => districts::draw(root, s, theme),
            Chart::Fingerprint => fingerprint::draw(root, s, theme),
            Chart::StolenSeats => stolen::draw(root, s, theme),
        }
    }
}

fn slug(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "x".into()
    } else {
        s
    }
}

/// A party "wins seats" if it holds at least one seat in some iteration of either outcome.
pub fn wins_seats(s: &Summary, party: &str) -> bool {
    s.outcomes.values().any(|o| {
        o.party
            .get(party)
            .is_some_and(|st| st.counts.iter().skip(1).any(|&c| c > 0))
    })
}

/// Every chart of a summary with its file stem, in a fixed order: overview first, then seat
/// charts of every bloc and every party that wins seats, then the rest. Stems are unique
/// (lower-case, safe on case-insensitive file systems).
pub fn charts_for(s: &Summary) -> Vec<(String, Chart)> {
    let mut out: Vec<(String, Chart)> = vec![("overview".into(), Chart::Overview)];
    let mut used: Vec<String> = vec!["overview".into()];
    let mut unique = |base: String| {
        let mut name = base.clone();
        let mut k = 2;
        while used.contains(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        used.push(name.clone());
        name
    };
    for bloc in &s.blocs {
        let name = unique(format!("seats-{}", slug(bloc)));
        out.push((name, Chart::Seats(SubjectKind::Bloc, bloc.clone())));
    }
    for p in &s.parties {
        if wins_seats(s, &p.id) {
            let name = unique(format!("seats-{}", slug(&p.id)));
            out.push((name, Chart::Seats(SubjectKind::Party, p.id.clone())));
        }
    }
    for (name, chart) in [
        ("rerun-effect", Chart::RerunEffect),
        ("districts", Chart::Districts),
        ("fingerprint", Chart::Fingerprint),
        ("stolen-seats", Chart::StolenSeats),
    ] {
        out.push((unique(name.to_string()), chart));
    }
    out
}

/// One drawn chart.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// File stem, e.g. `seats-government`.
    pub stem: String,
    /// The chart.
    pub chart: Chart,
    /// PNG bytes, when PNG was asked for.
    pub png: Option<Vec<u8>>,
    /// SVG bytes (always drawn: report.html embeds them).
    pub svg: Vec<u8>,
}

/// Draw every chart (in parallel; the output does not depend on the order).
pub fn draw_all(s: &Summary, opts: &ChartOptions) -> Result<Vec<Drawn>> {
    style::register_fonts()?;
    let theme = Theme::new(opts.width, opts.height);
    let want_png = matches!(opts.format, Format::Png | Format::Both);
    charts_for(s)
        .into_par_iter()
        .map(|(stem, chart)| {
            let svg = style::svg_bytes(&theme, |root| chart.draw(root, s, &theme))?;
            let png = if want_png {
                Some(style::png_bytes(&theme, |root| {
                    chart.draw(root, s, &theme)
                })?)
            } else {
                None
            };
            Ok(Drawn {
                stem,
                chart,
                png,
                svg,
            })
        })
        .collect::<std::result::Result<Vec<_>, style::ChartError>>()
        .map_err(Error::from)
}

/// Every file `run` and `plot` write for charts: `charts/<stem>.png|svg` in the requested
/// formats and `report.html`, as (path relative to the output directory, bytes).
pub fn render_all(s: &Summary, opts: &ChartOptions) -> Result<Vec<(String, Vec<u8>)>> {
    let drawn = draw_all(s, opts)?;
    let mut files = Vec::new();
    for d in &drawn {
        if let Some(png) = &d.png {
            files.push((format!("charts/{}.png", d.stem), png.clone()));
        }
        if matches!(opts.format, Format::Svg | Format::Both) {
            files.push((format!("charts/{}.svg", d.stem), d.svg.clone()));
        }
    }
    files.push(("report.html".into(), html::report(s, &drawn)));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_within_limits() {
        assert_eq!(parse_size("1600x1000"), Ok((1600, 1000)));
        assert_eq!(parse_size(" 800 X 500 "), Ok((800, 500)));
        assert!(parse_size("1600").is_err());
        assert!(parse_size("10x10").is_err());
        assert!(parse_size("20000x1000").is_err());
        assert!(parse_size("-5x100").is_err());
    }

    #[test]
    fn file_stems_are_safe_and_unique() {
        assert_eq!(slug("Gov't bloc"), "gov-t-bloc");
        assert_eq!(slug("///"), "x");
        assert_eq!(slug("YAP"), "yap");
    }
}
