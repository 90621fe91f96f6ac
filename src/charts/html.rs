//! `report.html`: one self-contained page an analyst can email — scenario description,
//! summary table and every chart as inline SVG. No scripts, no external files, no network.
//! The markup is well-formed XML (XHTML-style), so any parser can check it.

use std::fmt::Write;

use super::style::{percent, thousands};
use super::Drawn;
use crate::report::stats::SeatStats;
use crate::report::Summary;

/// Escape text for HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#212121}\
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}p.meta{color:#5f5f5f;font-size:.9em}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:1em;font-size:.85em}\
table{border-collapse:collapse;font-size:.9em}th,td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:right}\
th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #999}\
figure{margin:2em 0}figure svg{width:100%;height:auto;border:1px solid #eee}";

fn cells(out: &mut String, st: Option<&SeatStats>) {
    match st {
        Some(st) => {
            let _ = write!(
                out,
                "<td>{:.1}</td><td>{}–{}</td><td>{}</td><td>{}</td>",
                st.mean,
                st.q05,
                st.q95,
                escape(&percent(st.p_majority)),
                escape(&percent(st.p_two_thirds))
            );
        }
        None => out.push_str("<td></td><td></td><td></td><td></td>"),
    }
}

fn table(s: &Summary) -> String {
    let mut out = String::new();
    out.push_str("<table>\n<thead><tr><th rowspan=\"2\">party / bloc</th><th colspan=\"4\">no rerun</th><th colspan=\"4\">rerun</th><th colspan=\"2\">rerun effect</th></tr>\n");
    out.push_str("<tr><th>mean</th><th>90% int.</th><th>P(maj.)</th><th>P(2/3)</th><th>mean</th><th>90% int.</th><th>P(maj.)</th><th>P(2/3)</th><th>mean</th><th>90% int.</th></tr></thead>\n<tbody>\n");
    let mut row = |label: String, kind: &str, key: &str| {
        let _ = write!(out, "<tr><td>{}</td>", escape(&label));
        cells(&mut out, s.stats("no_rerun", kind, key));
        cells(&mut out, s.stats("rerun", kind, key));
        let effect = match kind {
            "party" => s.rerun_effect.party.get(key),
            _ => s.rerun_effect.bloc.get(key),
        };
        match effect {
            Some(e) => {
                let _ = write!(
                    out,
                    "<td>{:+.1}</td><td>{:+} to {:+}</td>",
                    e.mean, e.q05, e.q95
                );
            }
            None => out.push_str("<td></td><td></td>"),
        }
        out.push_str("</tr>\n");
    };
    for p in &s.parties {
        row(format!("{} ({})", p.name, p.id), "party", &p.id);
    }
    for b in &s.blocs {
        row(format!("bloc: {b}"), "bloc", b);
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Strip an XML declaration or doctype so an SVG document can sit inside HTML.
fn inline_svg(svg: &[u8]) -> String {
    let text = String::from_utf8_lossy(svg);
    match text.find("<svg") {
        Some(i) => text[i..].trim_end().to_string(),
        None => String::new(),
    }
}

/// The report page.
pub fn report(s: &Summary, drawn: &[Drawn]) -> Vec<u8> {
    let mut out = String::new();
    let name = escape(&s.scenario.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{name} — seatsim report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{name}</h1>\n"
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} simulated elections · seed {} · seatsim {} · scenario {} (sha256 {}) · districts {} · inputs {}{}</p>",
        thousands(s.iterations),
        s.seed,
        escape(&s.seatsim_version),
        escape(&s.scenario.file),
        escape(&s.scenario.sha256),
        escape(&s.scenario.districts_file),
        escape(&s.scenario.input_hash),
        s.scenario
            .overrides
            .iter()
            .map(|o| format!(" · --set {}", escape(o)))
            .collect::<String>()
    );
    out.push_str("<h2>Scenario</h2>\n");
    if s.scenario.description.is_empty() {
        out.push_str(
            "<p>(This summary was written by a seatsim without scenario descriptions.)</p>\n",
        );
    } else {
        let _ = writeln!(out, "<pre>{}</pre>", escape(&s.scenario.description));
    }
    let _ = writeln!(
        out,
        "<h2>Seats</h2>\n<p>{} seats; majority {}, two-thirds {}. Means, 90% intervals and the probability of reaching a majority or two-thirds, without and with the rerun.</p>",
        s.seats, s.majority, s.two_thirds
    );
    out.push_str(&table(s));
    let stolen = &s.stolen_seats.total;
    if stolen.mean > 0.0 {
        let _ = writeln!(
            out,
            "<p>Seats won through fraud (official winner differs from the winner without fraud): mean {:.1}, 90% interval {} to {}.</p>",
            stolen.mean, stolen.q05, stolen.q95
        );
    }
    out.push_str("<h2>Charts</h2>\n");
    for d in drawn {
        let _ = writeln!(
            out,
            "<figure id=\"{}\">\n{}\n<figcaption>charts/{}</figcaption>\n</figure>",
            escape(&d.stem),
            inline_svg(&d.svg),
            escape(&d.stem)
        );
    }
    out.push_str("</body>\n</html>\n");
    out.into_bytes()
}
