#!/usr/bin/python3
"""Write a benchmark case: DIR/NAME.npy (float64, row-major N x D) and
DIR/NAME.init.json (the initial parameters, in libgmm's model-file format).

Data: a seeded synthetic mixture (K true components, random means spread
over a box, random full covariances A A^T / D + 0.1 I, Dirichlet weights);
the Old Faithful case reads data/faithful.csv instead.
Init: K distinct data rows as means (seeded), the data's covariance reduced
to the case's type for every component, equal weights. Every implementation
starts EM from these parameters.

Usage: gen_data.py OUTDIR NAME [FAITHFUL_CSV]
"""
import json
import os
import sys

import numpy as np

from cases import by_name


def synthetic(seed, n, d, k):
    rng = np.random.RandomState(seed)
    weights = rng.dirichlet(np.full(k, 2.0))
    centers = rng.uniform(-5.0, 5.0, size=(k, d))
    counts = rng.multinomial(n, weights)
    X = np.empty((n, d))
    at = 0
    for j in range(k):
        a = rng.standard_normal((d, d))
        chol = np.linalg.cholesky(a @ a.T / d + 0.1 * np.eye(d))
        X[at:at + counts[j]] = centers[j] + rng.standard_normal((counts[j], d)) @ chol.T
        at += counts[j]
    return X[rng.permutation(n)]


def initial(X, k, cov, seed):
    rng = np.random.RandomState(seed + 1)
    means = X[rng.choice(X.shape[0], size=k, replace=False)]
    c = np.cov(X, rowvar=False).reshape(X.shape[1], X.shape[1])
    covariances = {
        "full": np.repeat(c[None], k, axis=0),
        "tied": c,
        "diag": np.repeat(np.diag(c)[None], k, axis=0),
        "spherical": np.full(k, np.diag(c).mean()),
    }[cov]
    return {"covariance_type": cov, "n_components": k, "n_features": X.shape[1],
            "weights": [1.0 / k] * k, "means": means.tolist(),
            "covariances": covariances.tolist()}


def main():
    outdir, name = sys.argv[1], sys.argv[2]
    _, n, d, k, cov, _ = by_name(name)
    if name.startswith("faithful"):
        X = np.loadtxt(sys.argv[3], delimiter=",", skiprows=1)
    else:
        X = synthetic(12345, n, d, k)
    X = np.ascontiguousarray(X, dtype=np.float64)
    os.makedirs(outdir, exist_ok=True)
    np.save(os.path.join(outdir, name + ".npy"), X)
    with open(os.path.join(outdir, name + ".init.json"), "w") as f:
        json.dump(initial(X, k, cov, 12345), f)


if __name__ == "__main__":
    main()
