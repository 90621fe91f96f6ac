//! The compact table `seatsim run` prints: what a reader wants at a glance.

use std::fmt::Write;

use super::stats::SeatStats;
use super::summary::Summary;

fn pct(p: f64) -> String {
    if p == 0.0 {
        "0".into()
    } else if p < 0.001 {
        "<0.1%".into()
    } else if p > 0.999 && p < 1.0 {
        ">99.9%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

fn cells(s: &SeatStats) -> String {
    format!(
        "{:>6.1} {:>10} {:>7} {:>7}",
        s.mean,
        format!("[{}, {}]", s.q05, s.q95),
        pct(s.p_majority),
        pct(s.p_two_thirds)
    )
}

/// The terminal summary table.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} iterations, seed {}; {} seats, majority {}, two-thirds {}",
        summary.scenario.name,
        summary.iterations,
        summary.seed,
        summary.seats,
        summary.majority,
        summary.two_thirds
    );
    let (Some(nr), Some(rr)) = (
        summary.outcomes.get("no_rerun"),
        summary.outcomes.get("rerun"),
    ) else {
        return out;
    };
    let label_width = summary
        .parties
        .iter()
        .map(|p| p.id.len())
        .chain(summary.blocs.iter().map(|b| b.len() + 5))
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:w$}  {:^33}  {:^33}  {:^17}",
        "",
        "no rerun",
        "rerun",
        "rerun effect",
        w = label_width
    );
    let _ = writeln!(
        out,
        "{:w$}  {:>6} {:>10} {:>7} {:>7}  {:>6} {:>10} {:>7} {:>7}  {:>6} {:>10}",
        "",
        "mean",
        "90% int.",
        "P(maj)",
        "P(2/3)",
        "mean",
        "90% int.",
        "P(maj)",
        "P(2/3)",
        "mean",
        "90% int.",
        w = label_width
    );
    let mut row =
        |label: String, a: &SeatStats, b: &SeatStats, e: Option<&super::stats::ChangeStats>| {
            let effect = e
                .map(|e| {
                    format!(
                        "{:>+6.1} {:>10}",
                        e.mean,
                        format!("[{:+}, {:+}]", e.q05, e.q95)
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{label:label_width$}  {}  {}  {effect}",
                cells(a),
                cells(b)
            );
        };
    for p in &summary.parties {
        if let (Some(a), Some(b)) = (nr.party.get(&p.id), rr.party.get(&p.id)) {
            row(p.id.clone(), a, b, summary.rerun_effect.party.get(&p.id));
        }
    }
    for bloc in &summary.blocs {
        if let (Some(a), Some(b)) = (nr.bloc.get(bloc), rr.bloc.get(bloc)) {
            row(
                format!("bloc {bloc}"),
                a,
                b,
                summary.rerun_effect.bloc.get(bloc),
            );
        }
    }
    if nr.vacant.mean > 0.0 || rr.vacant.mean > 0.0 {
        row("vacant".into(), &nr.vacant, &rr.vacant, None);
    }
    let stolen = &summary.stolen_seats.total;
    if stolen.mean > 0.0 {
        let _ = writeln!(
            out,
            "seats won through fraud (official winner ≠ winner without fraud): mean {:.1}, 90% interval [{}, {}]",
            stolen.mean, stolen.q05, stolen.q95
        );
    }
    out
}
