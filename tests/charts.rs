//! Charts and report.html: every chart in every format, PNG size and content, SVG text,
//! byte-identical redraws with `seatsim plot`, no system fonts needed, a well-formed report.

use std::path::{Path, PathBuf};

use crate::common::{repo, seatsim, stderr};

/// Every chart the two-party demo must produce.
const STEMS: [&str; 9] = [
    "overview",
    "seats-government",
    "seats-opposition",
    "seats-a",
    "seats-b",
    "rerun-effect",
    "districts",
    "fingerprint",
    "stolen-seats",
];

fn run_demo(out: &Path, extra: &[&str]) {
    let scenario = repo().join("scenarios/two-party-demo.toml");
    let o = seatsim()
        .arg("run")
        .arg(&scenario)
        .args(["-n", "2000", "-q", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("seatsim runs");
    assert!(o.status.success(), "run failed: {}", stderr(&o));
}

fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Non-white pixels in the box (fractions of width and height).
fn ink(png: &(u32, u32, Vec<u8>), x: (f64, f64), y: (f64, f64)) -> usize {
    let (w, h, px) = png;
    let (w, h) = (*w as usize, *h as usize);
    let mut n = 0;
    for row in (y.0 * h as f64) as usize..(y.1 * h as f64) as usize {
        for col in (x.0 * w as f64) as usize..(x.1 * w as f64) as usize {
            let i = (row * w + col) * 3;
            if px[i..i + 3] != [255, 255, 255] {
                n += 1;
            }
        }
    }
    n
}

fn svg(dir: &Path, stem: &str) -> String {
    std::fs::read_to_string(dir.join("charts").join(format!("{stem}.svg"))).unwrap()
}

#[test]
fn every_chart_in_both_formats_with_size_text_and_content() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &["--size", "800x500"]);
    for stem in STEMS {
        let png_path = out.join("charts").join(format!("{stem}.png"));
        assert!(png_path.is_file(), "missing {stem}.png");
        assert!(out.join("charts").join(format!("{stem}.svg")).is_file());
        let png = decode_png(&png_path);
        assert_eq!((png.0, png.1), (800, 500), "{stem}");
        // Title (top band), legend / subtitle band, plot area, footer all carry ink.
        assert!(ink(&png, (0.0, 0.5), (0.0, 0.07)) > 200, "{stem}: title");
        assert!(
            ink(&png, (0.0, 0.9), (0.065, 0.15)) > 100,
            "{stem}: subtitle/legend"
        );
        assert!(ink(&png, (0.1, 0.95), (0.25, 0.85)) > 500, "{stem}: plot");
        assert!(ink(&png, (0.0, 0.5), (0.96, 1.0)) > 50, "{stem}: footer");
        let text = svg(&out, stem);
        assert!(text.contains("seed 42"), "{stem}: footer seed");
        assert!(
            text.contains("2,000 iterations"),
            "{stem}: footer iterations"
        );
        assert!(
            text.contains("Two-party demo (invented)"),
            "{stem}: scenario"
        );
    }
    for stem in ["overview", "districts"] {
        let text = svg(&out, stem);
        for name in ["Party A (governing)", "Party B (opposition)"] {
            assert!(text.contains(name), "{stem} lacks {name}");
        }
    }
    for stem in ["overview", "seats-a", "seats-b", "seats-government"] {
        assert!(svg(&out, stem).contains("majority"), "{stem}");
    }
    assert!(svg(&out, "seats-a").contains("Party A (governing)"));
    assert!(svg(&out, "seats-government").contains("Party A (governing)"));
    assert!(svg(&out, "stolen-seats").contains("Party A (governing)"));
    assert!(svg(&out, "fingerprint").contains("Party A (governing)"));
}

fn svgs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.file_name().unwrap().into(), bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn plot_redraws_byte_identical_svgs_and_honours_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &["--format", "svg"]);
    assert!(
        !out.join("charts/overview.png").exists(),
        "--format svg wrote a PNG"
    );
    let before = svgs(&out);
    assert_eq!(before.len(), STEMS.len());
    let report_before = std::fs::read(out.join("report.html")).unwrap();

    // Redraw in a copy, from summary.json alone.
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(out.join("summary.json"), copy.join("summary.json")).unwrap();
    let o = seatsim()
        .args(["plot", "-q", "--format", "both"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(svgs(&copy), before, "plot changed the SVGs");
    assert_eq!(
        std::fs::read(copy.join("report.html")).unwrap(),
        report_before
    );
    assert!(copy.join("charts/overview.png").is_file());

    // A different size changes the drawing.
    let o = seatsim()
        .args(["plot", "-q", "--format", "svg", "--size", "1200x800"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(svg(&copy, "overview").contains("width=\"1200\" height=\"800\""));
}

#[test]
fn no_plots_skips_charts_and_bad_plot_input_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &["--no-plots"]);
    assert!(!out.join("charts").exists());
    assert!(!out.join("report.html").exists());

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = seatsim().arg("plot").arg(&empty).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("summary.json"), "{}", stderr(&o));

    std::fs::write(empty.join("summary.json"), "{\"not\": \"a summary\"}").unwrap();
    let o = seatsim().arg("plot").arg(&empty).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a seatsim summary"),
        "{}",
        stderr(&o)
    );

    let o = seatsim()
        .args(["plot", "--size", "10x10"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn charts_render_with_system_fonts_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let conf = tmp.path().join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = seatsim()
        .arg("run")
        .arg(repo().join("scenarios/two-party-demo.toml"))
        .args(["-n", "500", "-q", "--format", "png", "--out"])
        .arg(&out)
        .env("FONTCONFIG_FILE", &conf)
        .env("FONTCONFIG_PATH", tmp.path())
        .env("XDG_DATA_HOME", tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let png = decode_png(&out.join("charts/overview.png"));
    assert!(
        ink(&png, (0.0, 0.5), (0.0, 0.07)) > 500,
        "title text missing"
    );
}

/// A minimal well-formedness check: tags nest and close, attributes are quoted.
fn check_well_formed(html: &str) -> Result<usize, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    let mut elements = 0;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').ok_or("unclosed tag")?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("stray </{name}>"))?;
            if open != name.trim() {
                return Err(format!("<{open}> closed by </{name}>"));
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if name.is_empty() {
            return Err(format!("bad tag <{tag}>"));
        }
        if tag.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
        elements += 1;
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(elements)
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn report_html_is_well_formed_self_contained_and_embeds_every_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &["--format", "png"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    check_well_formed(&html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), STEMS.len());
    for stem in STEMS {
        assert!(html.contains(&format!("<figure id=\"{stem}\">")), "{stem}");
    }
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
        assert!(
            !html.contains(forbidden),
            "report.html contains {forbidden}"
        );
    }
    assert!(html.contains("Party A (governing)"));
    assert!(
        html.contains("21 districts in 3 regions"),
        "scenario description"
    );
    // The summary table: one row per party and bloc.
    assert!(html.contains("<td>bloc: government</td>"));
    // The checker itself rejects broken markup.
    assert!(check_well_formed("<p><b>x</p></b>").is_err());
    assert!(check_well_formed("<p>").is_err());
}
