"""test_bayesian.py — libgmm.BayesianGaussianMixture against scikit-learn
1.2.1's BayesianGaussianMixture: from the same start (the C library's
reference cases, tests/reference/bayes_cases.py: both weight priors, all
four covariance types, default and given priors), parameters and posterior
to 1e-6 relative, lower bound to 1e-9, n_iter, converged and labels exact;
the attributes' shapes; scikit-learn's errors for bad priors; the model
file round trip.

Both start from the case's responsibilities (our init_resp; scikit-learn's
_initialize_parameters overridden to use them).
"""
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture as ScikitLearnBGM

import libgmm
from bayes_cases import START, all_cases
from conftest import COVARIANCE_TYPES, FAITHFUL_CSV, assert_close

PARAM_RTOL = 1e-6
BOUND_RTOL = 1e-9


@pytest.fixture(scope="module")
def cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return all_cases(np.loadtxt(FAITHFUL_CSV, delimiter=",", skiprows=1))


def _from_start(case):
    priors = {key: np.asarray(value) if isinstance(value, list) else value
              for key, value in case["priors"].items()}
    model = libgmm.BayesianGaussianMixture(
        n_components=case["n_components"],
        covariance_type=case["covariance_type"],
        weight_concentration_prior_type=case["weight_prior"],
        tol=case["tol"], reg_covar=case["reg_covar"],
        max_iter=case["max_iter"], init_resp=case["init_resp"], **priors)
    X = np.array(case["X"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    return model, X


def test_cases_match(cases):
    assert len(cases) == 34
    for case in cases:
        model, X = _from_start(case)
        exp, name = case["expected"], case["name"]
        assert model.n_iter_ == exp["n_iter"], name
        assert model.converged_ == exp["converged"], name
        assert_close(model.lower_bound_, exp["lower_bound"], BOUND_RTOL, 1.0,
                     name)
        for attr, floor in [("weights", 1e-12), ("means", 1e-6),
                            ("covariances", 1e-6),
                            ("precisions_cholesky", 1e-6),
                            ("weight_concentration", 1e-12),
                            ("mean_precision", 1e-12),
                            ("mean_prior", 1e-9),
                            ("covariance_prior", 1e-9)]:
            assert_close(getattr(model, attr + "_"), exp[attr], PARAM_RTOL,
                         floor, f"{name} {attr}")
        assert_close(np.broadcast_to(model.degrees_of_freedom_,
                                     (case["n_components"],)),
                     exp["degrees_of_freedom"], PARAM_RTOL, 1e-12, name)
        assert (model.predict(X) == exp["labels"]).all(), name
        assert_close(model.predict_proba(X), exp["predict_proba"], PARAM_RTOL,
                     1.0, name)
        assert_close(model.score_samples(X), exp["score_samples"],
                     PARAM_RTOL, 1.0, name)


@pytest.mark.parametrize("prior", ["dirichlet_process",
                                   "dirichlet_distribution"])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_attribute_shapes(prior, covariance_type):
    X = np.random.RandomState(0).standard_normal((200, 3))
    kwargs = dict(n_components=4, covariance_type=covariance_type,
                  weight_concentration_prior_type=prior, random_state=0,
                  max_iter=5)
    ours = libgmm.BayesianGaussianMixture(**kwargs)
    theirs = ScikitLearnBGM(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X)
        theirs.fit(X)
    for name in START + ["precisions_"]:
        a, b = getattr(ours, name), getattr(theirs, name)
        assert type(a) == type(b) or np.shape(a) == np.shape(b), name
        assert np.shape(a) == np.shape(b), name
    for missing in ("bic", "aic", "partial_fit"):
        assert not hasattr(ours, missing) and not hasattr(theirs, missing)


@pytest.mark.parametrize("params, message", [
    ({"weight_concentration_prior": -1.0}, "weight_concentration_prior"),
    ({"mean_precision_prior": 0.0}, "mean_precision_prior"),
    ({"weight_concentration_prior_type": "dirichlet"},
     "weight_concentration_prior_type"),
    ({"degrees_of_freedom_prior": 0.5},
     "The parameter 'degrees_of_freedom_prior' should be greater than 1, "
     "but got 0.500."),
    ({"mean_prior": [0.0, 0.0, 0.0]}, "The parameter 'means' should have "
     "the shape of (2,), but got (3,)"),
    ({"covariance_prior": [[1.0, 2.0], [2.0, 1.0]]},
     "'full precision' should be symmetric, positive-definite"),
    ({"covariance_prior": [1.0, -1.0], "covariance_type": "diag"},
     "'diag precision' should be positive"),
    ({"covariance_prior": -1.0, "covariance_type": "spherical"},
     "covariance_prior"),
])
def test_bad_priors(params, message):
    X = np.random.RandomState(1).standard_normal((50, 2))
    for estimator in (libgmm.BayesianGaussianMixture(n_components=2, **params),
                      ScikitLearnBGM(n_components=2, **params)):
        with pytest.raises(ValueError) as raised:
            estimator.fit(X)
        assert message in str(raised.value), (type(estimator), raised.value)


def test_save_load_predicts_alike(tmp_path):
    X = np.loadtxt(FAITHFUL_CSV, delimiter=",", skiprows=1)
    model = libgmm.BayesianGaussianMixture(
        n_components=5, weight_concentration_prior=0.01, random_state=3).fit(X)
    path = tmp_path / "m.json"
    model.save(path)
    back = libgmm.BayesianGaussianMixture.load(path)
    assert (back.predict(X) == model.predict(X)).all()
    assert np.array_equal(back.score_samples(X), model.score_samples(X))
    assert np.array_equal(back.mean_precision_, model.mean_precision_)
    assert back.weight_concentration_prior_ == 0.01


def test_warm_start_continues():
    """Fitting 10 iterations, then 10 more by warm start, is fitting 20."""
    X = np.loadtxt(FAITHFUL_CSV, delimiter=",", skiprows=1)
    kwargs = dict(n_components=4, random_state=1, tol=0.0)
    whole = libgmm.BayesianGaussianMixture(max_iter=20, **kwargs)
    part = libgmm.BayesianGaussianMixture(max_iter=10, warm_start=True,
                                          **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        whole.fit(X)
        part.fit(X)
        part.fit(X)
    assert_close(part.means_, whole.means_, 1e-9, 1e-9, "means")
    assert_close(part.lower_bound_, whole.lower_bound_, 1e-12, 1.0, "bound")


@pytest.mark.parametrize("spec", [
    libgmm.BayesianGaussianMixture(n_components=10,
                                   weight_concentration_prior=0.001,
                                   random_state=0, n_jobs=2),
    libgmm.GaussianMixture(3, random_state=0, n_jobs=2)])
def test_fit_columns_is_one_fit_per_column(spec):
    rng = np.random.RandomState(4)
    X = np.column_stack([rng.normal(c, 1 + c, 600) + (rng.rand(600) < 0.3) * 5
                         for c in range(5)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = libgmm.fit_columns(spec, X)
        for c, model in enumerate(fits):
            alone = clone(spec).set_params(n_jobs=1).fit(X[:, [c]])
            assert np.array_equal(model.weights_, alone.weights_), c
            assert np.array_equal(model.means_, alone.means_), c
            assert model.lower_bound_ == alone.lower_bound_, c
            assert (model.predict(X[:, [c]]) == alone.predict(X[:, [c]])).all()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        libgmm.fit_columns(spec, X)
