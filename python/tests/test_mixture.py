"""test_mixture.py — libgmm.GaussianMixture behaves as scikit-learn 1.2.1's
where a user can see it: the signature and defaults, the mixins and
scikit-learn's tools (clone, pipelines, grid search), the fitted
attributes' names, shapes and types, the warning and the verbose output,
random states, warm start, sampling, and our n_jobs and dtype.
"""
import inspect
import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, DensityMixin, clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.mixture import GaussianMixture as ScikitLearnGaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import libgmm
from conftest import COVARIANCE_TYPES, assert_close
from sklearn_cases import blobs


def _start(X, k, covariance_type):
    """scikit-learn's initial parameters (a max_iter=0 fit), as *_init."""
    start = ScikitLearnGaussianMixture(k, covariance_type=covariance_type,
                                       max_iter=0, random_state=0).fit(X)
    return dict(weights_init=start.weights_, means_init=start.means_,
                precisions_init=start.precisions_)


def test_signature_is_scikit_learn_s_then_ours():
    ours = inspect.signature(libgmm.GaussianMixture).parameters
    theirs = inspect.signature(ScikitLearnGaussianMixture).parameters
    assert list(ours)[:len(theirs)] == list(theirs)
    assert list(ours)[len(theirs):] == ["n_jobs", "dtype", "init_resp",
                                        "fixed", "equal_weights",
                                        "learning_decay", "learning_offset",
                                        "missing"]
    for name, parameter in theirs.items():
        assert ours[name].default == parameter.default, name
        assert ours[name].kind == parameter.kind, name


def test_mixins_and_tools(faithful):
    model = libgmm.GaussianMixture(2, random_state=0)
    assert isinstance(model, DensityMixin) and isinstance(model, BaseEstimator)
    assert model._estimator_type == "DensityEstimator"
    assert clone(model).get_params() == model.get_params()
    assert model.set_params(n_components=3).n_components == 3
    pipeline = make_pipeline(StandardScaler(),
                             libgmm.GaussianMixture(2, random_state=0))
    labels = pipeline.fit(faithful).predict(faithful)
    assert set(labels) == {0, 1}
    search = GridSearchCV(libgmm.GaussianMixture(random_state=0),
                          {"n_components": [1, 2, 3]}, cv=3).fit(faithful)
    assert search.best_params_["n_components"] in (2, 3)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_fitted_attributes_as_scikit_learn(covariance_type):
    X = blobs(3, 300, 3, 2, 3.0)
    start = _start(X, 2, covariance_type)
    ours = libgmm.GaussianMixture(2, covariance_type=covariance_type,
                                  **start).fit(X)
    theirs = ScikitLearnGaussianMixture(2, covariance_type=covariance_type,
                                        **start).fit(X)
    fitted = sorted(name for name in vars(theirs) if name.endswith("_"))
    assert sorted(name for name in vars(ours) if name.endswith("_")) == fitted
    for name in fitted:
        mine, reference = getattr(ours, name), getattr(theirs, name)
        if isinstance(reference, np.ndarray):
            assert mine.shape == reference.shape, name
            assert mine.dtype == reference.dtype, name
        else:
            assert isinstance(mine, type(reference)) or \
                isinstance(reference, float) and isinstance(mine, float), name
    assert isinstance(ours.converged_, bool) and isinstance(ours.n_iter_, int)
    labels = ours.predict(X)
    assert labels.dtype == theirs.predict(X).dtype
    np.testing.assert_array_equal(labels, theirs.predict(X))
    X_sample, y_sample = ours.sample(5)
    X_theirs, y_theirs = theirs.sample(5)
    assert (X_sample.shape, X_sample.dtype, y_sample.dtype) == \
        (X_theirs.shape, X_theirs.dtype, y_theirs.dtype)


def test_fit_predict_is_fit_then_predict(faithful):
    model = libgmm.GaussianMixture(3, random_state=1)
    labels = model.fit_predict(faithful)
    np.testing.assert_array_equal(labels, model.predict(faithful))
    assert model.fit(faithful) is model


def test_not_fitted_as_scikit_learn(faithful):
    for method in ("predict", "predict_proba", "score", "score_samples",
                   "bic", "aic"):
        with pytest.raises(NotFittedError) as ours:
            getattr(libgmm.GaussianMixture(), method)(faithful)
        with pytest.raises(NotFittedError) as theirs:
            getattr(ScikitLearnGaussianMixture(), method)(faithful)
        assert str(ours.value) == str(theirs.value), method
    with pytest.raises(NotFittedError):
        libgmm.GaussianMixture().sample(2)


def _warning_texts(caught):
    return [str(w.message) for w in caught
            if issubclass(w.category, ConvergenceWarning)]


@pytest.mark.parametrize("params", [dict(max_iter=2), dict(max_iter=1, n_init=3),
                                    dict(max_iter=0)])
def test_convergence_warning_as_scikit_learn(faithful, params):
    texts = []
    for cls in (libgmm.GaussianMixture, ScikitLearnGaussianMixture):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cls(3, tol=1e-12, random_state=0, **params).fit(faithful)
        texts.append(_warning_texts(caught))
    assert texts[0] == texts[1]
    assert len(texts[0]) == (params["max_iter"] > 0)


def test_max_iter_zero_keeps_the_start(faithful):
    start = _start(faithful, 2, "full")
    model = libgmm.GaussianMixture(2, max_iter=0, **start).fit(faithful)
    assert (model.n_iter_, model.converged_, model.lower_bound_) == \
        (0, False, -np.inf)
    assert_close(model.means_, start["means_init"], 1e-15, 1e-15, "means_")


def _timeless(text):
    return re.sub(r"time lapse [0-9.]+s", "time lapse T", text)


@pytest.mark.parametrize("verbose, interval", [(1, 1), (2, 1), (2, 2), (1, 3)])
def test_verbose_output_as_scikit_learn(faithful, capsys, verbose, interval):
    start = _start(faithful, 3, "full")
    outputs = []
    for cls in (libgmm.GaussianMixture, ScikitLearnGaussianMixture):
        cls(3, verbose=verbose, verbose_interval=interval, n_init=2,
            **start).fit(faithful)
        outputs.append(_timeless(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert "Initialization 1" in outputs[0]


def test_verbose_output_without_iterations(faithful, capsys):
    outputs = []
    for cls in (libgmm.GaussianMixture, ScikitLearnGaussianMixture):
        cls(2, verbose=2, max_iter=0, n_init=2, random_state=0).fit(faithful)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == "Initialization 0\nInitialization 1\n"


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_warm_start_as_scikit_learn(covariance_type):
    """Each fit goes on from the last, from its lower bound (so a warm
    refit can converge at its first iteration), as scikit-learn's."""
    X = blobs(4, 500, 2, 3, 2.0)
    start = _start(X, 3, covariance_type)
    ours = libgmm.GaussianMixture(3, covariance_type=covariance_type,
                                  warm_start=True, max_iter=3, **start)
    theirs = ScikitLearnGaussianMixture(3, covariance_type=covariance_type,
                                        warm_start=True, max_iter=3, **start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(6):
            ours.fit(X)
            theirs.fit(X)
            assert (ours.n_iter_, ours.converged_) == \
                (theirs.n_iter_, theirs.converged_)
            assert_close(ours.lower_bound_, theirs.lower_bound_, 1e-9, 1.0,
                         "lower_bound_")
            assert_close(ours.means_, theirs.means_, 1e-6, 1e-6, "means_")
    assert ours.converged_


def test_random_state_kinds(faithful):
    def means(random_state):
        return libgmm.GaussianMixture(
            3, init_params="random", max_iter=5,
            random_state=random_state).fit(faithful).means_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # An int is a seed: the same model every time.
        np.testing.assert_array_equal(means(7), means(7))
        assert not np.array_equal(means(7), means(8))
        # A RandomState or a Generator is drawn from, and advances.
        state = np.random.RandomState(0)
        first, second = means(state), means(state)
        assert not np.array_equal(first, second)
        np.testing.assert_array_equal(first, means(np.random.RandomState(0)))
        generator = np.random.default_rng(0)
        first = means(generator)
        np.testing.assert_array_equal(first, means(np.random.default_rng(0)))
        # None is numpy's global state, as in scikit-learn.
        np.random.seed(3)
        first = means(None)
        np.random.seed(3)
        np.testing.assert_array_equal(first, means(None))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_results_do_not_depend_on_n_jobs(covariance_type):
    X = blobs(7, 3000, 4, 4, 2.0)
    models = [libgmm.GaussianMixture(4, covariance_type=covariance_type,
                                     random_state=0, n_jobs=n_jobs).fit(X)
              for n_jobs in (1, 2, -1, None)]
    for model in models[1:]:
        for name in ("weights_", "means_", "covariances_"):
            np.testing.assert_array_equal(getattr(model, name),
                                          getattr(models[0], name))
        assert model.lower_bound_ == models[0].lower_bound_


def test_dtype_float32(faithful):
    double = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    for dtype in ("float32", np.float32):
        single = libgmm.GaussianMixture(2, random_state=0,
                                        dtype=dtype).fit(faithful)
        assert single.means_.dtype == np.float64
        assert_close(single.lower_bound_, double.lower_bound_, 1e-6, 1.0,
                     "lower_bound_")


def test_sample_as_scikit_learn(faithful):
    model = libgmm.GaussianMixture(2, random_state=5).fit(faithful)
    X, y = model.sample(1000)
    assert X.shape == (1000, 2) and y.shape == (1000,)
    assert np.all(np.diff(y) >= 0)  # grouped by component, in order
    np.testing.assert_array_equal(X, model.sample(1000)[0])  # int seed
    assert_close(np.bincount(y) / 1000, model.weights_, 0.15, 0.0, "counts")
    for cls in (libgmm.GaussianMixture, ScikitLearnGaussianMixture):
        fitted = cls(2, random_state=0).fit(faithful)
        with pytest.raises(ValueError) as caught:
            fitted.sample(0)
        assert "Invalid value for 'n_samples': 2 ." in str(caught.value)


def test_bic_aic_and_parameter_count(faithful):
    for covariance_type in COVARIANCE_TYPES:
        model = libgmm.GaussianMixture(
            3, covariance_type=covariance_type, random_state=0).fit(faithful)
        n = faithful.shape[0]
        p = model._n_parameters()
        theirs = ScikitLearnGaussianMixture(3, covariance_type=covariance_type)
        theirs.means_ = model.means_
        assert p == theirs._n_parameters()
        score = model.score(faithful)
        assert_close(model.bic(faithful), -2 * score * n + p * np.log(n),
                     1e-12, 1.0, "bic")
        assert_close(model.aic(faithful), -2 * score * n + 2 * p, 1e-12, 1.0,
                     "aic")
        assert_close(score, model.score_samples(faithful).mean(), 1e-12, 1.0,
                     "score")


def test_pickle_round_trip(faithful):
    model = libgmm.GaussianMixture(2, covariance_type="diag",
                                   random_state=0).fit(faithful)
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(copy.predict_proba(faithful),
                                  model.predict_proba(faithful))
    assert copy.get_params() == model.get_params()
    assert copy.n_features_in_ == 2


def test_attributes_set_by_hand_are_used(faithful):
    """As in scikit-learn, the methods read the fitted attributes."""
    model = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    before = model.predict(faithful)
    model.means_ = model.means_[::-1].copy()
    model.weights_ = model.weights_[::-1].copy()
    model.covariances_ = model.covariances_[::-1].copy()
    np.testing.assert_array_equal(model.predict(faithful), 1 - before)
    model.means_ = np.zeros((3, 2))
    with pytest.raises(ValueError, match="weights_ should have the shape"):
        model.predict(faithful)


def test_data_frames_and_feature_names(faithful):
    frame = pd.DataFrame(faithful, columns=["eruptions", "waiting"])
    model = libgmm.GaussianMixture(2, random_state=0).fit(frame)
    np.testing.assert_array_equal(model.feature_names_in_,
                                  ["eruptions", "waiting"])
    reference = ScikitLearnGaussianMixture(2).fit(frame)
    for data in (faithful, frame.rename(columns={"waiting": "wait"})):
        texts = []
        for fitted in (model, reference):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    fitted.predict(data)
                except ValueError as error:
                    caught.append(error)
            texts.append([str(getattr(w, "message", w)) for w in caught])
        assert texts[0] == texts[1]
    assert not hasattr(libgmm.GaussianMixture(2).fit(faithful),
                       "feature_names_in_")


def test_failed_fit_leaves_the_estimator_as_it_was(faithful):
    model = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    before = {name: value for name, value in vars(model).items()}
    bad = np.ones((10, 3))
    bad[0, 0] = np.nan
    for data in (bad, np.zeros((10, 3))):
        with pytest.raises(ValueError):
            libgmm.GaussianMixture.fit(model.set_params(reg_covar=0.0), data)
    model.set_params(reg_covar=before["reg_covar"])
    assert sorted(vars(model)) == sorted(before)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(model, name), value)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_init_resp_starts_with_an_m_step_from_them(faithful, covariance_type):
    X = np.asarray(faithful, dtype=np.float64)
    rng = np.random.default_rng(3)
    resp = rng.uniform(size=(len(X), 2))
    resp /= resp.sum(axis=1, keepdims=True)
    model = libgmm.GaussianMixture(
        2, covariance_type=covariance_type, max_iter=0, reg_covar=0.0,
        init_resp=resp).fit(X)
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    full = np.array([(resp[:, k, None] * (X - means[k])).T @ (X - means[k])
                     / nk[k] for k in range(2)])
    expected = {"full": full,
                "tied": np.einsum("k,kij->ij", nk, full) / len(X),
                "diag": np.diagonal(full, axis1=1, axis2=2),
                "spherical": np.diagonal(full, axis1=1, axis2=2).mean(1)}
    assert_close(model.weights_, nk / len(X), 1e-12, 0.0, "weights_")
    assert_close(model.means_, means, 1e-12, 0.0, "means_")
    assert_close(model.covariances_, expected[covariance_type], 1e-10, 0.0,
                 "covariances_")
    # The given responsibilities replace init_params and its randomness.
    again = libgmm.GaussianMixture(
        2, covariance_type=covariance_type, max_iter=0, reg_covar=0.0,
        init_params="random", random_state=7, init_resp=resp).fit(X)
    assert np.array_equal(again.means_, model.means_)


@pytest.mark.parametrize("change, message", [
    (lambda r: r[:-1], r"init_resp.*shape of \(272, 2\), but got \(271, 2\)"),
    (lambda r: np.where(np.arange(272)[:, None] == 5, [1.5, -0.5], r),
     "row 5 .*component 1 is -0.5"),
    (lambda r: np.where(np.arange(272)[:, None] == 9, [0.5, 0.4], r),
     "row 9 .*sums to 0.9"),
])
def test_bad_init_resp_names_the_row(faithful, change, message):
    resp = np.tile([0.5, 0.5], (272, 1))
    with pytest.raises(ValueError, match=message):
        libgmm.GaussianMixture(2, init_resp=change(resp)).fit(faithful)
