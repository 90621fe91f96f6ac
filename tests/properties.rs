//! Properties that must hold for every scenario and every draw.

use proptest::prelude::*;
use seatsim::engine::{self, Hooks, RunSpec};
use seatsim::Scenario;

use crate::common::{repo, write_scenario};

fn spec(seed: u64, iterations: u64) -> RunSpec {
    RunSpec {
        seed,
        start: 0,
        end: iterations,
        threads: 0,
    }
}

/// A small random scenario: shares, noise, fraud, validity, recount and rerun options.
#[allow(clippy::type_complexity)]
fn scenario_text(
    rows: &[(Vec<u8>, u8)],
    sd: f64,
    fi: f64,
    fe: f64,
    min_turnout: f64,
    annul: f64,
    boycott: bool,
) -> (String, String) {
    let parties = rows[0].0.len();
    let ids: Vec<String> = (0..parties).map(|p| format!("P{p}")).collect();
    let mut csv = format!(
        "district,name,region,electorate,turnout,{}\n",
        ids.join(",")
    );
    for (d, (weights, turnout)) in rows.iter().enumerate() {
        let total: f64 = weights.iter().map(|&w| w as f64).sum::<f64>().max(1.0);
        let shares: Vec<String> = weights
            .iter()
            .enumerate()
            .map(|(p, &w)| {
                // Party 0 always stands so every row has a candidate.
                let w = if p == 0 { w.max(1) } else { w };
                format!("{}", w as f64 / total.max(w as f64))
            })
            .collect();
        let sum: f64 = shares.iter().map(|s| s.parse::<f64>().unwrap()).sum();
        let shares: Vec<String> = shares
            .iter()
            .map(|s| format!("{}", s.parse::<f64>().unwrap() / sum))
            .collect();
        csv.push_str(&format!(
            "{},D{d},R{},{},{},{}\n",
            d + 1,
            d % 3,
            1000 + 37 * d,
            0.2 + 0.7 * (*turnout as f64 / 255.0),
            shares.join(",")
        ));
    }
    let mut toml = String::from("name = \"prop\"\ndistricts = \"prop-districts.csv\"\n");
    for (p, id) in ids.iter().enumerate() {
        toml.push_str(&format!(
            "[[party]]\nid = \"{id}\"\nbloc = \"b{}\"\n",
            p % 2
        ));
    }
    toml.push_str(&format!(
        "[uncertainty]\nnational_sd = {sd}\nregional_sd = {sd}\ndistrict_sd = {sd}\n\
         [turnout]\nnational_sd = {sd}\ndistrict_sd = {sd}\n\
         [fraud]\nbeneficiary = \"P0\"\nincremental = {fi}\nextreme = {fe}\n\
         [validity]\nmin_turnout = {min_turnout}\n\
         [recount]\ndetect = {{ extreme = 0.5 }}\n\
         [rerun]\nannul = {{ clean = {annul}, incremental = {annul}, extreme = 1.0 }}\nboycott = {}\n\
         [rerun.uncertainty]\ndistrict_sd = {sd}\n[rerun.turnout]\nshift_pp = -10\n",
        if boycott { "[\"P1\"]" } else { "[]" }
    ));
    (toml, csv)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Up to 39 districts: the engine's columns are padded to a multiple of 16 lanes, so
    /// counts on both sides of 16 and 32 (and exactly those) are covered.
    #[test]
    fn seats_sum_to_districts_minus_vacancies(
        rows in prop::collection::vec((prop::collection::vec(0u8..=255, 3), any::<u8>()), 1..40),
        sd in 0.0f64..1.0,
        fi in 0.0f64..0.5,
        fe in 0.0f64..0.5,
        min_turnout in prop::sample::select(vec![0.0, 0.3, 0.6]),
        annul in 0.0f64..1.0,
        boycott: bool,
        seed: u64,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (toml, csv) = scenario_text(&rows, sd, fi, fe, min_turnout, annul, boycott);
        let path = write_scenario(dir.path(), "prop", &toml, &csv);
        let s = Scenario::load(&path, &[]).unwrap();
        let n = s.seats() as u32;
        let np = s.parties.len();
        let mut draws = 0;
        let h = engine::run_with_draws(&s, &spec(seed, 300), Hooks::default(), |d| {
            for o in 0..2 {
                let seats: u32 = d.seats[o * np..(o + 1) * np].iter().sum();
                assert_eq!(seats + d.vacant[o], n);
            }
            draws += 1;
            Ok(())
        }).unwrap();
        prop_assert_eq!(draws, 300);
        prop_assert_eq!(h.iterations, 300);
        // Win counts per district never exceed the iterations.
        for o in seatsim::engine::Outcome::ALL {
            for d in 0..s.seats() {
                let wins: u64 = (0..np).map(|p| h.wins(o, d, p)).sum();
                prop_assert!(wins <= 300);
            }
        }
    }
}

/// District counts at the edges of the engine's 16-lane padding, with a turnout minimum
/// (so vacancies), fraud and reruns: seats and vacancies always add up to the districts,
/// and each district's wins to at most the iterations.
#[test]
fn seats_add_up_at_the_lane_boundaries() {
    for n in [15usize, 16, 17, 32, 33] {
        let rows: Vec<(Vec<u8>, u8)> = (0..n)
            .map(|d| {
                let w = |k: usize| ((d * 37 + k * 91) % 256) as u8;
                (vec![w(0), w(1), w(2)], ((d * 53) % 256) as u8)
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let (toml, csv) = scenario_text(&rows, 0.3, 0.3, 0.1, 0.3, 0.4, false);
        let path = write_scenario(dir.path(), "prop", &toml, &csv);
        let s = Scenario::load(&path, &[]).unwrap();
        let np = s.parties.len();
        let (mut draws, mut vacancies) = (0, 0);
        let h = engine::run_with_draws(&s, &spec(7, 400), Hooks::default(), |d| {
            for o in 0..2 {
                let seats: u32 = d.seats[o * np..(o + 1) * np].iter().sum();
                assert_eq!(seats + d.vacant[o], n as u32, "{n} districts");
                vacancies += d.vacant[o];
            }
            draws += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(draws, 400);
        assert!(
            vacancies > 0,
            "{n} districts: the turnout minimum leaves some vacant"
        );
        assert!(
            h.annulled.iter().sum::<u64>() > 0,
            "{n} districts: reruns exercised"
        );
        for o in seatsim::engine::Outcome::ALL {
            for d in 0..n {
                let wins: u64 = (0..np).map(|p| h.wins(o, d, p)).sum();
                assert!(wins <= 400, "{n} districts: district {d}");
            }
        }
    }
}

#[test]
fn more_extreme_fraud_never_lowers_the_beneficiarys_expected_seats() {
    let path = repo().join("scenarios/azerbaijan-2005.toml");
    let mut previous = f64::NEG_INFINITY;
    for step in 0..=10 {
        let fe = 0.05 * step as f64;
        let s = Scenario::load(
            &path,
            &[
                format!("fraud.extreme={fe}"),
                "fraud.incremental=0.3".into(),
            ],
        )
        .unwrap();
        let h = engine::run(&s, &spec(2005, 4_000), Hooks::default()).unwrap();
        let b = s.fraud.beneficiary.unwrap();
        let counts = h.party(engine::Outcome::NoRerun, b);
        let mean = counts
            .iter()
            .enumerate()
            .map(|(k, &c)| k as f64 * c as f64)
            .sum::<f64>()
            / h.iterations as f64;
        assert!(mean >= previous, "f_e = {fe}: mean {mean} < {previous}");
        previous = mean;
    }
}

#[test]
fn results_do_not_depend_on_thread_count_or_block_split() {
    let path = repo().join("scenarios/azerbaijan-2005.toml");
    let s = Scenario::load(&path, &[]).unwrap();
    let one = engine::run(
        &s,
        &RunSpec {
            threads: 1,
            ..spec(9, 5_000)
        },
        Hooks::default(),
    )
    .unwrap();
    let two = engine::run(
        &s,
        &RunSpec {
            threads: 2,
            ..spec(9, 5_000)
        },
        Hooks::default(),
    )
    .unwrap();
    assert_eq!(one, two);
    // Any split into ranges merges to the same counts.
    let mut merged = engine::run(
        &s,
        &RunSpec {
            end: 1_777,
            ..spec(9, 0)
        },
        Hooks::default(),
    )
    .unwrap();
    let rest = engine::run(
        &s,
        &RunSpec {
            start: 1_777,
            ..spec(9, 5_000)
        },
        Hooks::default(),
    )
    .unwrap();
    merged.merge(&rest);
    assert_eq!(merged, one);
}
