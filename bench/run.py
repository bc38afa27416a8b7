#!/usr/bin/python3
"""Run the benchmark suite and write the table (called by run.sh, which
builds everything first).

For each case and implementation: REPEATS runs under /usr/bin/time -v;
time per iteration is the median over runs of each run's own fit-alone
timing (itself the median over fits repeated until 0.2 s, so that tiny
cases are not one noisy millisecond: bench_common.h, the same in every
program), peak memory the median of the runs' maximum resident set sizes;
the final mean log-likelihood comes from the one evaluator (eval_ll.py) on
the last run's parameters. GFLOP/s counts the flops of flop_count() below.

Usage: run.py BUILD_DIR DATA_DIR [--quick] [--repeats N] [--cases a,b] [--only x,y]
                 [--interleave] [--out FILE]

Each program prints seconds per iteration, the iterations it really ran
(n_iter, recorded per cell: Armadillo and VLFeat can stop early) and CPU
seconds per iteration; table.py flags a cell whose n_iter is below the
case's iterations.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import CASES, QUICK, case_files  # noqa: E402
from eval_ll import mean_log_likelihood  # noqa: E402

THREADS = 2
# Implementations run only when named in --only.
ON_REQUEST = ("armadillo-1thread",)


def flop_count(n, d, k, cov):
    """Flops of one EM iteration, counted as the minimal algorithm does them
    (a multiply-add is 2 flops; exp/log and the O(K D^3) M-step not counted).
    Per row and component:
      full, tied: E-step centre D, triangular product y U D(D+1), squared
                  norm 2D; M-step weight r*y D, first moment D, upper
                  triangle of r y y^T D(D+1)           -> 2D(D+1) + 5D
      diag:       E-step (x-mu) D, *scale D, square-add 2D; M-step y D,
                  r*y D, sum D, r*y*y 2D               -> 9D
      spherical:  E-step (x-mu) D, square-add 2D; M-step y D, sum of
                  squares 2D, r*y and sum 2D            -> 8D"""
    per = {"full": 2 * d * (d + 1) + 5 * d, "tied": 2 * d * (d + 1) + 5 * d,
           "diag": 9 * d, "spherical": 8 * d}[cov]
    return float(n) * k * per


def timed(cmd, env):
    """Run cmd under /usr/bin/time -v; return (stdout, peak RSS in MiB)."""
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), proc.stderr))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                        proc.stderr).group(1))
    return proc.stdout.strip(), rss / 1024.0


def implementations(build, cov):
    """(label, command builder) for every implementation supporting cov.

    Environment: OMP_NUM_THREADS=2 for all. Ours, Armadillo and VLFeat
    parallelise with OpenMP themselves, so their BLAS runs single-threaded
    (OPENBLAS_NUM_THREADS=1: nested BLAS threads would only oversubscribe
    the 2 cores); scikit-learn's parallelism is OpenBLAS's, so it gets
    OPENBLAS_NUM_THREADS=2. OPENBLAS_CORETYPE is left as found, for all."""
    out = [
        ("ours", lambda data, init, it, res: [
            os.path.join(build, "bench_fit"), data, init, str(it), str(THREADS), res]),
        ("ours-1thread", lambda data, init, it, res: [
            os.path.join(build, "bench_fit"), data, init, str(it), "1", res]),
        ("ours-float32", lambda data, init, it, res: [
            os.path.join(build, "bench_fit"), data, init, str(it), str(THREADS), res,
            "float32"]),
        ("ours-float32-1thread", lambda data, init, it, res: [
            os.path.join(build, "bench_fit"), data, init, str(it), "1", res, "float32"]),
        ("scikit-learn", lambda data, init, it, res: [
            "/usr/bin/python3", os.path.join(HERE, "peer_sklearn.py"), data, init,
            str(it), res]),
    ]
    if cov in ("full", "diag"):
        out.append(("armadillo", lambda data, init, it, res: [
            os.path.join(build, "peer_armadillo"), data, init, str(it), res]))
        # Armadillo with one OpenMP thread, against ours-1thread where the
        # load of this shared machine makes 2-thread barriers wait; run only
        # when named in --only.
        out.append(("armadillo-1thread", lambda data, init, it, res: [
            "/usr/bin/env", "OMP_NUM_THREADS=1", os.path.join(build, "peer_armadillo"),
            data, init, str(it), res]))
    if cov == "diag":
        out.append(("vlfeat", lambda data, init, it, res: [
            os.path.join(build, "peer_vlfeat"), data, init, str(it), str(THREADS), res]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("data")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cases", default="")
    ap.add_argument("--only", default="", help="comma-separated implementations")
    ap.add_argument("--interleave", action="store_true",
                    help="alternate the implementations run by run instead of "
                         "running one implementation's repeats back to back")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    args = ap.parse_args()

    cases = QUICK if args.quick else CASES
    if args.cases:
        wanted = args.cases.split(",")
        cases = [c for c in CASES + QUICK if c[0] in wanted]
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), OPENBLAS_NUM_THREADS="1")
    blas_env = dict(env, OPENBLAS_NUM_THREADS=str(THREADS))
    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
               "machine": platform.node(), "threads": THREADS,
               "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
               "loadavg_start": os.getloadavg(),
               "cases": []}
    if args.quick:
        args.repeats = 1
    for name, n, d, k, cov, iters in cases:
        data, init = case_files(args.data, name)
        import numpy as np
        X = np.load(data)
        row = {"name": name, "n": n, "d": d, "k": k, "cov": cov, "iters": iters,
               "data_mib": X.nbytes / 2**20, "gflop_per_iter": flop_count(n, d, k, cov) / 1e9,
               "impl": {}}
        chosen = [(label, command) for label, command in implementations(args.build, cov)
                  if not (args.only and label not in args.only.split(","))
                  and not (label in ON_REQUEST and label not in args.only.split(","))
                  and not (args.quick and label not in ("ours", "ours-float32", "scikit-learn"))]
        runs = {label: {"times": [], "cpus": [], "rss": [], "bounds": [], "n_iter": []}
                for label, _ in chosen}
        # --interleave: round r runs every implementation once, so that a
        # spell of load on this shared machine falls on all of them alike;
        # otherwise all runs of one implementation, then the next.
        order = ([(label, command) for _ in range(args.repeats) for label, command in chosen]
                 if args.interleave else
                 [(label, command) for label, command in chosen for _ in range(args.repeats)])
        for label, command in order:
            res = os.path.join(args.data, "%s.%s.json" % (name, label))
            out, peak = timed(command(data, init, iters, res),
                              blas_env if label == "scikit-learn" else env)
            fields = out.split()
            got = runs[label]
            got["times"].append(float(fields[0]))
            got["n_iter"].append(int(fields[1]))
            got["cpus"].append(float(fields[2]))
            if len(fields) > 3:  # ours prints its lower bound; the peers do not
                got["bounds"].append(float(fields[3]))
            got["rss"].append(peak)
        for label, _ in chosen:
            res = os.path.join(args.data, "%s.%s.json" % (name, label))
            got = runs[label]
            times, cpus, rss, bounds = got["times"], got["cpus"], got["rss"], got["bounds"]
            with open(res) as f:
                ll = mean_log_likelihood(X, json.load(f))
            t = statistics.median(times)
            # n_iter: the EM iterations the program really ran and divided by
            # (Armadillo and VLFeat may stop early; the same in every run, as
            # their EM is deterministic, else all runs' counts are kept).
            n_iter = got["n_iter"][0] if len(set(got["n_iter"])) == 1 else got["n_iter"]
            row["impl"][label] = {"sec_per_iter": t, "runs": times,
                                  "cpu_sec_per_iter": statistics.median(cpus),
                                  "peak_rss_mib": statistics.median(rss),
                                  "mean_log_likelihood": ll,
                                  "lower_bound": statistics.median(bounds) if bounds else None,
                                  "n_iter": n_iter,
                                  "gflops": row["gflop_per_iter"] / t}
            print("%-22s %-13s %10.6f s/iter %10.6f cpu-s/iter %8.1f MiB  ll %.12f  "
                  "n_iter %s%s" %
                  (name, label, t, statistics.median(cpus), statistics.median(rss), ll, n_iter,
                   "" if n_iter == iters else "  (requested %d)" % iters),
                  flush=True)
        results["cases"].append(row)
    # The dgemm yardstick takes ~15 s: the full run only.
    peak = [] if args.quick else [subprocess.run([os.path.join(args.build, "dgemm_peak"), str(t)],
                           env=dict(env, OPENBLAS_NUM_THREADS=str(t)),
                           capture_output=True, text=True, check=True).stdout.split()
            for t in (1, THREADS)]
    if peak:
        results["dgemm_gflops"] = {"1": [float(v) for v in peak[0]],
                                   str(THREADS): [float(v) for v in peak[1]]}
    # The read-bandwidth yardstick (~5 s): how fast the data could be read.
    if not args.quick:
        results["read_gbps"] = {
            str(t): float(subprocess.run([os.path.join(args.build, "mem_bandwidth"), str(t)],
                                         env=env, capture_output=True, text=True,
                                         check=True).stdout)
            for t in (1, THREADS)}
    results["loadavg_end"] = os.getloadavg()
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    if args.quick:
        c = results["cases"][0]["impl"]
        print("ours/scikit-learn time ratio (N=200k, D=16, K=16, full): %.4f" %
              (c["ours"]["sec_per_iter"] / c["scikit-learn"]["sec_per_iter"]))
        print("float64/float32 time ratio: %.3f; log-likelihood relative difference %.2e" %
              (c["ours"]["sec_per_iter"] / c["ours-float32"]["sec_per_iter"],
               abs(c["ours-float32"]["mean_log_likelihood"] / c["ours"]["mean_log_likelihood"] - 1)))


if __name__ == "__main__":
    main()
