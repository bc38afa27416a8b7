"""_bayesian.py — libgmm.BayesianGaussianMixture: scikit-learn 1.2.1's
sklearn.mixture.BayesianGaussianMixture, fitted by variational inference in
the C library (gmm.h, gmm_options.weight_prior).

It is GaussianMixture's machinery (validation, the fit in a worker thread
for Ctrl-C, a C model per call, the model file) with the variational
options: the priors go to the library as they are given (None as its
default, which derives them from the data as scikit-learn does), and the
posterior comes back as scikit-learn's attributes. Every C model of a
fitted estimator is made from its model file's JSON, posterior included,
since predict and score use the posterior's expected log-weights, not
weights_.
"""
import ctypes

import numpy as np
from sklearn.mixture import \
    BayesianGaussianMixture as _ScikitLearnBayesianGaussianMixture
from sklearn.mixture._base import _check_shape
from sklearn.mixture._gaussian_mixture import (_check_precision_matrix,
                                               _check_precision_positivity)
from sklearn.utils import check_array

from . import _lib
from ._lib import address, copy_out
from ._mixture import GaussianMixture, _check_resp
from ._validation import N_JOBS, RANDOM_STATE


class BayesianGaussianMixture(GaussianMixture):
    """Variational Bayesian Gaussian mixture in libgmm's C engine.

    A drop-in replacement for scikit-learn 1.2.1's
    ``sklearn.mixture.BayesianGaussianMixture``: the same parameters,
    defaults, attributes (weight_concentration_, mean_precision_,
    degrees_of_freedom_, mean_prior_, covariance_prior_, ... with its
    shapes) and lower_bound_, and from the same initial responsibilities
    the same results (to 1e-6 relative). Ours, after scikit-learn's:
    init_resp (initial responsibilities, n_samples x n_components, as
    GaussianMixture's: the first posterior is scikit-learn's _initialize
    from them), n_jobs (OpenMP threads; results do not depend on it),
    sample_weight in fit (relative weights: rescaled to sum to the number
    of rows), fit_npy.
    The random streams and the kmeans initialization are GaussianMixture's
    (see its documentation). The arithmetic is float64.
    """

    _online_em = False  # no partial_fit (scikit-learn's has none either)

    _parameter_constraints: dict = {
        **_ScikitLearnBayesianGaussianMixture._parameter_constraints,
        "random_state": RANDOM_STATE,
        "n_jobs": N_JOBS,
        "init_resp": ["array-like", None],
    }

    def __init__(
        self,
        *,
        n_components=1,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        init_resp=None,
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=None,
        mean_precision_prior=None,
        mean_prior=None,
        degrees_of_freedom_prior=None,
        covariance_prior=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        n_jobs=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.init_resp = init_resp
        self.weight_concentration_prior_type = weight_concentration_prior_type
        self.weight_concentration_prior = weight_concentration_prior
        self.mean_precision_prior = mean_precision_prior
        self.mean_prior = mean_prior
        self.degrees_of_freedom_prior = degrees_of_freedom_prior
        self.covariance_prior = covariance_prior
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.n_jobs = n_jobs

    # scikit-learn's BayesianGaussianMixture has no information criteria
    # (nor partial_fit: _online_em above).
    @property
    def bic(self):
        raise AttributeError("'BayesianGaussianMixture' object has no "
                             "attribute 'bic'")

    @property
    def aic(self):
        raise AttributeError("'BayesianGaussianMixture' object has no "
                             "attribute 'aic'")

    def _marginalizes(self):
        return False

    def _initial_parameters(self, n_rows, n_features):
        """The given priors, checked as scikit-learn's _check_parameters
        checks them (its messages), and init_resp's shape, as C arrays
        (None: the default)."""
        if self.degrees_of_freedom_prior is not None and \
                not self.degrees_of_freedom_prior > n_features - 1.0:
            raise ValueError(
                "The parameter 'degrees_of_freedom_prior' "
                "should be greater than %d, but got %.3f."
                % (n_features - 1, self.degrees_of_freedom_prior))
        arrays = {"mean_prior": None, "covariance_prior": None,
                  "init_resp": None if self.init_resp is None else
                  _check_resp(self.init_resp, n_rows, self.n_components)}
        if self.mean_prior is not None:
            mean = check_array(self.mean_prior, dtype=[np.float64, np.float32],
                               ensure_2d=False)
            _check_shape(mean, (n_features,), "means")
            arrays["mean_prior"] = mean
        cov, covariance_type = self.covariance_prior, self.covariance_type
        if cov is not None and covariance_type in ("full", "tied"):
            cov = check_array(cov, dtype=[np.float64, np.float32],
                              ensure_2d=False)
            _check_shape(cov, (n_features, n_features),
                         "%s covariance_prior" % covariance_type)
            _check_precision_matrix(cov, covariance_type)
        elif cov is not None and covariance_type == "diag":
            cov = check_array(cov, dtype=[np.float64, np.float32],
                              ensure_2d=False)
            _check_shape(cov, (n_features,),
                         "%s covariance_prior" % covariance_type)
            _check_precision_positivity(cov, covariance_type)
        arrays["covariance_prior"] = cov
        return {name: None if value is None else
                np.ascontiguousarray(value, dtype=np.float64)
                for name, value in arrays.items()}

    def _held(self):
        # A variational fit holds nothing fixed (gmm.h, gmm_options.fixed).
        return 0, 0

    def _options(self, warm, inits):
        options = self._common_options(warm)
        options.weight_prior = _lib.weight_prior_code(
            self.weight_concentration_prior_type)
        for name in ("weight_concentration_prior", "mean_precision_prior",
                     "degrees_of_freedom_prior"):
            value = getattr(self, name)
            setattr(options, name, np.nan if value is None else float(value))
        options.mean_prior = address(inits["mean_prior"])
        options.covariance_prior = address(inits["covariance_prior"])
        if not warm:
            options.init_resp = address(inits["init_resp"])
        return options

    def _set_fitted(self, handle):
        super()._set_fitted(handle)
        lib = _lib.lib
        k = lib.gmm_model_n_components(handle)
        d = lib.gmm_model_n_features(handle)
        post = _lib.Posterior()
        lib.gmm_model_posterior(handle, ctypes.byref(post))
        if post.weight_prior == _lib.weight_prior_code("dirichlet_process"):
            a, b = copy_out(post.weight_concentration, (2, k))
            self.weight_concentration_ = (a, b)
        else:
            self.weight_concentration_ = copy_out(post.weight_concentration,
                                                  (k,))
        self.mean_precision_ = copy_out(post.mean_precision, (k,))
        dof = copy_out(post.degrees_of_freedom, (k,))
        self.degrees_of_freedom_ = (np.float64(dof[0])
                                    if self.covariance_type == "tied" else dof)
        self.weight_concentration_prior_ = post.weight_concentration_prior
        self.mean_precision_prior_ = post.mean_precision_prior
        self.degrees_of_freedom_prior_ = post.degrees_of_freedom_prior
        self.mean_prior_ = copy_out(post.mean_prior, (d,))
        prior_shape = {"full": (d, d), "tied": (d, d), "diag": (d,),
                       "spherical": (1,)}[self.covariance_type]
        cov = copy_out(post.covariance_prior, prior_shape)
        self.covariance_prior_ = (float(cov[0])
                                  if self.covariance_type == "spherical" else cov)

    def _model(self, with_fit_info=False):
        # The posterior decides every prediction: always the model file.
        return super()._model(with_fit_info=True)

    def _model_file(self, weights, means, covariances):
        fields = super()._model_file(weights, means, covariances)
        k = means.shape[0]
        concentration = np.asarray(self.weight_concentration_, dtype=float)
        fields.update({
            "weight_concentration_prior_type":
                self.weight_concentration_prior_type,
            "weight_concentration_prior":
                float(self.weight_concentration_prior_),
            "mean_precision_prior": float(self.mean_precision_prior_),
            "degrees_of_freedom_prior": float(self.degrees_of_freedom_prior_),
            "mean_prior": np.asarray(self.mean_prior_, dtype=float).tolist(),
            "covariance_prior": np.asarray(self.covariance_prior_,
                                           dtype=float).tolist(),
            "weight_concentration": concentration.tolist(),
            "mean_precision": np.asarray(self.mean_precision_,
                                         dtype=float).tolist(),
            "degrees_of_freedom": np.broadcast_to(np.asarray(
                self.degrees_of_freedom_, dtype=float), (k,)).tolist(),
        })
        return fields
