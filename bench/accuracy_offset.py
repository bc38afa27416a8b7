#!/usr/bin/python3
"""Accuracy far from the origin: the README's table.

Two unit-spread clusters are shifted by an offset; scikit-learn 1.2.1 and
libgmm each run 30 EM iterations (tol 0) from the same start on the shifted
data and on the same points shifted back (exactly) to the origin. Prints the
maximum relative covariance error of each against its own origin fit.

Usage: /usr/bin/python3 bench/accuracy_offset.py [path/to/gmm]
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture

GMM = sys.argv[1] if len(sys.argv) > 1 else "build/gmm"
ITERATIONS = 30


def ours(data, start, cov, workdir):
    data_path = os.path.join(workdir, "data.npy")
    init_path = os.path.join(workdir, "init.json")
    out_path = os.path.join(workdir, "out.json")
    np.save(data_path, data)
    with open(init_path, "w") as f:
        json.dump(start, f)
    subprocess.run([GMM, "fit", data_path, "-k", "2", "--covariance", cov,
                    "--tol", "0", "--max-iter", str(ITERATIONS),
                    "--init-model", init_path, "-o", out_path],
                   check=True, capture_output=True)
    with open(out_path) as f:
        return np.array(json.load(f)["covariances"])



def main():
    warnings.simplefilter("ignore")  # scikit-learn's convergence warnings at tol 0
    rng = np.random.RandomState(0)
    half = 1000
    X = np.vstack([rng.randn(half, 2) * [1.0, 0.5],
                   rng.randn(half, 2) * [0.7, 1.2] + [6, 3]])
    print("offset cov  scikit-learn  libgmm")
    with tempfile.TemporaryDirectory() as workdir:
        for offset in [1e4, 1e5, 1e6, 1e7, 1e9]:
            far = X + offset
            near = far - offset  # exact (Sterbenz): the same points
            for cov in ["diag", "tied"]:
                start = GaussianMixture(2, covariance_type=cov, random_state=0,
                                        max_iter=1, tol=0).fit(near)
                reference = GaussianMixture(
                    2, covariance_type=cov, tol=0, max_iter=ITERATIONS,
                    weights_init=start.weights_, means_init=start.means_,
                    precisions_init=start.precisions_).fit(near).covariances_
                try:
                    sk = GaussianMixture(
                        2, covariance_type=cov, tol=0, max_iter=ITERATIONS,
                        weights_init=start.weights_,
                        means_init=start.means_ + offset,
                        precisions_init=start.precisions_).fit(far).covariances_
                    sk_err = "%.1e" % np.max(np.abs(sk - reference) / np.abs(reference))
                except ValueError:  # "ill-defined empirical covariance"
                    sk_err = "fails"
                model = {"covariance_type": cov, "n_components": 2, "n_features": 2,
                         "weights": start.weights_.tolist(),
                         "covariances": start.covariances_.tolist()}
                a = ours(far, dict(model, means=(start.means_ + offset).tolist()), cov, workdir)
                b = ours(near, dict(model, means=start.means_.tolist()), cov, workdir)
                print("%6.0e %-5s %-13s %.1e" % (offset, cov, sk_err,
                                                  np.max(np.abs(a - b) / np.abs(b))))


if __name__ == "__main__":
    main()
