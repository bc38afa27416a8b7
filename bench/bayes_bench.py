#!/usr/bin/python3
"""Variational Bayes against scikit-learn 1.2.1's BayesianGaussianMixture.

1. The synthesizer workload (issue #17): 100k rows x 50 numeric columns,
   one 1-D mixture per column, 10 components, dirichlet_process,
   weight_concentration_prior 0.001, scikit-learn's other defaults.
   libgmm.fit_columns (all columns in one call, the threads sharing out
   the columns) against scikit-learn fitting the columns in a loop. Both
   start every column from the same responsibilities (one random n x K
   matrix; libgmm's init_resp, scikit-learn's _initialize_parameters
   overridden), so the fits are the same and their weights are compared
   (1e-6 relative, absolute floor 1e-12 as the tests). scikit-learn is
   timed on the first --sk-columns columns (default all 50: the columns
   differ in how many iterations they take, 2 to 100, so a sample's time
   does not scale), and its time scaled to 50 when fewer.
2. One large case, 1M x 16, K = 16, full: the time per iteration (a fit
   of --iterations iterations with tol 0 minus a fit of 1, over the
   difference), both from the same responsibilities.

Run it alone: flock -x /tmp/libgmm-cpu.lock bench/bayes_bench.py BUILD_DIR
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np


def fixed_start(resp):
    from sklearn.mixture import BayesianGaussianMixture

    class FixedStart(BayesianGaussianMixture):
        def _initialize_parameters(self, X, random_state):
            self._initialize(X, resp)
    return FixedStart


def synthesizer(libgmm, args):
    from sklearn.exceptions import ConvergenceWarning
    rng = np.random.RandomState(0)
    n, n_cols, k = 100_000, 50, 10
    # Columns of two to four modes, skewed and shifted as tabular data are.
    X = np.empty((n, n_cols))
    for c in range(n_cols):
        modes = 2 + c % 3
        labels = rng.randint(modes, size=n)
        X[:, c] = rng.uniform(-50, 50, modes)[labels] + \
            rng.gamma(2.0, rng.uniform(0.5, 3.0), n) * rng.choice([-1, 1])
    resp = rng.uniform(size=(n, k))
    resp /= resp.sum(axis=1)[:, None]
    spec = dict(n_components=k, weight_concentration_prior_type="dirichlet_process",
                weight_concentration_prior=0.001)
    out = {"shape": [n, n_cols], "k": k}
    for threads in (1, 2):
        est = libgmm.BayesianGaussianMixture(init_resp=resp, n_jobs=threads, **spec)
        times = []
        for _ in range(args.repeats):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                start = time.perf_counter()
                fits = libgmm.fit_columns(est, X)
                times.append(time.perf_counter() - start)
        out[f"libgmm_{threads}t_s"] = times
    ours = np.array([f.weights_ for f in fits])
    FixedStart = fixed_start(resp)
    sk_times, worst = [], 0.0
    n_iters = []
    for c in range(args.sk_columns):
        est = FixedStart(**spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            est.fit(X[:, [c]])
            sk_times.append(time.perf_counter() - start)
        scale = np.maximum(np.abs(est.weights_), 1e-12)
        worst = max(worst, float(np.max(np.abs(ours[c] - est.weights_) / scale)))
        n_iters.append([int(est.n_iter_), int(fits[c].n_iter_)])
    out.update(sklearn_column_s=sk_times,
               sklearn_50_columns_s=float(np.sum(sk_times)) * n_cols / len(sk_times),
               weights_worst_relative=worst, n_iter_sklearn_libgmm=n_iters)
    return out


def large(libgmm, args):
    from sklearn.exceptions import ConvergenceWarning
    rng = np.random.RandomState(1)
    n, d, k = 1_000_000, 16, 16
    centers = rng.uniform(-5, 5, (k, d))
    X = centers[rng.randint(k, size=n)] + rng.standard_normal((n, d))
    resp = rng.uniform(size=(n, k))
    resp /= resp.sum(axis=1)[:, None]
    FixedStart = fixed_start(resp)
    out = {"shape": [n, d], "k": k}

    def timed(make, iterations):
        est = make(iterations)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            est.fit(X)
        return time.perf_counter() - start, est.lower_bound_

    for name, make in [
            ("libgmm_2t", lambda it: libgmm.BayesianGaussianMixture(
                n_components=k, init_resp=resp, tol=0.0, max_iter=it, n_jobs=2)),
            ("libgmm_1t", lambda it: libgmm.BayesianGaussianMixture(
                n_components=k, init_resp=resp, tol=0.0, max_iter=it, n_jobs=1)),
            ("sklearn", lambda it: FixedStart(n_components=k, tol=0.0, max_iter=it))]:
        one, _ = timed(make, 1)
        many, bound = timed(make, args.iterations)
        out[name] = {"fit_1_s": one, f"fit_{args.iterations}_s": many,
                     "per_iteration_s": (many - one) / (args.iterations - 1),
                     "lower_bound": bound}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sk-columns", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--out", default="bench/results_bayes.json")
    parser.add_argument("--only", choices=["synthesizer", "large"])
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import libgmm
    results = {"load_start": os.getloadavg()}
    if args.only in (None, "synthesizer"):
        results["synthesizer"] = synthesizer(libgmm, args)
    if args.only in (None, "large"):
        results["large"] = large(libgmm, args)
    results["load_end"] = os.getloadavg()
    print(json.dumps(results, indent=1))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
