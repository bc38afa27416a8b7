"""test_dask.py — libgmm.dask.fit on a dask.array: each chunk's
statistics by the C library on the workers, summed by Dask, the M-step on
the client; from the same start the in-memory fit's model after the same
iterations, to 1e-12 (on a LocalCluster of 2 workers, and on Dask's
threaded scheduler for every covariance type); chunks of any sizes,
including an empty one."""
import numpy as np
import pytest

import libgmm

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
import libgmm.dask  # noqa: E402


def _blobs(n=12000, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [3, 0, 1], [0, 3, -1]], float)
    labels = rng.integers(0, 3, n)
    return centres[labels] + rng.standard_normal((n, 3)) * (0.6 + 0.3 * labels[:, None])


def _in_memory(X, start, covariance_type):
    """The in-memory fit from start's parameters (a warm start)."""
    reference = libgmm.GaussianMixture(3, covariance_type=covariance_type,
                                       warm_start=True, random_state=0)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_",
                 "precisions_", "converged_", "n_iter_", "lower_bound_",
                 "n_features_in_"):
        setattr(reference, name, getattr(start, name))
    return reference.fit(X)


def _check_equal(model, reference):
    assert model.n_iter_ == reference.n_iter_ and model.n_iter_ > 2
    assert model.converged_ == reference.converged_
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_allclose(getattr(model, name),
                                   getattr(reference, name), rtol=1e-12,
                                   atol=1e-13)
    assert abs(model.lower_bound_ - reference.lower_bound_) <= \
        1e-12 * abs(reference.lower_bound_)


def _start(X, covariance_type):
    return libgmm.GaussianMixture(3, covariance_type=covariance_type,
                                  max_iter=0, random_state=0).fit(X)


def test_local_cluster_of_two_workers_equals_in_memory_fit():
    X = _blobs()
    start = _start(X, "full")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster):
        model = libgmm.dask.fit(da.from_array(X, chunks=(2500, 3)), 3,
                                init=start)
    _check_equal(model, _in_memory(X, start, "full"))
    assert model.n_features_in_ == 3


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag",
                                             "spherical"])
def test_every_covariance_type_on_the_threaded_scheduler(covariance_type):
    X = _blobs()
    start = _start(X, covariance_type)
    chunks = ((5000, 0, 4000, 3000), (3,))  # uneven, one empty
    model = libgmm.dask.fit(da.from_array(X, chunks=chunks), 3,
                            covariance_type=covariance_type, init=start)
    _check_equal(model, _in_memory(X, start, covariance_type))


def test_without_init_starts_from_the_first_chunk():
    X = _blobs()
    model = libgmm.dask.fit(da.from_array(X, chunks=(4000, 3)), 3,
                            random_state=0)
    batch = libgmm.GaussianMixture(3, random_state=0).fit(X)
    assert abs(model.score(X) - batch.score(X)) < 1e-3
    with pytest.raises(ValueError, match="max_iter"):
        libgmm.dask.fit(da.from_array(X, chunks=(4000, 3)), 3, max_iter=0)
