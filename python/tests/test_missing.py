"""test_missing.py — EM with missing entries (missing="marginalize")
against the plain per-row numpy reference (tests/reference/missing_em.py),
for every covariance type, at 5%, 30% and 60% of entries missing at
random and with block-structured missingness; the K = 1 fit against the
maximum-likelihood Gaussian; the observed-data log-likelihood never
decreasing; data without NaN unchanged bit for bit; the errors.
"""
import ctypes
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import missing_em as ref
from conftest import assert_close
from libgmm import GaussianMixture, _lib
from libgmm._mixture import (COVARIANCE_TYPES, covariance_shape,
                              storage_type)

K, D, N = 3, 4, 240
REG = 1e-6


def blobs(seed, n=N, d=D, k=K):
    rng = np.random.RandomState(seed)
    centres = rng.uniform(-4, 4, size=(k, d))
    labels = rng.randint(k, size=n)
    mix = rng.uniform(-0.6, 0.6, size=(k, d, d))
    X = centres[labels] + np.einsum("nd,nde->ne", rng.standard_normal((n, d)),
                                    mix[labels] + np.eye(d))
    return X, rng


def at_random(X, rng, fraction):
    """X with each entry missing with probability fraction, but never a
    whole row."""
    mask = rng.uniform(size=X.shape) < fraction
    for i in np.flatnonzero(mask.all(axis=1)):
        mask[i, rng.randint(X.shape[1])] = False
    out = X.copy()
    out[mask] = np.nan
    return out


def in_blocks(X):
    """Missingness by blocks of rows: the first third lacks features 0 and
    1, the next sixth feature 3, the next sixth all but feature 2."""
    out = X.copy()
    n = len(X)
    out[: n // 3, :2] = np.nan
    out[n // 3: n // 2, 3] = np.nan
    out[n // 2: 2 * n // 3, [0, 1, 3]] = np.nan
    return out


def start(covariance_type, rng, X, k=K):
    """Initial weights, means (K rows of X, missing entries at their
    column's mean) and covariances (K x D x D) of the shape the covariance
    type takes."""
    d = X.shape[1]
    weights = rng.dirichlet(np.full(k, 5.0))
    means = X[rng.choice(len(X), k, replace=False)]
    means = np.where(np.isnan(means), np.nanmean(X, axis=0), means)
    a = rng.uniform(-0.5, 0.5, size=(k, d, d))
    covs = np.einsum("kij,klj->kil", a, a) + np.eye(d)
    if covariance_type in ("tied", "EEE"):
        covs[:] = covs[0]
    elif covariance_type in ("diag", "VVI", "EEI", "VEI", "EVI"):
        # mclust's diagonal models take diagonal matrices only.
        covs = np.array([np.diag(np.diag(c)) for c in covs])
    elif covariance_type in ("spherical", "VII", "EII"):
        covs = np.array([np.trace(c) / d * np.eye(d) for c in covs])
    return weights, means, covs


def as_type(covariance_type, covs):
    """K x D x D covariances in the covariance type's own shape."""
    covariance_type = storage_type(covariance_type)
    if covariance_type == "tied":
        return covs[0]
    if covariance_type == "diag":
        return np.array([np.diag(c) for c in covs])
    if covariance_type == "spherical":
        return covs[:, 0, 0]
    return covs


def precisions(covariance_type, covs):
    covariance_type = storage_type(covariance_type)
    if covariance_type == "spherical":
        return 1.0 / covs[:, 0, 0]
    if covariance_type == "diag":
        return 1.0 / np.array([np.diag(c) for c in covs])
    inverse = np.linalg.inv(covs)
    return inverse[0] if covariance_type == "tied" else inverse


def library_m_step(covariance_type, resp, moments, log_likelihood, shifts):
    """The library's M-step (gmm_stats_mstep) on the reference's
    statistics, for the models whose M-step is iterative."""
    k, d = shifts.shape
    nk, sums, scatter = ref.expected_scatter(resp, moments, shifts)
    with _lib.Stats(k, d, covariance_type) as empty:
        size = _lib.lib.gmm_stats_size(empty.handle)
    q_size = size - k - 2 * k * d - 2
    block, shared = {k * d * d: (0, False), d * d: (0, True), k * d: (1, False),
                     d: (1, True), k: (2, False), 1: (2, True)}[q_size]
    q = ref.reduce_scatter(scatter, block, shared)
    packed = np.concatenate([nk, (sums - nk[:, None] * shifts).ravel(),
                             q.ravel(), [log_likelihood, resp.sum()],
                             shifts.ravel()])
    options = _lib.Options()
    _lib.lib.gmm_options_init(ctypes.byref(options))
    options.n_components = k
    options.covariance_type = _lib.covariance_type_code(covariance_type)
    options.reg_covar = REG
    err = _lib.Error()
    with _lib.Stats(k, d, covariance_type, packed) as stats, \
            _lib.new_model(_lib.lib.gmm_model_new,
                           ctypes.byref(options)) as model:
        _lib.check(_lib.lib.gmm_stats_mstep(model.handle, stats.handle,
                                            ctypes.byref(err)), err)
        covs = _lib.copy_out(_lib.lib.gmm_model_covariances(model.handle),
                             covariance_shape(covariance_type, k, d))
        return (_lib.copy_out(_lib.lib.gmm_model_weights(model.handle), (k,)),
                _lib.copy_out(_lib.lib.gmm_model_means(model.handle), (k, d)),
                as_full(covariance_type, covs, k, d))


def as_full(covariance_type, covs, k, d):
    """Covariances in the covariance type's shape as K x D x D."""
    covariance_type = storage_type(covariance_type)
    if covariance_type == "tied":
        return np.repeat(covs[None], k, axis=0)
    if covariance_type == "diag":
        return np.array([np.diag(c) for c in covs])
    if covariance_type == "spherical":
        return covs[:, None, None] * np.eye(d)
    return covs


def reference_fit(X, sample_weight, covariance_type, weights, means, covs,
                  n_iter):
    """n_iter EM iterations; the last E-step's mean log-likelihood."""
    for _ in range(n_iter):
        resp, log_likelihood, moments = ref.e_step(X, sample_weight, weights,
                                                   means, covs)
        if covariance_type in ref.CLOSED_FORMS:
            weights, means, covs = ref.m_step_closed(covariance_type, resp,
                                                     moments, REG)
        else:
            weights, means, covs = library_m_step(
                covariance_type, resp, moments, log_likelihood, means)
    return weights, means, covs, log_likelihood / sample_weight.sum()


def library_fit(X, covariance_type, weights, means, covs, n_iter,
                sample_weight=None, **params):
    gm = GaussianMixture(len(weights), covariance_type=covariance_type,
                         max_iter=n_iter, tol=0, reg_covar=REG,
                         weights_init=weights, means_init=means,
                         precisions_init=precisions(covariance_type, covs),
                         missing="marginalize", **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return gm.fit(X, sample_weight=sample_weight)


def compare(gm, expected, covariance_type):
    weights, means, covs, lower_bound = expected
    # 1e-9 relative; values below 1e-3 (an off-diagonal zero in exact
    # arithmetic) to 1e-12 absolute.
    assert_close(gm.weights_, weights, 1e-9, 1e-3, "weights")
    assert_close(gm.means_, means, 1e-9, 1e-3, "means")
    assert_close(gm.covariances_, as_type(covariance_type, covs), 1e-9, 1e-3,
                 "covariances")
    assert_close(gm.lower_bound_, lower_bound, 1e-9, 1e-3, "lower_bound")


MISSINGNESS = ["random-5%", "random-30%", "random-60%", "blocks"]


def missing_data(kind, seed):
    X, rng = blobs(seed)
    if kind == "blocks":
        return in_blocks(X), rng
    return at_random(X, rng, float(kind.split("-")[1][:-1]) / 100), rng


@pytest.mark.parametrize("kind", MISSINGNESS)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_against_reference(covariance_type, kind):
    X, rng = missing_data(kind, 1 + MISSINGNESS.index(kind))
    weights, means, covs = start(covariance_type, rng, X)
    n_iter = 6
    expected = reference_fit(X, np.ones(len(X)), covariance_type, weights,
                             means, covs, n_iter)
    compare(library_fit(X, covariance_type, weights, means, covs, n_iter),
            expected, covariance_type)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag",
                                             "spherical", "VEV"])
def test_sample_weights_multiply_responsibilities(covariance_type):
    X, rng = missing_data("random-30%", 11)
    sample_weight = rng.uniform(0, 3, size=len(X))
    weights, means, covs = start(covariance_type, rng, X)
    expected = reference_fit(X, sample_weight * len(X) / sample_weight.sum(),
                             covariance_type, weights, means, covs, 5)
    compare(library_fit(X, covariance_type, weights, means, covs, 5,
                        sample_weight=sample_weight), expected,
            covariance_type)


@pytest.mark.parametrize("covariance_type,kind", [
    ("full", "random-5%"), ("full", "blocks"), ("tied", "blocks"),
    ("diag", "blocks")])
def test_float32_complete_rows_and_threads(covariance_type, kind):
    """dtype float32 (the complete rows' kernels) and any thread count
    take the same route for the incomplete rows; blocks: long runs of one
    pattern, whose statistics come from the rows' own (missing_moments.h)."""
    X, rng = missing_data(kind, 12)
    weights, means, covs = start(covariance_type, rng, X)
    one = library_fit(X, covariance_type, weights, means, covs, 8, n_jobs=1)
    two = library_fit(X, covariance_type, weights, means, covs, 8, n_jobs=2)
    assert one.means_.tobytes() == two.means_.tobytes()
    assert one.covariances_.tobytes() == two.covariances_.tobytes()
    low = library_fit(X, covariance_type, weights, means, covs, 8,
                      dtype="float32")
    assert_close(low.means_, one.means_, 1e-4, 1.0, "float32 means")


def observed_log_likelihood(X, weights, means, covs):
    lp = ref.log_prob(X, weights, means, covs)
    top = lp.max(axis=1, keepdims=True)
    return float(np.sum(top[:, 0] + np.log(np.exp(lp - top).sum(axis=1))))


def test_one_component_is_the_maximum_likelihood_gaussian():
    X, rng = missing_data("random-30%", 21)
    weights, means, covs = np.ones(1), np.zeros((1, D)), np.eye(D)[None]
    # The same EM, to convergence (the change per iteration below 1e-14).
    previous = -np.inf
    for _ in range(2000):
        resp, log_likelihood, moments = ref.e_step(X, np.ones(len(X)),
                                                   weights, means, covs)
        weights, means, covs = ref.m_step_closed("full", resp, moments, 0.0)
        if abs(log_likelihood - previous) < 1e-12:
            break
        previous = log_likelihood
    gm = GaussianMixture(1, tol=1e-14, max_iter=2000, reg_covar=0.0,
                         missing="marginalize").fit(X)
    assert gm.converged_
    assert_close(gm.means_, means, 1e-7, 1.0, "mean")
    assert_close(gm.covariances_, covs, 1e-7, 1.0, "covariance")
    # A maximum: every small move of the mean lowers the likelihood.
    best = observed_log_likelihood(X, gm.weights_, gm.means_, gm.covariances_)
    for j in range(D):
        for step in (-1e-3, 1e-3):
            moved = gm.means_.copy()
            moved[0, j] += step
            assert observed_log_likelihood(X, gm.weights_, moved,
                                           gm.covariances_) < best


@pytest.mark.parametrize("seed", range(12))
def test_log_likelihood_never_decreases(seed):
    rng = np.random.RandomState(100 + seed)
    covariance_type = COVARIANCE_TYPES[seed % len(COVARIANCE_TYPES)]
    k = 1 + seed % 4
    X, _ = blobs(200 + seed, n=150, k=k)
    X = at_random(X, rng, rng.uniform(0.05, 0.6)) if seed % 3 else in_blocks(X)
    weights, means, covs = start(covariance_type, rng, X, k=k)
    bounds = [library_fit(X, covariance_type, weights, means, covs,
                          n_iter).lower_bound_ for n_iter in range(1, 16)]
    assert np.all(np.diff(bounds) >= -1e-12 * np.abs(bounds[1:])), bounds


@pytest.mark.parametrize("covariance_type", ["full", "diag", "VEV"])
def test_complete_data_unchanged(covariance_type):
    X, _ = blobs(31)
    plain = GaussianMixture(K, covariance_type=covariance_type,
                            random_state=0).fit(X)
    marginal = GaussianMixture(K, covariance_type=covariance_type,
                               random_state=0, missing="marginalize").fit(X)
    for name in ("weights_", "means_", "covariances_", "lower_bound_"):
        assert np.asarray(getattr(plain, name)).tobytes() == \
            np.asarray(getattr(marginal, name)).tobytes(), name


def test_default_keeps_scikit_learn_error():
    X, rng = missing_data("random-5%", 41)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        GaussianMixture(2).fit(X)
    fitted = GaussianMixture(2).fit(blobs(41)[0])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.predict(X)


def test_errors():
    X, _ = missing_data("random-5%", 42)
    X[7] = np.nan
    with pytest.raises(ValueError, match="row 7 .*every feature missing"):
        GaussianMixture(2, missing="marginalize").fit(X)
    X, _ = missing_data("random-5%", 42)
    X[3, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        GaussianMixture(2, missing="marginalize").fit(X)
    with pytest.raises(ValueError, match="missing"):
        GaussianMixture(2, missing="drop").fit(X)


def fitted(covariance_type, seed=51):
    X, rng = missing_data("random-30%", seed)
    gm = GaussianMixture(K, covariance_type=covariance_type, random_state=0,
                         missing="marginalize").fit(X)
    return gm, X, as_full(covariance_type, gm.covariances_, K, D)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag",
                                             "spherical", "VEV", "EII"])
def test_predict_and_score_marginalize(covariance_type):
    gm, X, covs = fitted(covariance_type)
    lp = ref.log_prob(X, gm.weights_, gm.means_, covs)
    top = lp.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(lp - top).sum(axis=1))
    assert_close(gm.score_samples(X), log_norm, 1e-12, 1.0, "score_samples")
    assert_close(gm.score(X), log_norm.mean(), 1e-12, 1.0, "score")
    assert_close(gm.predict_proba(X), np.exp(lp - log_norm[:, None]), 1e-10,
                 1e-3, "predict_proba")
    assert (gm.predict(X) == lp.argmax(axis=1)).all()


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag",
                                             "spherical", "EVE"])
def test_impute_is_the_conditional_mean(covariance_type):
    gm, X, covs = fitted(covariance_type)
    lp = ref.log_prob(X, gm.weights_, gm.means_, covs)
    proba = np.exp(lp - lp.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    expected = np.array([
        sum(p * ref.conditional(x, gm.means_[k], covs[k])[0]
            for k, p in enumerate(row)) for x, row in zip(X, proba)])
    assert_close(gm.impute(X), expected, 1e-10, 1.0, "impute")


def test_impute_draws():
    gm, X, covs = fitted("full")
    draws = gm.impute(X, n_draws=3, random_state=5)
    assert draws.shape == (3,) + X.shape
    observed = ~np.isnan(X)
    assert (draws[:, observed] == X[observed]).all()
    assert not np.isnan(draws).any()
    assert (draws == gm.impute(X, n_draws=3, random_state=5)).all()
    assert not (draws == gm.impute(X, n_draws=3, random_state=6)).all()
    # One component: the draws of a row are its conditional Gaussian.
    one = GaussianMixture(1, missing="marginalize").fit(X)
    row = X[:1].copy()
    row[0, [1, 3]] = np.nan
    many = one.impute(row, n_draws=20000, random_state=1)[:, 0, [1, 3]]
    mean, cond = ref.conditional(row[0], one.means_[0], one.covariances_[0])
    assert np.abs(many.mean(axis=0) - mean[[1, 3]]).max() < \
        5 * np.sqrt(np.diag(cond)[[1, 3]].max() / 20000)
    assert_close(np.cov(many.T), cond[np.ix_([1, 3], [1, 3])], 0.05, 0.3,
                 "draws' covariance")


def test_memmap_and_fit_npy_stream_bit_for_bit(tmp_path):
    """A memmap is streamed (gmm_fit_npy) as fit_npy is, and both give the
    in-memory fit's model bit for bit, the start drawn by k-means."""
    X, _ = missing_data("random-30%", 61)
    path = tmp_path / "holes.npy"
    np.save(path, X)
    mapped = np.load(path, mmap_mode="r")
    for covariance_type in ["full", "diag", "tied", "spherical"]:
        def model():
            return GaussianMixture(2, covariance_type=covariance_type,
                                   random_state=0, missing="marginalize")
        in_memory = model().fit(X)
        for streamed in [model().fit(mapped), model().fit_npy(path),
                         model().fit_npy(path, memory="64K")]:
            for name in ["weights_", "means_", "covariances_", "lower_bound_"]:
                assert np.asarray(getattr(streamed, name)).tobytes() == \
                    np.asarray(getattr(in_memory, name)).tobytes(), name
            assert streamed.n_iter_ == in_memory.n_iter_
    # The errors a streamed fit finds as it arranges the rows.
    bad = X.copy()
    bad[3] = np.nan
    np.save(path, bad)
    with pytest.raises(ValueError, match="row 3 .counted from 0. has every "
                       "feature missing"):
        GaussianMixture(2, missing="marginalize").fit_npy(path)
    bad = X.copy()
    bad[4, 1] = np.inf
    np.save(path, bad)
    with pytest.raises(ValueError, match="row 4, column 1 is inf"):
        GaussianMixture(2, missing="marginalize").fit_npy(path)


def test_bayesian_mixture_has_no_missing_option():
    from libgmm import BayesianGaussianMixture
    assert "missing" not in BayesianGaussianMixture().get_params()
    X, _ = missing_data("random-5%", 62)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        BayesianGaussianMixture(n_components=2).fit(X)


@pytest.mark.parametrize("d", [10, 12])
@pytest.mark.parametrize("covariance_type", ["full", "tied", "VEV"])
def test_against_reference_wide(covariance_type, d):
    """Past GMM_LANES_MAX_FEATURES the matrix statistics read rows: padded
    (d = 10) or as they are (d = 12)."""
    X, rng = blobs(70 + d, n=200, d=d)
    X = at_random(X, rng, 0.2)
    weights, means, covs = start(covariance_type, rng, X)
    expected = reference_fit(X, np.ones(len(X)), covariance_type, weights,
                             means, covs, 4)
    compare(library_fit(X, covariance_type, weights, means, covs, 4),
            expected, covariance_type)
