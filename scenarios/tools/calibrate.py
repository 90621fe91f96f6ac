#!/usr/bin/env python3
"""A small, slow, stdlib-only re-implementation of seatsim's model (MODEL.md steps 1-5,
rerun, official-baseline inversion) used to calibrate the shipped scenario tables before
the engine existed, and to cross-check it afterwards.

    python3 scenarios/tools/calibrate.py scenarios/azerbaijan-2005.toml [-n 4000] [--set rerun.all=true]

Prints the median (and mean) seats per party and bloc for the no-rerun and rerun
outcomes, the seats without fraud, and mean turnouts. Its random numbers are NOT the
engine's (Python's Mersenne Twister, not ChaCha8), so figures agree with seatsim only up
to Monte Carlo error. Not a substitute for the engine; recounts, validity.min_turnout,
turnout marginals and rerun rules are not implemented (the shipped scenarios do not use
them, except where noted).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import statistics
import sys
import tomllib


def logit(p):
    return math.log(p / (1 - p))


def logistic(x):
    return 1 / (1 + math.exp(-x))


def tn(rng, mean, sd):
    if sd == 0:
        return mean
    while True:
        v = rng.gauss(mean, sd)
        if 0 <= v <= 1:
            return v


def load(path, overrides):
    with open(path, "rb") as f:
        sc = tomllib.load(f)
    for o in overrides:
        key, val = o.split("=", 1)
        cur = sc
        parts = key.split(".")
        for k in parts[:-1]:
            cur = cur.setdefault(k, {})
        cur[parts[-1]] = tomllib.loads(f"v = {val}")["v"]
    table = os.path.join(os.path.dirname(path), sc["districts"])
    ids = [p["id"] for p in sc["party"]]
    rows = []
    with open(table, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines):
        vals = [float(r[p]) if r[p].strip() else 0.0 for p in ids]
        tot = sum(vals)
        rows.append({
            "id": r["district"].strip(), "region": r.get("region", ""), "n": float(r["electorate"]),
            "t": float(r["turnout"]), "s": [v / tot for v in vals],
            "fi": float(r["fraud_incremental"]) if (r.get("fraud_incremental") or "").strip() else None,
            "fe": float(r["fraud_extreme"]) if (r.get("fraud_extreme") or "").strip() else None,
        })
    return sc, ids, rows


class Fraud:
    def __init__(self, cfg, ids, inherit=None):
        base = inherit.__dict__ if inherit else {}
        b = cfg.get("beneficiary")
        self.b = ids.index(b) if b else base.get("b")
        self.fi = cfg.get("incremental", 0.0)
        self.fe = cfg.get("extreme", 0.0)
        g = lambda k, d: cfg.get(k, base.get(k, d))
        self.stuffing_mean, self.stuffing_sd = g("stuffing_mean", 0.0), g("stuffing_sd", 0.0)
        self.stealing_mean, self.stealing_sd = g("stealing_mean", 0.0), g("stealing_sd", 0.0)
        self.extreme_mean, self.extreme_sd = g("extreme_mean", 1.0), g("extreme_sd", 0.075)
        self.alpha = g("alpha", None)

    def draw(self, rng, fi=None, fe=None):
        fi = self.fi if fi is None else fi
        fe = self.fe if fe is None else fe
        if fi == 0 and fe == 0:
            return "clean", 0.0, 0.0
        u = rng.random()
        if u < fe:
            x = tn(rng, self.extreme_mean, self.extreme_sd)
            return "extreme", x, x
        if u < fe + fi:
            x = tn(rng, self.stuffing_mean, self.stuffing_sd)
            y = x ** self.alpha if self.alpha else tn(rng, self.stealing_mean, self.stealing_sd)
            return "incremental", x, y
        return "clean", 0.0, 0.0


def official(v, abstain, b, x, y):
    others = sum(val for p, val in enumerate(v) if p != b)
    return [val + x * abstain + y * others if p == b else (1 - y) * val for p, val in enumerate(v)]


def winner(v, standing):
    best, bv = None, -1.0
    for p, val in enumerate(v):
        if standing[p] and val > bv:
            best, bv = p, val
    return best


def sds(cfg, ids):
    out = []
    for p in ids:
        o = cfg.get("party", {}).get(p, {})
        out.append(tuple(o.get(k, cfg.get(k, 0.0)) for k in ("national_sd", "regional_sd", "district_sd")))
    return out


def run(sc, ids, rows, iters, seed):
    rng = random.Random(seed)
    P = len(ids)
    regions = sorted({r["region"] for r in rows})
    unc = sds(sc.get("uncertainty", {}), ids)
    tcfg = sc.get("turnout", {})
    fraud = Fraud(sc.get("fraud", {}), ids)
    rr = sc.get("rerun", {})
    rfraud = Fraud(rr.get("fraud", {}), ids, inherit=fraud)
    runc = sds(rr.get("uncertainty", {}), ids)
    rt = rr.get("turnout", {})
    forced = set(str(d) for d in rr.get("districts", [])) if not rr.get("all") else {r["id"] for r in rows}
    annul = rr.get("annul", {})
    boycott = set(rr.get("boycott", []))
    b = fraud.b
    official_baseline = sc.get("baseline", "intention") == "official"
    seats_nr, seats_rr, seats_clean, turn_off, turn_true, infeasible = [], [], [], [], [], 0
    for _ in range(iters):
        nat = [rng.gauss(0, u[0]) if u[0] else 0.0 for u in unc]
        reg = {g: [rng.gauss(0, u[1]) if u[1] else 0.0 for u in unc] for g in regions}
        tn_nat = rng.gauss(0, tcfg.get("national_sd", 0.0)) if tcfg.get("national_sd") else 0.0
        tn_reg = {g: (rng.gauss(0, tcfg.get("regional_sd", 0.0)) if tcfg.get("regional_sd") else 0.0) for g in regions}
        rnat = [rng.gauss(0, u[0]) if u[0] else 0.0 for u in runc]
        rreg = {g: [rng.gauss(0, u[1]) if u[1] else 0.0 for u in runc] for g in regions}
        nr = [0] * P
        rrs = [0] * P
        cl = [0] * P
        vo_tot = vt_tot = n_tot = 0.0
        for d in rows:
            standing = [s > 0 for s in d["s"]]
            n = d["n"]
            if official_baseline:
                # the table is the official result; recover the clean vote per iteration
                cls, x, y = fraud.draw(rng, d["fi"], d["fe"])
                t_off = d["t"]
                t = (t_off - x) / (1 - x) if x < 1 else 0.0
                v_off = [n * t_off * s for s in d["s"]]
                v = [val / (1 - y) if p != b else 0.0 for p, val in enumerate(v_off)]
                others = sum(val for p, val in enumerate(v) if p != b)
                bad = t < 0
                t = max(t, 0.0)
                vb = v_off[b] - x * n * (1 - t) - y * others
                if vb < 0 or bad:
                    infeasible += 1
                v[b] = max(vb, 0.0)
                w_nr = winner(v_off, standing)
                w_clean = winner(v, standing)
                tot = sum(v)
                share = [val / tot if tot > 0 else d["s"][p] for p, val in enumerate(v)]
                t0 = t
                eta = [math.log(s) if s > 0 else None for s in share]
                vo_tot += n * t_off
                vt_tot += n * t
            else:
                eta = []
                for p, s in enumerate(d["s"]):
                    eta.append(math.log(s) + nat[p] + reg[d["region"]][p] + (rng.gauss(0, unc[p][2]) if unc[p][2] else 0.0) if s > 0 else None)
                m = max(e for e in eta if e is not None)
                ex = [math.exp(e - m) if e is not None else 0.0 for e in eta]
                z = sum(ex)
                share = [e / z for e in ex]
                t0 = d["t"]
                c = min(max(t0 + tcfg.get("shift_pp", 0.0) / 100, 0.01), 0.99)
                noise = tn_nat + tn_reg[d["region"]] + (rng.gauss(0, tcfg.get("district_sd", 0.0)) if tcfg.get("district_sd") else 0.0)
                t = logistic(logit(c) + noise) if noise else c
                v = [n * t * s for s in share]
                cls, x, y = fraud.draw(rng, d["fi"], d["fe"])
                vo = official(v, n * (1 - t), b, x, y) if b is not None else v
                w_nr = winner(vo, standing)
                w_clean = winner(v, standing)
                vo_tot += n * (t + x * (1 - t))
                vt_tot += n * t
                eta_true = eta
            n_tot += n
            nr[w_nr] += 1
            cl[w_clean] += 1
            p_annul = annul.get(cls, 0.0)
            if d["id"] in forced or (p_annul and rng.random() < p_annul):
                if official_baseline:
                    eta_true = eta
                e2 = [None if e is None else e + rnat[p] + rreg[d["region"]][p]
                      + (rng.gauss(0, runc[p][2]) if runc[p][2] else 0.0) for p, e in enumerate(eta_true)]
                m = max(e for e in e2 if e is not None)
                ex = [math.exp(e - m) if e is not None else 0.0 for e in e2]
                z = sum(ex)
                # boycotting parties do not stand: their supporters abstain
                sh2 = [0.0 if ids[p] in boycott else e / z for p, e in enumerate(ex)]
                c = min(max(t0 + rt.get("shift_pp", 0.0) / 100, 0.01), 0.99)
                nz = sum(rng.gauss(0, rt.get(k, 0.0)) if rt.get(k) else 0.0 for k in ("national_sd", "regional_sd", "district_sd"))
                t2 = logistic(logit(c) + nz) if nz else c
                v2 = [n * t2 * s for s in sh2]
                c2, x2, y2 = rfraud.draw(rng)
                v2o = official(v2, n * (1 - t2), b, x2, y2) if rfraud.b is not None else v2
                st2 = [standing[p] and ids[p] not in boycott for p in range(P)]
                rrs[winner(v2o, st2)] += 1
            else:
                rrs[w_nr] += 1
        seats_nr.append(nr)
        seats_rr.append(rrs)
        seats_clean.append(cl)
        turn_off.append(vo_tot / n_tot)
        turn_true.append(vt_tot / n_tot)
    return seats_nr, seats_rr, seats_clean, turn_off, turn_true, infeasible / (iters * len(rows))


def summarise(name, seats, ids, blocs):
    print(f"  {name}:")
    cols = list(zip(*seats))
    line = "    party " + "  ".join(f"{ids[p]} {statistics.median(cols[p]):g} ({statistics.fmean(cols[p]):.1f})" for p in range(len(ids)))
    print(line)
    n = sum(seats[0])
    maj = n // 2 + 1
    print(f"    P(majority >= {maj}) " + "  ".join(
        f"{ids[p]} {sum(1 for v in cols[p] if v >= maj) / len(cols[p]):.3f}" for p in range(len(ids))))
    bl = {}
    for p, bn in enumerate(blocs):
        bl.setdefault(bn, []).append(p)
    print("    bloc  " + "  ".join(
        f"{bn} {statistics.median([sum(s[p] for p in ps) for s in seats]):g}" for bn, ps in bl.items()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("-n", "--iterations", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--set", action="append", default=[])
    a = ap.parse_args()
    sc, ids, rows = load(a.scenario, a.set)
    blocs = [p.get("bloc", p["id"]) for p in sc["party"]]
    nr, rr, cl, to, tt, inf = run(sc, ids, rows, a.iterations, a.seed)
    print(f"{a.scenario}: {a.iterations} iterations (python MC), median (mean) seats")
    summarise("no_rerun", nr, ids, blocs)
    summarise("rerun", rr, ids, blocs)
    summarise("without fraud (true votes)", cl, ids, blocs)
    print(f"  mean official turnout {statistics.fmean(to):.4f}, mean true turnout {statistics.fmean(tt):.4f}"
          + (f", infeasible draws {inf:.3%}" if sc.get("baseline") == "official" else ""))


if __name__ == "__main__":
    sys.exit(main())
