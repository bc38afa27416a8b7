"""_plot.py — libgmm.plot_mixture: a fitted mixture over its data, drawn
with matplotlib (optional: imported only when a picture is asked for).

The ellipses are the library's (gmm_model_project, then
gmm_model_component_axes): the mixture seen in the plane of two features is
the Gaussian mixture with those rows and columns of each covariance, and
the ellipse of s standard deviations is its density's contour at
Mahalanobis distance s.
"""
import ctypes
import math

import numpy as np

from . import _lib
from ._lib import Error, address, check, copy_out, new_model


def _axes_of(model_2d, component):
    eigenvalues = np.empty(2)
    eigenvectors = np.empty((2, 2))
    err = Error()
    check(_lib.lib.gmm_model_component_axes(
        model_2d.handle, component, address(eigenvalues),
        address(eigenvectors), ctypes.byref(err)), err)
    return eigenvalues, eigenvectors


def plot_mixture(model, X, ax=None, *, features=(0, 1), n_std=(1, 2)):
    """Draw the rows of X in the plane of two features (`features`, column
    indices), coloured by model.predict(X), and each component's mean with
    its ellipses of `n_std` standard deviations. Draws on `ax` (a new
    figure's axes when None) and returns it. Needs matplotlib."""
    try:
        import matplotlib.pyplot as plt
        from matplotlib.patches import Ellipse
    except ImportError as error:
        raise ImportError("plot_mixture needs matplotlib (Debian: "
                          "apt-get install python3-matplotlib)") from error
    X = model._rows(X)
    n_features = model.means_.shape[1]
    if X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, the model "
                         f"{n_features}")
    first, second = features
    if n_features < 2 or not (0 <= first < n_features and
                              0 <= second < n_features and first != second):
        raise ValueError(f"features must be two different column indices "
                         f"of the {n_features} features, got {features!r}")
    if ax is None:
        ax = plt.subplots()[1]
    labels = model._predict_rows(X)
    colors = plt.get_cmap("tab10").colors
    ax.scatter(X[:, first], X[:, second], s=6,
               c=[colors[label % len(colors)] for label in labels])

    basis = np.zeros((2, n_features))
    basis[0, first] = basis[1, second] = 1.0
    with model._model() as full, \
            new_model(_lib.lib.gmm_model_project, full.handle, None,
                      address(basis), 2) as plane:
        means = copy_out(_lib.lib.gmm_model_means(plane.handle),
                         (model.means_.shape[0], 2))
        for component, mean in enumerate(means):
            eigenvalues, eigenvectors = _axes_of(plane, component)
            color = colors[component % len(colors)]
            angle = math.degrees(math.atan2(eigenvectors[0, 1],
                                            eigenvectors[0, 0]))
            for s in n_std:
                ax.add_patch(Ellipse(
                    mean, 2 * s * math.sqrt(eigenvalues[0]),
                    2 * s * math.sqrt(eigenvalues[1]), angle=angle,
                    fill=False, edgecolor=color, linewidth=1.5))
            ax.plot(*mean, marker="x", color="black")
    names = getattr(model, "feature_names_in_", None)
    ax.set_xlabel(names[first] if names is not None else f"feature {first}")
    ax.set_ylabel(names[second] if names is not None else f"feature {second}")
    return ax
