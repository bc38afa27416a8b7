"""libgmm.dask — EM over a dask.array: each chunk's sufficient statistics
computed by the C library where the chunk lives (a Dask worker), summed by
Dask, the M-step on the client (gmm.h, "Sufficient statistics"). Only
K(1 + 2D + Q) + 2 numbers per chunk travel per iteration, never rows.

    import libgmm.dask
    model = libgmm.dask.fit(X, n_components=8)   # X: a dask.array, N x D

Imported on its own (``import libgmm.dask``), so that libgmm works where
Dask is not installed. With a ``distributed.Client`` active, Dask's
computations run on its cluster; otherwise on Dask's default scheduler.
"""
import ctypes

import dask
import numpy as np

from . import _lib
from ._lib import Error, address, check, new_model
from ._mixture import GaussianMixture


def _options(n_components, covariance_type, reg_covar, dtype):
    options = _lib.Options()
    _lib.lib.gmm_options_init(ctypes.byref(options))
    options.n_components = n_components
    options.covariance_type = _lib.covariance_type_code(covariance_type)
    options.reg_covar = reg_covar
    options.dtype = _lib.dtype_code(np.dtype(dtype).name)
    options.n_threads = 1  # a worker's threads are Dask's to share out
    return options


def _model(params, covariance_type, options):
    """A C model of (weights, means, covariances) with these options."""
    weights, means, covariances = params
    k, d = means.shape
    model = new_model(_lib.lib.gmm_model_from_params, k, d,
                      _lib.covariance_type_code(covariance_type),
                      address(weights), address(means), address(covariances))
    err = Error()
    check(_lib.lib.gmm_set_options(model.handle, ctypes.byref(options),
                                   ctypes.byref(err)), err)
    return model


def _chunk_statistics(block, params, covariance_type, reg_covar, dtype):
    """The packed statistics of one chunk of rows under the model (on a
    worker)."""
    X = np.ascontiguousarray(block, dtype=np.float64)
    k, d = params[1].shape
    options = _options(k, covariance_type, reg_covar, dtype)
    err = Error()
    with _model(params, covariance_type, options) as model, \
            _lib.Stats(k, d, covariance_type) as stats:
        if X.shape[0] > 0:
            check(_lib.lib.gmm_stats_accumulate(
                stats.handle, model.handle, address(X), X.shape[0], d, None,
                ctypes.byref(err)), err)
        return stats.pack()


def _add(shift_count):
    """Adds packed statistics of one model: every sum, and one copy of
    the shifts (the last shift_count values, equal in all; an empty
    chunk's are zeros and its sums too)."""
    def add(*packed):
        total = packed[0].copy()
        for other in packed[1:]:
            if not total[-shift_count - 1] > 0:  # no rows yet: no shifts
                total[-shift_count:] = other[-shift_count:]
            total[:-shift_count] += other[:-shift_count]
        return total
    return add


def _tree_sum(items, add, arity=8):
    while len(items) > 1:
        items = [dask.delayed(add)(*items[i:i + arity])
                 for i in range(0, len(items), arity)]
    return items[0]


def _initial(X, n_components, covariance_type, reg_covar, random_state,
             init):
    """(weights, means, covariances) to start from: init's (a fitted
    GaussianMixture, or a dict of weights, means and covariances), or
    the library's initialization on X's first chunk."""
    if init is None:
        first = np.asarray(X.blocks[0].compute())
        init = GaussianMixture(n_components, covariance_type=covariance_type,
                               reg_covar=reg_covar, max_iter=0,
                               random_state=random_state).fit(first)
    if isinstance(init, GaussianMixture):
        init = dict(weights=init.weights_, means=init.means_,
                    covariances=init.covariances_)
    return tuple(np.ascontiguousarray(init[name], dtype=np.float64)
                 for name in ("weights", "means", "covariances"))


def fit(X, n_components=1, *, covariance_type="full", tol=1e-3,
        reg_covar=1e-6, max_iter=100, init=None, random_state=None,
        dtype="float64"):
    """Fit a Gaussian mixture to the rows of a dask.array X (N x D, any
    chunks along the rows) by EM, scikit-learn's iterations and stopping
    rule (gmm_fit's): per iteration one pass of Dask over X's chunks,
    statistics summed by Dask, the M-step on the client.

    init: where EM starts: a fitted GaussianMixture or a dict of
    ``weights``, ``means``, ``covariances`` (its shapes); None: the
    library's initialization (init_params kmeans, random_state) on X's
    first chunk. max_iter >= 1. From the same start the model is the in-memory fit's
    (GaussianMixture.fit with warm start from that model) up to the order
    of the sums (1e-12 relative in the tests). Returns a fitted
    GaussianMixture."""
    import dask.array as da
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    X = da.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X should be 2-D, got shape {X.shape}")
    X = X.rechunk({1: -1})
    n_rows, n_features = X.shape
    params = _initial(X, n_components, covariance_type, reg_covar,
                      random_state, init)
    options = _options(n_components, covariance_type, reg_covar, dtype)
    with _lib.Stats(n_components, n_features, covariance_type) as stats:
        add = _add(n_components * n_features)
        chunks = list(X.to_delayed().ravel())
        lower_bound, converged, n_iter = -np.inf, False, 0
        err = Error()
        for n_iter in range(1, max_iter + 1):
            shared = dask.delayed(params, pure=True)
            parts = [dask.delayed(_chunk_statistics, pure=True)(
                chunk, shared, covariance_type, reg_covar, dtype)
                for chunk in chunks]
            packed = _tree_sum(parts, add).compute()
            check(_lib.lib.gmm_stats_unpack(stats.handle, address(packed),
                                            packed.size, ctypes.byref(err)),
                  err)
            previous = lower_bound
            lower_bound = (_lib.lib.gmm_stats_log_likelihood(stats.handle) /
                           _lib.lib.gmm_stats_weight(stats.handle))
            with new_model(_lib.lib.gmm_model_new,
                           ctypes.byref(options)) as model:
                check(_lib.lib.gmm_stats_mstep(model.handle, stats.handle,
                                               ctypes.byref(err)), err,
                      _lib.ILL_DEFINED_COVARIANCE)
                estimator = GaussianMixture(
                    n_components, covariance_type=covariance_type, tol=tol,
                    reg_covar=reg_covar, max_iter=max_iter,
                    random_state=random_state, dtype=dtype)
                estimator._set_fitted(model.handle)
            params = (estimator.weights_, estimator.means_,
                      estimator.covariances_)
            if abs(lower_bound - previous) < tol:
                converged = True
                break
    estimator.converged_ = converged
    estimator.n_iter_ = n_iter
    estimator.lower_bound_ = float(lower_bound)
    estimator.n_features_in_ = n_features
    return estimator
