"""_validation.py — what the estimators ask of their arguments before a
pointer reaches C: parameter constraints beyond scikit-learn's, random
states turned into the library's seed, n_jobs into threads, memory sizes,
parameter arrays of checked shape, and the .npy file behind a memmap.

Data arrays themselves go through scikit-learn's own check_array
(BaseEstimator._validate_data), so every message about them is
scikit-learn's.
"""
import contextlib
import mmap
import numbers
import re

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
from sklearn.utils._param_validation import Interval, Options, StrOptions

# random_state: scikit-learn's (None, an int in [0, 2**32 - 1], a
# RandomState) and also a numpy Generator.
RANDOM_STATE = ["random_state", np.random.Generator]
# n_jobs: joblib's convention (None: OpenMP's default, -1 all cores, -2
# all but one, ...); 0 means nothing.
N_JOBS = [None, Interval(numbers.Integral, 1, None, closed="left"),
          Interval(numbers.Integral, None, -1, closed="right")]
# dtype of the EM arithmetic: a name or the numpy type.
DTYPE = [StrOptions({"float64", "float32"}),
         Options(type, {np.float64, np.float32})]

_SEED_BOUND = np.iinfo(np.int64).max


def seed_from(random_state):
    """The library's 64-bit seed for a random_state.

    An int is the seed itself, so random_state=S gives what `gmm fit --seed
    S` gives. None (numpy's global RandomState), a RandomState or a
    Generator are drawn from once, so they advance as scikit-learn's do; the
    library's random streams are its own, not numpy's.
    """
    if isinstance(random_state, numbers.Integral) and \
            not isinstance(random_state, bool):
        return int(random_state)
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(_SEED_BOUND, dtype=np.int64))
    generator = check_random_state(random_state)
    return int(generator.randint(_SEED_BOUND, dtype=np.int64))


def n_threads_from(n_jobs):
    """OpenMP threads for n_jobs, as scikit-learn's OpenMP estimators count
    them (OMP_NUM_THREADS and threadpoolctl limits included)."""
    return int(_openmp_effective_n_threads(n_jobs))


_SIZE = re.compile(r"(\d+)([KMGT]?)", re.IGNORECASE)
_UNITS = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def memory_bytes(memory):
    """Bytes for a memory limit: None or 0 (read the rows into memory), a
    number of bytes, or a size as `gmm fit --memory` takes it ("512M",
    "2G"; K, M, G, T in either case are powers of 1024)."""
    if memory is None:
        return 0
    if isinstance(memory, numbers.Integral) and not isinstance(memory, bool):
        if memory < 0:
            raise ValueError(f"memory must be >= 0 bytes, got {memory}")
        return int(memory)
    match = _SIZE.fullmatch(memory) if isinstance(memory, str) else None
    if match is None:
        raise ValueError(
            f"memory must be a number of bytes or a size such as '512M' or "
            f"'2G', got {memory!r}")
    return int(match.group(1)) * 1024 ** _UNITS[match.group(2).upper()]


@contextlib.contextmanager
def unchanged_on_failure(estimator):
    """A `with` block after which the estimator is as it was before, if
    the block failed or was interrupted (validation records n_features_in_
    before the fit proper)."""
    before = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(before)
        raise


def c_array(values, shape, name):
    """values as a C-ordered float64 array of exactly `shape`, for C to read
    (anything else is refused here, before C could read out of bounds)."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.shape != tuple(shape):
        raise ValueError(f"{name} should have the shape {tuple(shape)}, "
                         f"got {array.shape}")
    return array


def npy_file(X):
    """The path of the .npy file X maps, whole and as stored, or None.

    That is the array np.load(path, mmap_mode="r" or "r+") returns (not a
    slice of it, not a copy-on-write map whose values may differ from the
    file's): the library can then read the file itself, window by window.
    """
    if not (isinstance(X, np.memmap) and isinstance(X.base, mmap.mmap)
            and X.ndim == 2 and X.mode in ("r", "r+") and X.filename
            and X.dtype.kind == "f" and X.dtype.itemsize in (4, 8)):
        return None
    readers = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}
    try:
        with open(X.filename, "rb") as f:
            reader = readers.get(np.lib.format.read_magic(f))
            if reader is None:
                return None
            shape, fortran_order, dtype = reader(f)
            header_size = f.tell()
    except (OSError, ValueError):
        return None
    as_stored = X.flags.f_contiguous if fortran_order else X.flags.c_contiguous
    if (header_size, shape, dtype) != (X.offset, X.shape, X.dtype) or \
            not as_stored:
        return None
    return X.filename
