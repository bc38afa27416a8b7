"""_mixture.py — libgmm.GaussianMixture: scikit-learn 1.2.1's
sklearn.mixture.GaussianMixture, fitted and used by the C library.

The estimator holds only what scikit-learn's holds: its parameters and,
once fitted, numpy arrays with scikit-learn's names. Every call that needs
the library builds a C model from those arrays for the length of the call
(a fit makes one from the options; predict and the others from weights_,
means_ and covariances_; warm start and save also carry converged_,
n_iter_ and lower_bound_, through the model file's JSON), so pickling,
clone and attributes set by hand all behave as in scikit-learn, and no
handle outlives a call.
"""
import ctypes
import json
import os
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as _ScikitLearnGaussianMixture
from sklearn.mixture._gaussian_mixture import (_check_means,
                                               _check_precisions,
                                               _check_weights)
from numbers import Real

from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (_check_sample_weight, check_array,
                                      check_is_fitted)

from . import _interrupt, _lib
from ._lib import Error, address, check, copy_out, new_model
from ._validation import (DTYPE, N_JOBS, RANDOM_STATE, c_array, memory_bytes,
                          n_threads_from, npy_file, seed_from,
                          unchanged_on_failure)

# The rows the library keeps in memory at a time when fit() is given a
# memmap of a whole .npy file (fit_npy's default, as `gmm fit --memory`).
MEMMAP_MEMORY = "512M"


# mclust's fourteen models (gmm.h): VVV, EEE, VVI and VII are
# scikit-learn's four under other names; the other ten store K D x D
# matrices, as "full".
MCLUST_MODELS = ("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE",
                 "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical") + MCLUST_MODELS


def storage_type(covariance_type):
    """The scikit-learn type whose arrays a covariance type's have the
    shapes of."""
    return {"VVV": "full", "EEE": "tied", "VVI": "diag",
            "VII": "spherical"}.get(
        covariance_type, covariance_type
        if covariance_type in COVARIANCE_TYPES[:4] else "full")


def covariance_shape(covariance_type, n_components, n_features):
    """The shape of covariances_ (and precisions_) for a covariance type."""
    return {"full": (n_components, n_features, n_features),
            "tied": (n_features, n_features),
            "diag": (n_components, n_features),
            "spherical": (n_components,)}[storage_type(covariance_type)]


def _precisions(precisions_cholesky, covariance_type):
    # scikit-learn's GaussianMixture._set_parameters, term for term.
    covariance_type = storage_type(covariance_type)
    if covariance_type == "full":
        return np.einsum("kij,klj->kil", precisions_cholesky,
                         precisions_cholesky)
    if covariance_type == "tied":
        return np.dot(precisions_cholesky, precisions_cholesky.T)
    return precisions_cholesky ** 2


class _VerboseReport:
    """scikit-learn's verbose output (BaseMixture._print_verbose_msg_*),
    printed as the library reports each iteration."""

    def __init__(self, verbose, verbose_interval, max_iter):
        self.verbose = verbose
        self.interval = verbose_interval
        self.max_iter = max_iter
        self.init = -1
        self.converged = False
        self.init_time = self.iter_time = time.time()

    def __call__(self, progress):
        if progress.init != self.init:
            self.init = progress.init
            print("Initialization %d" % progress.init)
        if progress.n_iter % self.interval == 0:
            if self.verbose == 1:
                print("  Iteration %d" % progress.n_iter)
            else:
                now = time.time()
                print("  Iteration %d\t time lapse %.5fs\t ll change %.5f"
                      % (progress.n_iter, now - self.iter_time,
                         progress.change))
                self.iter_time = now
        self.converged |= bool(progress.converged)
        if progress.converged or progress.n_iter == self.max_iter:
            if self.verbose == 1:
                print("Initialization converged: %s" % self.converged)
            else:
                now = time.time()
                print("Initialization converged: %s\t time lapse %.5fs\t "
                      "ll %.5f" % (self.converged, now - self.init_time,
                                   progress.lower_bound))
            # The next initialization starts now.
            self.init_time = self.iter_time = time.time()


def _check_resp(resp, n_rows, n_components):
    """init_resp as an (n_rows, n_components) array of float64."""
    resp = check_array(resp, dtype=np.float64, ensure_2d=True)
    if resp.shape != (n_rows, n_components):
        raise ValueError(
            "The parameter 'init_resp' should have the shape of "
            f"({n_rows}, {n_components}), but got {resp.shape}")
    return resp


class GaussianMixture(DensityMixin, BaseEstimator):
    """Gaussian mixture, fitted by EM in libgmm's C engine.

    A drop-in replacement for scikit-learn 1.2.1's
    ``sklearn.mixture.GaussianMixture``: the same parameters, defaults,
    methods, attributes, exceptions, warnings and verbose output, and from
    the same initial parameters the same results (to 1e-6 relative; see the
    package README). Three parameters are ours, after scikit-learn's:

    n_jobs : int or None, default=None
        OpenMP threads of the library (None: OpenMP's default; -1: all
        cores). The results do not depend on it, bit for bit.
    dtype : {"float64", "float32"}, default="float64"
        The arithmetic of the EM iterations (gmm.h, gmm_dtype): float32
        runs the per-row kernels in float, about twice as fast on large
        data, with the log-likelihood within about 1e-6 of float64's. The
        data and the fitted attributes are float64 either way.
    init_resp : array-like of shape (n_samples, n_components), default=None
        Initial responsibilities of the rows fit is given: each
        initialization starts with an M-step from them (scikit-learn's
        initial M-step, as mclust's me() starts from z) instead of
        init_params; weights_init, means_init and precisions_init still
        replace their parts. Entries finite and non-negative, each row
        summing to 1 within 1e-6 (else ValueError naming the row).
    fixed : None, str or collection of str, default=None
        Parameters EM holds fixed (gmm.h, gmm_options.fixed), any of
        "weights", "means", "covariances" but not all three: they keep
        their initial values, weights_init, means_init, precisions_init
        (each required for its part, else ValueError), and EM maximizes
        the likelihood over the others only; ("weights", "covariances")
        learns the means only. n_parameters, bic and aic count the free
        parameters only.
    equal_weights : bool, default=False
        Every weight 1 / n_components, never estimated (mclust's equalPro;
        weights_init is then not used). Not with fixed weights.
    missing : {"error", "marginalize"}, default="error"
        What NaN entries of X mean (gmm.h, gmm_missing). "error" rejects
        them as scikit-learn does ("Input X contains NaN"). "marginalize"
        takes them for values missing at random: fit runs the exact EM of
        the observed-data likelihood (each row's marginal density of its
        observed entries; the missing entries' conditional moments in the
        M-step), predict, predict_proba, score_samples and score use the
        rows' marginals, and impute fills the missing entries in.
        Initialization reads the data with missing entries replaced by
        their column's mean. Inf is an error either way, and so is a row
        with every entry missing. fit_npy (and fit on a memmap) streams
        such data too, with the in-memory fit's result bit for bit.
    learning_decay : float in (0.5, 1], default=0.6
    learning_offset : float >= 0, default=1.0
        partial_fit's step weights (t + learning_offset) ** -learning_decay
        (gmm.h, gmm_partial_fit; the names of scikit-learn's
        LatentDirichletAllocation, whose online steps have this form).

    What differs from scikit-learn, by design:

    - The random streams are the library's own: random_state (an int,
      None, a RandomState or a Generator) is turned into one seed, the int
      itself when it is one, so the same random_state gives the same model
      every time, but not scikit-learn's model from the same random_state.
    - init_params="kmeans" draws three k-means solutions and keeps the one
      whose initial mixture is the most likely (scikit-learn draws one).
    - A component that receives no responsibility keeps its mean
      (scikit-learn's formula moves it to the origin); diag and tied
      covariances are computed from centred statistics, so data far from
      the origin lose no precision.
    - fit and fit_predict take sample_weight (every statistic is weighted;
      scikit-learn 1.2.1 has none), and fit_npy fits a .npy file larger than
      memory; fit given a memmap of a whole .npy file takes that path too.
    - partial_fit (which scikit-learn's GaussianMixture lacks) learns from
      one batch of rows at a time by stepwise online EM.
    - Input is converted to float64 (C-ordered float64 is used in place);
      sparse matrices are refused, as scikit-learn's GaussianMixture does.
    - predict and the other methods use weights_, means_ and covariances_
      (precisions_cholesky_ is recomputed from covariances_).
    """

    _parameter_constraints: dict = {
        **_ScikitLearnGaussianMixture._parameter_constraints,
        "random_state": RANDOM_STATE,
        "n_jobs": N_JOBS,
        "dtype": DTYPE,
        "init_resp": ["array-like", None],
        "fixed": [None, str, list, tuple, set, frozenset],
        "equal_weights": ["boolean"],
        "covariance_type": [StrOptions(set(COVARIANCE_TYPES))],
        "learning_decay": [Interval(Real, 0.5, 1, closed="right")],
        "learning_offset": [Interval(Real, 0, None, closed="left")],
        "missing": [StrOptions({"error", "marginalize"})],
    }

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        n_jobs=None,
        dtype="float64",
        init_resp=None,
        fixed=None,
        equal_weights=False,
        learning_decay=0.6,
        learning_offset=1.0,
        missing="error",
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.n_jobs = n_jobs
        self.dtype = dtype
        self.init_resp = init_resp
        self.fixed = fixed
        self.equal_weights = equal_weights
        self.learning_decay = learning_decay
        self.learning_offset = learning_offset
        self.missing = missing

    # ------------------------------------------------------------------
    # Fit
    # ------------------------------------------------------------------

    def fit(self, X, y=None, sample_weight=None):
        """Estimate the parameters with the EM algorithm (scikit-learn's
        fit), with optional non-negative sample weights. Returns self."""
        self._fit(X, sample_weight)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """fit(X), then the most probable component of each row of X."""
        X = self._fit(X, sample_weight)
        return self._predict_rows(np.ascontiguousarray(X, dtype=np.float64))

    def fit_npy(self, path, memory="512M"):
        """Fit the rows of a .npy file (float64 or float32, either byte
        order, C or Fortran order; a 1-D array is N rows of one feature)
        without loading it: the library reads at most `memory` bytes of
        rows at a time ("512M", "2G", a number of bytes; None or 0 reads
        them into memory first), in every pass. The model is fit's on the
        same rows, bit for bit. Returns self."""
        self._validate_params()
        limit = memory_bytes(memory)
        with unchanged_on_failure(self):
            self._fit_file(os.fspath(path), limit)
        return self

    # Whether partial_fit exists: online EM's M-step is the plain one, so a
    # variational subclass (whose posterior update needs the fit's priors,
    # and scikit-learn's has no partial_fit) turns it off.
    _online_em = True

    @available_if(lambda self: self._online_em)
    def partial_fit(self, X, y=None, sample_weight=None):
        """One step of stepwise online EM on the batch X (gmm.h,
        gmm_partial_fit), as scikit-learn's partial_fit: the first call
        initializes the model from its batch (init_params, random_state)
        and fixes n_features; later calls check it. A model fitted by fit
        continues from its parameters. n_iter_ counts the steps,
        lower_bound_ is the batch's mean log-likelihood before its step.
        Returns self."""
        self._validate_params()
        first = not hasattr(self, "means_")
        X = np.ascontiguousarray(self._validate_data(
            X, dtype=[np.float64, np.float32], reset=first,
            ensure_min_samples=2 if first else 1), dtype=np.float64)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, only_non_negative=True)
        n_rows, n_features = X.shape
        if first and n_rows < self.n_components:
            raise ValueError(
                "Expected n_samples >= n_components "
                f"but got n_components = {self.n_components}, "
                f"n_samples = {n_rows}")
        inits = self._initial_parameters(n_rows, n_features) if first else {}
        options = self._options(False, inits)
        err = Error()
        model = _lib.Model(None)
        with unchanged_on_failure(self), _lib.Stats(
                self.n_components, n_features, self.covariance_type,
                getattr(self, "_online_stats", None)) as state:
            def call(watch):
                options.progress = watch.function
                if first:
                    model.handle = new_model(_lib.lib.gmm_model_new,
                                             ctypes.byref(options)).handle
                else:
                    model.handle = self._model(with_fit_info=True).handle
                    check(_lib.lib.gmm_set_options(model.handle,
                                                   ctypes.byref(options),
                                                   ctypes.byref(err)), err)
                return _lib.lib.gmm_partial_fit(
                    model.handle, state.handle, address(X), n_rows,
                    n_features, address(sample_weight), ctypes.byref(err))
            with model:
                check(_interrupt.run(call), err, _lib.ILL_DEFINED_COVARIANCE)
                self._set_fitted(model.handle)
            self._online_stats = state.pack()
        return self

    def _fit(self, X, sample_weight):
        self._validate_params()
        # A memmap of a .npy file is streamed (gmm_fit_npy), missing
        # entries and all: the model is the in-memory fit's, bit for bit.
        path = npy_file(X) if sample_weight is None else None
        with unchanged_on_failure(self):
            if path is not None:
                self._fit_file(path, memory_bytes(MEMMAP_MEMORY), X)
                return X
            return self._fit_array(X, sample_weight)

    def _fit_array(self, X, sample_weight):
        # scikit-learn's validation, as its fit_predict makes it (so its
        # messages, which show the data, are the same), then float64.
        X = np.ascontiguousarray(self._validate_data(
            X, dtype=[np.float64, np.float32], ensure_min_samples=2,
            force_all_finite=self._nan_allowed()),
            dtype=np.float64)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, only_non_negative=True)
        n_rows, n_features = X.shape

        def fit(model, err):
            return _lib.lib.gmm_fit(model, address(X), n_rows, n_features,
                                    address(sample_weight), err)
        self._fit_library(n_rows, n_features, fit)
        return X

    def _fit_file(self, path, memory_limit, array=None):
        err = Error()
        n_rows, n_features = ctypes.c_size_t(), ctypes.c_size_t()
        os.stat(path)  # a missing file is FileNotFoundError, as in Python
        check(_lib.lib.gmm_npy_shape(os.fsencode(path), ctypes.byref(n_rows),
                                     ctypes.byref(n_features),
                                     ctypes.byref(err)), err)
        n_rows, n_features = n_rows.value, n_features.value
        if n_rows < 2:
            raise ValueError(
                f"Found array with {n_rows} sample(s) (shape=({n_rows}, "
                f"{n_features})) while a minimum of 2 is required by "
                f"{type(self).__name__}.")
        # What _validate_data(reset=True) records, from the file's shape.
        shape_only = np.broadcast_to(np.float64(0), (1, n_features)) \
            if array is None else array
        self._check_n_features(shape_only, reset=True)
        self._check_feature_names(shape_only, reset=True)

        def fit(model, err):
            return _lib.lib.gmm_fit_npy(model, os.fsencode(path),
                                        memory_limit, None, err)
        self._fit_library(n_rows, n_features, fit)

    def _fit_library(self, n_rows, n_features, fit):
        """The fit proper, once the data are checked: validate the initial
        parameters, run `fit` on a C model made from the options (or from
        the fitted state on a warm start), take its parameters."""
        if n_rows < self.n_components:
            raise ValueError(
                "Expected n_samples >= n_components "
                f"but got n_components = {self.n_components}, "
                f"n_samples = {n_rows}")
        warm = bool(self.warm_start) and hasattr(self, "converged_")
        # options holds the addresses of these arrays: they stay referenced
        # here until the fit has returned.
        inits = self._initial_parameters(n_rows, n_features)
        options = self._options(warm, inits)
        report = (_VerboseReport(self.verbose, self.verbose_interval,
                                 self.max_iter) if self.verbose else None)
        if report is not None and self.max_iter == 0:
            for init in range(1 if warm else self.n_init):
                print("Initialization %d" % init)
        err = Error()
        fitted = _lib.Model(None)

        def call(watch):
            options.progress = watch.function
            if warm:
                fitted.handle = self._model(with_fit_info=True).handle
                check(_lib.lib.gmm_set_options(fitted.handle,
                                               ctypes.byref(options),
                                               ctypes.byref(err)), err)
            else:
                fitted.handle = new_model(_lib.lib.gmm_model_new,
                                          ctypes.byref(options)).handle
            return fit(fitted.handle, ctypes.byref(err))

        with fitted:
            check(_interrupt.run(call, report), err,
                  _lib.ILL_DEFINED_COVARIANCE)
            self._set_fitted(fitted.handle)
        # partial_fit continues from these parameters with fresh statistics.
        self.__dict__.pop("_online_stats", None)
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                "Initialization %d did not converge. "
                "Try different init parameters, "
                "or increase max_iter, tol "
                "or check for degenerate data." % (1 if warm else self.n_init),
                ConvergenceWarning,
            )

    def _initial_parameters(self, n_rows, n_features):
        """weights_init, means_init and precisions_init, validated by
        scikit-learn's own checks (the same messages), and init_resp's
        shape (the library checks its values), as C arrays, each None
        when not given. Unlike scikit-learn, the parameters themselves are
        left as the user gave them."""
        k, covariance_type = self.n_components, self.covariance_type
        validators = {
            "init_resp": (lambda v: _check_resp(v, n_rows, k)),
            "weights_init": (lambda v: _check_weights(v, k)),
            "means_init": (lambda v: _check_means(v, k, n_features)),
            "precisions_init": (lambda v: _check_precisions(
                v, storage_type(covariance_type), k, n_features)),
        }
        return {name: None if getattr(self, name) is None else
                np.ascontiguousarray(validate(getattr(self, name)),
                                     dtype=np.float64)
                for name, validate in validators.items()}

    def _marginalizes(self):
        """Whether NaN entries are missing values (the missing option;
        a variational mixture has none)."""
        return self.missing == "marginalize"

    def _nan_allowed(self):
        """check_array's force_all_finite under the missing option."""
        return "allow-nan" if self._marginalizes() else True

    def _options(self, warm, inits):
        options = self._common_options(warm)
        options.missing = _lib.missing_code(self.missing)
        options.dtype = _lib.dtype_code(np.dtype(self.dtype).name)
        options.online_alpha = self.learning_decay
        options.online_t0 = self.learning_offset
        options.fixed, options.equal_weights = self._held()
        if not warm and inits:
            self._check_fixed_values(options.fixed, inits)
            options.weights_init = address(inits["weights_init"])
            options.means_init = address(inits["means_init"])
            options.precisions_init = address(inits["precisions_init"])
            options.init_resp = address(inits["init_resp"])
        return options

    def _held(self):
        """gmm_options.fixed and equal_weights from fixed and
        equal_weights."""
        return (_lib.fixed_code(self.fixed, type(self).__name__),
                int(self.equal_weights))

    def _check_fixed_values(self, fixed, inits):
        """A fixed part keeps its initial value, which must be given."""
        for bit, part, name in ((_lib.GMM_FIX_WEIGHTS, "weights",
                                 "weights_init"),
                                (_lib.GMM_FIX_MEANS, "means", "means_init"),
                                (_lib.GMM_FIX_COVARIANCES, "covariances",
                                 "precisions_init")):
            if fixed & bit and inits[name] is None:
                raise ValueError(
                    f"fixed={self.fixed!r} holds the {part} at {name}, "
                    f"which is None: give {name}.")

    def _common_options(self, warm):
        """The options every mixture of the package shares (not dtype or
        the initial parameters)."""
        options = _lib.Options()
        _lib.lib.gmm_options_init(ctypes.byref(options))
        options.n_components = self.n_components
        options.covariance_type = _lib.covariance_type_code(
            self.covariance_type)
        options.tol = self.tol
        options.reg_covar = self.reg_covar
        options.max_iter = self.max_iter
        options.n_init = self.n_init
        options.init_params = _lib.init_method_code(self.init_params)
        options.seed = seed_from(self.random_state)
        options.warm_start = int(warm)
        options.n_threads = n_threads_from(self.n_jobs)
        return options

    def _set_fitted(self, handle):
        """The fitted attributes, copied from a C model."""
        lib = _lib.lib
        k = lib.gmm_model_n_components(handle)
        d = lib.gmm_model_n_features(handle)
        covariance_type = _lib.covariance_type_name(
            lib.gmm_model_covariance_type(handle))
        shape = covariance_shape(covariance_type, k, d)
        self.weights_ = copy_out(lib.gmm_model_weights(handle), (k,))
        self.means_ = copy_out(lib.gmm_model_means(handle), (k, d))
        self.covariances_ = copy_out(lib.gmm_model_covariances(handle), shape)
        self.precisions_cholesky_ = copy_out(
            lib.gmm_model_precisions_cholesky(handle), shape)
        self.precisions_ = _precisions(self.precisions_cholesky_,
                                       covariance_type)
        self.converged_ = bool(lib.gmm_model_converged(handle))
        self.n_iter_ = int(lib.gmm_model_n_iter(handle))
        self.lower_bound_ = float(lib.gmm_model_lower_bound(handle))

    # ------------------------------------------------------------------
    # The fitted model, for the length of one call
    # ------------------------------------------------------------------

    def _parameter_arrays(self):
        """weights_, means_ and covariances_ as C arrays of consistent
        shapes (K and D from means_, as scikit-learn takes them)."""
        means = np.ascontiguousarray(self.means_, dtype=np.float64)
        if means.ndim != 2:
            raise ValueError(f"means_ should be 2-D, got shape {means.shape}")
        k, d = means.shape
        weights = c_array(self.weights_, (k,), "weights_")
        covariances = c_array(self.covariances_, covariance_shape(
            self.covariance_type, k, d), "covariances_")
        return weights, means, covariances

    def _model(self, with_fit_info=False):
        """A C model of the fitted attributes (a _lib.Model, to be used in
        a `with` block); with_fit_info adds converged_, n_iter_ and
        lower_bound_, which warm start and the model file need."""
        check_is_fitted(self)
        weights, means, covariances = self._parameter_arrays()
        k, d = means.shape
        if not with_fit_info:
            model = new_model(_lib.lib.gmm_model_from_params, k, d,
                              _lib.covariance_type_code(self.covariance_type),
                              address(weights), address(means),
                              address(covariances))
        else:
            text = json.dumps(self._model_file(weights, means,
                                               covariances)).encode()
            model = new_model(_lib.lib.gmm_model_from_json, text, len(text),
                              type(self).__name__.encode())
        fixed, equal_weights = self._held()
        if (fixed, equal_weights) != (0, 0) or self._marginalizes():
            # What was fixed counts in n_parameters, bic and aic; predict
            # and the others marginalize by the model's option.
            options = _lib.Options.from_buffer_copy(
                _lib.lib.gmm_model_options(model.handle).contents)
            options.fixed, options.equal_weights = fixed, equal_weights
            options.missing = _lib.missing_code(self.missing)
            err = Error()
            try:
                check(_lib.lib.gmm_set_options(model.handle,
                                               ctypes.byref(options),
                                               ctypes.byref(err)), err)
            except BaseException:
                model.__exit__()
                raise
        return model

    def _model_file(self, weights, means, covariances):
        """The model file's fields (a dict) of the fitted attributes."""
        k, d = means.shape
        lower_bound = float(self.lower_bound_)
        fields = {
            "covariance_type": self.covariance_type,
            "n_components": k,
            "n_features": d,
            "weights": weights.tolist(),
            "means": means.tolist(),
            "covariances": covariances.tolist(),
            "converged": bool(self.converged_),
            "n_iter": int(self.n_iter_),
            "lower_bound": None if lower_bound == -np.inf else lower_bound,
        }
        fixed, equal_weights = self._held()
        if fixed:
            fields["fixed"] = [part for bit, part in (
                (_lib.GMM_FIX_WEIGHTS, "weights"), (_lib.GMM_FIX_MEANS, "means"),
                (_lib.GMM_FIX_COVARIANCES, "covariances")) if fixed & bit]
        if equal_weights:
            fields["equal_weights"] = True
        return fields

    def _rows(self, X):
        """X checked against the fit as scikit-learn's predict checks it
        (the same messages), then as C-ordered float64."""
        check_is_fitted(self)
        return np.ascontiguousarray(self._validate_data(
            X, reset=False, force_all_finite=self._nan_allowed()),
            dtype=np.float64)

    def _per_row(self, function, X, width, dtype):
        """function(model, X, n, d, out, err) into a new (n,) or (n, width)
        array."""
        shape = (X.shape[0],) if width is None else (X.shape[0], width)
        out = np.empty(shape, dtype=dtype)
        err = Error()
        with self._model() as model:
            check(function(model.handle, address(X), X.shape[0], X.shape[1],
                           address(out), ctypes.byref(err)), err)
        return out

    def _per_data(self, function, X):
        """function(model, X, n, d, &value, err): one number for X."""
        X = self._rows(X)
        value = ctypes.c_double()
        err = Error()
        with self._model() as model:
            check(function(model.handle, address(X), X.shape[0], X.shape[1],
                           ctypes.byref(value), ctypes.byref(err)), err)
        return value.value

    def _predict_rows(self, X):
        labels = self._per_row(_lib.lib.gmm_predict, X, None, np.intc)
        return labels.astype(np.intp)

    # ------------------------------------------------------------------
    # Use
    # ------------------------------------------------------------------

    def predict(self, X):
        """The most probable component of each row (ties: the lowest)."""
        return self._predict_rows(self._rows(X))

    def predict_proba(self, X):
        """Posterior probability of each component for each row."""
        X = self._rows(X)
        return self._per_row(_lib.lib.gmm_predict_proba, X,
                             self.means_.shape[0], np.float64)

    def score_samples(self, X):
        """log p(x) of each row."""
        X = self._rows(X)
        return self._per_row(_lib.lib.gmm_score_samples, X, None, np.float64)

    def score(self, X, y=None):
        """Mean log-likelihood of the rows of X."""
        return self._per_data(_lib.lib.gmm_score, X)

    def impute(self, X, n_draws=None, random_state=None):
        """X with each missing entry (NaN) filled in: by its conditional
        mean under the mixture given the row's observed entries
        (sum_k p(k | x_o) E_k[x_m | x_o]); or, given n_draws, an array of
        n_draws such copies of X whose missing entries are drawn from the
        conditional mixture (multiple imputation; random_state as for
        fit). Works whatever the missing option."""
        check_is_fitted(self)
        X = np.ascontiguousarray(self._validate_data(
            X, reset=False, force_all_finite="allow-nan"), dtype=np.float64)
        err = Error()
        with self._model() as model:
            if n_draws is None:
                out = np.empty_like(X)
                check(_lib.lib.gmm_impute(model.handle, address(X), X.shape[0],
                                          X.shape[1], address(out),
                                          ctypes.byref(err)), err)
                return out
            n_draws = int(n_draws)
            if n_draws < 1:
                raise ValueError(f"n_draws must be >= 1, got {n_draws}")
            out = np.empty((n_draws,) + X.shape)
            check(_lib.lib.gmm_impute_draws(
                model.handle, address(X), X.shape[0], X.shape[1], n_draws,
                seed_from(random_state), address(out), ctypes.byref(err)), err)
            return out

    def bic(self, X):
        """Bayesian information criterion on X (lower is better)."""
        return self._per_data(_lib.lib.gmm_bic, X)

    def aic(self, X):
        """Akaike information criterion on X (lower is better)."""
        return self._per_data(_lib.lib.gmm_aic, X)

    def _n_parameters(self):
        """The number of free parameters, counted as scikit-learn does."""
        with self._model() as model:
            return int(_lib.lib.gmm_n_parameters(model.handle))

    def sample(self, n_samples=1):
        """n_samples draws (X, y), grouped by component as scikit-learn's
        are; reproducible with an int random_state (the library's own
        random stream)."""
        check_is_fitted(self)
        if n_samples < 1:
            raise ValueError(
                "Invalid value for 'n_samples': %d . The sampling requires at "
                "least one sample." % (self.n_components)
            )
        n_samples = int(n_samples)
        with self._model() as model:
            X = np.empty((n_samples, self.means_.shape[1]))
            labels = np.empty(n_samples, dtype=np.intc)
            err = Error()
            check(_lib.lib.gmm_sample(model.handle, n_samples,
                                      seed_from(self.random_state),
                                      address(X), address(labels),
                                      ctypes.byref(err)), err)
        return X, labels.astype(int)

    # ------------------------------------------------------------------
    # The model file
    # ------------------------------------------------------------------

    def save(self, path):
        """Write the model file of the `gmm` command (JSON, see the
        README), atomically: `gmm predict` and the C library read it."""
        err = Error()
        with self._model(with_fit_info=True) as model:
            check(_lib.lib.gmm_model_save(model.handle, os.fsencode(path),
                                          ctypes.byref(err)), err)

    @classmethod
    def load(cls, path, **params):
        """A fitted estimator from a model file (`gmm fit -o`, save): its
        n_components and covariance_type from the file, other parameters
        from `params`."""
        os.stat(path)  # a missing file is FileNotFoundError, as in Python
        with new_model(_lib.lib.gmm_model_load, os.fsencode(path)) as model:
            lib = _lib.lib
            estimator = cls(
                n_components=lib.gmm_model_n_components(model.handle),
                covariance_type=_lib.covariance_type_name(
                    lib.gmm_model_covariance_type(model.handle)),
                **params)
            estimator._set_fitted(model.handle)
            estimator.n_features_in_ = lib.gmm_model_n_features(model.handle)
        return estimator
