"""_kmeans.py — libgmm.KMeans: scikit-learn 1.2.1's sklearn.cluster.KMeans
(Lloyd's algorithm) on the C library's gmm_kmeans and gmm_kmeans_predict.
"""
import ctypes
import warnings

import numpy as np
from sklearn.base import (BaseEstimator, ClassNamePrefixFeaturesOutMixin,
                          ClusterMixin, TransformerMixin)
from sklearn.cluster import KMeans as _ScikitLearnKMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_array, check_random_state
from sklearn.utils.validation import (_check_sample_weight,
                                      _is_arraylike_not_scalar,
                                      check_is_fitted)

from . import _interrupt, _lib
from ._lib import Error, address, check
from ._validation import (N_JOBS, RANDOM_STATE, n_threads_from, seed_from,
                          unchanged_on_failure)

# scikit-learn 1.2.1's restarts under n_init="warn" (its default), and
# for init="random" or a callable under n_init="auto"
# (KMeans._check_params_vs_input, default_n_init).
_DEFAULT_N_INIT = 10


class KMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin,
             BaseEstimator):
    """K-means clustering (Lloyd's algorithm) in libgmm's C engine.

    scikit-learn 1.2.1's ``sklearn.cluster.KMeans``: the same parameters,
    methods, attributes and messages, plus n_jobs (OpenMP threads; the
    result does not depend on it). Where it differs:

    - algorithm is accepted for compatibility; every value runs Lloyd's
      algorithm ("elkan" gives the same clustering in exact arithmetic).
    - The random streams are the library's own (see GaussianMixture), and
      the arithmetic is float64 whatever X's dtype; cluster_centers_ takes
      X's floating dtype, as in scikit-learn.
    - verbose prints one summary line at the end, not scikit-learn's
      per-iteration lines.
    - Sparse matrices are refused (densify them first).
    """

    _parameter_constraints: dict = {
        **_ScikitLearnKMeans._parameter_constraints,
        "random_state": RANDOM_STATE,
        "n_jobs": N_JOBS,
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="warn",
        max_iter=300,
        tol=1e-4,
        verbose=0,
        random_state=None,
        copy_x=True,
        algorithm="lloyd",
        n_jobs=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    def fit(self, X, y=None, sample_weight=None):
        """Compute k-means clustering. Returns self."""
        self._validate_params()
        with unchanged_on_failure(self):
            self._fit(X, sample_weight)
        return self

    def _fit(self, X, sample_weight):
        X = self._validate_data(X, dtype=[np.float64, np.float32], order="C")
        input_dtype = X.dtype
        X = np.ascontiguousarray(X, dtype=np.float64)
        n_rows, n_features = X.shape
        if n_rows < self.n_clusters:
            raise ValueError(
                f"n_samples={n_rows} should be >= n_clusters={self.n_clusters}.")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X,
                                                 dtype=np.float64)
        n_init = self._n_init()
        if _is_arraylike_not_scalar(self.init) and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only"
                f" one init in {self.__class__.__name__} instead of "
                f"n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,  # the caller of fit
            )
        runs = [self._run(X, sample_weight, n_init)] if not callable(self.init) \
            else self._callable_runs(X, sample_weight, n_init)
        centers, labels, result = min(runs, key=lambda run: run[2].inertia)

        distinct_clusters = len(set(labels.tolist()))
        if distinct_clusters < self.n_clusters:
            warnings.warn(
                "Number of distinct clusters ({}) found smaller than "
                "n_clusters ({}). Possibly due to duplicate points "
                "in X.".format(distinct_clusters, self.n_clusters),
                ConvergenceWarning,
                stacklevel=3,  # the caller of fit
            )
        self.cluster_centers_ = centers.astype(input_dtype, copy=False)
        self._n_features_out = self.cluster_centers_.shape[0]
        self.labels_ = labels
        self.inertia_ = float(result.inertia)
        self.n_iter_ = int(result.n_iter)
        if self.verbose:
            print(f"KMeans: {self.n_iter_} iterations, inertia "
                  f"{self.inertia_}, converged: {bool(result.converged)}")

    def _n_init(self):
        # scikit-learn 1.2.1: "warn" (the default) is 10 runs with a
        # FutureWarning; "auto" is one run for k-means++, 10 otherwise.
        n_init = self.n_init
        if n_init == "warn":
            warnings.warn(
                "The default value of `n_init` will change from "
                f"{_DEFAULT_N_INIT} to 'auto' in 1.4. Set the value of `n_init`"
                " explicitly to suppress the warning",
                FutureWarning,
                stacklevel=4,  # the caller of fit
            )
            n_init = _DEFAULT_N_INIT
        if n_init == "auto":
            return 1 if (isinstance(self.init, str) and
                         self.init == "k-means++") else _DEFAULT_N_INIT
        return n_init

    def _initial_centers(self, centers, X):
        centers = check_array(centers, dtype=np.float64, order="C")
        for index, expected, what in ((0, self.n_clusters, "clusters"),
                                      (1, X.shape[1],
                                       "features of the data")):
            if centers.shape[index] != expected:
                raise ValueError(
                    f"The shape of the initial centers {centers.shape} does "
                    f"not match the number of {what} {expected}.")
        return centers

    def _callable_runs(self, X, sample_weight, n_init):
        # scikit-learn calls init(X, n_clusters, random_state) once per run.
        random_state = self.random_state
        if isinstance(random_state, np.random.Generator):
            random_state = seed_from(random_state) % 2**32
        random_state = check_random_state(random_state)
        return [self._run(X, sample_weight, 1, self.init(
            X, self.n_clusters, random_state=random_state))
            for _ in range(n_init)]

    def _run(self, X, sample_weight, n_init, init_centers=None):
        """One gmm_kmeans call: (centers, labels, result)."""
        if init_centers is None and _is_arraylike_not_scalar(self.init):
            init_centers = self.init
        if init_centers is not None:
            init_centers = self._initial_centers(init_centers, X)
        options = _lib.KMeansOptions()
        _lib.lib.gmm_kmeans_options_init(ctypes.byref(options))
        options.n_clusters = self.n_clusters
        random = isinstance(self.init, str) and self.init == "random"
        options.init = (_lib.GMM_KMEANS_INIT_RANDOM if random
                        else _lib.GMM_KMEANS_INIT_KMEANS_PLUSPLUS)
        options.n_init = n_init
        options.max_iter = self.max_iter
        options.tol = self.tol
        options.seed = seed_from(self.random_state)
        options.n_threads = n_threads_from(self.n_jobs)
        options.init_centers = address(init_centers)
        n_rows, n_features = X.shape
        centers = np.empty((self.n_clusters, n_features))
        labels = np.empty(n_rows, dtype=np.int32)
        result = _lib.KMeansResult()
        err = Error()

        def call(watch):
            options.progress = watch.function
            return _lib.lib.gmm_kmeans(
                ctypes.byref(options), address(X), n_rows, n_features,
                address(sample_weight), address(centers), address(labels),
                ctypes.byref(result), ctypes.byref(err))
        check(_interrupt.run(call), err)
        return centers, labels, result

    # ------------------------------------------------------------------
    # Use
    # ------------------------------------------------------------------

    def _check_test_data(self, X):
        check_is_fitted(self)
        return self._validate_data(X, reset=False,
                                   dtype=[np.float64, np.float32], order="C")

    def _nearest(self, X):
        """Labels and squared distances of the rows of X to their nearest
        centre, as the fit assigns them."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        centers = np.ascontiguousarray(self.cluster_centers_, dtype=np.float64)
        if centers.ndim != 2 or centers.shape[1] != X.shape[1]:
            raise ValueError(f"cluster_centers_ should have the shape "
                             f"(n_clusters, {X.shape[1]}), got {centers.shape}")
        labels = np.empty(X.shape[0], dtype=np.int32)
        distances = np.empty(X.shape[0])
        err = Error()
        check(_lib.lib.gmm_kmeans_predict(
            address(centers), centers.shape[0], address(X), X.shape[0],
            X.shape[1], n_threads_from(self.n_jobs), address(labels),
            address(distances), ctypes.byref(err)), err)
        return labels, distances

    def fit_predict(self, X, y=None, sample_weight=None):
        """fit(X), then labels_."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def predict(self, X, sample_weight=None):
        """The index of the nearest centre to each row (ties: the lowest).
        sample_weight is checked and, as in scikit-learn, not used."""
        X = self._check_test_data(X)
        _check_sample_weight(sample_weight, X, dtype=X.dtype)
        return self._nearest(X)[0]

    def fit_transform(self, X, y=None, sample_weight=None):
        """fit(X), then transform(X)."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def transform(self, X):
        """The distance of each row to each centre."""
        X = self._check_test_data(X)
        return euclidean_distances(X, self.cluster_centers_)

    def score(self, X, y=None, sample_weight=None):
        """Minus the (weighted) sum of squared distances of the rows to
        their nearest centre."""
        X = self._check_test_data(X)
        sample_weight = _check_sample_weight(sample_weight, X,
                                             dtype=np.float64)
        return -float(np.dot(sample_weight, self._nearest(X)[1]))

    def _more_tags(self):
        return {
            "_xfail_checks": {
                "check_sample_weights_invariance": (
                    "zero sample_weight is not equivalent to removing samples: "
                    "the seeding draws over all rows, so the same clusters "
                    "come in another order (scikit-learn's KMeans fails it "
                    "too and says so)"
                ),
            },
        }
