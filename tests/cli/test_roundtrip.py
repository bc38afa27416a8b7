"""fit -> predict -> score round trip, checked against scikit-learn 1.2.1:
a GaussianMixture given the saved model's parameters must predict and score
exactly as `gmm predict` and `gmm score` do, and scikit-learn's fit from
the same starting point must reach the same model as `gmm fit`."""
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import (_compute_precision_cholesky,
                                               _estimate_gaussian_parameters)

import clitest as cli
from clitest import numbers, ok

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]


def sklearn_model(model):
    """A fitted scikit-learn GaussianMixture holding the model's parameters."""
    covariance_type = model["covariance_type"]
    mixture = GaussianMixture(n_components=model["n_components"],
                              covariance_type=covariance_type)
    mixture.weights_ = np.array(model["weights"])
    mixture.means_ = np.array(model["means"])
    mixture.covariances_ = np.array(model["covariances"])
    mixture.precisions_cholesky_ = _compute_precision_cholesky(
        mixture.covariances_, covariance_type)
    return mixture


def test_predict_and_score_match_sklearn():
    data = cli.read_faithful()
    for covariance_type in COVARIANCE_TYPES:
        model = cli.fit("m.json", "-k", "3", "--covariance", covariance_type)
        reference = sklearn_model(model)
        labels = [int(x) for x in ok("predict", "m.json", cli.FAITHFUL).split()]
        assert labels == reference.predict(data).tolist(), covariance_type
        proba = numbers(ok("predict", "m.json", cli.FAITHFUL, "--proba"))
        np.testing.assert_allclose(proba, reference.predict_proba(data),
                                   rtol=1e-9, atol=1e-12)
        per_sample = numbers(ok("score", "m.json", cli.FAITHFUL,
                                "--per-sample"))
        np.testing.assert_allclose(np.ravel(per_sample),
                                   reference.score_samples(data), rtol=1e-11)
        for flag, expected in [((), reference.score(data)),
                               (("--bic",), reference.bic(data)),
                               (("--aic",), reference.aic(data))]:
            value = float(ok("score", "m.json", cli.FAITHFUL, *flag))
            assert abs(value - expected) <= 1e-11 * abs(expected), \
                (covariance_type, flag, value, expected)


def test_score_is_the_mean_of_per_sample_scores():
    cli.fit("m.json", "-k", "2")
    per_sample = np.ravel(numbers(ok("score", "m.json", cli.FAITHFUL,
                                     "--per-sample")))
    mean = float(ok("score", "m.json", cli.FAITHFUL))
    assert abs(mean - per_sample.mean()) <= 1e-13 * abs(mean)


def sklearn_fit_from(model, data, max_iter):
    """scikit-learn's fit from the model's parameters, tol 0."""
    covariance_type = model["covariance_type"]
    precisions = _precisions(np.array(model["covariances"]), covariance_type)
    mixture = GaussianMixture(n_components=model["n_components"],
                              covariance_type=covariance_type, tol=0,
                              max_iter=max_iter,
                              weights_init=model["weights"],
                              means_init=model["means"],
                              precisions_init=precisions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: tol 0
        return mixture.fit(data)


def _precisions(covariances, covariance_type):
    if covariance_type in ("full", "tied"):
        return np.linalg.inv(covariances)
    return 1.0 / covariances


def test_fit_matches_sklearn_from_the_same_start():
    data = cli.read_faithful()
    for covariance_type in COVARIANCE_TYPES:
        start = cli.fit("start.json", "-k", "2", "--covariance",
                        covariance_type, "--max-iter", "0")
        ours = cli.fit("m.json", "-k", "2", "--covariance", covariance_type,
                       "--init-model", "start.json", "--tol", "0",
                       "--max-iter", "25")
        theirs = sklearn_fit_from(start, data, 25)
        assert ours["n_iter"] == theirs.n_iter_ == 25
        np.testing.assert_allclose(ours["weights"], theirs.weights_,
                                   rtol=1e-7)
        np.testing.assert_allclose(ours["means"], theirs.means_, rtol=1e-7)
        np.testing.assert_allclose(ours["covariances"], theirs.covariances_,
                                   rtol=1e-6)
        assert abs(ours["lower_bound"] - theirs.lower_bound_) < 1e-9


def test_default_fit_agrees_with_sklearn_estimates():
    # The saved covariances are the responsibility-weighted estimates of the
    # saved model's own E-step on the data, up to one more M-step: after
    # convergence the two are close.
    data = cli.read_faithful()
    model = cli.fit("m.json", "-k", "2", "--tol", "1e-10", "--max-iter",
                    "1000")
    reference = sklearn_model(model)
    resp = reference.predict_proba(data)
    weights, means, covariances = _estimate_gaussian_parameters(
        data, resp, 1e-6, "full")
    np.testing.assert_allclose(means, model["means"], rtol=1e-6)
    np.testing.assert_allclose(covariances, model["covariances"], rtol=1e-5)


if __name__ == "__main__":
    cli.main()
