#!/usr/bin/python3
"""Time per EM iteration by difference, for implementations whose fit has a
fixed cost beside its iterations.

run.py divides each fit's time by its iterations, which charges a fit's
fixed cost to them: scikit-learn's fit, even from given initial parameters,
runs an initialisation pass (about an M-step) and a last E-step, ~1.4
iterations' worth on the 1M x 16 full case, so that on a 3-iteration case
its "per iteration" time is ~1.5x its cost per iteration proper. Here each
implementation fits the case with FEW and with MANY iterations, run for run
interleaved, and its cost per iteration is

    (time of the MANY-iteration fit - time of the FEW-iteration fit) / (MANY - FEW)

and its fixed cost what is left of the FEW-iteration fit. Both fits start
from the case's initial parameters, with tol 0.

Usage: by_difference.py BUILD_DIR DATA_DIR --cases a,b [--only x,y]
                        [--few 1] [--many 4] [--repeats 3] [--out FILE]
Prints one line per (case, implementation) and writes the raw numbers as
JSON (default bench/results_by_difference.json).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import by_name  # noqa: E402
from run import implementations  # noqa: E402


def fit_seconds(cmd, env):
    """Whole-fit seconds (per-iteration time x iterations run) of one run."""
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    per_iter, n_iter = out.stdout.split()[:2]
    return float(per_iter) * int(n_iter), int(n_iter)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("data")
    ap.add_argument("--cases", required=True)
    ap.add_argument("--only", default="ours,scikit-learn")
    ap.add_argument("--few", type=int, default=1)
    ap.add_argument("--many", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(HERE, "results_by_difference.json"))
    args = ap.parse_args()
    only = args.only.split(",")
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="1")
    results = {"date": datetime.datetime.now().isoformat(timespec="minutes"),
               "load_start": os.getloadavg()[0], "few": args.few,
               "many": args.many, "cells": []}
    for name in args.cases.split(","):
        case = by_name(name)
        cov = case[4]
        data = os.path.join(args.data, name + ".npy")
        init = os.path.join(args.data, name + ".init.json")
        impls = [(label, build) for label, build in implementations(args.build, cov)
                 if label in only]
        times = {(label, it): [] for label, _ in impls for it in (args.few, args.many)}
        for _ in range(args.repeats):
            for label, build in impls:
                for it in (args.few, args.many):
                    e = dict(env)
                    if label == "scikit-learn":
                        e["OPENBLAS_NUM_THREADS"] = "2"
                    seconds, n_iter = fit_seconds(
                        build(data, init, it, "/tmp/by_difference_model.json"), e)
                    if n_iter != it:
                        raise RuntimeError("%s ran %d of %d iterations on %s"
                                           % (label, n_iter, it, name))
                    times[(label, it)].append(seconds)
        for label, _ in impls:
            few = statistics.median(times[(label, args.few)])
            many = statistics.median(times[(label, args.many)])
            per_iter = (many - few) / (args.many - args.few)
            fixed = few - args.few * per_iter
            charged = many / args.many
            cell = {"case": name, "implementation": label, "few_seconds": few,
                    "many_seconds": many, "per_iteration": per_iter,
                    "fixed": fixed, "charged_per_iteration": charged,
                    "runs": {str(k[1]): v for k, v in times.items() if k[0] == label}}
            results["cells"].append(cell)
            print("%-22s %-14s per iteration %.4g s (charged %.4g), fixed %.3g s"
                  " = %.2f iterations" % (name, label, per_iter, charged, fixed,
                                          fixed / per_iter if per_iter > 0 else 0))
            sys.stdout.flush()
    results["load_end"] = os.getloadavg()[0]
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
