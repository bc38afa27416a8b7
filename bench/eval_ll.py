#!/usr/bin/python3
"""The one evaluator of every implementation's result: the mean
log-likelihood of DATA.npy under PARAMS.json (libgmm's model-file format),
in float64, centring each row on the mean before the triangular solve so
that no implementation is favoured by cancellation.

Usage: eval_ll.py DATA.npy PARAMS.json   (prints the mean log-likelihood)
"""
import json
import sys

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import logsumexp


def mean_log_likelihood(X, p):
    n, d = X.shape
    k, cov = p["n_components"], p["covariance_type"]
    w = np.asarray(p["weights"], dtype=float)
    mu = np.asarray(p["means"], dtype=float).reshape(k, d)
    shape = {"full": (k, d, d), "tied": (d, d), "diag": (k, d), "spherical": (k,)}[cov]
    c = np.asarray(p["covariances"], dtype=float).reshape(shape)
    out = np.empty((n, k))
    for j in range(k):
        y = X - mu[j]
        if cov in ("full", "tied"):
            s = c[j] if cov == "full" else c
            low = np.linalg.cholesky(s)
            z = solve_triangular(low, y.T, lower=True)
            maha = np.einsum("ij,ij->j", z, z)
            logdet = 2.0 * np.log(np.diag(low)).sum()
        else:
            var = c[j] * np.ones(d) if cov == "spherical" else c[j]
            maha = (y * y / var).sum(axis=1)
            logdet = np.log(var).sum()
        out[:, j] = np.log(w[j]) - 0.5 * (d * np.log(2 * np.pi) + logdet + maha)
    return logsumexp(out, axis=1).mean()


if __name__ == "__main__":
    X = np.load(sys.argv[1])
    with open(sys.argv[2]) as f:
        print("%.17g" % mean_log_likelihood(X.astype(np.float64), json.load(f)))
