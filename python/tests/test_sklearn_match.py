"""test_sklearn_match.py — from the same initial parameters, libgmm's
GaussianMixture gives scikit-learn 1.2.1's results, to the C library's
conformance tolerances (parameters 1e-6 relative, the lower bound 1e-9,
n_iter, converged and labels exact), on the C library's own reference
cases (tests/reference/sklearn_cases.py), generated here at test time: all
four covariance types, Old Faithful and blobs, D up to 8, tol 0 and tight
tolerances.

Sample weights, which scikit-learn 1.2.1's GaussianMixture does not take,
are checked against repeated rows and against the C library (the gmm
command, byte for byte, in test_interop.py).
"""
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as ScikitLearnGaussianMixture

import libgmm
from conftest import COVARIANCE_TYPES, FAITHFUL_CSV, assert_close
from sklearn_cases import all_cases, blobs

PARAM_RTOL = 1e-6
BOUND_RTOL = 1e-9


@pytest.fixture(scope="module")
def cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return {case["name"]: case for case in all_cases(
            np.loadtxt(FAITHFUL_CSV, delimiter=",", skiprows=1))}


def _case_names():
    # The names all_cases makes, without running scikit-learn at collection.
    names = []
    for cov in COVARIANCE_TYPES:
        names += [f"faithful-k2-{cov}", f"faithful-k3-{cov}-kpp",
                  f"blobs-d3-k3-{cov}", f"blobs-d5-k4-{cov}-tight",
                  f"blobs-d4-k3-{cov}-tol0", f"blobs-d2-k5-{cov}-random",
                  f"blobs-d7-k3-{cov}-tol0", f"blobs-d8-k4-{cov}"]
    return names


def _fit(case, **extra):
    model = libgmm.GaussianMixture(
        case["n_components"], covariance_type=case["covariance_type"],
        tol=case["tol"], reg_covar=case["reg_covar"],
        max_iter=case["max_iter"], weights_init=case["weights_init"],
        means_init=case["means_init"],
        precisions_init=case["precisions_init"], **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(np.array(case["X"]))


def test_every_case_is_run(cases):
    assert sorted(cases) == sorted(_case_names())


@pytest.mark.parametrize("name", _case_names())
def test_same_results_as_scikit_learn(cases, name):
    case = cases[name]
    expected = case["expected"]
    X = np.array(case["X"])
    model = _fit(case)
    assert model.n_iter_ == expected["n_iter"]
    assert model.converged_ == expected["converged"]
    assert_close(model.lower_bound_, expected["lower_bound"], BOUND_RTOL, 1.0,
                 "lower_bound_")
    assert_close(model.weights_, expected["weights"], PARAM_RTOL, 1e-12,
                 "weights_")
    assert_close(model.means_, expected["means"], PARAM_RTOL, 1e-6, "means_")
    assert_close(model.covariances_, expected["covariances"], PARAM_RTOL,
                 1e-6, "covariances_")
    np.testing.assert_array_equal(model.predict(X), expected["labels"])
    assert_close(model.score_samples(X), expected["score_samples"],
                 PARAM_RTOL, 1.0, "score_samples")
    # Probabilities near zero carry no relative precision: absolute.
    assert_close(model.predict_proba(X), expected["predict_proba"],
                 PARAM_RTOL, 1.0, "predict_proba")
    for method in ("score", "bic", "aic"):
        assert_close(getattr(model, method)(X), expected[method], BOUND_RTOL,
                     1.0, method)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_derived_attributes_as_scikit_learn(cases, covariance_type):
    """precisions_cholesky_ and precisions_, which the reference cases do
    not hold: against scikit-learn's fit from the same start."""
    case = cases[f"blobs-d3-k3-{covariance_type}"]
    X = np.array(case["X"])
    ours = _fit(case)
    theirs = ScikitLearnGaussianMixture(
        case["n_components"], covariance_type=covariance_type,
        weights_init=case["weights_init"], means_init=case["means_init"],
        precisions_init=case["precisions_init"]).fit(X)
    for name in ("precisions_cholesky_", "precisions_"):
        assert_close(getattr(ours, name), getattr(theirs, name), PARAM_RTOL,
                     1e-6, name)
    assert ours._n_parameters() == theirs._n_parameters()


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_integer_weights_are_repeated_rows(covariance_type):
    """A weight of w counts as w copies of the row (zero: as if absent),
    from the same start: the fits agree to the conformance tolerances."""
    X = blobs(11, 400, 3, 3, 3.0)
    weights = np.random.RandomState(5).randint(0, 4, size=len(X))
    start = ScikitLearnGaussianMixture(3, covariance_type=covariance_type,
                                       max_iter=0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start.fit(X)
    init = dict(n_components=3, covariance_type=covariance_type, tol=1e-6,
                max_iter=500, weights_init=start.weights_,
                means_init=start.means_, precisions_init=start.precisions_)
    weighted = libgmm.GaussianMixture(**init).fit(X, sample_weight=weights)
    repeated = libgmm.GaussianMixture(**init).fit(np.repeat(X, weights, axis=0))
    assert weighted.n_iter_ == repeated.n_iter_
    assert weighted.converged_ and repeated.converged_
    assert_close(weighted.lower_bound_, repeated.lower_bound_, BOUND_RTOL, 1.0,
                 "lower_bound_")
    for name in ("weights_", "means_", "covariances_"):
        assert_close(getattr(weighted, name), getattr(repeated, name),
                     PARAM_RTOL, 1e-6, name)
    # And scikit-learn, on the repeated rows, agrees with both.
    theirs = ScikitLearnGaussianMixture(**init).fit(
        np.repeat(X, weights, axis=0))
    assert theirs.n_iter_ == weighted.n_iter_
    assert_close(weighted.means_, theirs.means_, PARAM_RTOL, 1e-6, "means_")


def test_uniform_weights_change_nothing(faithful):
    plain = libgmm.GaussianMixture(2, random_state=3).fit(faithful)
    weighted = libgmm.GaussianMixture(2, random_state=3).fit(
        faithful, sample_weight=np.full(len(faithful), 2.5))
    assert plain.n_iter_ == weighted.n_iter_
    for name in ("weights_", "means_", "covariances_"):
        assert_close(getattr(weighted, name), getattr(plain, name), 1e-12,
                     1e-12, name)
