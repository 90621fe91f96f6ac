//! A corpus of malformed scenarios and tables, each a small edit of a valid pair: every one
//! must exit 2 without a panic, with one `error:` message naming the file, where in it, and
//! the key or column at fault.

use crate::common::{run_in, stderr};

/// A valid scenario (`t.toml`); each case breaks one thing.
pub const TOML: &str = r##"name = "Hostile"
districts = "t-districts.csv"
seed = 7
iterations = 1000

[[party]]
id = "A"
name = "Alpha"
color = "#112233"
bloc = "gov"

[[party]]
id = "B"
name = "Beta"
bloc = "opp"

[[party]]
id = "C"
name = "Gamma"
bloc = "opp"

[uncertainty]
district_sd = 0.1

[turnout]
shift_pp = 0.0

[fraud]
beneficiary = "A"
incremental = 0.1
extreme = 0.0

[validity]
min_turnout = 0.0

[recount]
districts = []

[rerun]
districts = ["2"]
annul = { clean = 0.0, incremental = 0.5, extreme = 0.9 }
rules = { turnout_above = 0.95 }
boycott = []

[rerun.turnout]
shift_pp = -5.0
"##;

/// Its districts table (`t-districts.csv`).
pub const CSV: &str = "district,name,region,electorate,turnout,A,B,C
1,North,R1,10000,0.5,0.5,0.3,0.2
2,South,R1,12000,0.6,0.4,0.4,0.2
3,East,R2,9000,0.55,0.3,0.5,0.2
4,West,R2,11000,0.45,0.2,0.3,0.5
";

/// `text` with `from` replaced by `to`; `from` must occur, so a case cannot silently test
/// the valid file.
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the base text");
    text.replacen(from, to, 1)
}

struct Case {
    name: &'static str,
    toml: Vec<u8>,
    csv: Vec<u8>,
    set: Vec<&'static str>,
    expect: Vec<&'static str>,
}

fn toml_case(name: &'static str, from: &str, to: &str, expect: &[&'static str]) -> Case {
    Case {
        name,
        toml: edit(TOML, from, to).into_bytes(),
        csv: CSV.as_bytes().to_vec(),
        set: vec![],
        expect: expect.to_vec(),
    }
}

fn csv_case(name: &'static str, from: &str, to: &str, expect: &[&'static str]) -> Case {
    Case {
        name,
        toml: TOML.as_bytes().to_vec(),
        csv: edit(CSV, from, to).into_bytes(),
        set: vec![],
        expect: expect.to_vec(),
    }
}

fn set_case(name: &'static str, set: &[&'static str], expect: &[&'static str]) -> Case {
    Case {
        name,
        toml: TOML.as_bytes().to_vec(),
        csv: CSV.as_bytes().to_vec(),
        set: set.to_vec(),
        expect: expect.to_vec(),
    }
}

fn corpus() -> Vec<Case> {
    let party = "[[party]]\nid = \"C\"\nname = \"Gamma\"\nbloc = \"opp\"\n";
    let many_parties: String = (0..51)
        .map(|i| format!("[[party]]\nid = \"P{i}\"\n\n"))
        .collect();
    let mut long_csv = String::from("district,electorate,turnout,A,B,C\n");
    for d in 0..10_001 {
        long_csv.push_str(&format!("{d},1000,0.5,0.5,0.3,0.2\n"));
    }
    let mut cases = vec![
        // TOML syntax and shape.
        toml_case("unclosed string", "name = \"Hostile\"", "name = \"Hostile", &["t.toml line 1"]),
        toml_case("duplicate key", "seed = 7", "seed = 7\nseed = 8", &["t.toml line 4"]),
        toml_case("unknown top-level key", "iterations = 1000", "iteratons = 1000", &["t.toml line 4", "`iteratons`", "did you mean `iterations`?"]),
        toml_case("unknown key in a table", "extreme = 0.0", "extrem = 0.0", &["t.toml line 31", "`fraud.extrem`", "did you mean `extreme`?"]),
        toml_case("unknown table", "[validity]", "[validty]", &["t.toml line 33", "validty", "did you mean `validity`?"]),
        toml_case("unknown key in an inline table", "annul = { clean", "annul = { clen", &["t.toml line 41", "`rerun.annul.clen`", "did you mean `clean`?"]),
        toml_case("misspelt enum value", "seed = 7", "seed = 7\nbaseline = \"intentoin\"", &["t.toml line 4", "`baseline`", "did you mean `intention`?"]),
        toml_case("enum given a number", "seed = 7", "seed = 7\nshares = 3", &["t.toml line 4", "`shares`", "\"fraction\" or \"votes\""]),
        toml_case("missing name", "name = \"Hostile\"\n", "", &["t.toml", "`name`", "required"]),
        toml_case("missing districts", "districts = \"t-districts.csv\"\n", "", &["t.toml", "`districts`", "required"]),
        toml_case("party without id", "id = \"B\"\n", "", &["t.toml line 12", "`party.id`", "required"]),
        toml_case("string for a number", "seed = 7", "seed = \"seven\"", &["t.toml line 3", "`seed`", "whole number"]),
        toml_case("negative seed", "seed = 7", "seed = -7", &["t.toml line 3", "`seed`"]),
        toml_case("integer overflow", "iterations = 1000", "iterations = 99999999999999999999", &["t.toml line 4", "`iterations`"]),
        toml_case("zero iterations", "iterations = 1000", "iterations = 0", &["t.toml line 4", "`iterations`", "between 1 and"]),
        toml_case("absurd iterations", "iterations = 1000", "iterations = 9000000000000000000", &["t.toml line 4", "`iterations`", "between 1 and"]),
        toml_case("empty name", "name = \"Hostile\"", "name = \"  \"", &["t.toml line 1", "`name`", "empty"]),
        toml_case("probability above 1", "incremental = 0.1", "incremental = 1.5", &["t.toml line 30", "`fraud.incremental`", "between 0 and 1"]),
        toml_case("negative sd", "district_sd = 0.1", "district_sd = -0.1", &["t.toml line 23", "`uncertainty.district_sd`", "between 0 and"]),
        toml_case("nan probability", "extreme = 0.0", "extreme = nan", &["t.toml line 31", "`fraud.extreme`", "between 0 and 1"]),
        toml_case("infinite shift", "shift_pp = 0.0", "shift_pp = inf", &["t.toml line 26", "`turnout.shift_pp`", "between -100 and 100"]),
        toml_case("unknown beneficiary", "beneficiary = \"A\"", "beneficiary = \"Z\"", &["t.toml line 29", "`fraud.beneficiary`", "the parties are A, B, C"]),
        toml_case("beneficiary in the wrong case", "beneficiary = \"A\"", "beneficiary = \"a\"", &["`fraud.beneficiary`", "did you mean `A`?"]),
        toml_case("fraud without beneficiary", "beneficiary = \"A\"\n", "", &["`fraud.beneficiary`", "no beneficiary"]),
        toml_case("fraud classes above 1", "extreme = 0.0", "extreme = 0.95", &["t.toml line 31", "`fraud.extreme`", "above 1"]),
        toml_case("alpha zero", "extreme = 0.0", "extreme = 0.0\nalpha = 0", &["t.toml line 32", "`fraud.alpha`"]),
        toml_case("unknown rerun district", "districts = [\"2\"]", "districts = [\"99\"]", &["t.toml line 40", "`rerun.districts`", "district `99` is not in"]),
        toml_case("near-miss rerun district", "districts = [\"2\"]", "districts = [\"02\"]", &["`rerun.districts`", "did you mean `2`?"]),
        toml_case("unknown recount district", "districts = []", "districts = [5]", &["t.toml line 37", "`recount.districts`", "district `5`"]),
        toml_case("unknown boycotting party", "boycott = []", "boycott = [\"BB\"]", &["t.toml line 43", "`rerun.boycott`", "did you mean `B`?"]),
        toml_case("everyone boycotts", "boycott = []", "boycott = [\"A\", \"B\", \"C\"]", &["`rerun.boycott`", "nobody could win"]),
        toml_case("rule threshold above 1", "turnout_above = 0.95", "turnout_above = 95", &["t.toml line 42", "`rerun.rules.turnout_above`", "between 0 and 1"]),
        toml_case("duplicate party id", "id = \"C\"", "id = \"B\"", &["t.toml line 17", "`party.id`", "used twice"]),
        toml_case("party id that is a table column", "id = \"C\"", "id = \"turnout\"", &["t.toml line 17", "`party.id`", "already uses the column"]),
        toml_case("party id with spaces", "id = \"C\"", "id = \"C D\"", &["t.toml line 17", "`party.id`", "letters, digits"]),
        toml_case("bad colour", "color = \"#112233\"", "color = \"red\"", &["t.toml line 6", "`party.color`", "hex colour"]),
        toml_case("one party", &format!("[[party]]\nid = \"B\"\nname = \"Beta\"\nbloc = \"opp\"\n\n{party}"), "", &["`party`", "at least 2"]),
        toml_case("fifty-one parties", "[uncertainty]", &format!("{many_parties}[uncertainty]"), &["`party`", "at most 50"]),
        toml_case("marginal not summing to 1", "shift_pp = 0.0", "shift_pp = 0.0\nmarginal = { A = 0.5, B = 0.2 }", &["t.toml line 27", "`turnout.marginal`", "not 1"]),
        toml_case("marginal for an unknown party", "shift_pp = 0.0", "shift_pp = 0.0\nmarginal = { A = 0.5, Q = 0.5 }", &["t.toml line 27", "`turnout.marginal.Q`", "not a party id"]),
        toml_case("per-party sd for an unknown party", "district_sd = 0.1", "district_sd = 0.1\n[uncertainty.party.Z]\ndistrict_sd = 0.2", &["t.toml line 24", "`uncertainty.party.Z`", "not a party id"]),
        toml_case("missing table file", "districts = \"t-districts.csv\"", "districts = \"nope.csv\"", &["t.toml line 2", "`districts`", "cannot read the districts table"]),
        toml_case("table path is a directory", "districts = \"t-districts.csv\"", "districts = \".\"", &["t.toml line 2", "`districts`", "directory"]),
        Case {
            name: "scenario not UTF-8",
            toml: b"name = \"\xff\xfe\"\n".to_vec(),
            csv: CSV.as_bytes().to_vec(),
            set: vec![],
            expect: vec!["t.toml", "UTF-8"],
        },
        Case {
            name: "empty scenario",
            toml: Vec::new(),
            csv: CSV.as_bytes().to_vec(),
            set: vec![],
            expect: vec!["t.toml", "`name`", "required"],
        },
        // --set overrides.
        set_case("override of an unknown key", &["--set", "fraud.extrme=0.1"], &["--set fraud.extrme=0.1", "`fraud.extrme`", "did you mean `extreme`?"]),
        set_case("override without =", &["--set", "fraud.extreme"], &["--set fraud.extreme", "KEY=VALUE"]),
        set_case("override of the wrong type", &["--set", "fraud.extreme=abc"], &["--set fraud.extreme=abc", "`fraud.extreme`", "a number"]),
        set_case("override out of range", &["--set", "rerun.annul.clean=2"], &["--set rerun.annul.clean=2", "`rerun.annul.clean`", "between 0 and 1"]),
        set_case("override into a value", &["--set", "seed.x=1"], &["--set seed.x=1", "not a table"]),
        // The districts table.
        csv_case("misspelt district column", "district,name", "distrcit,name", &["t-districts.csv line 1", "`district`", "did you mean `distrcit`?"]),
        csv_case("misspelt electorate column", ",electorate,", ",electorat,", &["t-districts.csv line 1", "`electorate`", "did you mean `electorat`?"]),
        csv_case("missing turnout column", ",turnout,", ",", &["t-districts.csv line 1", "`turnout`"]),
        csv_case("party column in the wrong case", ",C\n", ",c\n", &["t-districts.csv line 1", "`C`", "case-sensitive"]),
        csv_case("party column near miss", ",B,", ",BB,", &["t-districts.csv line 1", "`B`", "did you mean `BB`?"]),
        csv_case("duplicate header column", "region,", "name,", &["t-districts.csv line 1", "`name`", "twice"]),
        csv_case("turnout above 1", "1,North,R1,10000,0.5,", "1,North,R1,10000,1.4,", &["t-districts.csv line 2 (district 1)", "`turnout`", "between 0 and 1"]),
        csv_case("turnout in percent", "1,North,R1,10000,0.5,", "1,North,R1,10000,55,", &["line 2 (district 1)", "`turnout`", "0.550"]),
        csv_case("turnout nan", "1,North,R1,10000,0.5,", "1,North,R1,10000,NaN,", &["line 2 (district 1)", "`turnout`", "finite"]),
        csv_case("text vote share", "0.4,0.4,0.2", "0.4,abc,0.2", &["line 3 (district 2)", "`B`", "not a number"]),
        csv_case("negative vote share", "0.4,0.4,0.2", "-0.4,0.4,0.2", &["line 3 (district 2)", "`A`", "negative"]),
        csv_case("shares not summing to 1", "0.4,0.4,0.2", "0.4,0.2,0.2", &["line 3 (district 2)", "`A/B/C`", "sum to 0.8"]),
        csv_case("percentage share", "0.4,0.4,0.2", "40%,0.4,0.2", &["line 3 (district 2)", "`A`", "percentage", "0.4"]),
        csv_case("decimal comma", "0.4,0.4,0.2", "\"0,4\",0.4,0.2", &["line 3 (district 2)", "`A`", "decimals with a point"]),
        csv_case("share above 1", "0.4,0.4,0.2", "40,40,20", &["line 3 (district 2)", "shares = \"votes\""]),
        csv_case("blank electorate", "3,East,R2,9000,", "3,East,R2,,", &["line 4 (district 3)", "`electorate`", "blank"]),
        csv_case("zero electorate", "3,East,R2,9000,", "3,East,R2,0,", &["line 4 (district 3)", "`electorate`", "positive"]),
        csv_case("bad thousands grouping", "3,East,R2,9000,", "3,East,R2,\"9,00\",", &["line 4 (district 3)", "`electorate`", "in threes"]),
        csv_case("duplicate district id", "4,West", "3,West", &["line 5 (district 3)", "`district`", "more than once"]),
        csv_case("blank district id", "4,West", ",West", &["t-districts.csv line 5", "`district`", "blank"]),
        csv_case("row with an extra field", "4,West,R2,11000", "4,West,R2,x,11000", &["t-districts.csv line 5", "9 fields but the header has 8"]),
        csv_case("row with a missing field", "4,West,R2,11000,", "4,West,11000,", &["t-districts.csv line 5", "7 fields"]),
        csv_case("no party stands", "0.2,0.3,0.5", ",0,", &["line 5 (district 4)", "no party stands"]),
        csv_case("empty table", CSV, "", &["t-districts.csv", "empty"]),
        csv_case("header only", CSV, "district,name,region,electorate,turnout,A,B,C\n", &["t-districts.csv", "no districts"]),
        csv_case("fraud probability above 1", "district,name,region,electorate,turnout,A,B,C\n1,North,R1,10000,0.5,0.5,0.3,0.2", "district,name,region,electorate,turnout,A,B,C,fraud_incremental\n1,North,R1,10000,0.5,0.5,0.3,0.2,2", &["line 2 (district 1)", "`fraud_incremental`", "probability"]),
        Case {
            name: "table not UTF-8",
            toml: TOML.as_bytes().to_vec(),
            csv: [CSV.as_bytes(), b"5,\xff,R1,1,0.5,1,0,0\n"].concat(),
            set: vec![],
            expect: vec!["t-districts.csv", "UTF-8"],
        },
        Case {
            name: "more than 10,000 districts",
            toml: TOML.as_bytes().to_vec(),
            csv: long_csv.into_bytes(),
            set: vec!["--set", "rerun.districts=[]"],
            expect: vec!["t-districts.csv line 10002", "`district`", "more than 10000"],
        },
        Case {
            name: "vote counts that are fractions",
            toml: edit(TOML, "seed = 7", "seed = 7\nshares = \"votes\"").into_bytes(),
            csv: CSV.as_bytes().to_vec(),
            set: vec![],
            expect: vec!["line 2 (district 1)", "`A/B/C`", "looks like fractions"],
        },
        Case {
            name: "more votes than voters",
            toml: edit(TOML, "seed = 7", "seed = 7\nshares = \"votes\"").into_bytes(),
            csv: edit(CSV, "0.5,0.5,0.3,0.2", "0.5,5000,3000,2001").into_bytes(),
            set: vec![],
            expect: vec!["line 2 (district 1)", "`electorate`", "registered"],
        },
    ];
    cases.push(csv_case(
        "unclosed quote",
        "4,West",
        "4,\"West",
        &["t-districts.csv line 5", "closing `\"`"],
    ));
    cases
}

#[test]
fn every_malformed_input_exits_2_and_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = corpus();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        std::fs::write(dir.path().join("t.toml"), &case.toml).unwrap();
        std::fs::write(dir.path().join("t-districts.csv"), &case.csv).unwrap();
        let mut args = vec!["validate", "t.toml"];
        args.extend(&case.set);
        let out = run_in(dir.path(), &args);
        let err = stderr(&out);
        // Shown with `--nocapture`, to read every message by eye.
        println!("{:<40} {}", case.name, err.trim_end());
        let problems: Vec<String> = [
            (out.status.code() != Some(2)).then(|| format!("exit code {:?}", out.status.code())),
            err.contains("panicked").then(|| "panicked".to_string()),
            (!err.starts_with("error: ") || err.trim_end().lines().count() != 1)
                .then(|| "not one `error:` line".to_string()),
        ]
        .into_iter()
        .flatten()
        .chain(
            case.expect
                .iter()
                .filter(|e| !err.contains(*e))
                .map(|e| format!("missing {e:?}")),
        )
        .collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    {}",
                case.name,
                problems.join(", "),
                err.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_base_scenario_of_the_corpus_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), TOML).unwrap();
    std::fs::write(dir.path().join("t-districts.csv"), CSV).unwrap();
    let out = run_in(dir.path(), &["validate", "t.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn absurd_command_line_sizes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), TOML).unwrap();
    std::fs::write(dir.path().join("t-districts.csv"), CSV).unwrap();
    for (args, expect) in [
        (vec!["-n", "1e30"], "iterations"),
        (vec!["-n", "2e12"], "--iterations"),
        (vec!["-n", "0"], "--iterations"),
        (vec!["-n", "-5"], "-5"),
        (vec!["--threads", "100000"], "thread count"),
        (vec!["--seed", "-1"], "-1"),
    ] {
        let mut all = vec!["run", "t.toml", "--out", "o", "-q"];
        all.extend(&args);
        let out = run_in(dir.path(), &all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(expect) && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        assert!(
            !dir.path().join("o").exists(),
            "{args:?} created the output directory"
        );
    }
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), TOML).unwrap();
    // Sparse files: their size is what counts, and nothing is written to disk.
    let table = std::fs::File::create(dir.path().join("t-districts.csv")).unwrap();
    table.set_len(65 << 20).unwrap();
    let out = run_in(dir.path(), &["validate", "t.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`districts`") && err.contains("more than the 67108864 bytes"),
        "{err}"
    );
    let big = std::fs::File::create(dir.path().join("big.toml")).unwrap();
    big.set_len(5 << 20).unwrap();
    let out = run_in(dir.path(), &["validate", "big.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("big.toml") && err.contains("more than the 4194304 bytes"),
        "{err}"
    );
}

#[test]
fn the_largest_chamber_and_party_count_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    // 10,000 districts, 50 parties: validated and run for a few iterations.
    let ids: Vec<String> = (0..50).map(|p| format!("P{p}")).collect();
    let mut toml = String::from("name = \"Largest\"\ndistricts = \"t-districts.csv\"\n");
    for id in &ids {
        toml.push_str(&format!("[[party]]\nid = \"{id}\"\n"));
    }
    toml.push_str("[uncertainty]\ndistrict_sd = 0.2\n[rerun]\ndistricts = [\"9999\"]\n");
    let mut csv = format!("district,electorate,turnout,{}\n", ids.join(","));
    for d in 0..10_000 {
        csv.push_str(&format!("{d},1000,0.5"));
        for p in 0..50 {
            csv.push_str(if (d + p) % 10 == 0 { ",0.18" } else { ",0.002" });
        }
        csv.push('\n');
    }
    std::fs::write(dir.path().join("t.toml"), toml).unwrap();
    std::fs::write(dir.path().join("t-districts.csv"), csv).unwrap();
    let out = run_in(
        dir.path(),
        &["run", "t.toml", "-n", "20", "-j", "1", "-q", "--out", "o"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let seats = std::fs::read_to_string(dir.path().join("o/seats.csv")).unwrap();
    // Header + 2 outcomes × 50 parties × 10,001 seat counts + the bloc rows (one per party).
    assert_eq!(seats.lines().count(), 1 + 2 * 2 * 50 * 10_001);
}
