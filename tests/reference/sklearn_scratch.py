#!/usr/bin/python3
"""From-scratch fits (default k-means initialization) of scikit-learn 1.2.1
over several seeds, for the test that libgmm's own initialization reaches a
log-likelihood at least as good on average.

Usage: /usr/bin/python3 sklearn_scratch.py FAITHFUL_CSV OUTDIR
"""
import json
import os
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

SEEDS = range(30)


def overlapping(seed, n, d, k):
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-3, 3, size=(k, d))
    labels = rng.randint(k, size=n)
    return centers[labels] + rng.standard_normal((n, d))


def scratch_case(name, X, k, cov):
    scores = []
    for seed in SEEDS:
        gm = GaussianMixture(k, covariance_type=cov, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X)
        scores.append(float(gm.score(X)))
    return {"name": name, "X": X.tolist(), "n_components": k,
            "covariance_type": cov, "n_seeds": len(SEEDS),
            "sklearn_scores": scores}


def main():
    faithful_csv, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    faithful = np.loadtxt(faithful_csv, delimiter=",", skiprows=1)
    cases = [
        scratch_case("faithful-k3-full", faithful, 3, "full"),
        scratch_case("faithful-k4-diag", faithful, 4, "diag"),
        scratch_case("overlap-d2-k6-full", overlapping(5, 1500, 2, 6), 6, "full"),
        scratch_case("overlap-d5-k8-diag", overlapping(6, 2000, 5, 8), 8, "diag"),
        scratch_case("overlap-d3-k5-tied", overlapping(7, 1500, 3, 5), 5, "tied"),
        scratch_case("overlap-d3-k5-spherical", overlapping(8, 1500, 3, 5), 5,
                     "spherical"),
    ]
    for c in cases:
        with open(os.path.join(outdir, c["name"] + ".json"), "w") as f:
            json.dump(c, f)
    print(f"wrote {len(cases)} scratch cases to {outdir}")


if __name__ == "__main__":
    main()
