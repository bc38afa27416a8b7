"""faithful.py: libgmm from Python in one page. Fits mixtures of one and
two Gaussians to Old Faithful and compares them by BIC (lower is better),
with scikit-learn's GaussianMixture interface.
    PYTHONPATH=build/python python3 examples/faithful.py data/faithful.csv
"""
import sys

import numpy as np
from libgmm import GaussianMixture

path = sys.argv[1] if len(sys.argv) > 1 else "data/faithful.csv"
X = np.loadtxt(path, delimiter=",", skiprows=1)  # eruption, waiting (min)

for k in (1, 2):
    model = GaussianMixture(n_components=k, covariance_type="full",
                            random_state=0).fit(X)
    print(f"K={k}: BIC {model.bic(X):.3f}, {model.n_iter_} iterations")
    for weight, mean in zip(model.weights_, model.means_):
        print(f"  component: weight {weight:.3f}, mean ({mean[0]:.3f}, "
              f"{mean[1]:.3f})")
