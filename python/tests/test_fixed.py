"""Fixed parameters (gmm.h, gmm_options.fixed and equal_weights) against a
hand-written numpy EM that holds the same parameters fixed: every
combination of fixed weights, means and covariances, and equal weights,
for scikit-learn's four covariance types and mclust's closed-form EII and
EEI, to 1e-9; the lecture's means-only EM (1-D, two unit-variance
Gaussians, sigma and pi fixed) against its update mu_k = sum_i r_ik x_i /
sum_i r_ik to 1e-12; the free-parameter counts; the model file; the
usage errors."""
import ctypes
import itertools
import json
import os
import subprocess

import numpy as np
import pytest

import libgmm
from libgmm import _lib

PARTS = ("weights", "means", "covariances")
# Every subset of the parts but all three (nothing would be left to fit).
COMBINATIONS = [c for r in range(3) for c in itertools.combinations(PARTS, r)]
# mclust's closed-form models with a one-line maximizer, beside
# scikit-learn's four: EII (lambda I) and EEI (lambda A, shared).
TYPES = ["full", "tied", "diag", "spherical", "EII", "EEI"]
EPS = 10 * np.finfo(np.float64).eps  # scikit-learn's, added to nk
REG = 1e-6
N_ITER = 12


def data():
    rng = np.random.default_rng(7)
    centres = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]])
    X = np.concatenate([rng.normal(c, [1.0, 0.6], size=(90, 2))
                        for c in centres])
    return X


def start(k, d):
    """A poor but valid start: weights, means and full covariances."""
    weights = np.array([0.5, 0.3, 0.2])[:k]
    weights = weights / weights.sum()
    means = np.array([[1.0, 1.0], [3.0, 0.0], [0.0, 3.0]])[:k, :d]
    covs = np.stack([np.array([[2.0, 0.3], [0.3, 1.5]]) * (1 + 0.2 * j)
                     for j in range(k)])[:, :d, :d]
    return weights, means, covs


def stored(covariance_type, covs):
    """Full covariances as the type stores them (K x D x D for mclust's)."""
    if covariance_type == "tied":
        return covs.mean(axis=0)
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in covs])
    if covariance_type == "spherical":
        return np.array([np.trace(c) / c.shape[0] for c in covs])
    if covariance_type == "EII":
        return np.stack([np.eye(covs.shape[1]) * 1.3] * covs.shape[0])
    if covariance_type == "EEI":
        return np.stack([np.diag([1.4, 0.7])[:covs.shape[1], :covs.shape[1]]]
                        * covs.shape[0])
    return covs


def as_full(covariance_type, cov, k, d):
    if covariance_type == "tied":
        return np.stack([cov] * k)
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in cov])
    if covariance_type == "spherical":
        return np.stack([np.eye(d) * c for c in cov])
    return cov


def precisions(covariance_type, cov):
    if covariance_type in ("diag", "spherical"):
        return 1.0 / cov
    if covariance_type == "tied":
        return np.linalg.inv(cov)
    return np.stack([np.linalg.inv(c) for c in cov])


def log_densities(X, weights, means, full):
    k, d = means.shape
    out = np.empty((X.shape[0], k))
    for j in range(k):
        diff = X - means[j]
        sign, logdet = np.linalg.slogdet(full[j])
        maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(full[j]), diff)
        out[:, j] = (np.log(weights[j]) - 0.5 * (d * np.log(2 * np.pi)
                                                  + logdet + maha))
    return out


def reference_em(X, covariance_type, weights, means, cov, fixed,
                 equal_weights, n_iter):
    """EM with the given parts held fixed, written from the formulas: the
    free parts maximize the expected complete log-likelihood given the
    fixed ones (the covariances are the scatter around the means in use,
    fixed or new). Returns weights, means, covariances, lower bound."""
    k, d = means.shape
    if equal_weights:
        weights = np.full(k, 1.0 / k)
    lower_bound = None
    for _ in range(n_iter):
        full = as_full(covariance_type, cov, k, d)
        logp = log_densities(X, weights, means, full)
        top = logp.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(logp - top).sum(axis=1))
        lower_bound = log_norm.mean()
        resp = np.exp(logp - log_norm[:, None])
        nk = resp.sum(axis=0) + EPS
        if not equal_weights and "weights" not in fixed:
            weights = nk / nk.sum()
        if "means" not in fixed:
            means = resp.T @ X / nk[:, None]
        if "covariances" in fixed:
            continue
        scatter = np.stack([(resp[:, j, None] * (X - means[j])).T
                            @ (X - means[j]) for j in range(k)])
        if covariance_type in ("full",):
            cov = scatter / nk[:, None, None] + REG * np.eye(d)
        elif covariance_type == "tied":
            cov = scatter.sum(axis=0) / nk.sum() + REG * np.eye(d)
        elif covariance_type == "diag":
            cov = np.stack([np.diag(s) for s in scatter]) / nk[:, None] + REG
        elif covariance_type == "spherical":
            cov = np.array([np.trace(s) for s in scatter]) / (d * nk) + REG
        elif covariance_type == "EII":
            variance = np.trace(scatter.sum(axis=0)) / (d * nk.sum())
            cov = np.stack([np.eye(d) * (variance + REG)] * k)
        elif covariance_type == "EEI":
            shared = np.diag(np.diag(scatter.sum(axis=0)) / nk.sum())
            cov = np.stack([shared + REG * np.eye(d)] * k)
    return weights, means, cov, lower_bound


def fit(X, covariance_type, init, fixed, equal_weights, n_iter=N_ITER,
        **extra):
    weights, means, cov = init
    model = libgmm.GaussianMixture(
        len(weights), covariance_type=covariance_type, tol=0.0,
        reg_covar=REG, max_iter=n_iter, weights_init=weights,
        means_init=means,
        precisions_init=precisions(covariance_type, cov), fixed=fixed,
        equal_weights=equal_weights, **extra)
    with pytest.warns(Warning):  # tol 0 never converges
        model.fit(X)
    return model


@pytest.mark.parametrize("covariance_type", TYPES)
@pytest.mark.parametrize("fixed", COMBINATIONS, ids=lambda c: "+".join(c) or "none")
@pytest.mark.parametrize("equal_weights", [False, True])
def test_against_numpy_em(covariance_type, fixed, equal_weights):
    if equal_weights and ("weights" in fixed or
                          set(fixed) == {"means", "covariances"}):
        pytest.skip("refused: see test_usage_errors")
    X = data()
    weights, means, covs = start(3, 2)
    cov = stored(covariance_type, covs)
    # The start as the library reads it: covariances from the precisions.
    cov = precisions(covariance_type, precisions(covariance_type, cov))
    model = fit(X, covariance_type, (weights, means, cov), fixed,
                equal_weights)
    w, m, c, lb = reference_em(X, covariance_type, weights, means, cov,
                               fixed, equal_weights, N_ITER)
    np.testing.assert_allclose(model.weights_, w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.means_, m, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.covariances_, c, rtol=1e-9, atol=1e-12)
    assert model.lower_bound_ == pytest.approx(lb, rel=1e-9)
    # What is fixed is exactly the start.
    if "weights" in fixed:
        assert np.array_equal(model.weights_, weights)
    if equal_weights:
        assert np.array_equal(model.weights_, np.full(3, 1 / 3))
    if "means" in fixed:
        assert np.array_equal(model.means_, means)
    if "covariances" in fixed:
        np.testing.assert_allclose(model.covariances_, cov, rtol=1e-14)


def lecture_data():
    """1-D data from two unit-variance Gaussians at -2 and 2."""
    rng = np.random.default_rng(3)
    return np.concatenate([rng.normal(-2.0, 1.0, 200),
                           rng.normal(2.0, 1.0, 200)])[:, None]


def test_lecture_means_only():
    """sigma = 1 and pi = 1/2 fixed, K = 2: EM learns the two means by
    mu_k = sum_i r_ik x_i / sum_i r_ik (the lecture's update)."""
    X = lecture_data()
    x = X[:, 0]
    mu = np.array([-0.5, 0.3])
    for _ in range(40):
        logp = -0.5 * (x[:, None] - mu) ** 2  # pi and sigma cancel
        r = np.exp(logp - logp.max(axis=1, keepdims=True))
        r /= r.sum(axis=1, keepdims=True)
        mu = (r * x[:, None]).sum(axis=0) / r.sum(axis=0)
    model = libgmm.GaussianMixture(
        2, covariance_type="spherical", tol=0.0, max_iter=40,
        weights_init=[0.5, 0.5], means_init=[[-0.5], [0.3]],
        precisions_init=[1.0, 1.0], fixed=("weights", "covariances"))
    with pytest.warns(Warning):
        model.fit(X)
    np.testing.assert_allclose(model.means_[:, 0], mu, rtol=1e-12, atol=0)
    assert np.array_equal(model.covariances_, [1.0, 1.0])
    assert np.array_equal(model.weights_, [0.5, 0.5])
    assert abs(mu[0] + 2) < 0.3 and abs(mu[1] - 2) < 0.3
    # equal_weights gives the same fit as fixed weights of 1/2.
    same = libgmm.GaussianMixture(
        2, covariance_type="spherical", tol=0.0, max_iter=40,
        means_init=[[-0.5], [0.3]], precisions_init=[1.0, 1.0],
        fixed="covariances", equal_weights=True)
    with pytest.warns(Warning):
        same.fit(X)
    assert np.array_equal(same.means_, model.means_)


@pytest.mark.parametrize("covariance_type,covariance_count", [
    ("full", 6), ("tied", 3), ("diag", 4), ("spherical", 2), ("EII", 1),
    ("EEI", 2), ("VVE", 5)])
def test_parameter_counts(covariance_type, covariance_count):
    """covariances (mclust's nVarParams for the mclust models) + K D means
    + K - 1 weights for K = 2, D = 2; each fixed part, and the weights
    under equal_weights, leaves its share out, and BIC with it."""
    count = covariance_count + 2 * 2 + 1
    X = data()
    counts = {"covariances": covariance_count, "means": 4, "weights": 1}
    weights, means, covs = start(2, 2)
    cov = stored(covariance_type, covs)
    for fixed in COMBINATIONS:
        for equal in (False, True):
            if equal and "weights" in fixed:
                continue
            if equal and set(fixed) == {"means", "covariances"}:
                continue
            model = fit(X, covariance_type, (weights, means, cov), fixed,
                        equal, n_iter=2)
            held = set(fixed) | ({"weights"} if equal else set())
            expected = count - sum(counts[p] for p in held)
            assert model._n_parameters() == expected, (fixed, equal)
            n = X.shape[0]
            assert model.bic(X) == pytest.approx(
                -2 * n * model.score(X) + expected * np.log(n), rel=1e-12)


def test_model_file_round_trip(tmp_path):
    X = data()
    weights, means, covs = start(2, 2)
    model = fit(X, "full", (weights, means, covs), ("means",), True)
    path = str(tmp_path / "m.json")
    model.save(path)
    with open(path) as f:
        saved = json.load(f)
    assert saved["fixed"] == ["means"] and saved["equal_weights"] is True
    loaded = libgmm.GaussianMixture.load(path)
    assert np.array_equal(loaded.means_, model.means_)
    # The file's fixed parts count in the C model's free parameters.
    with _lib.new_model(_lib.lib.gmm_model_load, path.encode()) as c_model:
        assert _lib.lib.gmm_n_parameters(c_model.handle) == 6  # covariances
    # A free fit writes neither key.
    free = fit(X, "full", (weights, means, covs), (), False, n_iter=2)
    free.save(path)
    with open(path) as f:
        assert "fixed" not in json.load(f)


@pytest.mark.parametrize("change,message", [
    ({"fixed": ["means", "means"]}, "each at most once"),
    ({"fixed": ["means,weights"]}, "each at most once"),
    ({"fixed": ["Means"]}, "expected"),
    ({"fixed": "weights"}, "expected an array"),
    ({"fixed": []}, None),
    ({"fixed": ["means", "weights", "covariances"]}, "nothing is left"),
    ({"fixed": ["weights"], "equal_weights": True}, "give one of them"),
    ({"equal_weights": 1}, "true or false"),
    ({"equal_weights": True}, "not 1/2"),
])
def test_model_file_is_read_strictly(change, message):
    fields = {"covariance_type": "spherical", "n_components": 2,
              "n_features": 1, "weights": [0.25, 0.75],
              "means": [[0.0], [1.0]], "covariances": [1.0, 2.0]}
    fields.update(change)
    text = json.dumps(fields).encode()
    err = _lib.Error()
    handle = _lib.lib.gmm_model_from_json(text, len(text), b"m.json",
                                          ctypes.byref(err))
    if message is None:
        assert handle
        _lib.lib.gmm_model_free(handle)
        return
    assert not handle and err.status == _lib.GMM_ERR_FORMAT
    assert message in err.message.decode(), err.message.decode()


@pytest.mark.parametrize("params,match", [
    ({"fixed": ("means",)}, "means_init, which is None"),
    ({"fixed": ("weights",), "means_init": [[0.0], [1.0]]},
     "weights_init, which is None"),
    ({"fixed": "covariances"}, "precisions_init, which is None"),
    ({"fixed": ("weights", "means", "covariances"),
      "weights_init": [0.5, 0.5], "means_init": [[0.0], [1.0]],
      "precisions_init": [1.0, 1.0]}, "nothing is left to fit"),
    ({"fixed": ("means", "covariances"), "equal_weights": True,
      "means_init": [[0.0], [1.0]], "precisions_init": [1.0, 1.0]},
     "nothing is left to fit"),
    ({"fixed": ("weights",), "equal_weights": True,
      "weights_init": [0.5, 0.5]}, "give one of them"),
    ({"fixed": ("sigma",)}, "must be None or a collection"),
    ({"fixed": ("means", "means")}, "must be None or a collection"),
    ({"fixed": 3}, "'fixed' parameter"),
    ({"equal_weights": "yes"}, "'equal_weights' parameter"),
])
def test_usage_errors(params, match):
    model = libgmm.GaussianMixture(2, covariance_type="spherical", **params)
    with pytest.raises(ValueError, match=match):
        model.fit(lecture_data())
    assert not hasattr(model, "means_")


def run_cli(*args):
    return subprocess.run([os.environ["GMM_CLI"], *args],
                          capture_output=True, text=True)


def test_cli_usage_errors(tmp_path):
    X = lecture_data()
    csv = tmp_path / "x.csv"
    np.savetxt(csv, X, delimiter=",")
    out = tmp_path / "m.json"
    init = tmp_path / "init.json"
    init.write_text(json.dumps({
        "covariance_type": "spherical", "n_components": 2, "n_features": 1,
        "weights": [0.5, 0.5], "means": [[-0.5], [0.3]],
        "covariances": [1.0, 1.0]}))
    cases = [
        (["--fix", "means"], "needs --init-model"),
        (["--fix", "means,sigma", "--init-model", str(init)], "--fix: expected"),
        (["--fix", "weights,means,covariances", "--init-model", str(init)],
         "nothing is left to fit"),
        (["--fix", "weights", "--equal-weights", "--init-model", str(init)],
         "give one of them"),
    ]
    for extra, message in cases:
        result = run_cli("fit", str(csv), "-k", "2", "--covariance",
                         "spherical", "-o", str(out), *extra)
        assert result.returncode == 2, (extra, result.stderr)
        assert message in result.stderr and result.stdout == ""
        assert not out.exists()
    # The means-only fit from the command line is the estimator's.
    result = run_cli("fit", str(csv), "-k", "2", "--covariance", "spherical",
                     "--fix", "weights,covariances", "--init-model",
                     str(init), "--tol", "0", "--max-iter", "40",
                     "--reg-covar", "0", "-o", str(out))
    assert result.returncode == 0, result.stderr
    saved = json.loads(out.read_text())
    assert saved["fixed"] == ["weights", "covariances"]
    model = libgmm.GaussianMixture(
        2, covariance_type="spherical", tol=0.0, max_iter=40, reg_covar=0.0,
        weights_init=[0.5, 0.5], means_init=[[-0.5], [0.3]],
        precisions_init=[1.0, 1.0], fixed=("weights", "covariances"))
    with pytest.warns(Warning):
        model.fit(X)
    assert np.array_equal(np.array(saved["means"]), model.means_)


def test_select_passes_equal_weights_on(tmp_path):
    """Every pair of select with equal_weights is the fit with it: the same
    criterion; the best model keeps weights 1 / K."""
    X = data()
    table, best = libgmm.select(X, n_components=[1, 2, 3],
                                covariance_types=["full", "EII"],
                                equal_weights=True, random_state=0)
    assert np.array_equal(best.weights_, np.full(best.n_components,
                                                 1 / best.n_components))
    assert best.equal_weights
    for row in table:
        model = libgmm.GaussianMixture(
            row["n_components"], covariance_type=row["covariance_type"],
            tol=1e-6, max_iter=1000, random_state=0, equal_weights=True)
        model.fit(X)
        assert row["bic"] == model.bic(X)
    # From the command line too, and its saved model says so.
    csv = tmp_path / "x.csv"
    np.savetxt(csv, X, delimiter=",")
    out = tmp_path / "best.json"
    result = run_cli("select", str(csv), "--k", "1..3", "--covariance",
                     "full,EII", "--equal-weights", "-o", str(out))
    assert result.returncode == 0, result.stderr
    saved = json.loads(out.read_text())
    assert saved["equal_weights"] is True
    assert saved["n_components"] == best.n_components
    assert saved["covariance_type"] == best.covariance_type


def test_select_refuses_fixed_parameters(tmp_path):
    csv = tmp_path / "x.csv"
    np.savetxt(csv, data(), delimiter=",")
    out = tmp_path / "best.json"
    result = run_cli("select", str(csv), "--fix", "means", "-o", str(out))
    assert result.returncode == 2 and result.stdout == ""
    assert "gmm fit --fix" in result.stderr and not out.exists()
    # The library's gmm_select refuses them too, saying why.
    X = np.ascontiguousarray(data())
    options = _lib.Options()
    _lib.lib.gmm_options_init(ctypes.byref(options))
    options.fixed = _lib.GMM_FIX_MEANS
    types = (ctypes.c_int * 1)(_lib.covariance_type_code("full"))
    ks = (ctypes.c_size_t * 1)(2)
    entries = (_lib.SelectEntry * 1)()
    err = _lib.Error()
    status = _lib.lib.gmm_select(ctypes.byref(options), types, 1, ks, 1, 0,
                                 X.ctypes.data, X.shape[0], X.shape[1],
                                 entries, None, None, ctypes.byref(err))
    assert status == _lib.GMM_ERR_INVALID
    assert "fit them with gmm_fit" in err.message.decode()
    with pytest.raises(TypeError):
        libgmm.select(data(), fixed=("means",))


def test_float32_fixed_means_stay_and_match_float64():
    """float32's statistics are shifted by the rounded means, which the
    M-step re-expresses around the fixed ones: the means stay exactly, and
    the fit is float64's to float32's accuracy, far from the origin too."""
    X = data() + 1e3
    weights, means, covs = start(3, 2)
    means = means + 1e3
    fits = [fit(X, "full", (weights, means, covs), ("means",), False,
                dtype=dtype) for dtype in ("float64", "float32")]
    assert np.array_equal(fits[1].means_, means)
    np.testing.assert_allclose(fits[1].covariances_, fits[0].covariances_,
                               rtol=1e-5)
    np.testing.assert_allclose(fits[1].weights_, fits[0].weights_, rtol=1e-5)


def test_partial_fit_keeps_fixed_parts():
    """Online EM's M-step (the statistics API) takes the fixed parts from
    the model: covariances given, only weights and means learnt."""
    X = data()
    weights, means, covs = start(3, 2)
    model = libgmm.GaussianMixture(
        3, covariance_type="full", weights_init=weights, means_init=means,
        precisions_init=precisions("full", covs), fixed=("covariances",))
    for batch in np.array_split(X, 3):
        model.partial_fit(batch)
    np.testing.assert_allclose(model.covariances_, covs, rtol=1e-14)
    assert not np.allclose(model.means_, means)
