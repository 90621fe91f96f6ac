use seatsim::forensics::{data, fit::*};
fn main() {
    let t = data::load(std::path::Path::new("/tmp/fz.csv")).unwrap();
    let pts = t.points(0);
    let truth = Params {
        incremental: 0.3,
        extreme: 0.05,
        stuffing_sd: 0.1,
        alpha: 1.0,
        turnout_centre: 0.6,
        turnout_sd: 0.3,
        share_centre: 0.55,
        share_sd: 0.25,
    };
    let cfg = FitConfig {
        sim_units: 20000,
        seed: 2012,
        max_evals: 1000,
    };
    println!("truth {:e}", distance_at(&pts, &truth, &cfg));
    let f = fit(&pts, Some(&truth), &cfg);
    println!("from truth {:?} {:e} {}", f.params, f.distance, f.evals);
    let cfg2 = FitConfig {
        sim_units: 100000,
        seed: 7,
        max_evals: 1000,
    };
    println!("truth M=1e5 {:e}", distance_at(&pts, &truth, &cfg2));
    println!("fitted M=1e5 {:e}", distance_at(&pts, &f.params, &cfg2));
}
