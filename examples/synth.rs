fn main() {
    let a: Vec<String> = std::env::args().collect();
    let fi: f64 = a[1].parse().unwrap();
    let fe: f64 = a[2].parse().unwrap();
    let n: usize = a[3].parse().unwrap();
    let p = seatsim::forensics::fit::Params {
        incremental: fi,
        extreme: fe,
        stuffing_sd: 0.1,
        alpha: 1.0,
        turnout_centre: 0.6,
        turnout_sd: 0.3,
        share_centre: 0.55,
        share_sd: 0.25,
    };
    print!(
        "{}",
        seatsim::forensics::synthetic_csv(&p, n, a[4].parse().unwrap())
    );
}
