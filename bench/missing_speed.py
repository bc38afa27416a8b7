#!/usr/bin/python3
"""EM with missing entries against EM on complete data (issue #18): the
time of one iteration of libgmm.GaussianMixture(missing="marginalize") on
data with holes, and of the same fit on the complete data, from the same
initial parameters (tol 0, no k-means start). An iteration's time is the
difference of a fit of 1 + M iterations and a fit of 1 iteration, divided
by M, so that the one-time work (the finite check, the arrangement of rows
by pattern, the C model) is not in it; that one-time work is given apart
(the 1-iteration fit less one iteration). Runs are interleaved case by
case, repeated, and the medians taken.

Cases: complete; 10% of entries missing at random (each entry
independently); 4 distinct patterns (a quarter of the rows complete, a
quarter each lacking features 0-3, 4-7 or 8-11, rows drawn at random).

Usage (flock -x /tmp/libgmm-cpu.lock ...):
    missing_speed.py BUILD_DIR [--rows N] [--iterations M] [--repeats R]
                     [--out FILE]
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_data import initial, synthetic  # noqa: E402

D, K = 16, 16


def cases(X, seed):
    import numpy as np
    rng = np.random.RandomState(seed)
    at_random = X.copy()
    mask = rng.uniform(size=X.shape) < 0.10
    mask[mask.all(axis=1), 0] = False
    at_random[mask] = np.nan
    patterns = X.copy()
    which = rng.randint(4, size=len(X))
    for p in range(1, 4):
        patterns[np.ix_(which == p, range(4 * (p - 1), 4 * p))] = np.nan
    return {"complete": X, "random-10%": at_random, "4-patterns": patterns}


def fit_seconds(libgmm, X, start, n_iter):
    gm = libgmm.GaussianMixture(K, max_iter=n_iter, tol=0, n_jobs=2,
                                missing="marginalize", **start)
    began = time.perf_counter()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm.fit(X)
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out")
    options = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.abspath(options.build), "python"))
    import libgmm
    import numpy as np
    X = synthetic(0, options.rows, D, K)
    model = initial(X, K, "full", 0)
    start = {"weights_init": np.array(model["weights"]),
             "means_init": np.array(model["means"]),
             "precisions_init": np.linalg.inv(np.array(model["covariances"]))}
    data = cases(X, 1)
    times = {name: {"one": [], "many": []} for name in data}
    for _ in range(options.repeats):
        for name, values in data.items():
            times[name]["one"].append(fit_seconds(libgmm, values, start, 1))
            times[name]["many"].append(fit_seconds(
                libgmm, values, start, 1 + options.iterations))
    result = {"rows": options.rows, "features": D, "components": K,
              "iterations": options.iterations, "repeats": options.repeats,
              "missing_fraction": {n: float(np.isnan(v).mean())
                                   for n, v in data.items()},
              "raw": times, "per_iteration_s": {}, "setup_s": {}}
    for name, t in times.items():
        per = [(m - o) / options.iterations for o, m in zip(t["one"], t["many"])]
        result["per_iteration_s"][name] = statistics.median(per)
        result["setup_s"][name] = statistics.median(
            o - p for o, p in zip(t["one"], per))
    complete = result["per_iteration_s"]["complete"]
    result["ratio"] = {n: v / complete
                       for n, v in result["per_iteration_s"].items()}
    text = json.dumps(result, indent=1)
    print(text)
    if options.out:
        with open(options.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
