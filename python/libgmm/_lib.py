"""_lib.py — libgmm's C API (include/gmm.h) through ctypes.

The one place that knows the C library: it loads libgmm.so.0 (the copy
beside this package, else the system's), mirrors the structs the package
passes (gmm_options, gmm_kmeans_options, ...), declares every function's
argument and result types, turns a failed gmm_status into the exception a
Python user expects. (_interrupt.py runs the long calls.)

Why ctypes (DESIGN.md, "Python"): the ABI is gmm.h and nothing else (the
shared library exports exactly its functions), so one libgmm.so serves
every Python version without a compiled extension; every call through a
ctypes.CDLL releases the GIL; arrays cross as a pointer to the caller's
buffer, so C-ordered float64 data is never copied. What ctypes cannot see,
the layout of the C structs, is checked against the compiler by
tests/test_abi.py.
"""
import ctypes
import os

import numpy as np
from sklearn.exceptions import NotFittedError

# ----------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------

SONAME = "libgmm.so.0"


def _load():
    # The build tree and the install rules put the library beside the
    # package, so the package uses the library it was built with.
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), SONAME)
    return ctypes.CDLL(beside if os.path.exists(beside) else SONAME)


lib = _load()

# ----------------------------------------------------------------------------
# Constants (enum values of gmm.h; tests/test_abi.py compares them with C's)
# ----------------------------------------------------------------------------

GMM_OK = 0
GMM_ERR_NOMEM = 1
GMM_ERR_INVALID = 2
GMM_ERR_DATA = 3
GMM_ERR_NUMERIC = 4
GMM_ERR_NOT_FITTED = 5
GMM_ERR_IO = 6
GMM_ERR_FORMAT = 7
GMM_ERR_INTERRUPTED = 8
GMM_ERR_UNSUPPORTED = 9

GMM_KMEANS_INIT_KMEANS_PLUSPLUS = 0
GMM_KMEANS_INIT_RANDOM = 1

GMM_ERROR_MESSAGE_SIZE = 512

# ----------------------------------------------------------------------------
# Structs
# ----------------------------------------------------------------------------

_double_p = ctypes.POINTER(ctypes.c_double)


class Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int),
                ("message", ctypes.c_char * GMM_ERROR_MESSAGE_SIZE)]


class Progress(ctypes.Structure):
    _fields_ = [("init", ctypes.c_int),
                ("n_iter", ctypes.c_int),
                ("lower_bound", ctypes.c_double),
                ("change", ctypes.c_double),
                ("converged", ctypes.c_int),
                ("weights", _double_p),
                ("means", _double_p),
                ("covariances", _double_p)]


PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Progress),
                               ctypes.c_void_p)


class Options(ctypes.Structure):
    _fields_ = [("n_components", ctypes.c_size_t),
                ("covariance_type", ctypes.c_int),
                ("tol", ctypes.c_double),
                ("reg_covar", ctypes.c_double),
                ("max_iter", ctypes.c_int),
                ("n_init", ctypes.c_int),
                ("init_params", ctypes.c_int),
                ("seed", ctypes.c_uint64),
                ("warm_start", ctypes.c_int),
                ("n_threads", ctypes.c_int),
                ("weights_init", ctypes.c_void_p),
                ("means_init", ctypes.c_void_p),
                ("precisions_init", ctypes.c_void_p),
                ("covariances_init", ctypes.c_void_p),
                ("progress", PROGRESS_FN),
                ("progress_user_data", ctypes.c_void_p),
                ("dtype", ctypes.c_int),
                ("init_resp", ctypes.c_void_p),
                ("online_alpha", ctypes.c_double),
                ("online_t0", ctypes.c_double),
                ("weight_prior", ctypes.c_int),
                ("weight_concentration_prior", ctypes.c_double),
                ("mean_precision_prior", ctypes.c_double),
                ("mean_prior", ctypes.c_void_p),
                ("degrees_of_freedom_prior", ctypes.c_double),
                ("covariance_prior", ctypes.c_void_p),
                ("fixed", ctypes.c_uint),
                ("equal_weights", ctypes.c_int),
                ("missing", ctypes.c_int)]


class Posterior(ctypes.Structure):
    _fields_ = [("weight_prior", ctypes.c_int),
                ("weight_concentration_prior", ctypes.c_double),
                ("mean_precision_prior", ctypes.c_double),
                ("degrees_of_freedom_prior", ctypes.c_double),
                ("mean_prior", ctypes.c_void_p),
                ("covariance_prior", ctypes.c_void_p),
                ("weight_concentration", ctypes.c_void_p),
                ("mean_precision", ctypes.c_void_p),
                ("degrees_of_freedom", ctypes.c_void_p)]


class KMeansOptions(ctypes.Structure):
    _fields_ = [("n_clusters", ctypes.c_size_t),
                ("init", ctypes.c_int),
                ("n_init", ctypes.c_int),
                ("max_iter", ctypes.c_int),
                ("tol", ctypes.c_double),
                ("seed", ctypes.c_uint64),
                ("n_threads", ctypes.c_int),
                ("progress", PROGRESS_FN),
                ("progress_user_data", ctypes.c_void_p),
                ("init_centers", ctypes.c_void_p)]


class KMeansResult(ctypes.Structure):
    _fields_ = [("inertia", ctypes.c_double),
                ("n_iter", ctypes.c_int),
                ("converged", ctypes.c_int)]


class SelectEntry(ctypes.Structure):
    _fields_ = [("covariance_type", ctypes.c_int),
                ("n_components", ctypes.c_size_t),
                ("status", ctypes.c_int),
                ("score", ctypes.c_double),
                ("converged", ctypes.c_int),
                ("n_iter", ctypes.c_int)]


# ----------------------------------------------------------------------------
# Functions: (name, result type, argument types), as gmm.h declares them.
# Arrays and models are c_void_p: an address from numpy (array.ctypes.data)
# or from the library.
# ----------------------------------------------------------------------------

_p = ctypes.c_void_p
_size = ctypes.c_size_t
_int = ctypes.c_int
_str = ctypes.c_char_p
_err = ctypes.POINTER(Error)
_opts = ctypes.POINTER(Options)
_sizep = ctypes.POINTER(ctypes.c_size_t)

_PROTOTYPES = [
    ("gmm_strerror", _str, [_int]),
    ("gmm_covariance_type_name", _str, [_int]),
    ("gmm_covariance_type_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_init_method_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_dtype_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_missing_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_criterion_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_options_init", None, [_opts]),
    ("gmm_model_new", _p, [_opts, _err]),
    ("gmm_model_from_params", _p, [_size, _size, _int, _p, _p, _p, _err]),
    ("gmm_set_options", _int, [_p, _opts, _err]),
    ("gmm_model_free", None, [_p]),
    ("gmm_fit", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_fit_npy", _int, [_p, _str, _size, _p, _err]),
    ("gmm_npy_shape", _int, [_str, _sizep, _sizep, _err]),
    ("gmm_predict", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_predict_proba", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_score_samples", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_score", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_impute", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_impute_draws", _int, [_p, _p, _size, _size, _size, ctypes.c_uint64,
                                _p, _err]),
    ("gmm_bic", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_aic", _int, [_p, _p, _size, _size, _p, _err]),
    ("gmm_n_parameters", _size, [_p]),
    ("gmm_sample", _int, [_p, _size, ctypes.c_uint64, _p, _p, _err]),
    ("gmm_select", _int, [_opts, _p, _size, _p, _size, _int, _p, _size, _size,
                          _p, _sizep, ctypes.POINTER(_p), _err]),
    ("gmm_model_component_axes", _int, [_p, _size, _p, _p, _err]),
    ("gmm_model_project", _p, [_p, _p, _p, _size, _err]),
    ("gmm_model_n_components", _size, [_p]),
    ("gmm_model_options", _opts, [_p]),
    ("gmm_model_n_features", _size, [_p]),
    ("gmm_model_covariance_type", _int, [_p]),
    ("gmm_model_covariance_size", _size, [_p]),
    ("gmm_model_weights", _p, [_p]),
    ("gmm_model_means", _p, [_p]),
    ("gmm_model_covariances", _p, [_p]),
    ("gmm_model_precisions_cholesky", _p, [_p]),
    ("gmm_model_converged", _int, [_p]),
    ("gmm_model_n_iter", _int, [_p]),
    ("gmm_model_lower_bound", ctypes.c_double, [_p]),
    ("gmm_model_posterior", None, [_p, ctypes.POINTER(Posterior)]),
    ("gmm_fit_columns", _int, [_opts, _p, _size, _size, _p, _p, _p, _err]),
    ("gmm_weight_prior_parse", _int, [_str, ctypes.POINTER(_int)]),
    ("gmm_fixed_parse", _int, [_str, ctypes.POINTER(ctypes.c_uint)]),
    ("gmm_kmeans", _int, [ctypes.POINTER(KMeansOptions), _p, _size, _size, _p,
                          _p, _p, ctypes.POINTER(KMeansResult), _err]),
    ("gmm_kmeans_options_init", None, [ctypes.POINTER(KMeansOptions)]),
    ("gmm_kmeans_predict", _int, [_p, _size, _p, _size, _size, _int, _p, _p,
                                  _err]),
    ("gmm_model_save", _int, [_p, _str, _err]),
    ("gmm_model_load", _p, [_str, _err]),
    ("gmm_model_from_json", _p, [_str, _size, _str, _err]),
    ("gmm_stats_new", _p, [_size, _size, _int, _err]),
    ("gmm_stats_free", None, [_p]),
    ("gmm_stats_zero", None, [_p]),
    ("gmm_stats_accumulate", _int, [_p, _p, _p, _size, _size, _p, _err]),
    ("gmm_stats_combine", _int, [_p, _p, _err]),
    ("gmm_stats_mstep", _int, [_p, _p, _err]),
    ("gmm_stats_log_likelihood", ctypes.c_double, [_p]),
    ("gmm_stats_weight", ctypes.c_double, [_p]),
    ("gmm_stats_size", _size, [_p]),
    ("gmm_stats_pack", None, [_p, _p]),
    ("gmm_stats_unpack", _int, [_p, _p, _size, _err]),
    ("gmm_partial_fit", _int, [_p, _p, _p, _size, _size, _p, _err]),
]

for _name, _restype, _argtypes in _PROTOTYPES:
    _function = getattr(lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes

# ----------------------------------------------------------------------------
# Names to enum values, by the library's own parsers
# ----------------------------------------------------------------------------


def _parser(function, what):
    def parse(name):
        value = _int()
        if function(name.encode(), ctypes.byref(value)) != GMM_OK:
            raise ValueError(f"unknown {what} {name!r}")
        return value.value
    return parse


covariance_type_code = _parser(lib.gmm_covariance_type_parse, "covariance_type")
init_method_code = _parser(lib.gmm_init_method_parse, "init_params")
dtype_code = _parser(lib.gmm_dtype_parse, "dtype")
missing_code = _parser(lib.gmm_missing_parse, "missing")
criterion_code = _parser(lib.gmm_criterion_parse, "criterion")
weight_prior_code = _parser(lib.gmm_weight_prior_parse,
                            "weight_concentration_prior_type")


def fixed_code(fixed, owner="GaussianMixture"):
    """gmm_options.fixed from a `fixed` parameter: None, one name, or a
    collection of distinct names from "weights", "means", "covariances"
    (by the library's own parser)."""
    names = (fixed,) if isinstance(fixed, str) else tuple(fixed or ())
    value = ctypes.c_uint(0)
    if names and (not all(isinstance(name, str) for name in names) or
                  lib.gmm_fixed_parse(",".join(names).encode(),
                                      ctypes.byref(value)) != GMM_OK):
        raise ValueError(
            f"The 'fixed' parameter of {owner} must be None or a collection "
            "of distinct names from 'weights', 'means', 'covariances'. "
            f"Got {fixed!r} instead.")
    return value.value


GMM_FIX_WEIGHTS = fixed_code("weights")
GMM_FIX_MEANS = fixed_code("means")
GMM_FIX_COVARIANCES = fixed_code("covariances")


def covariance_type_name(code):
    return lib.gmm_covariance_type_name(code).decode()


# ----------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------

# scikit-learn's text for a covariance that is not positive definite
# (sklearn.mixture._gaussian_mixture._compute_precision_cholesky).
ILL_DEFINED_COVARIANCE = (
    "Fitting the mixture model failed because some components have "
    "ill-defined empirical covariance (for instance caused by singleton "
    "or collapsed samples). Try to decrease the number of components, "
    "or increase reg_covar.")

_EXCEPTIONS = {
    GMM_ERR_NOMEM: MemoryError,
    GMM_ERR_INVALID: ValueError,
    GMM_ERR_DATA: ValueError,
    GMM_ERR_NUMERIC: ValueError,
    GMM_ERR_NOT_FITTED: NotFittedError,
    GMM_ERR_IO: OSError,
    GMM_ERR_FORMAT: ValueError,
    GMM_ERR_INTERRUPTED: KeyboardInterrupt,
    GMM_ERR_UNSUPPORTED: NotImplementedError,
}


def exception(status, err, numeric_message=None):
    """The exception for a failed call: its status's type and the
    library's message, or numeric_message for a numerical failure (a fit's
    collapsed covariance, which scikit-learn words its own way)."""
    if status == GMM_ERR_NUMERIC and numeric_message is not None:
        return ValueError(numeric_message)
    message = err.message.decode(errors="replace") or \
        lib.gmm_strerror(status).decode()
    return _EXCEPTIONS.get(status, RuntimeError)(message)


def check(status, err, numeric_message=None):
    if status != GMM_OK:
        raise exception(status, err, numeric_message)


def copy_out(pointer, shape):
    """A numpy copy of the `shape` doubles the library owns at `pointer`."""
    size = 1
    for extent in shape:
        size *= extent
    buffer = (ctypes.c_double * size).from_address(pointer)
    return np.frombuffer(buffer, dtype=np.float64).reshape(shape).copy()


def address(array):
    """The address of an array's first element, or None (NULL) for None."""
    return None if array is None else array.ctypes.data


class Model:
    """A gmm_model handle, freed when the `with` block ends."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.handle:
            lib.gmm_model_free(self.handle)
            self.handle = None


class Stats:
    """A gmm_stats handle, freed when the `with` block ends; packed and
    unpacked as numpy arrays (gmm.h documents the layout)."""

    def __init__(self, n_components, n_features, covariance_type,
                 packed=None):
        err = Error()
        self.handle = lib.gmm_stats_new(n_components, n_features,
                                        covariance_type_code(covariance_type),
                                        ctypes.byref(err))
        if not self.handle:
            raise exception(err.status, err)
        if packed is not None:
            packed = np.ascontiguousarray(packed, dtype=np.float64)
            status = lib.gmm_stats_unpack(self.handle, address(packed),
                                          packed.size, ctypes.byref(err))
            if status != GMM_OK:
                self.__exit__()
                raise exception(status, err)

    def pack(self):
        values = np.empty(lib.gmm_stats_size(self.handle))
        lib.gmm_stats_pack(self.handle, address(values))
        return values

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.handle:
            lib.gmm_stats_free(self.handle)
            self.handle = None


def new_model(function, *args):
    """Model(function(*args, err)), or the exception for its failure."""
    err = Error()
    handle = function(*args, ctypes.byref(err))
    if not handle:
        raise exception(err.status, err)
    return Model(handle)
