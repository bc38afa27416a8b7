"""libgmm: Gaussian mixture models fitted by EM in C, with scikit-learn's
interface.

    from libgmm import GaussianMixture      # instead of sklearn.mixture's

GaussianMixture, BayesianGaussianMixture and KMeans are scikit-learn
1.2.1's estimators on libgmm's engine (same parameters, attributes,
messages and, from the same initial parameters, results); select() is the
library's choice of the number of components and covariance type by BIC
or AIC; plot_mixture() draws a fitted mixture with matplotlib;
fit_columns() fits one mixture per column of a matrix, in parallel across
the columns. See README.md ("Python").
"""
from ._bayesian import BayesianGaussianMixture
from ._columns import fit_columns
from ._kmeans import KMeans
from ._mixture import MCLUST_MODELS, GaussianMixture
from ._plot import plot_mixture
from ._select import select
from ._version import __version__

__all__ = ["GaussianMixture", "BayesianGaussianMixture", "fit_columns",
           "KMeans", "select", "plot_mixture", "MCLUST_MODELS", "__version__"]
