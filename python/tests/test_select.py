"""test_select.py — libgmm.select is `gmm select`: the same table and the
same best model on Old Faithful (tied, K = 3, as R's mclust chooses), and
each pair's model is GaussianMixture.fit's with the same options.
"""
import subprocess

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

import libgmm
from conftest import COVARIANCE_TYPES, FAITHFUL_CSV


def _cli_table(gmm_cli, *args):
    """{(covariance type, K): score} from `gmm select`'s printed table."""
    lines = subprocess.run([gmm_cli, "select", FAITHFUL_CSV, *args],
                           capture_output=True, text=True,
                           check=True).stdout.splitlines()
    header = lines[1].split()[1:]
    table = {}
    for line in lines[2:-1]:
        k, *scores = line.split()
        for covariance_type, score in zip(header, scores):
            table[covariance_type, int(k)] = float(score.rstrip("*"))
    return table


def test_faithful_as_the_command_chooses(gmm_cli, faithful):
    table, best = libgmm.select(faithful, range(1, 7), random_state=0)
    assert [(row["covariance_type"], row["n_components"]) for row in table] \
        == [(t, k) for t in COVARIANCE_TYPES for k in range(1, 7)]
    expected = _cli_table(gmm_cli, "--k", "1..6")
    assert {(row["covariance_type"], row["n_components"]): round(row["bic"], 3)
            for row in table} == expected
    assert (best.covariance_type, best.n_components) == ("tied", 3)
    assert round(best.bic(faithful), 3) == 2314.297
    assert all(row["error"] is None and row["converged"] for row in table)


def test_each_pair_is_the_fit_with_the_same_options(faithful):
    table, best = libgmm.select(faithful, [2, 3], ["full", "diag"],
                                criterion="aic", random_state=4, n_init=2)
    refit = libgmm.GaussianMixture(
        best.n_components, covariance_type=best.covariance_type, tol=1e-6,
        max_iter=1000, n_init=2, random_state=4).fit(faithful)
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_array_equal(getattr(best, name), getattr(refit, name))
    best_row = min(table, key=lambda row: row["aic"])
    assert (best_row["covariance_type"], best_row["n_components"]) == \
        (best.covariance_type, best.n_components)
    assert best_row["aic"] == refit.aic(faithful)
    assert best_row["n_iter"] == refit.n_iter_
    assert best.get_params() == refit.get_params()


def test_data_frame_and_failed_pairs(faithful):
    frame = pd.DataFrame(faithful[:5], columns=["eruptions", "waiting"])
    table, best = libgmm.select(frame, [1, 8], "spherical")
    np.testing.assert_array_equal(best.feature_names_in_,
                                  ["eruptions", "waiting"])
    assert best.n_components == 1
    failed = table[1]
    assert failed["n_components"] == 8 and np.isnan(failed["bic"])
    assert failed["error"] is not None
    assert len(pd.DataFrame(table)) == 2


def test_bad_arguments(faithful):
    with pytest.raises(InvalidParameterError,
                       match="The 'criterion' parameter of select must be"):
        libgmm.select(faithful, criterion="icl")
    with pytest.raises(ValueError, match="n_components must be a non-empty"):
        libgmm.select(faithful, [])
    with pytest.raises(ValueError, match="n_components must be"):
        libgmm.select(faithful, [0, 1])
    with pytest.raises(ValueError, match="covariance_types must be"):
        libgmm.select(faithful, 2, ["full", "round"])
    with pytest.raises(ValueError, match="no pair could be fitted"):
        libgmm.select(faithful, [300])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        libgmm.select(np.full((4, 2), np.nan))
