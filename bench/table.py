#!/usr/bin/python3
"""Print bench/results.json (from run.py) as the Markdown table of
RESULTS.md. Usage: table.py [results.json]

Columns: wall seconds per iteration (median of the runs), CPU seconds per
iteration (all threads), peak resident memory, the evaluator's final mean
log-likelihood, GFLOP/s by run.py's flop_count over the wall time and its
fraction of the measured 2-thread dgemm rate, the same per CPU second
against dgemm's per-CPU-second rate (robust to other load on the machine),
and each peer's time over ours.
"""
import json
import os
import sys


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
    for case in r["cases"]:
        impl = case["impl"]
        ours = impl["ours"]
        print("**%s** (N=%d, D=%d, K=%d, %s, %d iterations; data %.1f MiB; "
              "%.3g GFLOP/iteration)\n" % (case["name"], case["n"], case["d"], case["k"],
                                           case["cov"], case["iters"], case["data_mib"],
                                           case["gflop_per_iter"]))
        print("| implementation | s/iter (wall) | CPU s/iter | peak RSS MiB | "
              "mean log-lik | GFLOP/s wall (% dgemm) | GFLOP/CPU-s (% dgemm) | "
              "time / ours |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label, v in impl.items():
            gf_cpu = case["gflop_per_iter"] / v["cpu_sec_per_iter"]
            print("| %s | %.4g | %.4g | %.1f | %.10f | %.2f (%.0f%%) | %.2f (%.0f%%) | %s |" % (
                label, v["sec_per_iter"], v["cpu_sec_per_iter"], v["peak_rss_mib"],
                v["mean_log_likelihood"], v["gflops"], 100 * v["gflops"] / peak_wall,
                gf_cpu, 100 * gf_cpu / peak_cpu,
                "1" if label == "ours" else "%.2f" % (v["sec_per_iter"] / ours["sec_per_iter"])))
        print()
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
