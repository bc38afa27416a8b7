"""_columns.py — libgmm.fit_columns: one mixture per column of a matrix,
fitted by the library's gmm_fit_columns in parallel across the columns
(the tabular-data synthesizers' workload: one 1-D BayesianGaussianMixture
per numeric column).
"""
import ctypes
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array
from sklearn.utils.validation import _check_sample_weight

from . import _interrupt, _lib
from ._lib import Error, address, check


def fit_columns(estimator, X, sample_weight=None):
    """Fit a clone of `estimator` to each column of X, independently.

    estimator : GaussianMixture or BayesianGaussianMixture
        The specification (its parameters; it is not fitted itself). Its
        n_jobs sets the threads, which share out the columns, one fit per
        thread at a time.
    X : array-like of shape (n_samples, n_columns)
    sample_weight : array-like of shape (n_samples,), default=None
        Shared by every column.

    Returns a list of n_columns fitted estimators, the one of column c
    equal to ``clone(estimator).fit(X[:, [c]])`` (bit for bit: the same
    library fit, on one thread). A column that cannot be fitted raises
    ValueError naming it; a ConvergenceWarning counts the columns whose
    fit did not converge.
    """
    estimator._validate_params()
    X = np.ascontiguousarray(check_array(X, dtype=np.float64,
                                         ensure_min_samples=2),
                             dtype=np.float64)
    n_rows, n_columns = X.shape
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X[:, :1], dtype=np.float64, only_non_negative=True)
    if n_rows < estimator.n_components:
        raise ValueError(
            "Expected n_samples >= n_components "
            f"but got n_components = {estimator.n_components}, "
            f"n_samples = {n_rows}")
    # options holds the addresses of these arrays until the call returns.
    inits = estimator._initial_parameters(n_rows, 1)
    options = estimator._options(False, inits)
    models = (ctypes.c_void_p * n_columns)()
    statuses = (ctypes.c_int * n_columns)()
    err = Error()

    def call(watch):
        options.progress = watch.function
        return _lib.lib.gmm_fit_columns(
            ctypes.byref(options), address(X), n_rows, n_columns,
            address(sample_weight), models, statuses, ctypes.byref(err))

    check(_interrupt.run(call), err, _lib.ILL_DEFINED_COVARIANCE)
    fitted = []
    try:
        for c in range(n_columns):
            if statuses[c] != _lib.GMM_OK:
                raise ValueError(
                    f"column {c} could not be fitted: "
                    + (_lib.ILL_DEFINED_COVARIANCE
                       if statuses[c] == _lib.GMM_ERR_NUMERIC else
                       _lib.lib.gmm_strerror(statuses[c]).decode()))
            model = clone(estimator)
            model._set_fitted(models[c])
            model.n_features_in_ = 1
            fitted.append(model)
    finally:
        for handle in models:
            if handle:
                _lib.lib.gmm_model_free(handle)
    stuck = sum(not model.converged_ for model in fitted)
    if stuck and estimator.max_iter > 0:
        warnings.warn(f"{stuck} of {n_columns} column fits did not converge. "
                      "Try different init parameters, or increase max_iter, "
                      "tol or check for degenerate data.", ConvergenceWarning)
    return fitted
