"""test_docs.py — README.md's Python section stays true: it shows
examples/faithful.py verbatim and the output that program really prints,
and every name the section lists exists in the package.
"""
import os
import re
import subprocess
import sys

import libgmm
from conftest import FAITHFUL_CSV, SOURCE_DIR


def _read(*path):
    with open(os.path.join(SOURCE_DIR, *path)) as f:
        return f.read()


def test_readme_shows_the_example_and_its_output():
    readme = _read("README.md")
    example = os.path.join(SOURCE_DIR, "examples", "faithful.py")
    with open(example) as f:
        assert f.read() in readme
    output = subprocess.run([sys.executable, example, FAITHFUL_CSV],
                            capture_output=True, text=True, check=True).stdout
    assert f"```\n{output}```" in readme


def test_readme_names_exist():
    section = _read("README.md").split("## Python:")[1].split("\n## ")[0]
    for name in ("GaussianMixture", "KMeans", "select", "plot_mixture"):
        assert name in section and hasattr(libgmm, name), name
    for method in re.findall(r"`model\.(\w+)\(", section):
        assert hasattr(libgmm.GaussianMixture, method), method
    for method in ("fit_npy", "save", "load", "sample", "bic", "aic",
                   "_n_parameters", "fit_predict", "score_samples"):
        assert f"{method}" in section and \
            hasattr(libgmm.GaussianMixture, method), method
