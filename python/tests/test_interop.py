"""test_interop.py — the package and the gmm command share one model file
and one engine: a model fitted in Python is used by `gmm predict`, one
fitted by `gmm fit` is loaded in Python, and the same options and seed
give the same file byte for byte, sample weights included; .npy files
larger than memory are fitted through the library's out-of-core path
(fit_npy, or fit given a memmap), bit for bit as in memory.
"""
import os
import subprocess
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import libgmm
from conftest import COVARIANCE_TYPES, FAITHFUL_CSV, python_peak
from sklearn_cases import blobs


def _gmm(gmm_cli, *args):
    return subprocess.run([gmm_cli, *map(str, args)], capture_output=True,
                          text=True, check=True).stdout


def _read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_python_and_the_command_write_the_same_model(gmm_cli, tmp_path,
                                                     faithful,
                                                     covariance_type):
    weights = np.random.RandomState(0).uniform(0.2, 3.0, size=len(faithful))
    np.savetxt(tmp_path / "weights.csv", weights)
    for weighted in (False, True):
        extra = ["--weights", tmp_path / "weights.csv"] if weighted else []
        _gmm(gmm_cli, "fit", FAITHFUL_CSV, "-k", 3, "--covariance",
             covariance_type, "--seed", 11, *extra, "-o", tmp_path / "c.json")
        model = libgmm.GaussianMixture(3, covariance_type=covariance_type,
                                       random_state=11)
        model.fit(faithful, sample_weight=weights if weighted else None)
        model.save(tmp_path / "python.json")
        assert _read(tmp_path / "python.json") == _read(tmp_path / "c.json")


def test_python_model_in_gmm_predict(gmm_cli, tmp_path, faithful):
    model = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    model.save(tmp_path / "model.json")
    labels = _gmm(gmm_cli, "predict", tmp_path / "model.json", FAITHFUL_CSV)
    np.testing.assert_array_equal(np.array(labels.split(), dtype=int),
                                  model.predict(faithful))
    score = float(_gmm(gmm_cli, "score", tmp_path / "model.json",
                       FAITHFUL_CSV))
    assert score == model.score(faithful)
    bic = float(_gmm(gmm_cli, "score", tmp_path / "model.json", FAITHFUL_CSV,
                     "--bic"))
    assert bic == model.bic(faithful)


def test_command_model_in_python(gmm_cli, tmp_path, faithful):
    _gmm(gmm_cli, "fit", FAITHFUL_CSV, "-k", 2, "--covariance", "tied",
         "--max-iter", 2, "-o", tmp_path / "model.json")
    model = libgmm.GaussianMixture.load(tmp_path / "model.json")
    assert (model.n_components, model.covariance_type) == (2, "tied")
    assert (model.n_iter_, model.converged_) == (2, False)
    assert model.n_features_in_ == 2
    labels = _gmm(gmm_cli, "predict", tmp_path / "model.json", FAITHFUL_CSV)
    np.testing.assert_array_equal(np.array(labels.split(), dtype=int),
                                  model.predict(faithful))
    proba = np.loadtxt(_gmm(gmm_cli, "predict", tmp_path / "model.json",
                            FAITHFUL_CSV, "--proba").splitlines(),
                       delimiter=",")
    np.testing.assert_array_equal(proba, model.predict_proba(faithful))
    # Saved again, the same bytes.
    model.save(tmp_path / "again.json")
    assert _read(tmp_path / "again.json") == _read(tmp_path / "model.json")


def test_loaded_model_warm_starts_from_its_lower_bound(gmm_cli, tmp_path,
                                                       faithful):
    _gmm(gmm_cli, "fit", FAITHFUL_CSV, "-k", 2, "-o", tmp_path / "model.json")
    model = libgmm.GaussianMixture.load(tmp_path / "model.json",
                                        warm_start=True)
    model.fit(faithful)
    # Converged already: the first iteration changes the bound by < tol.
    assert (model.n_iter_, model.converged_) == (1, True)


def test_model_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        libgmm.GaussianMixture.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"covariance_type": "full"}')
    with pytest.raises(ValueError, match="bad.json"):
        libgmm.GaussianMixture.load(tmp_path / "bad.json")
    with pytest.raises(OSError, match="missing-folder"):
        libgmm.GaussianMixture(1).fit(np.eye(3)).save(
            tmp_path / "missing-folder" / "model.json")
    assert not (tmp_path / "missing-folder").exists()


# ----------------------------------------------------------------------------
# .npy files larger than memory
# ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def npy_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("npy")
    X = blobs(8, 20_000, 4, 3, 3.0)
    files = {}
    for name, array in (("c64", X), ("f64", np.asfortranarray(X)),
                        ("c32", X.astype(np.float32))):
        files[name] = folder / f"{name}.npy"
        np.save(files[name], array)
    return X, files


def _same_model(a, b):
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert (a.n_iter_, a.converged_, a.lower_bound_) == \
        (b.n_iter_, b.converged_, b.lower_bound_)


@pytest.mark.parametrize("memory", ["64K", 1 << 20, None])
def test_fit_npy_is_the_in_memory_fit(npy_files, memory):
    X, files = npy_files
    reference = libgmm.GaussianMixture(3, random_state=0).fit(X)
    for name in ("c64", "f64"):
        model = libgmm.GaussianMixture(3, random_state=0).fit_npy(
            files[name], memory=memory)
        _same_model(model, reference)
        assert model.n_features_in_ == 4
        np.testing.assert_array_equal(model.predict(X), reference.predict(X))


def test_fit_npy_float32(npy_files):
    X, files = npy_files
    reference = libgmm.GaussianMixture(3, random_state=0).fit(
        X.astype(np.float32))
    model = libgmm.GaussianMixture(3, random_state=0).fit_npy(files["c32"])
    _same_model(model, reference)


def test_memmap_of_a_whole_file_is_streamed(npy_files):
    """fit(np.load(path, mmap_mode="r")) reads the file itself, without a
    float64 copy of float32 rows; a slice of the map is an ordinary array."""
    X, files = npy_files
    mapped = np.load(files["c32"], mmap_mode="r")
    reference = libgmm.GaussianMixture(3, random_state=0).fit(
        X.astype(np.float32))
    model = libgmm.GaussianMixture(3, random_state=0)
    peak = python_peak(lambda: model.fit(mapped))
    _same_model(model, reference)
    assert peak < X.nbytes / 10, peak
    sliced = python_peak(lambda: model.fit(mapped[:10_000]))
    assert sliced >= X.nbytes / 2  # converted: this path does copy
    labels = model.fit_predict(mapped)
    np.testing.assert_array_equal(labels, model.predict(X.astype(np.float32)))


def test_fit_npy_errors(tmp_path, npy_files):
    model = libgmm.GaussianMixture(2, random_state=0).fit(npy_files[0])
    before = dict(vars(model))
    with pytest.raises(FileNotFoundError):
        model.fit_npy(tmp_path / "missing.npy")
    (tmp_path / "text.npy").write_text("1,2\n3,4\n")
    with pytest.raises(ValueError, match="text.npy"):
        model.fit_npy(tmp_path / "text.npy")
    bad = np.ones((50, 4))
    bad[7, 2] = np.nan
    np.save(tmp_path / "nan.npy", bad)
    with pytest.raises(ValueError, match="row 7, column 2 is nan"):
        model.fit_npy(tmp_path / "nan.npy")
    np.save(tmp_path / "one.npy", np.ones((1, 4)))
    with pytest.raises(ValueError, match="Found array with 1 sample"):
        model.fit_npy(tmp_path / "one.npy")
    with pytest.raises(ValueError, match="memory must be"):
        model.fit_npy(tmp_path / "one.npy", memory="lots")
    with pytest.raises(ValueError, match="memory"):
        model.fit_npy(npy_files[1]["c64"], memory=100)  # under one chunk
    assert sorted(vars(model)) == sorted(before)


def test_fit_npy_no_convergence_warns(npy_files):
    with pytest.warns(ConvergenceWarning):
        libgmm.GaussianMixture(3, max_iter=1, random_state=0).fit_npy(
            npy_files[1]["c64"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        libgmm.GaussianMixture(3, random_state=0).fit_npy(
            os.fspath(npy_files[1]["c64"]))
