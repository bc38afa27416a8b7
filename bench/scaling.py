#!/usr/bin/python3
"""Cost growth (issue #15): time per EM iteration and peak memory of libgmm
and of scikit-learn's GaussianMixture as N, K and D grow, one axis at a
time from a base point (N=1e5, K=16, D=16; full covariance, float64, 2
threads), with the fitted exponent of each axis.

Data: gen_data.synthetic (16 true components, seed 12345), written once per
cell as .npy to a folder in /tmp and deleted after the cell; the start:
gen_data.initial (K data rows as means, the data's covariance for every
component, equal weights), the same for every run of the cell.

Time per iteration by difference (as by_difference.py): every cell fits FEW
and MANY iterations (tol 0, so exactly those), run for run interleaved,
and (median time of MANY - median time of FEW) / (MANY - FEW) is the cost
of an iteration; what is left of the FEW fit is the fixed cost.
  ours: the whole `gmm fit DATA.npy --init-model INIT --tol 0 --max-iter M
        --threads 2` process, wall clock (its loading, finiteness check and
        model writing cancel in the difference);
  scikit-learn: peer_sklearn.py (weights_init, means_init, precisions_init
        from the same start, random_state 0), which times GaussianMixture.fit
        alone, repeating it up to 0.2 s and taking the median.
Peak RSS: /usr/bin/time's maximum resident set of the MANY run, the whole
process (ours ~5 MiB of baseline, scikit-learn's Python ~105 MiB).
Environment: as run.py (OMP_NUM_THREADS=2; OPENBLAS_NUM_THREADS=1 for ours,
2 for scikit-learn; OPENBLAS_CORETYPE left as found).

Budgets: before a cell, each implementation's MANY-iteration wall time is
predicted from the previous point of the axis, grown by the larger of the
exponent fitted from its last two points and a floor (N: 1, K: 1, D: 2);
over --sk-budget (scikit-learn) or --ours-budget seconds, or a predicted
peak RSS over 80% of MemAvailable, the cell is skipped and recorded as
"skipped: would take ~X s"; later points of that axis are predicted from
the prediction, so they are skipped too.

Usage: flock -x /tmp/libgmm-cpu.lock bench/scaling.py [--axes n,k,d]
           [--ns 1e5,3e5,1e6,3e6,1e7] [--ks 8,32,128,512,1024]
           [--ds 2,8,32,128,256] [--base-n 1e5] [--base-k 16] [--base-d 16]
           [--scale 1] [--few 1] [--many 4] [--repeats 3]
           [--sk-budget 120] [--ours-budget 600] [--gmm build/gmm]
           [--out bench/results_scaling.json]
--scale multiplies every N (the base N too), e.g. 0.01 for a smoke test.
Run it under flock -x /tmp/libgmm-cpu.lock.
Prints a markdown table per axis and the fitted exponents; the raw numbers
go to --out as JSON.
"""
import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_data  # noqa: E402
from run import timed  # noqa: E402

THREADS = 2
TRUE_COMPONENTS = 16
# Growth assumed at the least when predicting a cell's cost: process start
# and imports make small cells' measured growth flatter than the work's.
FLOOR = {"n": 1.0, "k": 1.0, "d": 2.0}
# Peak-RSS growth assumed from a single point (the data grows with N and D).
RSS_GROWTH = {"n": 1.0, "k": 0.5, "d": 1.0}


def slope(xs, ys):
    """Least-squares slope of log y on log x over the positive points (None
    with fewer than two)."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else None


def machine():
    def sh(cmd):
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    model = next((l.split(":", 1)[1].strip() for l in sh(["lscpu"]).splitlines()
                  if l.startswith("Model name")), "?")
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
    repo = os.path.dirname(HERE)
    return {"cpu": model, "avx2": "avx2" in flags, "avx512f": "avx512f" in flags,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
            "OMP_NUM_THREADS_inherited": os.environ.get("OMP_NUM_THREADS", "(unset)"),
            "OMP_NUM_THREADS": str(THREADS),
            "commit": sh(["git", "-C", repo, "rev-parse", "HEAD"]),
            # The build may hold edits not yet committed.
            "uncommitted": sh(["git", "-C", repo, "status", "--porcelain",
                               "--untracked-files=no"]).splitlines()}


def mem_available_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024.0
    return float("inf")


def commands(gmm, data, init, k, folder):
    """(label, env, iterations -> command) of ours and scikit-learn."""
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), OPENBLAS_NUM_THREADS="1")
    model = os.path.join(folder, "model.json")
    return [
        ("ours", env, lambda it: [gmm, "fit", data, "-k", str(k), "--init-model", init,
                                  "--tol", "0", "--max-iter", str(it),
                                  "--threads", str(THREADS), "-o", model]),
        ("scikit-learn", dict(env, OPENBLAS_NUM_THREADS=str(THREADS)),
         lambda it: ["/usr/bin/python3", os.path.join(HERE, "peer_sklearn.py"),
                     data, init, str(it), model]),
    ]


def run_once(label, env, cmd, it, folder):
    """(fit seconds, whole-process wall seconds, peak RSS MiB) of one run."""
    start = time.perf_counter()
    out, rss = timed(cmd, env)
    wall = time.perf_counter() - start
    if label == "ours":
        with open(os.path.join(folder, "model.json")) as f:
            n_iter, seconds = json.load(f)["n_iter"], wall
    else:
        per_iter, n_iter = out.split()[:2]
        n_iter = int(n_iter)
        seconds = float(per_iter) * n_iter
    if n_iter != it:
        raise RuntimeError("%s ran %d of %d iterations" % (label, n_iter, it))
    return seconds, wall, rss


def predict(history, value, axis):
    """(MANY-run wall seconds, peak RSS MiB) predicted at value from the
    axis' earlier points (measured or predicted) of one implementation."""
    if not history:
        return 0.0, 0.0
    v0, w0, r0 = history[-1]["value"], history[-1]["wall"], history[-1]["rss"]
    floor = grow = FLOOR[axis]
    rss_grow = RSS_GROWTH[axis]
    if len(history) >= 2:
        last = history[-2:]
        s = slope([h["value"] for h in last], [h["per_iteration"] for h in last])
        grow = max(floor, s or floor)
        rss_grow = slope([h["value"] for h in last], [h["rss"] for h in last]) or 1.0
    return w0 * (value / v0) ** grow, r0 * (value / v0) ** rss_grow


def cell(args, n, k, d, history):
    """Measure one point of an axis for both implementations."""
    budgets = {"ours": args.ours_budget, "scikit-learn": args.sk_budget}
    row = {"n": n, "k": k, "d": d, "data_mib": n * d * 8 / 2**20}
    value = {"n": n, "k": k, "d": d}
    todo = []
    for label in budgets:
        wall, rss = predict(history[label], value[args.axis], args.axis)
        if n < k:
            row[label] = {"skipped": "N < K: no start of K distinct rows"}
        elif wall > budgets[label] or rss > 0.8 * mem_available_mib():
            row[label] = {"skipped": ("would take ~%.0f s" % wall) if wall > budgets[label]
                          else "would need ~%.0f MiB" % rss,
                          "predicted_wall": wall, "predicted_rss_mib": rss}
            history[label].append({"value": value[args.axis], "wall": wall, "rss": rss,
                                   "per_iteration": history[label][-1]["per_iteration"]
                                   * (wall / history[label][-1]["wall"])})
        else:
            todo.append(label)
    if not todo:
        return row
    folder = tempfile.mkdtemp(prefix="libgmm-scaling-", dir="/tmp")
    try:
        data, init = os.path.join(folder, "data.npy"), os.path.join(folder, "init.json")
        X = np.ascontiguousarray(gen_data.synthetic(12345, n, d, TRUE_COMPONENTS))
        np.save(data, X)
        with open(init, "w") as f:
            json.dump(gen_data.initial(X, k, "full", 12345), f)
        del X
        os.sync()  # the data's writeback must not fall on the first timed run
        impls = [c for c in commands(args.gmm, data, init, k, folder) if c[0] in todo]
        runs = {(label, it): [] for label in todo for it in (args.few, args.many)}
        for _ in range(args.repeats):
            for label, env, cmd in impls:
                for it in (args.few, args.many):
                    runs[(label, it)].append(run_once(label, env, cmd(it), it, folder))
    finally:
        shutil.rmtree(folder)
    for label in todo:
        few = statistics.median(r[0] for r in runs[(label, args.few)])
        many = statistics.median(r[0] for r in runs[(label, args.many)])
        per_iter = (many - few) / (args.many - args.few)
        got = {"per_iteration": per_iter, "fixed": few - args.few * per_iter,
               "few_seconds": few, "many_seconds": many,
               "many_wall": statistics.median(r[1] for r in runs[(label, args.many)]),
               "peak_rss_mib": statistics.median(r[2] for r in runs[(label, args.many)]),
               "runs": {str(it): runs[(label, it)] for it in (args.few, args.many)}}
        row[label] = got
        history[label].append({"value": value[args.axis], "wall": got["many_wall"],
                               "rss": got["peak_rss_mib"], "per_iteration": per_iter})
    return row


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def report(axis, rows):
    print("\n### %s axis (%s)\n" % (axis.upper(), ", ".join(
        "%s=%g" % (a.upper(), rows[0][a]) for a in "nkd" if a != axis)))
    print("| %s | ours s/iter | ours peak RSS MiB | data MiB | scikit-learn s/iter"
          " | its peak RSS MiB | ratio sk/ours |" % axis.upper())
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        o, s = r["ours"], r["scikit-learn"]
        ratio = (s["per_iteration"] / o["per_iteration"]
                 if min(o.get("per_iteration", 0), s.get("per_iteration", 0)) > 0 else None)
        sk = (s["skipped"], "") if "skipped" in s else (
            fmt(s["per_iteration"], ".4g"), fmt(s["peak_rss_mib"], ".0f"))
        ours = (o["skipped"], "") if "skipped" in o else (
            fmt(o["per_iteration"], ".4g"), fmt(o["peak_rss_mib"], ".0f"))
        print("| %g | %s | %s | %.1f | %s | %s | %s |" % (
            r[axis], ours[0], ours[1], r["data_mib"], sk[0], sk[1], fmt(ratio, ".1f")))
    fits = {}
    for label in ("ours", "scikit-learn"):
        done = [r for r in rows if "per_iteration" in r[label]]
        # A by-difference time at or below 0 (noise on a tiny cell) has no log.
        timed_ = [r for r in done if r[label]["per_iteration"] > 0]
        fits[label] = {"time": slope([r[axis] for r in timed_],
                                     [r[label]["per_iteration"] for r in timed_]),
                       "rss": slope([r[axis] for r in done],
                                    [r[label]["peak_rss_mib"] for r in done]),
                       "time_points": [r[axis] for r in timed_],
                       "rss_points": [r[axis] for r in done]}
        print("\n%s: time per iteration ~ %s^%s (over %s), peak RSS ~ %s^%s (over %s)" % (
            label, axis.upper(), fmt(fits[label]["time"], ".2f"),
            ", ".join("%g" % x for x in fits[label]["time_points"]) or "no points",
            axis.upper(), fmt(fits[label]["rss"], ".2f"),
            ", ".join("%g" % x for x in fits[label]["rss_points"]) or "no points"))
    sys.stdout.flush()
    return fits


def main():
    def floats(s):
        return [float(v) for v in s.split(",") if v]
    ap = argparse.ArgumentParser()
    ap.add_argument("--axes", default="n,k,d")
    ap.add_argument("--ns", type=floats, default=floats("1e5,3e5,1e6,3e6,1e7"))
    ap.add_argument("--ks", type=floats, default=floats("8,32,128,512,1024"))
    ap.add_argument("--ds", type=floats, default=floats("2,8,32,128,256"))
    ap.add_argument("--base-n", type=float, default=1e5)
    ap.add_argument("--base-k", type=int, default=16)
    ap.add_argument("--base-d", type=int, default=16)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--few", type=int, default=1)
    ap.add_argument("--many", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sk-budget", type=float, default=120.0)
    ap.add_argument("--ours-budget", type=float, default=600.0)
    ap.add_argument("--gmm", default=os.path.join(HERE, "..", "build", "gmm"))
    ap.add_argument("--out", default=os.path.join(HERE, "results_scaling.json"))
    args = ap.parse_args()
    results = dict(machine(), date=datetime.datetime.now().isoformat(timespec="seconds"),
                   loadavg_before=os.getloadavg(), few=args.few, many=args.many,
                   repeats=args.repeats, scale=args.scale, threads=THREADS,
                   covariance="full", dtype="float64",
                   gmm_mtime=time.ctime(os.path.getmtime(args.gmm)), axes={})
    print("%s; %s, avx2 %s, avx512f %s; commit %s%s; load %s" % (
        results["date"], results["cpu"], results["avx2"], results["avx512f"],
        results["commit"][:7], " (uncommitted changes)" if results["uncommitted"] else "",
        " ".join("%.2f" % l for l in results["loadavg_before"])), flush=True)
    lists = {"n": args.ns, "k": args.ks, "d": args.ds}
    for axis in args.axes.split(","):
        args.axis = axis
        history = {"ours": [], "scikit-learn": []}
        rows = []
        for v in sorted(lists[axis]):
            point = {"n": args.base_n, "k": args.base_k, "d": args.base_d, axis: v}
            n = max(1, int(round(point["n"] * args.scale)))
            rows.append(cell(args, n, int(point["k"]), int(point["d"]), history))
            print("  N=%d K=%d D=%d done %s" % (n, point["k"], point["d"],
                  time.strftime("%H:%M:%S")), file=sys.stderr, flush=True)
        results["axes"][axis] = {"rows": rows, "exponents": report(axis, rows)}
        with open(args.out, "w") as f:  # partial results survive a stopped run
            json.dump(results, f, indent=1)
    results["loadavg_after"] = os.getloadavg()
    print("\nload average before %s, after %s" % tuple(
        " ".join("%.2f" % l for l in results[k]) for k in ("loadavg_before", "loadavg_after")))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
