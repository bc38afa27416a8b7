#!/usr/bin/python3
"""mclust_speed.py — the EM iteration of every covariance model against R
mclust 6.0's me() on 200k x 8, K = 8 (bench/RESULTS.md note 30). Both
start from the same responsibilities; an iteration's time is
(t(n + 1 iterations) - t(1)) / n for each side, the median of REPEATS
runs, so that reading the data and the first M-step drop out. Ours runs
on THREADS threads (the Python package over the C library); mclust is
single-threaded Fortran (R's own BLAS). mclust runs with its default
emControl() (inner M-step tolerance sqrt(eps)); ours iterates each M-step
to its own, tighter, stop.
    flock -x /tmp/libgmm-cpu.lock bench/mclust_speed.py BUILD_DIR [MODEL...]"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

# mclust's iterations take 0.04-0.7 s, ours 4-15 ms: ours need more of
# them to stand out of the run-to-run noise of a shared machine.
N, D, K, ITERATIONS, OUR_ITERATIONS, REPEATS, THREADS = \
    200_000, 8, 8, 3, 40, 2, 2
MODELS = ["EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE",
          "VVE", "EEV", "VEV", "EVV", "VVV"]
R = """
suppressPackageStartupMessages(library(mclust))
x <- matrix(readBin("%(x)s", "double", %(n)d * %(d)d), ncol = %(d)d, byrow = TRUE)
z <- matrix(readBin("%(z)s", "double", %(n)d * %(k)d), ncol = %(k)d, byrow = TRUE)
for (model in c(%(models)s)) {
  times <- c()
  for (r in 1:%(repeats)d) {
    one <- system.time(me(x, model, z, control = emControl(tol = c(0, sqrt(.Machine$double.eps)), itmax = c(1, .Machine$integer.max)), warn = FALSE))[["elapsed"]]
    more <- system.time(me(x, model, z, control = emControl(tol = c(0, sqrt(.Machine$double.eps)), itmax = c(%(more)d, .Machine$integer.max)), warn = FALSE))[["elapsed"]]
    times <- c(times, (more - one) / %(iterations)d)
  }
  cat(model, median(times), "\\n")
}
"""


def data():
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=4.0, size=(K, D))
    X = centers[rng.integers(K, size=N)] + rng.normal(size=(N, D))
    z = rng.uniform(size=(N, K)) + 4.0 * (
        ((X[:, None, :] - centers) ** 2).sum(2) ==
        ((X[:, None, :] - centers) ** 2).sum(2).min(1, keepdims=True))
    return X, z / z.sum(1, keepdims=True)


def ours(X, z, model):
    import libgmm
    def fit(iterations):
        start = time.perf_counter()
        libgmm.GaussianMixture(K, covariance_type=model, init_resp=z,
                               reg_covar=0.0, tol=0.0, max_iter=iterations,
                               n_jobs=THREADS).fit(X)
        return time.perf_counter() - start
    return statistics.median((fit(OUR_ITERATIONS) - fit(0)) / OUR_ITERATIONS
                             for _ in range(REPEATS + 1))


def main():
    sys.path.insert(0, os.path.join(sys.argv[1], "python"))
    import warnings
    warnings.simplefilter("ignore")
    models = sys.argv[2:] or MODELS
    X, z = data()
    with tempfile.TemporaryDirectory() as folder:
        x_path, z_path = os.path.join(folder, "x.bin"), os.path.join(folder, "z.bin")
        X.tofile(x_path)
        z.tofile(z_path)
        script = R % {"x": x_path, "z": z_path, "n": N, "d": D, "k": K,
                      "models": ", ".join(f'"{m}"' for m in models),
                      "repeats": REPEATS, "more": ITERATIONS + 1,
                      "iterations": ITERATIONS}
        out = subprocess.run(["Rscript", "-e", script], capture_output=True,
                             text=True, check=True).stdout
    theirs = {line.split()[0]: float(line.split()[1])
              for line in out.splitlines()}
    print(f"| model | mclust me() s/iteration | ours s/iteration "
          f"({THREADS} threads) | ratio |")
    print("|---|---|---|---|")
    for model in models:
        mine = ours(X, z, model)
        print(f"| {model} | {theirs[model]:.4f} | {mine:.4f} | "
              f"{theirs[model] / mine:.1f}x |")


if __name__ == "__main__":
    main()
