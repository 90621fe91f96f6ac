//! Fitting Klimek's fraud model to an election fingerprint, by simulation with the model's
//! own formulas (MODEL.md steps 2 and 4).
//!
//! A clean unit has turnout `T = logistic(logit(t0) + sd_t z)` (the engine's turnout formula)
//! and winner share `s = logistic(logit(s0) + sd_s z')` of the votes. Fraud is MODEL.md step 4
//! with beneficiary = the winner: incremental with probability f_i (stuffing
//! `x ~ TN(0, stuffing_sd)`, stealing `y = x^alpha`), extreme with f_e (`x = y ~ TN(1, 0.075)`).
//!
//! The expected histogram of (turnout, winner share) is linear in (f_i, f_e): it is
//! `(1 - f_i - f_e) H_clean + f_i H_incremental + f_e H_extreme`. So each evaluation simulates
//! the same clean units once per class (common random numbers, a fixed seed), and the best
//! (f_i, f_e) for the other six parameters is found exactly by least squares on the triangle
//! f_i, f_e >= 0, f_i + f_e <= 1 — finer than any grid. The six are searched by Nelder–Mead.
//! Histograms use linear (soft) binning so the objective moves smoothly with the parameters.

use rayon::prelude::*;

use crate::engine::iteration_rng;
use crate::model::fraud;
use crate::model::turnout;
use crate::random::Draws;
use crate::scenario::{FraudClass, FraudModel, TruncNormal};

/// Klimek's extreme-fraud intensity: x = 1 - |N(0, 0.075)|, as in the scenario defaults.
pub const EXTREME: TruncNormal = TruncNormal {
    mean: 1.0,
    sd: 0.075,
};

/// Bins per axis of the 2-D (turnout, share) histogram compared in the fit.
pub const BINS_2D: usize = 40;
const FEATURES: usize = BINS_2D * BINS_2D;
/// Simulated units per parallel chunk (each chunk has its own fixed random stream).
const CHUNK: usize = 2048;

/// The fitted model's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// f_i: share of units with incremental fraud.
    pub incremental: f64,
    /// f_e: share of units with extreme fraud.
    pub extreme: f64,
    /// sd of the stuffing draw x ~ TN(0, sd) in incremental units.
    pub stuffing_sd: f64,
    /// Stealing y = x^alpha in incremental units.
    pub alpha: f64,
    /// Median clean turnout (the logistic of the logit-scale mean).
    pub turnout_centre: f64,
    /// sd of clean turnout on the logit scale.
    pub turnout_sd: f64,
    /// Median clean winner share (the logistic of the logit-scale mean).
    pub share_centre: f64,
    /// sd of clean winner share on the logit scale.
    pub share_sd: f64,
}

/// Names of [`Params`] fields in report order.
pub const PARAM_NAMES: [&str; 8] = [
    "incremental",
    "extreme",
    "stuffing_sd",
    "alpha",
    "turnout_centre",
    "turnout_sd",
    "share_centre",
    "share_sd",
];

impl Params {
    /// Values in [`PARAM_NAMES`] order.
    pub fn to_array(&self) -> [f64; 8] {
        [
            self.incremental,
            self.extreme,
            self.stuffing_sd,
            self.alpha,
            self.turnout_centre,
            self.turnout_sd,
            self.share_centre,
            self.share_sd,
        ]
    }

    /// The same clean model without fraud: the "fair" reference of the fingerprint.
    pub fn fair(&self) -> Params {
        Params {
            incremental: 0.0,
            extreme: 0.0,
            ..*self
        }
    }

    /// The fraud part as the engine's [`FraudModel`] (beneficiary index `b`).
    pub fn fraud_model(&self, b: usize) -> FraudModel {
        FraudModel {
            beneficiary: Some(b),
            incremental: self.incremental,
            extreme: self.extreme,
            stuffing: TruncNormal {
                mean: 0.0,
                sd: self.stuffing_sd,
            },
            extreme_intensity: EXTREME,
            alpha: Some(self.alpha),
            ..FraudModel::none()
        }
    }

    fn theta(&self) -> [f64; 6] {
        [
            turnout::logit(self.turnout_centre),
            self.turnout_sd.max(1e-6).ln(),
            turnout::logit(self.share_centre.clamp(1e-6, 1.0 - 1e-6)),
            self.share_sd.max(1e-6).ln(),
            turnout::logit(self.stuffing_sd.clamp(1e-6, 1.0 - 1e-6)),
            self.alpha.ln(),
        ]
    }

    fn from_theta(th: &[f64; 6], incremental: f64, extreme: f64) -> Params {
        Params {
            incremental,
            extreme,
            turnout_centre: turnout::shifted(turnout::logistic(th[0]), 0.0),
            turnout_sd: th[1].exp().clamp(1e-4, 5.0),
            share_centre: turnout::logistic(th[2].clamp(-12.0, 12.0)),
            share_sd: th[3].exp().clamp(1e-4, 5.0),
            stuffing_sd: turnout::logistic(th[4]).clamp(1e-4, 1.0),
            alpha: th[5].exp().clamp(0.05, 20.0),
        }
    }
}

/// A clean unit's (turnout, winner share) from two standard normals.
pub fn clean_point(p: &Params, zt: f64, zs: f64) -> (f64, f64) {
    let t = turnout::turnout(p.turnout_centre, p.turnout_sd * zt);
    let s = turnout::logistic(turnout::logit(p.share_centre) + p.share_sd * zs);
    (t, s)
}

/// The official (turnout, winner share) after stuffing x and stealing y (MODEL.md step 4,
/// per registered voter; the electorate cancels).
pub fn falsify(t: f64, s: f64, x: f64, y: f64) -> (f64, f64) {
    let v = [t * s, t * (1.0 - s)];
    let mut out = [0.0; 2];
    fraud::official_into(&v, 1.0 - t, 0, x, y, &mut out);
    let total = out[0] + out[1];
    let share = if total > 0.0 { out[0] / total } else { s };
    (fraud::official_turnout(t, x), share)
}

/// One unit of the full model: class by [`fraud::draw`], then the official point.
pub fn simulate_unit<R: Draws + ?Sized>(
    rng: &mut R,
    p: &Params,
    model: &FraudModel,
) -> (FraudClass, f64, f64) {
    let zt = rng.standard_normal();
    let zs = rng.standard_normal();
    let (t, s) = clean_point(p, zt, zs);
    let (class, x, y) = fraud::draw(rng, model, p.incremental, p.extreme);
    let (t2, s2) = falsify(t, s, x, y);
    (class, t2, s2)
}

/// `n` official points drawn from the full model under `p` (stream `seed`).
pub fn simulate(p: &Params, n: usize, seed: u64) -> Vec<(f64, f64)> {
    let model = p.fraud_model(0);
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .flat_map_iter(|k| {
            let mut rng = iteration_rng(seed, k as u64);
            let len = CHUNK.min(n - k * CHUNK);
            (0..len)
                .map(|_| {
                    let (_, t, s) = simulate_unit(&mut rng, p, &model);
                    (t, s)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn soft(v: f64, bins: usize) -> (usize, usize, f64) {
    let pos = (v.clamp(0.0, 1.0) * bins as f64 - 0.5).clamp(0.0, (bins - 1) as f64);
    let i = pos.floor() as usize;
    let j = (i + 1).min(bins - 1);
    (i, j, pos - i as f64)
}

fn add_point(f: &mut [f64], t: f64, s: f64, w: f64) {
    let (ti, tj, tf) = soft(t, BINS_2D);
    let (si, sj, sf) = soft(s, BINS_2D);
    f[ti * BINS_2D + si] += w * (1.0 - tf) * (1.0 - sf);
    f[tj * BINS_2D + si] += w * tf * (1.0 - sf);
    f[ti * BINS_2D + sj] += w * (1.0 - tf) * sf;
    f[tj * BINS_2D + sj] += w * tf * sf;
}

/// The compared summary of a set of points: a soft 2-D histogram of proportions (1-D
/// marginals are left out on purpose: with fewer, fuller bins they would dominate the L2
/// distance and hide the turnout-share correlation that identifies incremental fraud).
pub fn features(points: &[(f64, f64)]) -> Vec<f64> {
    let mut f = vec![0.0; FEATURES];
    let w = 1.0 / points.len().max(1) as f64;
    for &(t, s) in points {
        add_point(&mut f, t, s, w);
    }
    f
}

/// The distance expected from sampling noise alone when the model is right: for `n`
/// observed and `m` simulated points, `(1/n + 1/m) (E|phi|^2 - |E phi|^2)`, with phi a point's
/// soft-binned contribution, estimated from the observed points. A model whose distance is
/// near this fits as well as the noise allows.
pub fn noise_floor(points: &[(f64, f64)], m: usize) -> f64 {
    let n = points.len().max(1) as f64;
    let h = features(points);
    let mut sq = 0.0;
    for &(t, s) in points {
        let (ti, tj, tf) = soft(t, BINS_2D);
        let (si, sj, sf) = soft(s, BINS_2D);
        let mut cells: [(usize, f64); 4] = [
            (ti * BINS_2D + si, (1.0 - tf) * (1.0 - sf)),
            (tj * BINS_2D + si, tf * (1.0 - sf)),
            (ti * BINS_2D + sj, (1.0 - tf) * sf),
            (tj * BINS_2D + sj, tf * sf),
        ];
        // Merge weights that land in the same cell (at the edges of the grid).
        for a in 0..4 {
            for b in (a + 1)..4 {
                if cells[b].0 == cells[a].0 && cells[b].1 != 0.0 {
                    cells[a].1 += cells[b].1;
                    cells[b].1 = 0.0;
                }
            }
        }
        sq += cells.iter().map(|c| c.1 * c.1).sum::<f64>();
    }
    (1.0 / n + 1.0 / m.max(1) as f64) * (sq / n - dot(&h, &h)).max(0.0)
}

/// Settings of a fit.
#[derive(Debug, Clone, Copy)]
pub struct FitConfig {
    /// Simulated units per class and evaluation.
    pub sim_units: usize,
    /// Seed of the common random numbers (the same for every evaluation).
    pub seed: u64,
    /// Most objective evaluations.
    pub max_evals: usize,
}

/// A fit's result.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// Best parameters.
    pub params: Params,
    /// Squared L2 distance between observed and simulated histograms at the optimum.
    pub distance: f64,
    /// Objective evaluations used.
    pub evals: usize,
}

/// Common random numbers of a fit, drawn once: per simulated unit the two clean-noise normals
/// and the extreme intensity x ~ TN(1, 0.075) (no fitted parameter changes it). The stuffing
/// draw depends on stuffing_sd, so it is redrawn per evaluation from a fixed stream.
pub struct Crn {
    zt: Vec<f64>,
    zs: Vec<f64>,
    xe: Vec<f64>,
    seed: u64,
}

impl Crn {
    /// `cfg.sim_units` units from `cfg.seed`, drawn in fixed chunks (thread-count independent).
    pub fn new(cfg: &FitConfig) -> Crn {
        let n = cfg.sim_units.max(1);
        let parts: Vec<Vec<(f64, f64, f64)>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|k| {
                let mut rng = iteration_rng(cfg.seed, k as u64);
                (0..CHUNK.min(n - k * CHUNK))
                    .map(|_| {
                        let zt = rng.standard_normal();
                        let zs = rng.standard_normal();
                        (zt, zs, fraud::trunc_normal(&mut rng, EXTREME))
                    })
                    .collect()
            })
            .collect();
        let all: Vec<(f64, f64, f64)> = parts.into_iter().flatten().collect();
        Crn {
            zt: all.iter().map(|u| u.0).collect(),
            zs: all.iter().map(|u| u.1).collect(),
            xe: all.iter().map(|u| u.2).collect(),
            seed: cfg.seed ^ 0x5700_FF00,
        }
    }
}

/// Histograms of the clean, incremental and extreme versions of the same simulated units.
fn class_features(th: &[f64; 6], crn: &Crn) -> [Vec<f64>; 3] {
    let p = Params::from_theta(th, 0.0, 0.0);
    let model = p.fraud_model(0);
    let n = crn.zt.len().max(1);
    let parts: Vec<[Vec<f64>; 3]> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| {
            let mut rng = iteration_rng(crn.seed, k as u64);
            let mut h = [
                vec![0.0; FEATURES],
                vec![0.0; FEATURES],
                vec![0.0; FEATURES],
            ];
            let w = 1.0 / n as f64;
            for j in k * CHUNK..n.min((k + 1) * CHUNK) {
                let (t, s) = clean_point(&p, crn.zt[j], crn.zs[j]);
                add_point(&mut h[0], t, s, w);
                let (x, y) = fraud::draw_intensity(&mut rng, &model, FraudClass::Incremental);
                let (ti, si) = falsify(t, s, x, y);
                add_point(&mut h[1], ti, si, w);
                // Extreme: x = y, as `fraud::draw_intensity` draws it, from the stored draw.
                let (te, se) = falsify(t, s, crn.xe[j], crn.xe[j]);
                add_point(&mut h[2], te, se, w);
            }
            h
        })
        .collect();
    let mut total = [
        vec![0.0; FEATURES],
        vec![0.0; FEATURES],
        vec![0.0; FEATURES],
    ];
    for part in parts {
        for (t, h) in total.iter_mut().zip(part) {
            for (a, b) in t.iter_mut().zip(h) {
                *a += b;
            }
        }
    }
    total
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Price of fraud in the objective, per unit of sampling noise: the fit adds
/// `PENALTY_SCALE * (1/n + 1/M) * (f_i + f_e)` to the distance (n observed, M simulated
/// units; 1/n + 1/M is the size of the noise in the compared histograms). Without it the fit
/// is free to call clean units "incremental with stuffing sd near 0" (they look the same) or
/// to spend the three fraud parameters on fitting noise, and clean data could report any f_i.
/// It pulls f_i and f_e towards 0 by about penalty / (2 |H_class - H_clean|^2), less as the
/// data grow: a deliberate trade of a little bias for not finding fraud in noise.
pub const PENALTY_SCALE: f64 = 0.1;

/// The penalty for `n` observed and `m` simulated units.
pub fn penalty(n: usize, m: usize) -> f64 {
    PENALTY_SCALE * (1.0 / n.max(1) as f64 + 1.0 / m.max(1) as f64)
}

/// The (f_i, f_e) on the triangle minimising `|a + f_i u + f_e w|^2 + penalty (f_i + f_e)`,
/// and that minimum.
pub fn best_mixture(a: &[f64], u: &[f64], w: &[f64], penalty: f64) -> (f64, f64, f64) {
    let value = |fi: f64, fe: f64| -> f64 {
        penalty * (fi + fe)
            + a.iter()
                .zip(u)
                .zip(w)
                .map(|((&a, &u), &w)| {
                    let r = a + fi * u + fe * w;
                    r * r
                })
                .sum::<f64>()
    };
    let (uu, ww, uw) = (dot(u, u), dot(w, w), dot(u, w));
    // The penalty enters the normal equations as a shift of the linear terms.
    let (au, aw) = (dot(a, u) + penalty / 2.0, dot(a, w) + penalty / 2.0);
    let mut candidates = vec![(0.0, 0.0)];
    let det = uu * ww - uw * uw;
    if det > 1e-18 * (uu * ww).max(1e-300) {
        let fi = (-au * ww + aw * uw) / det;
        let fe = (-aw * uu + au * uw) / det;
        if fi >= 0.0 && fe >= 0.0 && fi + fe <= 1.0 {
            candidates.push((fi, fe));
        }
    }
    if uu > 0.0 {
        candidates.push(((-au / uu).clamp(0.0, 1.0), 0.0));
    }
    if ww > 0.0 {
        candidates.push((0.0, (-aw / ww).clamp(0.0, 1.0)));
    }
    // The edge f_i + f_e = 1: a + w + t (u - w), t = f_i.
    let d: Vec<f64> = u.iter().zip(w).map(|(u, w)| u - w).collect();
    let dd = dot(&d, &d);
    if dd > 0.0 {
        // The penalty is constant along this edge.
        let aw_d: f64 = a.iter().zip(w).zip(&d).map(|((a, w), d)| (a + w) * d).sum();
        let t = (-aw_d / dd).clamp(0.0, 1.0);
        candidates.push((t, 1.0 - t));
    }
    let mut best = (0.0, 0.0, f64::INFINITY);
    for (fi, fe) in candidates {
        let v = value(fi, fe);
        if v < best.2 {
            best = (fi, fe, v);
        }
    }
    best
}

/// The objective at `th`: the best mixture for the six other parameters.
fn objective(th: &[f64; 6], observed: &[f64], crn: &Crn, penalty: f64) -> (f64, f64, f64) {
    let [c, i, e] = class_features(th, crn);
    let a: Vec<f64> = c.iter().zip(observed).map(|(c, o)| c - o).collect();
    let u: Vec<f64> = i.iter().zip(&c).map(|(i, c)| i - c).collect();
    let w: Vec<f64> = e.iter().zip(&c).map(|(e, c)| e - c).collect();
    best_mixture(&a, &u, &w, penalty)
}

/// The histogram distance between observed points and the model under `p` (same common
/// random numbers as the fit), e.g. for the fair model.
pub fn distance_at(points: &[(f64, f64)], p: &Params, cfg: &FitConfig) -> f64 {
    let observed = features(points);
    let [c, i, e] = class_features(&p.theta(), &Crn::new(cfg));
    let clean = 1.0 - p.incremental - p.extreme;
    (0..observed.len())
        .map(|k| {
            let r = clean * c[k] + p.incremental * i[k] + p.extreme * e[k] - observed[k];
            r * r
        })
        .sum()
}

/// Minimise `f` from `x0` with initial steps `step` (Nelder–Mead, standard coefficients).
/// Returns the best point, its value and the evaluations used.
pub fn nelder_mead<const D: usize>(
    mut f: impl FnMut(&[f64; D]) -> f64,
    x0: [f64; D],
    step: [f64; D],
    max_evals: usize,
    tol: f64,
) -> ([f64; D], f64, usize) {
    let mut evals = 0;
    let mut eval = |x: &[f64; D], evals: &mut usize| {
        *evals += 1;
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut simplex: Vec<([f64; D], f64)> = Vec::with_capacity(D + 1);
    let v0 = eval(&x0, &mut evals);
    simplex.push((x0, v0));
    for d in 0..D {
        let mut x = x0;
        x[d] += step[d];
        let v = eval(&x, &mut evals);
        simplex.push((x, v));
    }
    while evals < max_evals {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[D].1);
        if (worst - best).abs() <= tol * (best.abs() + tol) {
            break;
        }
        let mut centroid = [0.0; D];
        for (x, _) in &simplex[..D] {
            for (c, v) in centroid.iter_mut().zip(x) {
                *c += v / D as f64;
            }
        }
        let along = |t: f64| -> [f64; D] {
            let mut p = [0.0; D];
            for (k, p) in p.iter_mut().enumerate() {
                *p = centroid[k] + t * (simplex[D].0[k] - centroid[k]);
            }
            p
        };
        let xr = along(-1.0);
        let vr = eval(&xr, &mut evals);
        if vr < simplex[0].1 {
            let xe = along(-2.0);
            let ve = eval(&xe, &mut evals);
            simplex[D] = if ve < vr { (xe, ve) } else { (xr, vr) };
        } else if vr < simplex[D - 1].1 {
            simplex[D] = (xr, vr);
        } else {
            let (xc, vc) = if vr < simplex[D].1 {
                let xc = along(-0.5);
                (xc, eval(&xc, &mut evals))
            } else {
                let xc = along(0.5);
                (xc, eval(&xc, &mut evals))
            };
            if vc < vr.min(simplex[D].1) {
                simplex[D] = (xc, vc);
            } else {
                let x_best = simplex[0].0;
                for item in simplex.iter_mut().skip(1) {
                    let mut x = x_best;
                    for (k, x) in x.iter_mut().enumerate() {
                        *x = x_best[k] + 0.5 * (item.0[k] - x_best[k]);
                    }
                    let v = eval(&x, &mut evals);
                    *item = (x, v);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    (simplex[0].0, simplex[0].1, evals)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

/// A starting point from robust statistics of the observed points (median and MAD on the
/// logit scale), with Klimek's usual stuffing sd and alpha = 1.
pub fn initial_guess(points: &[(f64, f64)]) -> Params {
    let lg = |v: f64| turnout::logit(v.clamp(0.005, 0.995));
    let robust = |vals: Vec<f64>| {
        let mut v = vals;
        let m = median(&mut v);
        let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
        (m, (1.4826 * median(&mut dev)).clamp(0.02, 2.0))
    };
    let (mt, st) = robust(points.iter().map(|p| lg(p.0)).collect());
    let (ms, ss) = robust(points.iter().map(|p| lg(p.1)).collect());
    Params {
        incremental: 0.0,
        extreme: 0.0,
        stuffing_sd: 0.1,
        alpha: 1.0,
        turnout_centre: turnout::shifted(turnout::logistic(mt), 0.0),
        turnout_sd: st,
        share_centre: turnout::logistic(ms),
        share_sd: ss,
    }
}

/// Fit the model to observed (turnout, winner share) points, starting from `start` (or the
/// robust initial guess). Two Nelder–Mead passes: the second restarts from the first's best
/// with a fresh simplex, the usual guard against a collapsed simplex.
pub fn fit(points: &[(f64, f64)], start: Option<&Params>, cfg: &FitConfig) -> Fit {
    let observed = features(points);
    // A refit from a given start (the bootstrap) searches a smaller neighbourhood first.
    let scale = if start.is_some() { 0.4 } else { 1.0 };
    let start = start.copied().unwrap_or_else(|| initial_guess(points));
    let pen = penalty(points.len(), cfg.sim_units);
    let crn = Crn::new(cfg);
    let mut f = |th: &[f64; 6]| objective(th, &observed, &crn, pen).2;
    let step = [0.3, 0.3, 0.3, 0.3, 0.5, 0.5].map(|s| s * scale);
    let half = cfg.max_evals / 2;
    let (x1, _, e1) = nelder_mead(&mut f, start.theta(), step, half.max(20), 1e-9);
    let small = step.map(|s| s * 0.3);
    let (x2, _, e2) = nelder_mead(&mut f, x1, small, (cfg.max_evals - e1).max(20), 1e-10);
    let (fi, fe, v) = objective(&x2, &observed, &crn, pen);
    Fit {
        params: Params::from_theta(&x2, fi, fe),
        distance: v,
        evals: e1 + e2 + 1,
    }
}

/// The best fair model (f_i = f_e = 0): only the four clean parameters are searched, from
/// `start`'s. Its distance against [`noise_floor`] says whether any fraud is detectable at all;
/// the fitted model's own clean part is no fair reference, as the fraud terms moved it.
pub fn fit_fair(points: &[(f64, f64)], start: &Params, cfg: &FitConfig) -> Fit {
    let observed = features(points);
    let crn = Crn::new(cfg);
    let base = start.theta();
    let full = |x: &[f64; 4]| [x[0], x[1], x[2], x[3], base[4], base[5]];
    let f = |x: &[f64; 4]| {
        let [c, _, _] = class_features(&full(x), &crn);
        c.iter()
            .zip(&observed)
            .map(|(c, o)| (c - o) * (c - o))
            .sum::<f64>()
    };
    let x0 = [base[0], base[1], base[2], base[3]];
    let (x, v, evals) = nelder_mead(f, x0, [0.1; 4], cfg.max_evals / 2, 1e-10);
    Fit {
        params: Params::from_theta(&full(&x), 0.0, 0.0),
        distance: v,
        evals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falsify_matches_the_model() {
        // T = 0.5, s = 0.6: V = (0.3, 0.2), A = 0.5; x = 0.1, y = 0.2:
        // V'b = 0.3 + 0.05 + 0.04 = 0.39, V'o = 0.16, T' = 0.55.
        let (t, s) = falsify(0.5, 0.6, 0.1, 0.2);
        assert!((t - 0.55).abs() < 1e-12);
        assert!((s - 0.39 / 0.55).abs() < 1e-12);
        assert_eq!(falsify(0.5, 0.6, 0.0, 0.0), (0.5, 0.6));
    }

    #[test]
    fn mixture_solver_recovers_known_weights() {
        // a = c - o where o = 0.7 c + 0.2 i + 0.1 e exactly.
        let c = [0.5, 0.3, 0.2, 0.0];
        let i = [0.1, 0.5, 0.3, 0.1];
        let e = [0.0, 0.0, 0.1, 0.9];
        let o: Vec<f64> = (0..4)
            .map(|k| 0.7 * c[k] + 0.2 * i[k] + 0.1 * e[k])
            .collect();
        let a: Vec<f64> = (0..4).map(|k| c[k] - o[k]).collect();
        let u: Vec<f64> = (0..4).map(|k| i[k] - c[k]).collect();
        let w: Vec<f64> = (0..4).map(|k| e[k] - c[k]).collect();
        let (fi, fe, v) = best_mixture(&a, &u, &w, 0.0);
        assert!((fi - 0.2).abs() < 1e-9 && (fe - 0.1).abs() < 1e-9 && v < 1e-18);
        // The penalty pulls towards 0, by penalty / (2 |u|^2) when only f_i is free.
        let (fi2, _, _) = best_mixture(&a, &u, &w, 1e-3);
        assert!(fi2 < fi && fi - fi2 < 1e-2, "{fi2}");
        // Observed = clean: the corner (0, 0).
        let (fi, fe, _) = best_mixture(&[0.0; 4], &u, &w, 1e-6);
        assert!(fi.abs() < 1e-12 && fe.abs() < 1e-12);
    }

    #[test]
    fn noise_floor_matches_two_independent_samples() {
        // Two samples from the same model: their distance averages the noise floor.
        let p = Params {
            incremental: 0.0,
            extreme: 0.0,
            stuffing_sd: 0.1,
            alpha: 1.0,
            turnout_centre: 0.6,
            turnout_sd: 0.3,
            share_centre: 0.55,
            share_sd: 0.25,
        };
        let (n, m) = (2000, 8000);
        let mut total = 0.0;
        let mut floor = 0.0;
        let reps = 20;
        for r in 0..reps {
            let a = simulate(&p, n, 100 + r);
            let b = simulate(&p, m, 900 + r);
            let (fa, fb) = (features(&a), features(&b));
            total += fa
                .iter()
                .zip(&fb)
                .map(|(x, y)| (x - y).powi(2))
                .sum::<f64>();
            floor += noise_floor(&a, m);
        }
        let ratio = total / floor;
        // The distance of one pair is a sum of ~hundreds of squared terms: its sd is a few
        // percent of its mean, so 20 pairs average within ~2%; allow 10%.
        assert!((ratio - 1.0).abs() < 0.1, "{ratio}");
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let (x, v, _) = nelder_mead(
            |x: &[f64; 2]| (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2),
            [0.0, 0.0],
            [0.5, 0.5],
            2000,
            1e-14,
        );
        assert!((x[0] - 1.0).abs() < 1e-4 && (x[1] + 2.0).abs() < 1e-4 && v < 1e-8);
    }

    #[test]
    fn theta_round_trips() {
        let p = Params {
            incremental: 0.0,
            extreme: 0.0,
            stuffing_sd: 0.1,
            alpha: 1.5,
            turnout_centre: 0.6,
            turnout_sd: 0.3,
            share_centre: 0.55,
            share_sd: 0.2,
        };
        let q = Params::from_theta(&p.theta(), 0.0, 0.0);
        for (a, b) in p.to_array().iter().zip(q.to_array()) {
            assert!((a - b).abs() < 1e-9, "{p:?} {q:?}");
        }
    }
}
