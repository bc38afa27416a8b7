"""test_estimator_checks.py — scikit-learn's contract for estimators,
sklearn.utils.estimator_checks.check_estimator, for GaussianMixture,
BayesianGaussianMixture and KMeans: every check is run, one test each.

A check that cannot pass is named in EXPECTED_FAILURES; its reason is the
estimator's _xfail_checks tag (which check_estimator itself reads, as in
LightGBM and in scikit-learn's own KMeans), shown in pytest's report, and
the test is a strict expected failure, so a fix shows itself. Where a check
runs for several kinds, only the failing kind is expected to fail.
"""
import functools
import warnings

import pytest
from sklearn.exceptions import SkipTestWarning
from sklearn.utils.estimator_checks import check_estimator

import libgmm

# (estimator, check with its arguments) that cannot pass.
EXPECTED_FAILURES = {
    ("KMeans", "check_sample_weights_invariance(kind=zeros)"),
}

ESTIMATORS = [libgmm.GaussianMixture(), libgmm.BayesianGaussianMixture(),
              libgmm.KMeans()]


def _name(check):
    """check_x(kind=zeros): the check's name with its arguments."""
    keywords = {}
    while isinstance(check, functools.partial):
        keywords = {**check.keywords, **keywords}
        check = check.func
    arguments = ", ".join(f"{key}={value}" for key, value in keywords.items())
    return f"{check.__name__}({arguments})" if arguments else check.__name__


def _unwrapped(check):
    """The check itself, not check_estimator's skip of a tagged check (a
    wrapper of it, under the partial that binds the estimator's name)."""
    inner = getattr(check.func, "__wrapped__", None)
    return check if inner is None else \
        functools.partial(inner, *check.args, **check.keywords)


def _checks():
    for estimator in ESTIMATORS:
        estimator_name = type(estimator).__name__
        tags = estimator._get_tags()["_xfail_checks"] or {}
        for instance, check in check_estimator(estimator, generate_only=True):
            check = _unwrapped(check)
            name = _name(check)
            marks = []
            if (estimator_name, name) in EXPECTED_FAILURES:
                marks = [pytest.mark.xfail(
                    strict=True, raises=AssertionError,
                    reason=tags[name.split("(")[0]])]
            yield pytest.param(instance, check, marks=marks,
                               id=f"{estimator_name}-{name}")


@pytest.mark.parametrize("estimator, check", _checks())
def test_check(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_expected_failures_are_real_checks():
    names = {(type(e).__name__, _name(_unwrapped(c)))
             for e in ESTIMATORS
             for _, c in check_estimator(e, generate_only=True)}
    assert EXPECTED_FAILURES <= names


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_check_estimator_passes(estimator):
    """check_estimator as a user runs it: it passes, skipping only the
    checks the tag names, with their reasons."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_estimator(estimator)
    skipped = {str(w.message) for w in caught
               if issubclass(w.category, SkipTestWarning)}
    tagged = estimator._get_tags()["_xfail_checks"] or {}
    assert set(tagged) == {name.split("(")[0] for owner, name
                           in EXPECTED_FAILURES
                           if owner == type(estimator).__name__}
    assert skipped == {f"Skipping {check} for {type(estimator).__name__}: "
                       f"{reason}" for check, reason in tagged.items()}
