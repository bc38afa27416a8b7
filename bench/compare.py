#!/usr/bin/python3
"""Compare two builds of libgmm on the benchmark cases, interleaved.

A change that must not slow the kernels (a refactor, say) is measured by
running the old and the new `bench_fit` alternately, run for run, so that
a spell of load on this shared machine falls on both alike, and comparing
medians. Every run is one `bench_fit` process (itself the median of fits
repeated until 0.2 s: bench_common.h); each cell is the median of
--repeats such runs, for each variant of threads and dtype.

Usage: compare.py OLD_BUILD NEW_BUILD DATA_DIR [--cases a,b] [--repeats N]
                  [--variants 2:float64,1:float64,2:float32,1:float32]
                  [--out FILE]
Each BUILD holds a `bench_fit` (run.sh builds one into build-bench; build
the old one from its sources the same way). Data are made as run.py makes
them (gen_data.py). Prints one line per cell: the old and new medians
(wall and CPU seconds per iteration), new / old, and each side's spread
(max / min of its runs), which is the noise a ratio must beat.
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
from cases import CASES, case_files  # noqa: E402


def run(build, data, init, iters, threads, dtype, out, env):
    cmd = [os.path.join(build, "bench_fit"), data, init, str(iters),
           str(threads), out, dtype]
    fields = subprocess.run(cmd, env=env, capture_output=True, text=True,
                            check=True).stdout.split()
    return float(fields[0]), float(fields[2]), float(fields[3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("data")
    ap.add_argument("--cases", default="")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--variants", default="2:float64,1:float64,2:float32,1:float32")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    cases = [c for c in CASES if not args.cases or c[0] in args.cases.split(",")]
    variants = [(int(t), dtype) for t, dtype in
                (v.split(":") for v in args.variants.split(","))]
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="1")
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "old": args.old, "new": args.new, "repeats": args.repeats,
              "loadavg_start": os.getloadavg(), "cells": []}
    for name, _n, _d, _k, _cov, iters in cases:
        data, init = case_files(args.data, name)
        for threads, dtype in variants:
            got = {"old": [], "new": []}
            bounds = {"old": set(), "new": set()}
            for _ in range(args.repeats):
                for side in ("old", "new"):
                    out = os.path.join(args.data, "%s.compare.%s.json" % (name, side))
                    wall, cpu, bound = run(getattr(args, side), data, init, iters,
                                           threads, dtype, out, env)
                    got[side].append((wall, cpu))
                    bounds[side].add(bound)
            cell = {"case": name, "threads": threads, "dtype": dtype}
            for side in ("old", "new"):
                walls = [w for w, _ in got[side]]
                cpus = [c for _, c in got[side]]
                cell[side] = {"wall": statistics.median(walls),
                              "cpu": statistics.median(cpus),
                              "spread": max(walls) / min(walls), "runs": walls}
            cell["ratio_wall"] = cell["new"]["wall"] / cell["old"]["wall"]
            cell["ratio_cpu"] = cell["new"]["cpu"] / cell["old"]["cpu"]
            cell["same_lower_bound"] = bounds["old"] == bounds["new"]
            report["cells"].append(cell)
            print("%-22s %d %-7s old %.4g new %.4g s/iter  new/old %.3f wall "
                  "%.3f cpu  spread %.2f/%.2f%s" %
                  (name, threads, dtype, cell["old"]["wall"], cell["new"]["wall"],
                   cell["ratio_wall"], cell["ratio_cpu"], cell["old"]["spread"],
                   cell["new"]["spread"],
                   "" if cell["same_lower_bound"] else "  LOWER BOUNDS DIFFER"),
                  flush=True)
    report["loadavg_end"] = os.getloadavg()
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
