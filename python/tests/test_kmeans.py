"""test_kmeans.py — libgmm.KMeans is scikit-learn 1.2.1's KMeans: the same
interface and, from the same initial centres, the same clustering (labels
and n_iter exact, centres and inertia to 1e-12), with sample weights, on
every documented init; scikit-learn's messages for bad input.
"""
import inspect
import warnings

import numpy as np
import pytest
import scipy.sparse
from sklearn.base import ClusterMixin, TransformerMixin
from sklearn.cluster import KMeans as ScikitLearnKMeans
from sklearn.exceptions import ConvergenceWarning

import libgmm
from conftest import assert_close, outcome
from sklearn_cases import blobs


def _data(seed=1, n=600, d=3, k=4):
    return blobs(seed, n, d, k, 2.0)


def _start(X, k, seed=0):
    return X[np.random.RandomState(seed).choice(len(X), k, replace=False)]


def test_signature_is_scikit_learn_s_then_ours():
    ours = inspect.signature(libgmm.KMeans).parameters
    theirs = inspect.signature(ScikitLearnKMeans).parameters
    assert list(ours)[:len(theirs)] == list(theirs)
    assert list(ours)[len(theirs):] == ["n_jobs"]
    for name, parameter in theirs.items():
        assert ours[name].default == parameter.default, name
    model = libgmm.KMeans()
    assert isinstance(model, ClusterMixin) and isinstance(model,
                                                          TransformerMixin)


@pytest.mark.parametrize("tol", [1e-4, 0.0, 1e-2])
@pytest.mark.parametrize("seed, n, d, k", [(1, 600, 3, 3), (2, 800, 5, 4),
                                           (3, 500, 2, 5), (4, 2000, 4, 8)])
def test_same_clustering_as_scikit_learn(tol, seed, n, d, k):
    X = _data(seed, n, d, k)
    init = _start(X, k, seed)
    weights = np.random.RandomState(seed).uniform(0.5, 2.0, size=n)
    for sample_weight in (None, weights):
        ours = libgmm.KMeans(k, init=init, tol=tol).fit(
            X, sample_weight=sample_weight)
        theirs = ScikitLearnKMeans(k, init=init, n_init=1, tol=tol).fit(
            X, sample_weight=sample_weight)
        assert ours.n_iter_ == theirs.n_iter_
        np.testing.assert_array_equal(ours.labels_, theirs.labels_)
        assert ours.labels_.dtype == theirs.labels_.dtype
        assert_close(ours.cluster_centers_, theirs.cluster_centers_, 1e-12,
                     1.0, "cluster_centers_")
        assert_close(ours.inertia_, theirs.inertia_, 1e-12, 1.0, "inertia_")
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
        assert_close(ours.transform(X), theirs.transform(X), 1e-12, 1.0,
                     "transform")
        assert_close(ours.score(X, sample_weight=sample_weight),
                     theirs.score(X, sample_weight=sample_weight), 1e-12, 1.0,
                     "score")


def test_training_rows_keep_their_labels():
    X = _data()
    for init in ("k-means++", "random"):
        model = libgmm.KMeans(4, init=init, random_state=3).fit(X)
        np.testing.assert_array_equal(model.predict(X), model.labels_)
        assert_close(-model.score(X), model.inertia_, 1e-12, 1.0, "inertia")
        np.testing.assert_array_equal(model.fit_predict(X), model.labels_)
        assert_close(model.fit_transform(X), model.transform(X), 0, 0, "")


def test_integer_weights_are_repeated_rows():
    X = _data()
    init = _start(X, 4)
    weights = np.random.RandomState(4).randint(0, 4, size=len(X))
    weighted = libgmm.KMeans(4, init=init).fit(X, sample_weight=weights)
    repeated = libgmm.KMeans(4, init=init).fit(np.repeat(X, weights, axis=0))
    assert weighted.n_iter_ == repeated.n_iter_
    assert_close(weighted.cluster_centers_, repeated.cluster_centers_, 1e-12,
                 1.0, "cluster_centers_")
    assert_close(weighted.inertia_, repeated.inertia_, 1e-12, 1.0, "inertia_")


def test_random_state_and_n_jobs():
    X = _data(n=5000)
    models = [libgmm.KMeans(4, random_state=7, n_jobs=n_jobs).fit(X)
              for n_jobs in (1, 2, None)]
    for model in models[1:]:
        np.testing.assert_array_equal(model.cluster_centers_,
                                      models[0].cluster_centers_)
    other = libgmm.KMeans(4, init="random", n_init=1, random_state=8).fit(X)
    assert other.n_iter_ >= 1


def test_n_init_default_auto_and_explicit_centres():
    X = _data()
    init = _start(X, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        libgmm.KMeans(4, init=init, n_init=1).fit(X)  # one run, quiet
        libgmm.KMeans(4, n_init="auto").fit(X)  # k-means++: one run, quiet
    # The default, "warn": scikit-learn 1.2.1's FutureWarning and 10 runs,
    # hence also its RuntimeWarning with explicit centres.
    for init_value in ("k-means++", init):
        messages = []
        for cls in (libgmm.KMeans, ScikitLearnKMeans):
            with pytest.warns(FutureWarning) as caught:
                cls(4, init=init_value).fit(X)
            messages.append(sorted((w.category.__name__, str(w.message))
                                   for w in caught))
        assert messages[0] == messages[1]
    model = libgmm.KMeans(4, random_state=3)
    with pytest.warns(FutureWarning):
        model.fit(X)
    assert model.inertia_ == libgmm.KMeans(4, n_init=10,
                                           random_state=3).fit(X).inertia_
    messages = []
    for cls in (libgmm.KMeans, ScikitLearnKMeans):
        with pytest.warns(RuntimeWarning) as caught:
            cls(4, init=init, n_init=3).fit(X)
        messages.append([str(w.message) for w in caught
                         if w.category is RuntimeWarning])
    assert messages[0] == messages[1]


def test_callable_init():
    X = _data()
    calls = []

    def init(data, n_clusters, random_state):
        calls.append(random_state)
        return _start(data, n_clusters, len(calls))
    model = libgmm.KMeans(4, init=init, n_init=3).fit(X)
    assert len(calls) == 3
    best = min((libgmm.KMeans(4, init=_start(X, 4, seed)).fit(X)
                for seed in (1, 2, 3)), key=lambda m: m.inertia_)
    np.testing.assert_array_equal(model.cluster_centers_, best.cluster_centers_)


def test_float32_keeps_its_dtype():
    X = _data().astype(np.float32)
    ours = libgmm.KMeans(4, random_state=0).fit(X)
    theirs = ScikitLearnKMeans(4, n_init=1, random_state=0).fit(X)
    assert ours.cluster_centers_.dtype == theirs.cluster_centers_.dtype
    assert ours.transform(X).dtype == theirs.transform(X).dtype


def test_feature_names_out():
    X = _data()
    model = libgmm.KMeans(4, random_state=0).fit(X)
    np.testing.assert_array_equal(model.get_feature_names_out(),
                                  ["kmeans0", "kmeans1", "kmeans2", "kmeans3"])


@pytest.mark.parametrize("params, X", [
    (dict(n_clusters=5), np.ones((3, 2))),
    (dict(n_clusters=2, init=np.zeros((3, 2))), np.arange(20.0).reshape(10, 2)),
    (dict(n_clusters=2, init=np.zeros((2, 3))), np.arange(20.0).reshape(10, 2)),
    (dict(n_clusters=0), np.ones((3, 2))),
    (dict(init="kmeans"), np.ones((3, 2))),
    (dict(max_iter=0), np.ones((3, 2))),
    (dict(tol=-1.0), np.ones((3, 2))),
    (dict(n_init=0), np.ones((3, 2))),
    (dict(algorithm="fast"), np.ones((3, 2))),
    (dict(n_clusters=2), np.array([[1.0, np.nan], [2.0, 3.0], [1.0, 1.0]])),
    (dict(n_clusters=2), np.arange(4.0)),
    (dict(n_clusters=2), scipy.sparse.csr_matrix(np.eye(4))),
])
def test_bad_input_fails_as_in_scikit_learn(params, X):
    params = {"n_init": 1, **params}
    theirs = outcome(lambda: ScikitLearnKMeans(**params).fit(X))
    ours = outcome(lambda: libgmm.KMeans(**params).fit(X))
    if scipy.sparse.issparse(X):
        # scikit-learn's KMeans takes sparse data; ours refuses it with
        # scikit-learn's own message for estimators that do.
        assert ours[0] is TypeError and "A sparse matrix was passed" in ours[1]
        return
    assert theirs is not None
    assert ours == theirs


def test_duplicate_points_warn_as_in_scikit_learn():
    X = np.repeat([[0.0, 0.0], [5.0, 5.0]], 10, axis=0)
    messages, files = [], []
    for cls in (libgmm.KMeans, ScikitLearnKMeans):
        with pytest.warns(ConvergenceWarning) as caught:
            cls(3, n_init=1, random_state=0).fit(X)
        messages.append([str(w.message) for w in caught])
        files.append([w.filename for w in caught])
    assert messages[0] == messages[1]
    # The warning names the caller's line, as scikit-learn's does.
    assert files[0] == files[1] == [__file__]


@pytest.mark.parametrize("weighted", [False, True])
def test_empty_clusters_relocated_as_scikit_learn(weighted):
    """Centres no row is nearest take the rows farthest from their own
    centres, as many at once as there are empty clusters (one pass finds
    them all): the same picks, in the same order, as scikit-learn."""
    X = _data(5, 900, 3, 4)
    far = 1000.0 + 10.0 * np.arange(18, dtype=float).reshape(6, 3)
    init = np.vstack([_start(X, 2, 5), far, _start(X, 3, 6)])
    weights = (np.random.RandomState(5).uniform(0.5, 2.0, size=len(X))
               if weighted else None)
    ours = libgmm.KMeans(11, init=init, n_init=1, tol=0.0).fit(
        X, sample_weight=weights)
    theirs = ScikitLearnKMeans(11, init=init, n_init=1, tol=0.0).fit(
        X, sample_weight=weights)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    assert_close(ours.cluster_centers_, theirs.cluster_centers_, 1e-12, 1.0,
                 "cluster_centers_")
    assert len(set(ours.labels_)) == 11
