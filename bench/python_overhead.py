#!/usr/bin/python3
"""The Python package's overhead: the same fit from Python
(libgmm.GaussianMixture.fit) and from C (bench_fit.c, linked to the same
libgmm.so the package loads), on the same data, from the same initial
parameters, for the same iterations (tol 0), interleaved run by run.

Python's time is the whole fit() call (validation and its finite check,
the C model, the fit, the attributes); C's is gmm_fit alone. On a shared
machine the runs' times drift, so the ratio is also given per interleaved
pair, and Python's own work (fit() minus the library call it makes, in the
same process) on its own. Memory is
each process's peak resident set (/usr/bin/time -v); Python's is also
given beyond its own baseline (the interpreter with numpy, scikit-learn
and libgmm imported, before the data are loaded), to compare with the
data's size: no copy means the difference is the data and little more.

Usage (on a quiet machine: flock -x /tmp/libgmm-cpu.lock ...):
    python_overhead.py BUILD_DIR DATA_DIR [--case NAME] [--iterations N]
                       [--repeats N] [--out FILE]
BUILD_DIR is a build of the project (its src/libgmm.so and python/);
DATA_DIR holds the cases gen_data.py writes (made when missing).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import timed  # noqa: E402 (/usr/bin/time -v: output, peak RSS)

THREADS = 2
ENVIRONMENT = dict(os.environ, OMP_NUM_THREADS=str(THREADS),
                   OPENBLAS_NUM_THREADS="1")


def resident_mib():
    with open("/proc/self/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) / 1024


def python_side(data, init_path, iterations):
    """The child process: print the fit's seconds and memory as JSON."""
    import resource
    import time
    import warnings

    import numpy as np
    import libgmm
    baseline = resident_mib()
    X = np.load(data)
    with open(init_path) as f:
        init = json.load(f)
    covariances = np.array(init["covariances"])
    matrices = init["covariance_type"] in ("full", "tied")
    precisions = np.linalg.inv(covariances) if matrices else 1.0 / covariances
    model = libgmm.GaussianMixture(
        init["n_components"], covariance_type=init["covariance_type"],
        tol=0.0, max_iter=iterations, weights_init=init["weights"],
        means_init=init["means"], precisions_init=precisions,
        n_jobs=THREADS)
    warnings.simplefilter("ignore")  # tol 0: "did not converge"
    # The library call's share of fit(), timed around _interrupt.run (the
    # worker thread, the C model, gmm_fit), so that the rest, Python's own
    # work, is measured in the same process as the fit it wraps.
    library = {}
    run = libgmm._interrupt.run

    def timed_run(call, report=None):
        start = time.perf_counter()
        try:
            return run(call, report)
        finally:
            library["seconds"] = time.perf_counter() - start
    libgmm._interrupt.run = timed_run
    start = time.perf_counter()
    model.fit(X)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds,
                      "library_seconds": library["seconds"],
                      "n_iter": model.n_iter_,
                      "lower_bound": model.lower_bound_,
                      "baseline_mib": baseline, "peak_mib": peak,
                      "data_mib": X.nbytes / 2**20}))


def build_c_program(build):
    """bench_fit linked to the build's libgmm.so (the package's library)."""
    program = os.path.join(build, "bench_fit_shared")
    flags = subprocess.run(["pkg-config", "--libs", "jansson"], text=True,
                           capture_output=True, check=True).stdout.split()
    subprocess.run(["cc", "-O2", "-I", os.path.join(HERE, "..", "include"),
                    "-o", program, os.path.join(HERE, "bench_fit.c"),
                    "-L", os.path.join(build, "src"), "-lgmm",
                    "-Wl,-rpath," + os.path.abspath(os.path.join(build, "src")),
                    *flags, "-lm"], check=True)
    return program


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("data_dir")
    parser.add_argument("--case", default="n1m_d16_k16_full")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        python_side(*options.child, options.iterations)
        return
    data = os.path.join(options.data_dir, options.case + ".npy")
    init = os.path.join(options.data_dir, options.case + ".init.json")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_data.py"),
                        options.data_dir, options.case], check=True)
    program = build_c_program(options.build)
    python_env = dict(ENVIRONMENT,
                      PYTHONPATH=os.path.join(os.path.abspath(options.build),
                                              "python"))
    runs = {"c": [], "python": []}
    for repeat in range(options.repeats):
        out, rss = timed([program, data, init, str(options.iterations),
                          str(THREADS), os.devnull], ENVIRONMENT)
        per_iteration, n_iter, _, lower_bound = out.split()
        runs["c"].append({"seconds": float(per_iteration) * int(n_iter),
                          "n_iter": int(n_iter),
                          "lower_bound": float(lower_bound), "peak_mib": rss})
        out, rss = timed([sys.executable, os.path.abspath(__file__),
                          options.build, options.data_dir, "--iterations",
                          str(options.iterations), "--child", data, init],
                         python_env)
        runs["python"].append(dict(json.loads(out), peak_mib_time=rss))
        print(f"run {repeat + 1}: C {runs['c'][-1]['seconds']:.3f} s, "
              f"Python {runs['python'][-1]['seconds']:.3f} s", flush=True)

    def median(side, key):
        return statistics.median(run[key] for run in runs[side])
    c_seconds, py_seconds = median("c", "seconds"), median("python", "seconds")
    paired = statistics.median(p["seconds"] / c["seconds"] for c, p in
                               zip(runs["c"], runs["python"]))
    outside = statistics.median(p["seconds"] - p["library_seconds"]
                                for p in runs["python"])
    baseline, peak = median("python", "baseline_mib"), median("python",
                                                              "peak_mib")
    data_mib = runs["python"][0]["data_mib"]
    summary = {
        "case": options.case, "iterations": options.iterations,
        "threads": THREADS, "repeats": options.repeats,
        "c_seconds": c_seconds, "python_seconds": py_seconds,
        "time_overhead": py_seconds / c_seconds - 1,
        "time_overhead_paired": paired - 1,
        "python_outside_library_seconds": outside,
        "python_outside_library_share": outside / py_seconds,
        "c_peak_mib": median("c", "peak_mib"),
        "python_baseline_mib": baseline, "python_peak_mib": peak,
        "data_mib": data_mib,
        "python_beyond_baseline_and_data": (peak - baseline - data_mib)
        / data_mib,
        # The same fit: Python starts from the precisions (scikit-learn's
        # parameter), C from the covariances they invert.
        "lower_bound_relative_difference": max(
            abs(c["lower_bound"] - p["lower_bound"]) / abs(c["lower_bound"])
            for c, p in zip(runs["c"], runs["python"])),
        "same_n_iter": all(c["n_iter"] == p["n_iter"]
                           for c, p in zip(runs["c"], runs["python"])),
        "runs": runs,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"},
                     indent=1))
    if options.out:
        with open(options.out, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
