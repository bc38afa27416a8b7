"""Shared pieces of the Python package's tests (run by CTest as python.NAME,
with PYTHONPATH naming the build's package and GMM_CLI, GMM_SOURCE_DIR and
GMM_ABI_LAYOUT set; see CMakeLists.txt).
"""
import os
import sys
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import settings

SOURCE_DIR = os.environ.get(
    "GMM_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FAITHFUL_CSV = os.path.join(SOURCE_DIR, "data", "faithful.csv")

# The C library's reference cases and their blobs (tests/reference).
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "reference"))

# Reproducible property tests that write nothing (no example database).
settings.register_profile("libgmm", database=None, deadline=None,
                          derandomize=True, max_examples=150)
settings.load_profile("libgmm")

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]


def assert_close(got, expected, rtol, floor, what=""):
    """|got - expected| <= rtol * max(|expected|, floor), elementwise: the
    C library's conformance rule (tests/core/check.h, close_to)."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected,
                                                              dtype=float)
    assert got.shape == expected.shape, (what, got.shape, expected.shape)
    scale = np.maximum(np.abs(expected), floor)
    bad = np.abs(got - expected) > rtol * scale
    assert not bad.any(), (
        f"{what}: {bad.sum()} of {bad.size} differ, first at "
        f"{np.argwhere(bad)[0]}: {got[bad][0]!r} against {expected[bad][0]!r}")


@pytest.fixture(scope="session")
def faithful():
    return np.loadtxt(FAITHFUL_CSV, delimiter=",", skiprows=1)


@pytest.fixture(scope="session")
def gmm_cli():
    path = os.environ.get("GMM_CLI")
    if not path:
        pytest.skip("GMM_CLI is not set: these tests run under CTest "
                    "(ctest -R python), which names the gmm command")
    return path



def outcome(function):
    """(exception type, message) of function(), or None if it returned;
    warnings are not errors here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            function()
    except Exception as error:  # noqa: BLE001 (the outcome is compared)
        return type(error), str(error)
    return None


def python_peak(function):
    """The peak of Python's allocations (numpy's included) during
    function(), in bytes; the library's own mallocs are not counted."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
