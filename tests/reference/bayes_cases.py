#!/usr/bin/python3
"""Reference variational fits from scikit-learn 1.2.1's BayesianGaussianMixture.

Writes one JSON file per case into OUTDIR: the data, the options, the
initial responsibilities (init_resp) and scikit-learn's results. scikit-learn starts from those responsibilities
(its _initialize_parameters overridden to call _initialize with them),
libgmm from the same (gmm_options.init_resp), so both run the same
iterations.

Usage: /usr/bin/python3 bayes_cases.py FAITHFUL_CSV OUTDIR
"""
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from sklearn_cases import COVARIANCE_TYPES, blobs, write_cases

PRIORS = ["dirichlet_process", "dirichlet_distribution"]
# scikit-learn's fitted attributes (_get_parameters and _set_parameters'
# results, and the priors _check_parameters resolves), whose types and
# shapes the Python package's tests compare.
START = ["weights_", "means_", "covariances_", "precisions_cholesky_",
         "weight_concentration_", "mean_precision_", "degrees_of_freedom_",
         "mean_prior_", "covariance_prior_", "weight_concentration_prior_",
         "mean_precision_prior_", "degrees_of_freedom_prior_"]


def initial_resp(X, k, init, seed):
    n = X.shape[0]
    if init == "kmeans":
        resp = np.zeros((n, k))
        labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(X).labels_
        resp[np.arange(n), labels] = 1
        return resp
    resp = np.random.RandomState(seed).uniform(size=(n, k))
    return resp / resp.sum(axis=1)[:, np.newaxis]


class FixedStart(BayesianGaussianMixture):
    """scikit-learn's estimator started from given responsibilities."""

    def __init__(self, start_resp=None, **kwargs):
        super().__init__(**kwargs)
        self.start_resp = start_resp

    def _initialize_parameters(self, X, random_state):
        self._initialize(X, self.start_resp)


def case(name, X, k, cov, prior, init="kmeans", seed=0, **options):
    resp = initial_resp(X, k, init, seed)
    options.setdefault("tol", 1e-3)
    options.setdefault("reg_covar", 1e-6)
    options.setdefault("max_iter", 100)
    bgm = FixedStart(n_components=k, covariance_type=cov,
                     weight_concentration_prior_type=prior, **options)
    bgm.start_resp = resp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        bgm.fit(X)

    def listed(value):
        return np.asarray(value, dtype=float).tolist()

    priors = {key: listed(value) if not np.isscalar(value) else float(value)
              for key, value in options.items()
              if key in ("weight_concentration_prior", "mean_precision_prior",
                         "mean_prior", "degrees_of_freedom_prior",
                         "covariance_prior")}
    return {
        "name": name,
        "sklearn_version": sklearn.__version__,
        "X": X.tolist(),
        "n_components": k,
        "covariance_type": cov,
        "weight_prior": prior,
        "tol": options["tol"],
        "reg_covar": options["reg_covar"],
        "max_iter": options["max_iter"],
        "priors": priors,
        "init_resp": listed(resp),
        "expected": {
            "weights": listed(bgm.weights_),
            "means": listed(bgm.means_),
            "covariances": listed(bgm.covariances_),
            "precisions_cholesky": listed(bgm.precisions_cholesky_),
            "weight_concentration": listed(bgm.weight_concentration_),
            "mean_precision": listed(bgm.mean_precision_),
            "degrees_of_freedom": listed(np.broadcast_to(bgm.degrees_of_freedom_, (k,))),
            "mean_prior": listed(bgm.mean_prior_),
            "covariance_prior": listed(bgm.covariance_prior_),
            "converged": bool(bgm.converged_),
            "n_iter": int(bgm.n_iter_),
            # -inf (max_iter 0) as null: JSON has no infinities.
            "lower_bound": (float(bgm.lower_bound_)
                            if np.isfinite(bgm.lower_bound_) else None),
            "labels": bgm.predict(X).tolist(),
            "predict_proba": listed(bgm.predict_proba(X)),
            "score_samples": listed(bgm.score_samples(X)),
        },
    }


def all_cases(faithful):
    cases = []
    for prior in PRIORS:
        short = "dp" if prior == "dirichlet_process" else "dd"
        for cov in COVARIANCE_TYPES:
            cases.append(case(f"bayes-{short}-faithful-k3-{cov}", faithful, 3,
                              cov, prior))
            cases.append(case(f"bayes-{short}-blobs-d3-k5-{cov}",
                              blobs(1, 600, 3, 3, 4.0), 5, cov, prior))
            cases.append(case(f"bayes-{short}-blobs-d8-k4-{cov}-random",
                              blobs(6, 500, 8, 4, 3.0), 4, cov, prior,
                              init="random", seed=2, tol=1e-6, max_iter=300))
            d = 2
            cov_prior = {"full": np.array([[2.0, 0.3], [0.3, 1.0]]),
                         "tied": np.array([[2.0, 0.3], [0.3, 1.0]]),
                         "diag": np.array([2.0, 1.0]), "spherical": 1.5}[cov]
            cases.append(case(f"bayes-{short}-blobs-d2-k4-{cov}-priors",
                              blobs(4, 400, d, 3, 3.0), 4, cov, prior,
                              weight_concentration_prior=0.001,
                              mean_precision_prior=0.5,
                              mean_prior=np.array([0.5, -0.5]),
                              degrees_of_freedom_prior=3.5,
                              covariance_prior=cov_prior, tol=0.0,
                              max_iter=25))
    # The synthesizers' shape: one feature, 10 components, a tiny
    # concentration.
    for seed in range(2):
        rng = np.random.RandomState(seed)
        x = np.concatenate([rng.normal(0, 1, 700), rng.normal(6, 0.5, 300),
                            rng.exponential(2.0, 500) + 10])[:, np.newaxis]
        cases.append(case(f"bayes-dp-column{seed}-k10-full", x, 10, "full",
                          "dirichlet_process", weight_concentration_prior=0.001))
    return cases


if __name__ == "__main__":
    write_cases(all_cases)
