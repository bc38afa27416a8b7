#!/usr/bin/python3
"""Reference fits from scikit-learn 1.2.1 for libgmm's tests.

Writes one JSON file per case into OUTDIR. Each case holds the data, the
options, the initial parameters and scikit-learn's results. The initial
parameters come from scikit-learn's own initializer (a run with
max_iter=0), so both implementations start EM from the same point; they are
handed to scikit-learn's fit as weights_init / means_init / precisions_init
and to libgmm as weights_init / means_init / covariances_init.

Usage: /usr/bin/python3 sklearn_cases.py FAITHFUL_CSV OUTDIR
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]


def blobs(seed, n, d, k, spread):
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-spread, spread, size=(k, d))
    labels = rng.randint(k, size=n)
    scales = rng.uniform(0.5, 1.5, size=(k, d))
    return centers[labels] + rng.standard_normal((n, d)) * scales[labels]


def initial_parameters(X, k, cov, init, seed, reg_covar):
    gm = GaussianMixture(k, covariance_type=cov, init_params=init,
                         random_state=seed, max_iter=0, reg_covar=reg_covar)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    # k-means++ and random_from_data leave weights summing to K / n (their
    # responsibilities cover K rows); weights_init must sum to 1.
    return gm.weights_ / gm.weights_.sum(), gm.means_, gm.covariances_, \
        gm.precisions_


def case(name, X, k, cov, init="kmeans", seed=0, tol=1e-3, reg_covar=1e-6,
         max_iter=100):
    weights, means, covariances, precisions = initial_parameters(
        X, k, cov, init, seed, reg_covar)
    gm = GaussianMixture(k, covariance_type=cov, tol=tol, reg_covar=reg_covar,
                         max_iter=max_iter, weights_init=weights,
                         means_init=means, precisions_init=precisions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    return {
        "name": name,
        "sklearn_version": sklearn.__version__,
        "X": X.tolist(),
        "n_components": k,
        "covariance_type": cov,
        "tol": tol,
        "reg_covar": reg_covar,
        "max_iter": max_iter,
        "weights_init": weights.tolist(),
        "means_init": means.tolist(),
        "covariances_init": covariances.tolist(),
        "precisions_init": precisions.tolist(),
        "expected": {
            "weights": gm.weights_.tolist(),
            "means": gm.means_.tolist(),
            "covariances": gm.covariances_.tolist(),
            "converged": bool(gm.converged_),
            "n_iter": int(gm.n_iter_),
            "lower_bound": float(gm.lower_bound_),
            "labels": gm.predict(X).tolist(),
            "score_samples": gm.score_samples(X).tolist(),
            "predict_proba": gm.predict_proba(X).tolist(),
            "score": float(gm.score(X)),
            "bic": float(gm.bic(X)),
            "aic": float(gm.aic(X)),
        },
    }


def all_cases(faithful):
    """Every case, from the Old Faithful data and seeded blobs (the Python
    package's tests, python/tests/test_sklearn_match.py, use them too)."""
    cases = []
    for cov in COVARIANCE_TYPES:
        cases.append(case(f"faithful-k2-{cov}", faithful, 2, cov))
        cases.append(case(f"faithful-k3-{cov}-kpp", faithful, 3, cov,
                          init="k-means++", seed=1))
        cases.append(case(f"blobs-d3-k3-{cov}", blobs(1, 600, 3, 3, 4.0), 3, cov))
        cases.append(case(f"blobs-d5-k4-{cov}-tight", blobs(2, 800, 5, 4, 1.5), 4,
                          cov, tol=1e-6, max_iter=500))
        cases.append(case(f"blobs-d4-k3-{cov}-tol0", blobs(3, 300, 4, 3, 2.0), 3,
                          cov, tol=0.0, max_iter=15))
        cases.append(case(f"blobs-d2-k5-{cov}-random", blobs(4, 500, 2, 5, 3.0), 5,
                          cov, init="random", seed=3, reg_covar=1e-3))
        # D = 7 and 8: the full and tied statistics in passes (kernels/scatter_lanes.h).
        cases.append(case(f"blobs-d7-k3-{cov}-tol0", blobs(5, 700, 7, 3, 3.0), 3,
                          cov, tol=0.0, max_iter=20))
        cases.append(case(f"blobs-d8-k4-{cov}", blobs(6, 900, 8, 4, 3.0), 4, cov))
    return cases


def write_cases(all_cases):
    """The command line of the case scripts: FAITHFUL_CSV OUTDIR."""
    faithful_csv, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    cases = all_cases(np.loadtxt(faithful_csv, delimiter=",", skiprows=1))
    for c in cases:
        with open(os.path.join(outdir, c["name"] + ".json"), "w") as f:
            json.dump(c, f)
    print(f"wrote {len(cases)} cases to {outdir}")


if __name__ == "__main__":
    write_cases(all_cases)
