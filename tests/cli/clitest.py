"""Shared by the gmm command's tests: run the command, check what it did.

Each test_*.py file holds test_* functions; run it as
    python3 test_x.py --gmm build/gmm --data data/
and it runs every test_* function in a fresh temporary folder (the current
directory while it runs), prints one line per test and exits non-zero if
any failed. A test that cannot run here (no MPI, say) raises Skip with the
reason; when every test skipped, the exit status is 77, which CTest shows
as skipped (SKIP_RETURN_CODE).
"""
import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import traceback

SKIPPED = 77     # the exit status when every test skipped

GMM = None       # path of the gmm binary
DATA_DIR = None  # the repository's data/ folder
SOURCE_DIR = None  # the repository
FAITHFUL = None  # data/faithful.csv


class Skip(Exception):
    """Raised by a test that cannot run here; its message says why."""


def run(*args, stdin=None, timeout=120):
    """Run gmm with these arguments; stdout and stderr as text."""
    return subprocess.run([GMM, *map(str, args)], input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def expect(result, code, stderr_has=()):
    """Check the exit status and that stderr mentions each given text."""
    detail = (f"gmm {' '.join(result.args[1:])}\n"
              f"stdout: {result.stdout[:2000]}\nstderr: {result.stderr[:2000]}")
    assert result.returncode == code, \
        f"exit status {result.returncode}, expected {code}\n{detail}"
    for text in ([stderr_has] if isinstance(stderr_has, str) else stderr_has):
        assert text in result.stderr, f"stderr lacks {text!r}\n{detail}"
    return result


def ok(*args, stdin=None):
    """Run gmm, expect success and silence on stderr; return stdout."""
    result = expect(run(*args, stdin=stdin), 0)
    assert result.stderr == "", f"unexpected stderr: {result.stderr}"
    return result.stdout


def numbers(text):
    """Rows of numbers printed by gmm as CSV, as a list of lists of floats."""
    return [[float(x) for x in line.split(",")]
            for line in text.splitlines() if line]


def load_json(path):
    with open(path) as f:
        return json.load(f)


def read_faithful():
    """Old Faithful as a numpy array (272 x 2)."""
    import numpy as np
    return np.loadtxt(FAITHFUL, delimiter=",", skiprows=1)


NOT_CONVERGED = "gmm fit: warning: no initialization converged within"


def fit(model_path, *args, data=None):
    """Fit and return the model as JSON; stderr may only say that the fit
    did not converge."""
    result = expect(run("fit", data or FAITHFUL, *args, "-o", model_path), 0)
    assert result.stdout == ""
    for line in result.stderr.splitlines():
        assert line.startswith(NOT_CONVERGED), result.stderr
    return load_json(model_path)


def main():
    global GMM, DATA_DIR, SOURCE_DIR, FAITHFUL
    parser = argparse.ArgumentParser()
    parser.add_argument("--gmm", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("only", nargs="*", help="run only these tests")
    options = parser.parse_args()
    GMM = os.path.abspath(options.gmm)
    DATA_DIR = os.path.abspath(options.data)
    SOURCE_DIR = os.path.abspath(options.source)
    FAITHFUL = os.path.join(DATA_DIR, "faithful.csv")

    caller = inspect.stack()[1].frame.f_globals
    tests = [(name, function) for name, function in caller.items()
             if name.startswith("test_") and callable(function)
             and (not options.only or name in options.only)]
    failures = skipped = 0
    start = os.getcwd()
    for name, function in tests:
        with tempfile.TemporaryDirectory(prefix="gmm-cli-test-") as folder:
            os.chdir(folder)
            try:
                function()
                print(f"PASS {name}")
            except Skip as why:
                skipped += 1
                print(f"SKIP {name}: {why}")
            except Exception:
                failures += 1
                print(f"FAIL {name}\n{traceback.format_exc()}")
            finally:
                os.chdir(start)
    print(f"{len(tests) - failures - skipped}/{len(tests)} passed"
          + (f", {skipped} skipped" if skipped else ""))
    if failures or not tests:
        sys.exit(1)
    sys.exit(SKIPPED if skipped == len(tests) else 0)
