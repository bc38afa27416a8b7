#!/usr/bin/python3
"""scikit-learn 1.2.1 (Debian's python3-sklearn) on a benchmark case.

Same data, same initial parameters (weights_init, means_init and
precisions_init = inverse of the init covariances), tol 0, a fixed number
of iterations. Times GaussianMixture.fit alone (no imports, no loading),
on a fresh estimator again and again until 0.2 s of fitting, and reports
the median of the repeats, as bench_common.h does for the compiled
programs. init_params is random_from_data, the cheapest, since the given
*_init parameters replace whatever it computes.

Usage: peer_sklearn.py DATA.npy INIT.json ITERATIONS OUT.json
Prints: seconds_per_iteration n_iter cpu_seconds_per_iteration (medians)
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

# The repeats of bench_common.h: fit again from the same initial parameters
# until this many seconds of fitting (or fits), report the medians.
MIN_SECONDS = 0.2
MAX_REPEATS = 1000


def main():
    X = np.load(sys.argv[1])
    with open(sys.argv[2]) as f:
        init = json.load(f)
    iters = int(sys.argv[3])
    k, d, cov = init["n_components"], init["n_features"], init["covariance_type"]
    c = np.asarray(init["covariances"], dtype=float)
    if cov == "full":
        precisions = np.linalg.inv(c.reshape(k, d, d))
    elif cov == "tied":
        precisions = np.linalg.inv(c.reshape(d, d))
    else:
        precisions = 1.0 / c
    walls, cpus, total = [], [], 0.0
    while not walls or (total < MIN_SECONDS and len(walls) < MAX_REPEATS):
        gm = GaussianMixture(k, covariance_type=cov, tol=0.0, max_iter=iters,
                             init_params="random_from_data", random_state=0,
                             weights_init=np.asarray(init["weights"]),
                             means_init=np.asarray(init["means"]),
                             precisions_init=precisions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start, cpu_start = time.perf_counter(), time.process_time()
            gm.fit(X)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
        total += elapsed
        walls.append(elapsed / gm.n_iter_)
        cpus.append(cpu / gm.n_iter_)
    with open(sys.argv[4], "w") as f:
        json.dump({"covariance_type": cov, "n_components": k, "n_features": d,
                   "weights": gm.weights_.tolist(), "means": gm.means_.tolist(),
                   "covariances": gm.covariances_.tolist()}, f)
    print(statistics.median(walls), gm.n_iter_, statistics.median(cpus))


if __name__ == "__main__":
    main()
