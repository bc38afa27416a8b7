#!/usr/bin/python3
"""Print bench/results.json (from run.py) as the Markdown table of
RESULTS.md. Usage: table.py [results.json]

Columns: wall seconds per iteration (median of the runs), CPU seconds per
iteration (all threads), peak resident memory, the evaluator's final mean
log-likelihood, GFLOP/s by run.py's flop_count over the wall time and its
fraction of the measured 2-thread dgemm rate, the same per CPU second
against dgemm's per-CPU-second rate (robust to other load on the machine),
and each peer's time over ours. Where the run measured the read bandwidth
(mem_bandwidth.c), one more column: the data's bytes over the time per
iteration, against the bandwidth measured with the row's thread count
(every implementation must read the data at least once per iteration;
ours reads it once, in one pass that does the E-step and the M-step).

Iterations: every program divides its fit time by the EM iterations it
really ran (n_iter in results.json). Armadillo stops when the mean
log-likelihood changes by at most machine epsilon and VLFeat when it
changes by less than 1e-5 relative, whatever the iteration count asked
for; a cell that ran fewer iterations than the case's is marked with a
dagger and a note under its table (its time per iteration is then an
average over fewer, and possibly cheaper, iterations). Results written
before n_iter was recorded (before 2026-11-26): Armadillo's program then
divided by the requested iterations, so its cells are flagged from the
count of 2026-11-26 (ARMADILLO_COUNTED) or, on other cases, with a "?";
VLFeat's program always divided by the iterations it counted (it ran all
of them on both diag cases on 2026-11-26), so its old cells are right.
"""
import json
import os
import sys

# Implementations whose EM has a convergence test that tol 0 cannot turn off.
EARLY_STOP = {
    "armadillo": "its EM stops once the mean log-likelihood changes by at most "
                 "machine epsilon",
    "vlfeat": "its EM stops once the log-likelihood changes by less than 1e-5 relative",
}
# Results without n_iter (before 2026-11-26): Armadillo's program divided
# by the requested iterations. The iterations it really runs on each case,
# counted on 2026-11-26 (peer_armadillo, print_mode); the same for every run,
# as its EM is deterministic and the cases' data and initial parameters fixed.
ARMADILLO_COUNTED = {
    "faithful_full": 21,      # of 100
    "n100k_d2_k3_full": 10,
    "n1m_d16_k16_full": 3,
    "n1m_d16_k16_diag": 3,
    "n200k_d64_k32_diag": 3,
    "n200k_d64_k32_full": 2,
}
UNRECORDED = {
    "armadillo": "its program then divided by the requested iterations, so its time "
                 "per iteration is too low if it stopped early.",
}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "results.json")
    with open(path) as f:
        r = json.load(f)
    threads = str(r["threads"])
    peak_wall = r["dgemm_gflops"][threads][0]
    peak_cpu = r["dgemm_gflops"]["1"][1]
    print("Measured dgemm (OpenBLAS, 4000^3): %.1f GFLOP/s wall with %s threads; "
          "%.1f GFLOP per CPU-second with 1 thread.\n" % (peak_wall, threads, peak_cpu))
    bandwidth = r.get("read_gbps")
    if bandwidth:
        print("Measured read bandwidth (1 GiB summed): %.1f GB/s with 1 thread, %.1f "
              "with %s.\n" % (bandwidth["1"], bandwidth[threads], threads))
    for case in r["cases"]:
        impl = case["impl"]
        ours = impl["ours"]
        print("**%s** (N=%d, D=%d, K=%d, %s, %d iterations; data %.1f MiB; "
              "%.3g GFLOP/iteration)\n" % (case["name"], case["n"], case["d"], case["k"],
                                           case["cov"], case["iters"], case["data_mib"],
                                           case["gflop_per_iter"]))
        if case.get("rerun"):
            rerun = case["rerun"]
            print("(This case re-run %s at commit %s, %s; load %.1f-%.1f.)\n" % (
                rerun["date"], rerun["commit"], rerun["why"],
                min(rerun["loadavg_start"][0], rerun["loadavg_end"][0]),
                max(rerun["loadavg_start"][0], rerun["loadavg_end"][0])))
        print("| implementation | s/iter (wall) | CPU s/iter | peak RSS MiB | "
              "mean log-lik | GFLOP/s wall (% dgemm) | GFLOP/CPU-s (% dgemm) | "
              + ("data GB/s (% read bandwidth) | " if bandwidth else "") + "time / ours |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if bandwidth else ""))
        notes = []
        for label, v in impl.items():
            mark = ""
            n_iter = v.get("n_iter")
            if isinstance(n_iter, list):
                mark = " †"
                notes.append("† %s: iterations differed between runs: %s of %d." % (
                    label, ", ".join(map(str, n_iter)), case["iters"]))
            elif n_iter is not None and n_iter < case["iters"]:
                mark = " †"
                notes.append("† %s stopped early, after %d of %d iterations (%s); its "
                             "times are per iteration it ran." % (
                                 label, n_iter, case["iters"],
                                 EARLY_STOP.get(label.replace("-1thread", ""), "its own test")))
            elif n_iter is None and label == "armadillo" and case["name"] in ARMADILLO_COUNTED:
                counted = ARMADILLO_COUNTED[case["name"]]
                if counted < case["iters"]:
                    mark = " †"
                    notes.append(
                        "† armadillo stopped early, after %d of %d iterations (%s; counted "
                        "2026-11-26), but these results predate that count and its program "
                        "then divided by %d: its times per iteration here are %.1f× too low."
                        % (counted, case["iters"], EARLY_STOP[label], case["iters"],
                           case["iters"] / counted))
            elif n_iter is None and label in UNRECORDED:
                mark = " ?"
                notes.append("? %s: the iterations it ran were not recorded (results "
                             "before 2026-11-26); %s" % (label, UNRECORDED[label]))
            gf_cpu = case["gflop_per_iter"] / v["cpu_sec_per_iter"]
            read = ""
            if bandwidth:
                gbps = case["data_mib"] * 2**20 / v["sec_per_iter"] / 1e9
                yardstick = bandwidth["1" if label.endswith("-1thread") else threads]
                read = " %.2f (%.0f%%) |" % (gbps, 100 * gbps / yardstick)
            print("| %s | %.4g | %.4g | %.1f | %.10f | %.2f (%.0f%%) | %.2f (%.0f%%) |%s %s |" % (
                label + mark, v["sec_per_iter"], v["cpu_sec_per_iter"], v["peak_rss_mib"],
                v["mean_log_likelihood"], v["gflops"], 100 * v["gflops"] / peak_wall,
                gf_cpu, 100 * gf_cpu / peak_cpu, read,
                "1" if label == "ours" else "%.2f" % (v["sec_per_iter"] / ours["sec_per_iter"])))
        print()
        for note in notes:
            print(note + "\n")
    float32_table(r)


def float32_table(r):
    """float64 against float32 (gmm_options.dtype), where both were run:
    time ratios (wall and CPU, 2 threads and 1) and the relative
    difference of the evaluator's final mean log-likelihood."""
    rows = [c for c in r["cases"] if "ours-float32" in c["impl"] and "ours" in c["impl"]]
    if not rows:
        return
    print("**float32 vs float64** (time ratios float64 / float32; log-likelihood "
          "relative difference of the final models, evaluated in float64)\n")
    print("| case | f64 s/iter | f32 s/iter | wall speedup | CPU speedup | "
          "1-thread wall speedup | 1-thread CPU speedup | log-lik rel. diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in rows:
        i = c["impl"]
        f64, f32 = i["ours"], i["ours-float32"]
        one64, one32 = i.get("ours-1thread"), i.get("ours-float32-1thread")
        one = ("%.2f | %.2f" % (one64["sec_per_iter"] / one32["sec_per_iter"],
                                one64["cpu_sec_per_iter"] / one32["cpu_sec_per_iter"])
               if one64 and one32 else "- | -")
        print("| %s | %.4g | %.4g | %.2f | %.2f | %s | %.1e |" % (
            c["name"], f64["sec_per_iter"], f32["sec_per_iter"],
            f64["sec_per_iter"] / f32["sec_per_iter"],
            f64["cpu_sec_per_iter"] / f32["cpu_sec_per_iter"], one,
            abs(f32["mean_log_likelihood"] / f64["mean_log_likelihood"] - 1)))
    print()


if __name__ == "__main__":
    main()
