"""_select.py — libgmm.select: the library's model selection (gmm_select,
`gmm select`) over numbers of components and covariance types.
"""
import ctypes
import numbers

import numpy as np
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions, \
    validate_params
from sklearn.utils.validation import _get_feature_names

from . import _interrupt, _lib
from ._lib import Error, address
from ._mixture import COVARIANCE_TYPES as ALL_COVARIANCE_TYPES
from ._mixture import GaussianMixture
from ._validation import (DTYPE, N_JOBS, RANDOM_STATE, n_threads_from,
                          seed_from)

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


def _as_list(values, what, valid):
    values = [values] if isinstance(values, (str, numbers.Integral)) \
        else list(values)
    if not values or not all(valid(v) for v in values):
        raise ValueError(f"{what} must be a non-empty list of {valid.__doc__}"
                         f", got {values!r}")
    return values


def _component_count(value):
    """integers >= 1"""
    return isinstance(value, numbers.Integral) and \
        not isinstance(value, bool) and value >= 1


def _covariance_type(value):
    """covariance types ('full', 'tied', 'diag', 'spherical' or mclust's
    names, 'EII' ... 'VVV')"""
    return value in ALL_COVARIANCE_TYPES


@validate_params({
    "X": ["array-like"],
    "criterion": [StrOptions({"bic", "aic"})],
    "tol": [Interval(numbers.Real, 0.0, None, closed="left")],
    "reg_covar": [Interval(numbers.Real, 0.0, None, closed="left")],
    "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
    "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
    "init_params": [StrOptions({"kmeans", "random", "random_from_data",
                                "k-means++"})],
    "random_state": RANDOM_STATE,
    "dtype": DTYPE,
    "n_jobs": N_JOBS,
    "equal_weights": ["boolean"],
})
def select(X, n_components=range(1, 11), covariance_types=COVARIANCE_TYPES,
           *, criterion="bic", tol=1e-6, reg_covar=1e-6, max_iter=1000,
           n_init=1, init_params="kmeans", random_state=None,
           dtype="float64", n_jobs=None, equal_weights=False):
    """Fit every pair of a covariance type and a number of components to X
    and score it by BIC or AIC on X (R mclust's workflow; `gmm select`).

    Each pair's model is exactly GaussianMixture(n_components=K,
    covariance_type=T, tol=tol, ...).fit(X)'s with the same int
    random_state, whatever n_jobs (pairs are fitted in parallel, one per
    thread). tol and max_iter default to 1e-6 and 1000, not fit's 1e-3
    and 100: a criterion compares maximized likelihoods.

    Returns (table, best): table is a list of dicts, one per pair in
    covariance-type-major order, with keys "covariance_type",
    "n_components", the criterion's name ("bic" or "aic", lower is better;
    NaN when the pair failed), "converged", "n_iter" and "error" (None, or
    why the pair could not be fitted: a collapsed component, more components
    than rows); pandas.DataFrame(table) shows it. best is the fitted
    GaussianMixture of the pair with the lowest criterion (the earlier on
    ties). Raises ValueError when no pair could be fitted.

    equal_weights (mclust's equalPro) makes every pair's weights 1 / K,
    GaussianMixture's parameter of that name; the criterion then counts no
    weights. Fixed parameters (GaussianMixture's fixed) have no place here:
    their values are initial parameters of one K and covariance type.
    """
    n_components = _as_list(n_components, "n_components", _component_count)
    covariance_types = _as_list(covariance_types, "covariance_types",
                                _covariance_type)
    feature_names = _get_feature_names(X)
    X = check_array(X, dtype=np.float64, order="C", ensure_min_samples=2,
                    estimator="select", input_name="X")
    n_rows, n_features = X.shape

    options = _lib.Options()
    _lib.lib.gmm_options_init(ctypes.byref(options))
    options.tol = tol
    options.reg_covar = reg_covar
    options.max_iter = max_iter
    options.n_init = n_init
    options.init_params = _lib.init_method_code(init_params)
    options.seed = seed_from(random_state)
    options.n_threads = n_threads_from(n_jobs)
    options.dtype = _lib.dtype_code(np.dtype(dtype).name)
    options.equal_weights = int(equal_weights)
    types = (ctypes.c_int * len(covariance_types))(
        *[_lib.covariance_type_code(t) for t in covariance_types])
    ks = (ctypes.c_size_t * len(n_components))(*n_components)
    entries = (_lib.SelectEntry * (len(types) * len(ks)))()
    best_index = ctypes.c_size_t()
    best = ctypes.c_void_p()
    err = Error()

    def call(watch):
        options.progress = watch.function
        return _lib.lib.gmm_select(
            ctypes.byref(options), types, len(types), ks, len(ks),
            _lib.criterion_code(criterion), address(X), n_rows, n_features,
            entries, ctypes.byref(best_index), ctypes.byref(best),
            ctypes.byref(err))

    status = _interrupt.run(call)
    with _lib.Model(best.value):
        _lib.check(status, err)
        best_entry = entries[best_index.value]
        estimator = GaussianMixture(
            n_components=best_entry.n_components,
            covariance_type=_lib.covariance_type_name(
                best_entry.covariance_type),
            tol=tol, reg_covar=reg_covar, max_iter=max_iter, n_init=n_init,
            init_params=init_params, random_state=random_state,
            n_jobs=n_jobs, dtype=dtype, equal_weights=equal_weights)
        estimator._set_fitted(best.value)
    estimator.n_features_in_ = n_features
    if feature_names is not None:
        estimator.feature_names_in_ = feature_names
    table = [{
        "covariance_type": _lib.covariance_type_name(entry.covariance_type),
        "n_components": entry.n_components,
        criterion: entry.score,
        "converged": bool(entry.converged),
        "n_iter": entry.n_iter,
        "error": None if entry.status == _lib.GMM_OK else
        _lib.lib.gmm_strerror(entry.status).decode(),
    } for entry in entries]
    return table, estimator
