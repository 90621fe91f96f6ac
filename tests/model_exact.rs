//! Simulations against results computed exactly from MODEL.md's formulas.

use seatsim::engine::{self, Histograms, Hooks, Outcome, RunSpec};
use seatsim::model::votes::two_party_win_probability;
use seatsim::Scenario;

use crate::common::write_scenario;

fn run(s: &Scenario, iterations: u64, seed: u64) -> Histograms {
    let spec = RunSpec {
        seed,
        start: 0,
        end: iterations,
        threads: 0,
    };
    engine::run(s, &spec, Hooks::default()).expect("run succeeds")
}

fn load(dir: &std::path::Path, name: &str, toml: &str, csv: &str) -> Scenario {
    let path = write_scenario(dir, name, toml, csv);
    Scenario::load(&path, &[]).expect("scenario is valid")
}

/// Exact distribution of the number of successes of independent Bernoulli(p_d).
fn poisson_binomial(p: &[f64]) -> Vec<f64> {
    let mut dist = vec![1.0];
    for &pd in p {
        let mut next = vec![0.0; dist.len() + 1];
        for (k, &q) in dist.iter().enumerate() {
            next[k] += q * (1.0 - pd);
            next[k + 1] += q * pd;
        }
        dist = next;
    }
    dist
}

#[test]
fn two_parties_with_district_noise_give_the_exact_poisson_binomial() {
    let dir = tempfile::tempdir().unwrap();
    let sigma = 0.2;
    let shares: Vec<f64> = (0..25).map(|d| 0.35 + 0.3 * d as f64 / 24.0).collect();
    let mut csv = String::from("district,name,region,electorate,turnout,A,B\n");
    for (d, s) in shares.iter().enumerate() {
        csv.push_str(&format!(
            "{},D{},R{},10000,0.6,{s},{}\n",
            d + 1,
            d + 1,
            d % 3,
            1.0 - s
        ));
    }
    let toml = format!(
        "name = \"two\"\ndistricts = \"two-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n[uncertainty]\ndistrict_sd = {sigma}\n"
    );
    let s = load(dir.path(), "two", &toml, &csv);
    let iterations = 200_000;
    let h = run(&s, iterations, 11);
    let p: Vec<f64> = shares
        .iter()
        .map(|&a| two_party_win_probability(a, 1.0 - a, sigma))
        .collect();
    let exact = poisson_binomial(&p);
    let observed = h.party(Outcome::NoRerun, 0);
    let tv: f64 = 0.5
        * exact
            .iter()
            .zip(observed)
            .map(|(e, &c)| (e - c as f64 / iterations as f64).abs())
            .sum::<f64>();
    assert!(tv < 0.02, "total variation {tv}");
    // Per district too: 200k draws give sd < 0.0012, so 0.006 is five sds.
    for (d, &pd) in p.iter().enumerate() {
        let got = h.wins(Outcome::NoRerun, d, 0) as f64 / iterations as f64;
        assert!((got - pd).abs() < 0.006, "district {d}: {got} vs {pd}");
    }
}

#[test]
fn fraud_without_noise_gives_the_exact_class_mixture() {
    // Three parties; B is the beneficiary. With every sd 0 the classes fix the winner:
    // clean → the intention winner; incremental with x = 0.1, y = 0.2; extreme with x = y = 0.9.
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (0.45, 0.40, 0.15, 0.5), // B behind by 5: incremental (x=0.1 of 50% abstainers) wins
        (0.65, 0.25, 0.10, 0.7), // far behind: only extreme wins
        (0.30, 0.50, 0.20, 0.6), // B ahead: always wins
        (0.50, 0.48, 0.02, 0.9), // high turnout: stealing alone suffices
    ];
    let mut csv = String::from("district,name,region,electorate,turnout,A,B,C\n");
    for (d, (a, b, c, t)) in rows.iter().enumerate() {
        csv.push_str(&format!("{},D,R,10000,{t},{a},{b},{c}\n", d + 1));
    }
    let (fi, fe) = (0.3, 0.1);
    let toml = format!(
        "name = \"mix\"\ndistricts = \"mix-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n[[party]]\nid = \"C\"\n\
         [fraud]\nbeneficiary = \"B\"\nincremental = {fi}\nextreme = {fe}\nstuffing_mean = 0.1\nstuffing_sd = 0.0\nstealing_mean = 0.2\nstealing_sd = 0.0\nextreme_mean = 0.9\nextreme_sd = 0.0\n"
    );
    let s = load(dir.path(), "mix", &toml, &csv);
    let iterations = 100_000;
    let h = run(&s, iterations, 5);
    for (d, &(a, b, c, t)) in rows.iter().enumerate() {
        let b_wins = |x: f64, y: f64| {
            let n = 10_000.0;
            let v = [n * t * a, n * t * b, n * t * c];
            let abstain = n * (1.0 - t);
            let vb = v[1] + x * abstain + y * (v[0] + v[2]);
            vb > (1.0 - y) * v[0] && vb >= (1.0 - y) * v[2]
        };
        let exact = (1.0 - fi - fe) * f64::from(u8::from(b_wins(0.0, 0.0)))
            + fi * f64::from(u8::from(b_wins(0.1, 0.2)))
            + fe * f64::from(u8::from(b_wins(0.9, 0.9)));
        let got = h.wins(Outcome::NoRerun, d, 1) as f64 / iterations as f64;
        assert!(
            (got - exact).abs() < 0.01,
            "district {}: {got} vs {exact}",
            d + 1
        );
    }
    // The cases really differ, so the test can fail.
    let probs: Vec<f64> = (0..4)
        .map(|d| h.wins(Outcome::NoRerun, d, 1) as f64 / iterations as f64)
        .collect();
    assert!(probs[0] > 0.35 && probs[0] < 0.45, "{probs:?}");
    assert!(probs[1] > 0.05 && probs[1] < 0.15, "{probs:?}");
    assert!(probs[2] > 0.999, "{probs:?}");
}

/// Apply fraud to a known truth with MODEL.md's formulas, write the official table, invert
/// with the same fraud as the prior, re-run clean everywhere: the true winners come back.
#[test]
fn inverting_known_fraud_recovers_the_true_winners() {
    let dir = tempfile::tempdir().unwrap();
    // (A, B, C shares, turnout, falsified?)
    let truth = [
        (0.40, 0.45, 0.15, 0.50, true),
        (0.35, 0.40, 0.25, 0.55, true),
        (0.55, 0.30, 0.15, 0.60, false),
        (0.30, 0.32, 0.38, 0.45, true),
        (0.20, 0.50, 0.30, 0.52, false),
        (0.45, 0.44, 0.11, 0.65, true),
    ];
    let (x, y) = (0.12, 0.25);
    let n = 20_000.0;
    let mut csv = String::from(
        "district,name,region,electorate,turnout,A,B,C,fraud_incremental,fraud_extreme\n",
    );
    let mut true_winner = Vec::new();
    let mut official_winner = Vec::new();
    for (d, &(a, b, c, t, falsified)) in truth.iter().enumerate() {
        let v = [n * t * a, n * t * b, n * t * c];
        let argmax = |v: &[f64]| (0..3).fold(0, |best, p| if v[p] > v[best] { p } else { best });
        true_winner.push(argmax(&v));
        let (xd, yd) = if falsified { (x, y) } else { (0.0, 0.0) };
        let abstain = n * (1.0 - t);
        let off = [
            v[0] + xd * abstain + yd * (v[1] + v[2]),
            (1.0 - yd) * v[1],
            (1.0 - yd) * v[2],
        ];
        official_winner.push(argmax(&off));
        let t_off = t + xd * (1.0 - t);
        let total: f64 = off.iter().sum();
        csv.push_str(&format!(
            "{},D,R,{n},{t_off},{},{},{},{},0\n",
            d + 1,
            off[0] / total,
            off[1] / total,
            off[2] / total,
            if falsified { 1 } else { 0 }
        ));
    }
    assert_ne!(
        true_winner, official_winner,
        "the fraud must change some winners"
    );
    let toml = format!(
        "name = \"inv\"\ndistricts = \"inv-districts.csv\"\nbaseline = \"official\"\n\
         [[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n[[party]]\nid = \"C\"\n\
         [fraud]\nbeneficiary = \"A\"\nstuffing_mean = {x}\nstuffing_sd = 0.0\nstealing_mean = {y}\nstealing_sd = 0.0\n\
         [rerun]\nall = true\n"
    );
    let s = load(dir.path(), "inv", &toml, &csv);
    let h = run(&s, 2_000, 3);
    for d in 0..truth.len() {
        assert_eq!(
            h.wins(Outcome::NoRerun, d, official_winner[d]),
            2_000,
            "district {}",
            d + 1
        );
        assert_eq!(
            h.wins(Outcome::Rerun, d, true_winner[d]),
            2_000,
            "district {}",
            d + 1
        );
        assert_eq!(h.infeasible[d], 0);
    }
    // Stolen seats: exactly the districts whose official winner is not the true one.
    let stolen = truth
        .iter()
        .enumerate()
        .filter(|&(d, _)| true_winner[d] != official_winner[d])
        .count();
    assert_eq!(h.stolen_seats(0)[stolen], 2_000);
}

#[test]
fn recount_undoes_stealing_but_keeps_stuffing() {
    let dir = tempfile::tempdir().unwrap();
    // District 1: A wins only by stealing. District 2: A wins by stuffing alone.
    let csv = "district,name,region,electorate,turnout,A,B\n1,D,R,10000,0.9,0.45,0.55\n2,D,R,10000,0.3,0.40,0.60\n";
    let toml = "name = \"rc\"\ndistricts = \"rc-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n\
        [fraud]\nbeneficiary = \"A\"\nincremental = 1.0\nstuffing_mean = 0.1\nstuffing_sd = 0.0\nstealing_mean = 0.3\nstealing_sd = 0.0\n";
    let s = load(dir.path(), "rc", toml, csv);
    let h = run(&s, 500, 1);
    assert_eq!(h.wins(Outcome::NoRerun, 0, 0), 500);
    assert_eq!(h.wins(Outcome::NoRerun, 1, 0), 500);
    let path = dir.path().join("rc.toml");
    let s = Scenario::load(&path, &["recount.districts=[\"1\", \"2\"]".to_string()]).unwrap();
    let h = run(&s, 500, 1);
    // Recount of 1: 4050 + 100 stuffed vs 4950: B. Recount of 2: 1200 + 700 vs 1800: A keeps it.
    assert_eq!(h.wins(Outcome::NoRerun, 0, 1), 500);
    assert_eq!(h.wins(Outcome::NoRerun, 1, 0), 500);
    assert_eq!(h.recounted, vec![500, 500]);
}

#[test]
fn boycotting_parties_win_no_rerun_and_their_voters_abstain() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "district,name,region,electorate,turnout,A,B,C\n1,D,R,1000,0.5,0.5,0.3,0.2\n2,D,R,1000,0.5,0.2,0.5,0.3\n";
    let toml = "name = \"bo\"\ndistricts = \"bo-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n[[party]]\nid = \"C\"\n\
        [rerun]\nall = true\nboycott = [\"A\"]\n";
    let s = load(dir.path(), "bo", toml, csv);
    let h = run(&s, 200, 2);
    // No rerun: the intention winners. Rerun: A is gone, so B takes district 1 too.
    assert_eq!(h.wins(Outcome::NoRerun, 0, 0), 200);
    assert_eq!(h.wins(Outcome::Rerun, 0, 1), 200);
    assert_eq!(h.wins(Outcome::Rerun, 1, 1), 200);
    assert_eq!(h.party(Outcome::Rerun, 0)[0], 200);
}

#[test]
fn marginal_voters_decide_a_turnout_surge() {
    // B trails 45/55 at 40% turnout; 20 extra points of turnout all for A (marginal):
    // A = 1000 (0.4·0.45 + 0.2) = 380 > B = 220. Without marginal, A still trails.
    let dir = tempfile::tempdir().unwrap();
    let csv = "district,name,region,electorate,turnout,A,B\n1,D,R,1000,0.4,0.45,0.55\n";
    let base = "name = \"mv\"\ndistricts = \"mv-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n[turnout]\nshift_pp = 20\n";
    let s = load(dir.path(), "mv", base, csv);
    assert_eq!(run(&s, 100, 1).wins(Outcome::NoRerun, 0, 1), 100);
    let with_marginal = format!("{base}marginal = {{ A = 1.0 }}\n");
    let s = load(dir.path(), "mv", &with_marginal, csv);
    assert_eq!(run(&s, 100, 1).wins(Outcome::NoRerun, 0, 0), 100);
}

#[test]
fn low_turnout_districts_are_vacant_then_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "district,name,region,electorate,turnout,A,B\n1,D,R,1000,0.2,0.6,0.4\n2,D,R,1000,0.6,0.4,0.6\n";
    let toml = "name = \"v\"\ndistricts = \"v-districts.csv\"\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n\
        [validity]\nmin_turnout = 0.25\n[rerun.turnout]\nshift_pp = 10\n";
    let s = load(dir.path(), "v", toml, csv);
    let h = run(&s, 100, 1);
    assert_eq!(h.vacancies(Outcome::NoRerun)[1], 100);
    assert_eq!(h.annulled, vec![100, 0]);
    // The rerun at 30% turnout is valid: A wins it.
    assert_eq!(h.wins(Outcome::Rerun, 0, 0), 100);
    assert_eq!(h.vacancies(Outcome::Rerun)[0], 100);
}
