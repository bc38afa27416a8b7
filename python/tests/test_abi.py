"""test_abi.py — libgmm/_lib.py mirrors gmm.h as the compiler lays it out:
every struct's size and field offsets, and every enum constant the package
names (abi_layout.c prints them). A field added to gmm_options in C but not
in Python would otherwise shift every field after it, silently.
"""
import ctypes
import json
import os
import subprocess

import pytest

from libgmm import _lib

STRUCTS = {
    "gmm_error": _lib.Error,
    "gmm_progress": _lib.Progress,
    "gmm_options": _lib.Options,
    "gmm_posterior": _lib.Posterior,
    "gmm_kmeans_options": _lib.KMeansOptions,
    "gmm_kmeans_result": _lib.KMeansResult,
    "gmm_select_entry": _lib.SelectEntry,
}


@pytest.fixture(scope="module")
def layout():
    program = os.environ.get("GMM_ABI_LAYOUT")
    if not program:
        pytest.skip("GMM_ABI_LAYOUT is not set: run under CTest")
    return json.loads(subprocess.run([program], capture_output=True,
                                     text=True, check=True).stdout)


@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_struct_layout(layout, name):
    mirror = STRUCTS[name]
    c = layout["structs"][name]
    python_fields = {field: getattr(mirror, field).offset
                     for field, _ in mirror._fields_}
    assert python_fields == c["fields"], name
    assert ctypes.sizeof(mirror) == c["size"], name


def test_constants(layout):
    for name, value in layout["constants"].items():
        assert getattr(_lib, name) == value, name


def test_library_is_the_build_s_and_releases_the_gil():
    # ctypes.CDLL (not PyDLL) releases the GIL around every call; the
    # library loaded is the one beside the package.
    assert isinstance(_lib.lib, ctypes.CDLL)
    assert not isinstance(_lib.lib, ctypes.PyDLL)
    assert os.path.dirname(_lib.lib._name) == os.path.dirname(_lib.__file__)
