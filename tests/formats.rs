//! What real files look like: every accepted spelling of the same table loads to exactly the
//! same districts, and `validate` lists the columns it ignores.

use std::path::Path;

use seatsim::Scenario;

use crate::common::{run_in, stderr, stdout};
use crate::errors::{edit, TOML};

/// The reference table: LF line ends, a quoted name holding a comma.
const PLAIN: &str = "district,name,region,electorate,turnout,A,B,C
1,\"Baku, Sabail\",Baku,10000,0.5,0.5,0.3,0.2
2,South,R1,12000,0.6,0.4,0.4,0.2
3,East,R2,9000,0.55,0.3,0.5,0.2
4,West,R2,11000,0.45,0.2,0.3,0.5
";

fn load(dir: &Path, toml: &[u8], csv: &[u8]) -> Scenario {
    std::fs::write(dir.join("t.toml"), toml).unwrap();
    std::fs::write(dir.join("t-districts.csv"), csv).unwrap();
    match Scenario::load(&dir.join("t.toml"), &[]) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn every_accepted_spelling_loads_the_same_districts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reference = load(d, TOML.as_bytes(), PLAIN.as_bytes());
    assert_eq!(reference.districts[0].name, "Baku, Sabail");
    assert!(reference.extra_columns.is_empty());

    let votes_toml = edit(TOML, "seed = 7", "seed = 7\nshares = \"votes\"");
    let variants: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
        ("CRLF table", TOML.into(), crlf(PLAIN).into()),
        (
            "BOM and CRLF, table and scenario",
            [b"\xef\xbb\xbf".as_slice(), crlf(TOML).as_bytes()].concat(),
            [b"\xef\xbb\xbf".as_slice(), crlf(PLAIN).as_bytes()].concat(),
        ),
        (
            "comment lines before the header, blank lines after the data",
            TOML.into(),
            format!("# exported 2026-11-24\n# source: CEC\n{PLAIN}\n\n,,,\n\n").into(),
        ),
        (
            "trailing blank cells",
            TOML.into(),
            PLAIN.replace("0.2\n", "0.2,,\n").into(),
        ),
        (
            "spaces around cells",
            TOML.into(),
            PLAIN.replace(",0.4,", " , 0.4 ,").into(),
        ),
        (
            "columns reordered, extra columns",
            TOML.into(),
            "C,notes,district,B,name,A,turnout,region,electorate,source
0.2,x,1,0.3,\"Baku, Sabail\",0.5,0.5,Baku,10000,\"a, b\"
0.2,,2,0.4,South,0.4,0.6,R1,12000,
0.2,y,3,0.5,East,0.3,0.55,R2,9000,
0.5,z,4,0.3,West,0.2,0.45,R2,11000,
"
            .into(),
        ),
        (
            "vote counts with thousands separators and turnout from the counts",
            votes_toml.clone().into(),
            "district,name,region,electorate,A,B,C
1,\"Baku, Sabail\",Baku,\"10,000\",2500,1500,1000
2,South,R1,12 000,2880,2880,1440
3,East,R2,9_000,\"1,485\",\"2,475\",990
4,West,R2,11000,990,1485,2475
"
            .into(),
        ),
    ];
    for (what, toml, csv) in variants {
        let s = load(d, &toml, &csv);
        assert_eq!(s.regions, reference.regions, "{what}");
        assert_eq!(s.districts.len(), reference.districts.len(), "{what}");
        for (a, b) in s.districts.iter().zip(&reference.districts) {
            assert_eq!(
                (&a.id, &a.name, a.region),
                (&b.id, &b.name, b.region),
                "{what}"
            );
            assert_eq!(a.electorate, b.electorate, "{what}");
            assert!(
                (a.turnout - b.turnout).abs() < 1e-12,
                "{what}: {a:?} vs {b:?}"
            );
            for (x, y) in a.shares.iter().zip(&b.shares) {
                assert!((x - y).abs() < 1e-12, "{what}: {a:?} vs {b:?}");
            }
        }
    }
}

#[test]
fn validate_lists_ignored_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), TOML).unwrap();
    std::fs::write(
        dir.path().join("t-districts.csv"),
        PLAIN
            .replace("C\n", "C,notes,\n")
            .replace("0.2\n", "0.2,x,\n")
            .replace("0.5\n", "0.5,w,\n"),
    )
    .unwrap();
    let out = run_in(dir.path(), &["validate", "t.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Ignored table columns: notes, (unnamed column 10)."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn row_errors_count_comment_lines_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), TOML).unwrap();
    let table = format!(
        "# a comment\n# another\n{}",
        PLAIN.replace("3,East,R2,9000,0.55", "3,East,R2,9000,1.55")
    );
    for text in [table.clone(), crlf(&table)] {
        std::fs::write(dir.path().join("t-districts.csv"), text).unwrap();
        let out = run_in(dir.path(), &["validate", "t.toml"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("t-districts.csv line 6 (district 3), `turnout`"),
            "{}",
            stderr(&out)
        );
    }
}
