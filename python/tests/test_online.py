"""test_online.py — GaussianMixture.partial_fit, stepwise online EM
(gmm.h, gmm_partial_fit), with scikit-learn's partial_fit conventions:
the first call initializes from its batch and fixes n_features, later
calls check it, each returns self; n_iter_ counts steps; the state
survives pickling and is reset by fit; the defaults are the library's;
batches of a mixture reach the batch fit's likelihood.
"""
import ctypes
import pickle

import numpy as np
import pytest

import libgmm
from libgmm import _lib


def _mixture(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [5, 0, 0], [0, 5, 0], [0, 0, 5]], float)
    labels = rng.integers(0, 4, n)
    return centres[labels] + rng.standard_normal((n, 3)) * (0.5 + 0.2 * labels[:, None])


def test_defaults_are_the_library_s():
    options = _lib.Options()
    _lib.lib.gmm_options_init(ctypes.byref(options))
    estimator = libgmm.GaussianMixture()
    assert estimator.learning_decay == options.online_alpha
    assert estimator.learning_offset == options.online_t0


def test_batches_reach_the_batch_fit():
    X = _mixture(100000)
    online = libgmm.GaussianMixture(4, random_state=0)
    for batch in np.array_split(X, 50):
        assert online.partial_fit(batch) is online
    batch = libgmm.GaussianMixture(4, random_state=0).fit(X)
    assert online.n_iter_ == 50 and not online.converged_
    assert online.n_features_in_ == 3
    assert abs(online.score(X) - batch.score(X)) < 2e-3


def test_first_call_initializes_later_calls_check_features():
    X = _mixture(2000)
    gm = libgmm.GaussianMixture(4, random_state=0).partial_fit(X[:1000])
    assert gm.n_iter_ == 1
    with pytest.raises(ValueError, match="features"):
        gm.partial_fit(X[:10, :2])
    assert gm.n_iter_ == 1
    gm.partial_fit(X[1000:1001])  # one row is a batch once initialized
    assert gm.n_iter_ == 2
    with pytest.raises(ValueError, match="n_components"):
        libgmm.GaussianMixture(4).partial_fit(X[:3])


def test_state_pickles_and_fit_resets_it():
    X = _mixture(6000)
    a = libgmm.GaussianMixture(4, random_state=0)
    a.partial_fit(X[:2000])
    b = pickle.loads(pickle.dumps(a))
    a.partial_fit(X[2000:4000])
    b.partial_fit(X[2000:4000])
    np.testing.assert_array_equal(a.means_, b.means_)
    a.fit(X)
    assert not hasattr(a, "_online_stats")
    a.partial_fit(X[4000:])  # continues from fit's parameters
    assert a.n_iter_ > 1


def test_sample_weight_as_repeated_rows():
    X = _mixture(3000)
    twice = np.concatenate([X[:1000], X[:1000], X[1000:]])
    weights = np.concatenate([np.full(1000, 2.0), np.ones(2000)])
    start = libgmm.GaussianMixture(4, random_state=0).fit(X)
    a = libgmm.GaussianMixture(4, random_state=0, warm_start=True)
    a.__dict__.update({k: v for k, v in vars(start).items() if k.endswith("_")})
    b = pickle.loads(pickle.dumps(a))
    a.partial_fit(X, sample_weight=weights)
    b.partial_fit(twice)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-10, atol=1e-12)


def test_bad_learning_decay_is_refused():
    with pytest.raises(ValueError, match="learning_decay"):
        libgmm.GaussianMixture(learning_decay=0.5).partial_fit(_mixture(100))


def test_the_variational_mixture_has_no_partial_fit():
    # Its posterior update needs the fit's priors; scikit-learn's has none.
    assert hasattr(libgmm.GaussianMixture(), "partial_fit")
    assert not hasattr(libgmm.BayesianGaussianMixture(), "partial_fit")
