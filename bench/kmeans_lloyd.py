#!/usr/bin/python3
"""Time per Lloyd iteration of k-means, ours against scikit-learn's KMeans,
from the same centres, by difference (as by_difference.py does for EM):

    (time of a MANY-iteration fit - time of a FEW-iteration fit)
        / (n_iter of the one - n_iter of the other)

for each K x D cell, both fits from the same initial centres (the first K
rows of a shuffled blob data set), tol 0, n_init 1, interleaved run for
run, the median of REPEATS. Ours is the Python package's KMeans over the
build's libgmm.so (the package adds microseconds per call: note 24's
neighbour, python_overhead.py); scikit-learn's is KMeans(algorithm="lloyd").
Also checks that both give the same labels after MANY iterations. With
--work PROGRAM (bench/kmeans_bounds_work.c, built against the same
library), also the share of rows that Hamerly's bounds sent through the
kernel (all K distances) in the MANY-iteration run after its first pass,
where every row is.

Usage: kmeans_lloyd.py BUILD_DIR [--rows N] [--ks 8,64,256,1024]
                       [--ds 2,16,64,128] [--few 1] [--many 6]
                       [--repeats 5] [--out FILE] [--work PROGRAM]
Run it under flock -x /tmp/libgmm-cpu.lock.
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--ks", default="8,64,256,1024")
    parser.add_argument("--ds", default="2,16,64,128")
    parser.add_argument("--few", type=int, default=1)
    parser.add_argument("--many", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=None)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.abspath(args.build), "python"))
    import numpy as np
    import libgmm
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    def timed(make, X):
        model = make()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            model.fit(X)
            return time.perf_counter() - start, model

    results = []
    rng = np.random.default_rng(15)
    for d in (int(v) for v in args.ds.split(",")):
        blobs = rng.normal(0, 4, (300, d))
        X = blobs[rng.integers(0, 300, args.rows)] + rng.normal(0, 1, (args.rows, d))
        X = np.ascontiguousarray(X)
        for k in (int(v) for v in args.ks.split(",")):
            centres = X[:k].copy()
            makers = {
                "ours": lambda m: lambda: libgmm.KMeans(
                    k, init=centres, n_init=1, max_iter=m, tol=0.0),
                "sklearn": lambda m: lambda: KMeans(
                    k, init=centres, n_init=1, max_iter=m, tol=0.0,
                    algorithm="lloyd"),
            }
            per_iter = {name: [] for name in makers}
            labels = {}
            for _ in range(args.repeats):
                for name, make in makers.items():
                    t_few, m_few = timed(make(args.few), X)
                    t_many, m_many = timed(make(args.many), X)
                    n = m_many.n_iter_ - m_few.n_iter_
                    if n > 0:
                        per_iter[name].append((t_many - t_few) / n)
                    labels[name] = m_many.labels_
            row = {"k": k, "d": d, "rows": args.rows,
                   "same_labels": bool(np.array_equal(labels["ours"],
                                                      labels["sklearn"]))}
            for name, values in per_iter.items():
                row[name] = statistics.median(values) if values else None
            if args.work:
                row["recomputed_after_first"] = work_share(
                    args.work, X, k, args.many)
            if row["ours"] and row["sklearn"]:
                row["speedup"] = row["sklearn"] / row["ours"]
            results.append(row)
            print(f"K={k:5d} D={d:4d}  ours {row['ours']:.5f} s  sklearn "
                  f"{row['sklearn']:.5f} s  x{row.get('speedup', 0):.2f}  "
                  f"same labels {row['same_labels']}"
                  f"  recomputed {row.get('recomputed_after_first', '-')}",
                  flush=True)
    out = {"load_average": os.getloadavg(), "results": results}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)
    print("load average", os.getloadavg())


def work_share(program, X, k, iters):
    """Rows through the kernel / rows assigned, passes after the first."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".f64") as f:
        X.tofile(f.name)
        out = subprocess.run([program, f.name, str(X.shape[0]), str(X.shape[1]),
                              str(k), str(iters)], capture_output=True,
                             text=True, check=True).stdout.split()
    assigned, recomputed = int(out[0]) - X.shape[0], int(out[1]) - X.shape[0]
    return recomputed / assigned if assigned else None


if __name__ == "__main__":
    main()
