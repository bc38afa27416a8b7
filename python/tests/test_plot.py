"""test_plot.py — plot_mixture draws each component's ellipses where the
model's covariance puts them, on the axes given or on new ones. Skipped
(with the reason) where matplotlib is not installed: it is optional.
"""
import numpy as np
import pytest

import libgmm
from sklearn_cases import blobs

matplotlib = pytest.importorskip(
    "matplotlib", reason="matplotlib is optional (Debian: python3-matplotlib)")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend)
from matplotlib.patches import Ellipse  # noqa: E402


def _ellipses(ax):
    return [patch for patch in ax.patches if isinstance(patch, Ellipse)]


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag",
                                             "spherical"])
def test_ellipses_are_the_covariances(covariance_type):
    X = blobs(5, 400, 3, 3, 3.0)
    model = libgmm.GaussianMixture(3, covariance_type=covariance_type,
                                   random_state=0).fit(X)
    figure, ax = plt.subplots()
    assert libgmm.plot_mixture(model, X, ax, features=(0, 2)) is ax
    ellipses = _ellipses(ax)
    assert len(ellipses) == 3 * 2
    covariances = model.covariances_
    full = {"full": lambda: covariances,
            "tied": lambda: np.repeat(covariances[None], 3, axis=0),
            "diag": lambda: np.array([np.diag(c) for c in covariances]),
            "spherical": lambda: np.array([c * np.eye(3)
                                           for c in covariances])}[
        covariance_type]()
    for component in range(3):
        plane = full[component][np.ix_([0, 2], [0, 2])]
        eigenvalues = np.linalg.eigvalsh(plane)[::-1]
        for s, ellipse in zip((1, 2), ellipses[2 * component:2 * component + 2]):
            np.testing.assert_allclose(ellipse.center,
                                       model.means_[component, [0, 2]])
            np.testing.assert_allclose(
                [ellipse.width, ellipse.height],
                2 * s * np.sqrt(eigenvalues), rtol=1e-12)
    plt.close(figure)


def test_new_axes_and_labels(faithful):
    import pandas as pd
    frame = pd.DataFrame(faithful, columns=["eruptions", "waiting"])
    model = libgmm.GaussianMixture(2, random_state=0).fit(frame)
    ax = libgmm.plot_mixture(model, frame)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("eruptions", "waiting")
    assert len(ax.collections) == 1  # the points
    plt.close(ax.figure)


def test_bad_features(faithful):
    model = libgmm.GaussianMixture(2, random_state=0).fit(faithful)
    with pytest.raises(ValueError, match="features must be two different"):
        libgmm.plot_mixture(model, faithful, features=(0, 0))
    with pytest.raises(ValueError, match="features must be two different"):
        libgmm.plot_mixture(model, faithful, features=(0, 2))
