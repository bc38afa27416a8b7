"""test_arrays.py — what reaches the library, and what never does.

Any array-like is accepted and converted once (C-ordered float64 is used
in place, not copied); bad data and bad parameters raise the exception and
message scikit-learn 1.2.1's GaussianMixture raises, before any pointer is
passed; property-based tests feed the conversion random shapes, dtypes,
layouts and values, and the interpreter survives every one.
"""
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as ScikitLearnGaussianMixture

import libgmm
from conftest import outcome, python_peak
from sklearn_cases import blobs


def _same_outcome(make_call):
    """make_call(cls) fails for ours exactly as for scikit-learn's."""
    theirs = outcome(make_call(ScikitLearnGaussianMixture))
    assert theirs is not None, "scikit-learn accepted it"
    assert outcome(make_call(libgmm.GaussianMixture)) == theirs


# ----------------------------------------------------------------------------
# Array-likes
# ----------------------------------------------------------------------------

def _layouts(X):
    read_only = X.copy()
    read_only.setflags(write=False)
    return {
        "list": X.tolist(),
        "tuple": tuple(map(tuple, X)),
        "fortran": np.asfortranarray(X),
        "strided": np.repeat(X, 2, axis=0)[::2],
        "float32": X.astype(np.float32),
        "int64": X.astype(np.int64),
        "int32": X.astype(np.int32),
        "read-only": read_only,
        "frame": pd.DataFrame(X),
    }


@pytest.mark.parametrize("layout", sorted(_layouts(np.zeros((1, 1)))))
def test_array_likes_give_the_float64_model(layout):
    X = np.round(blobs(2, 200, 3, 2, 3.0) * 8)  # exact in every dtype
    data = _layouts(X)[layout]
    reference = libgmm.GaussianMixture(2, random_state=0).fit(X)
    model = libgmm.GaussianMixture(2, random_state=0).fit(data)
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_array_equal(getattr(model, name),
                                      getattr(reference, name))
    np.testing.assert_array_equal(model.predict(data), reference.predict(X))
    np.testing.assert_array_equal(model.score_samples(data),
                                  reference.score_samples(X))


def test_read_only_memmap(tmp_path):
    X = blobs(2, 300, 3, 2, 3.0)
    path = tmp_path / "rows.bin"
    X.tofile(path)
    mapped = np.memmap(path, dtype=np.float64, mode="r", shape=X.shape)
    reference = libgmm.GaussianMixture(2, random_state=0).fit(X)
    model = libgmm.GaussianMixture(2, random_state=0).fit(mapped)
    np.testing.assert_array_equal(model.means_, reference.means_)
    np.testing.assert_array_equal(model.predict(mapped), reference.predict(X))


def test_c_ordered_float64_is_not_copied():
    X = blobs(3, 200_000, 4, 3, 3.0)  # 6.4 MB
    model = libgmm.GaussianMixture(3, random_state=0, max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        in_place = python_peak(lambda: model.fit(X))
        copied = python_peak(lambda: model.fit(np.asfortranarray(X)))
        predict = python_peak(lambda: model.score(X))
    assert in_place < 0.05 * X.nbytes, in_place
    assert predict < 0.05 * X.nbytes, predict
    assert copied >= X.nbytes  # the measure sees a copy where one is made


# ----------------------------------------------------------------------------
# Bad data: scikit-learn's exceptions and messages
# ----------------------------------------------------------------------------

BAD_DATA = {
    "1-D": np.arange(10.0),
    "3-D": np.zeros((4, 3, 2)),
    "no rows": np.zeros((0, 3)),
    "one row": np.zeros((1, 3)),
    "no columns": np.zeros((5, 0)),
    "strings": np.array([["a", "b"], ["c", "d"], ["e", "f"]], dtype=object),
    "objects": np.array([[1.0, None], [2.0, 3.0], [4.0, 5.0]], dtype=object),
    "complex": np.ones((5, 2), dtype=complex),
    "NaN": np.array([[1.0, 2.0], [np.nan, 1.0], [3.0, 4.0]]),
    "infinity": np.array([[1.0, 2.0], [np.inf, 1.0], [3.0, 4.0]]),
    "-infinity": np.array([[1.0, 2.0], [-np.inf, 1.0], [3.0, 4.0]]),
    "ragged": [[1.0, 2.0], [3.0]],
    "sparse": scipy.sparse.csr_matrix(np.eye(4)),
    "k > n": np.arange(6.0).reshape(3, 2),
    "a string": "not data",
}


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_bad_data_fails_as_in_scikit_learn(case):
    X = BAD_DATA[case]
    _same_outcome(lambda cls: lambda: cls(4).fit(X))


@pytest.mark.parametrize("case", sorted(set(BAD_DATA) - {"one row", "k > n"}))
def test_bad_data_to_a_fitted_model(case, faithful):
    X = BAD_DATA[case]
    for method in ("predict", "predict_proba", "score_samples", "score"):
        _same_outcome(lambda cls: lambda: getattr(
            cls(2, random_state=0).fit(faithful), method)(X))


def test_wrong_width_fails_as_in_scikit_learn(faithful):
    for method in ("predict", "predict_proba", "score_samples", "score",
                   "bic", "aic"):
        _same_outcome(lambda cls: lambda: getattr(
            cls(2, random_state=0).fit(faithful), method)(np.ones((4, 3))))


def test_collapsed_component_fails_as_in_scikit_learn():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    _same_outcome(lambda cls: lambda: cls(3, reg_covar=0.0,
                                          random_state=0).fit(X))


# ----------------------------------------------------------------------------
# Bad parameters: the same InvalidParameterError, or the same ValueError
# from scikit-learn's own checks of the *_init arrays
# ----------------------------------------------------------------------------

BAD_PARAMETERS = [
    dict(n_components=0), dict(n_components=1.5), dict(n_components="2"),
    dict(tol=-1.0), dict(tol="small"), dict(reg_covar=-1e-6),
    dict(max_iter=-1), dict(max_iter=2.0), dict(n_init=0),
    dict(init_params="kmeans++"), dict(warm_start="yes"), dict(verbose=-1),
    dict(verbose_interval=0),
    dict(n_components=2, weights_init=[0.5, 0.6]),
    dict(n_components=2, weights_init=[1.5, -0.5]),
    dict(n_components=2, weights_init=[1.0]),
    dict(n_components=2, means_init=[[0.0, 0.0]]),
    dict(n_components=2, means_init=[[0.0, np.nan], [1.0, 1.0]]),
    dict(n_components=2, precisions_init=np.ones((2, 2, 2))),
    dict(n_components=2, precisions_init=np.ones((3, 2, 2))),
    dict(n_components=2, covariance_type="diag",
         precisions_init=[[1.0, 0.0], [1.0, 1.0]]),
    dict(n_components=2, covariance_type="spherical",
         precisions_init=[1.0, -1.0]),
    dict(n_components=2, covariance_type="tied",
         precisions_init=[[1.0, 2.0], [0.0, 1.0]]),
]


@pytest.mark.parametrize("params", BAD_PARAMETERS, ids=repr)
def test_bad_parameters_fail_as_in_scikit_learn(params, faithful):
    _same_outcome(lambda cls: lambda: cls(**params).fit(faithful))


@pytest.mark.parametrize("params, message", [
    # scikit-learn's error, listing mclust's names as well as its four; the
    # names come from a set, so their order follows the string hash seed.
    (dict(covariance_type="round"), r"The 'covariance_type' parameter of "
     r"GaussianMixture must be a str among (?=.*'EVE')(?=.*'full').* "
     r"Got 'round'"),
    (dict(covariance_type=None), "The 'covariance_type' parameter of "
     "GaussianMixture must be a str among"),
    (dict(n_jobs=0), "The 'n_jobs' parameter of GaussianMixture must be"),
    (dict(n_jobs=1.5), "The 'n_jobs' parameter of GaussianMixture must be"),
    (dict(dtype="float16"), "The 'dtype' parameter of GaussianMixture must"),
    (dict(random_state=-1), "The 'random_state' parameter of GaussianMixture"),
    (dict(random_state="seed"), "an instance of 'numpy.random._generator"),
])
def test_bad_parameters_of_ours(params, message, faithful):
    with pytest.raises(ValueError, match=message):
        libgmm.GaussianMixture(**params).fit(faithful)


@pytest.mark.parametrize("weights, message", [
    (np.ones(5), r"sample_weight.shape == \(5,\), expected \(272,\)!"),
    (np.ones((272, 2)), "Sample weights must be 1D array or scalar"),
    (np.full(272, -1.0), "Negative values in data passed to `sample_weight`"),
    (np.full(272, np.nan), "Input sample_weight contains NaN"),
    (["a"] * 272, "could not convert string to float"),
    (np.zeros(272), "weight"),
])
def test_bad_sample_weights(weights, message, faithful):
    with pytest.raises(ValueError, match=message):
        libgmm.GaussianMixture(2).fit(faithful, sample_weight=weights)


# ----------------------------------------------------------------------------
# Property-based: random shapes, dtypes, layouts and values
# ----------------------------------------------------------------------------

DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int32,
                          np.uint8, np.bool_, np.complex128, np.float16])


@st.composite
def arrays(draw):
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                  max_side=12))
    elements = None
    if dtype.kind == "f":
        bound = 6e4 if dtype.itemsize == 2 else 1e6
        elements = st.floats(-bound, bound, width=dtype.itemsize * 8) | \
            st.sampled_from([np.nan, np.inf, -np.inf, 0.0])
    X = draw(hnp.arrays(dtype, shape, elements=elements))
    layout = draw(st.sampled_from(["C", "F", "strided", "read-only", "list"]))
    if layout == "F":
        X = np.asfortranarray(X)
    elif layout == "strided" and X.ndim >= 1:
        X = np.repeat(X, 2, axis=0)[::2]
    elif layout == "read-only":
        X.setflags(write=False)
    elif layout == "list":
        return X.tolist()
    return X


def _fit_validation(X):
    """What scikit-learn's fit_predict makes of X before EM, if it fails."""
    return outcome(lambda: ScikitLearnGaussianMixture()._validate_data(
        X, dtype=[np.float64, np.float32], ensure_min_samples=2))


@given(X=arrays(), k=st.integers(1, 3))
def test_fit_converts_or_refuses_any_array(X, k):
    """Data scikit-learn's validation refuses is refused with its message;
    other data is fitted, or refused as a collapsed component."""
    result = outcome(lambda: libgmm.GaussianMixture(
        k, random_state=0, max_iter=5).fit(X))
    refused = _fit_validation(X)
    if refused is not None:
        assert result == refused
    elif np.asarray(X).shape[0] < k:
        assert result[0] is ValueError and "n_samples >= n_components" \
            in result[1]
    else:
        assert result is None or result == (
            ValueError, libgmm._lib.ILL_DEFINED_COVARIANCE)


@pytest.fixture(scope="module")
def fitted_3():
    """Ours and scikit-learn's, fitted to the same 3-feature data."""
    X = blobs(1, 100, 3, 2, 3.0)
    return [cls(2, random_state=0).fit(X)
            for cls in (libgmm.GaussianMixture, ScikitLearnGaussianMixture)]


@given(X=arrays())
def test_predict_converts_or_refuses_any_array(fitted_3, X):
    ours, theirs = fitted_3
    result = outcome(lambda: ours.predict_proba(X))
    # What scikit-learn's predict_proba makes of X before using the model.
    refused = outcome(lambda: theirs._validate_data(X, reset=False))
    if refused is not None:
        assert result == refused
    else:
        assert result is None


@given(weights=arrays())
def test_sample_weights_convert_or_refuse(weights):
    X = blobs(1, 12, 2, 2, 3.0)
    result = outcome(lambda: libgmm.GaussianMixture(
        2, random_state=0, max_iter=3).fit(X, sample_weight=weights))
    assert result is None or result[0] in (ValueError, TypeError), result


@given(shape=st.tuples(st.integers(0, 4), st.integers(0, 4)),
       n_components=st.integers(1, 3))
def test_hand_set_attributes_never_reach_c_misshapen(faithful, shape,
                                                     n_components):
    model = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    model.means_ = np.zeros(shape)
    model.weights_ = np.full(n_components, 1.0 / n_components)
    result = outcome(lambda: model.predict(faithful))
    if shape != (n_components, 2) or shape != model.covariances_.shape[:2]:
        assert result is not None and result[0] is ValueError
