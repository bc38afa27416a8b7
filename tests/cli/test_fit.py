"""gmm fit: every flag, the model file it writes, -v, the convergence
warning, failures that leave no file behind."""
import os

import numpy as np

import clitest as cli
from clitest import expect, ok, run

COVARIANCE_SHAPES = {"full": (2, 2, 2), "tied": (2, 2), "diag": (2, 2),
                     "spherical": (2,)}


def test_fit_writes_model_and_prints_nothing():
    result = expect(run("fit", cli.FAITHFUL, "-k", "2", "-o", "m.json"), 0)
    assert result.stdout == "" and result.stderr == ""
    model = cli.load_json("m.json")
    assert model["covariance_type"] == "full"
    assert model["n_components"] == 2 and model["n_features"] == 2
    assert model["converged"] is True and model["n_iter"] >= 2
    assert abs(sum(model["weights"]) - 1) < 1e-12
    assert np.shape(model["means"]) == (2, 2)
    assert os.listdir(".") == ["m.json"], "temporary files left behind"


def test_every_covariance_type():
    for covariance, shape in COVARIANCE_SHAPES.items():
        model = cli.fit(f"{covariance}.json", "-k", "2", "--covariance",
                        covariance)
        assert model["covariance_type"] == covariance
        assert np.shape(model["covariances"]) == shape, covariance


def test_mclust_names():
    # scikit-learn's four under mclust's names: the same model file.
    for mclust, ours in [("VVV", "full"), ("EEE", "tied"), ("VVI", "diag"),
                         ("VII", "spherical")]:
        assert cli.fit("a.json", "-k", "2", "--covariance", mclust) == \
            cli.fit("b.json", "-k", "2", "--covariance", ours), mclust
    # The other ten: K D x D covariances and their decomposition beside.
    for name in ["EII", "EEI", "VEI", "EVI", "VEE", "EVE", "VVE", "EEV",
                 "VEV", "EVV"]:
        model = cli.fit(f"{name}.json", "-k", "2", "--covariance", name,
                        "--reg-covar", "0")
        assert model["covariance_type"] == name
        cov = np.array(model["covariances"])
        volume = np.array(model["volume"])
        shape = np.array(model["shape"])
        axes = np.array(model["orientation"])
        assert cov.shape == (2, 2, 2) and shape.shape == (2, 2)
        np.testing.assert_allclose(np.prod(shape, axis=1), 1, rtol=1e-12)
        rebuilt = np.einsum("k,kij,kj,klj->kil", volume, axes, shape, axes)
        np.testing.assert_allclose(rebuilt, cov, rtol=1e-10, atol=1e-12)
        # What the name says is equal across components is: the volume,
        # the shape, the orientation (its axes, in any order and sign).
        def permutation(m):
            return np.allclose(np.sort(np.abs(m), axis=1)[:, -1], 1)
        if name[0] == "E":
            np.testing.assert_allclose(volume[0], volume[1], rtol=1e-9)
        if name[1] == "I":
            np.testing.assert_allclose(shape, 1, rtol=1e-9)
        if name[1] == "E":
            np.testing.assert_allclose(shape[0], shape[1], rtol=1e-9)
        if name[2] == "I":
            assert permutation(axes[0]) and permutation(axes[1]), name
        if name[2] == "E":
            assert permutation(axes[0].T @ axes[1]), name
        for command in (["info", f"{name}.json"],
                        ["predict", f"{name}.json", cli.FAITHFUL],
                        ["score", f"{name}.json", cli.FAITHFUL, "--bic"],
                        ["sample", f"{name}.json", "-n", "3"],
                        ["plot", f"{name}.json", cli.FAITHFUL, "-o", "p.svg"]):
            ok(*command)


def test_every_init_method_and_n_init():
    for init in ["kmeans", "k-means++", "random", "random_from_data"]:
        one = cli.fit("one.json", "-k", "2", "--init", init, "--seed", "3")
        best = cli.fit("best.json", "-k", "2", "--init", init, "--seed", "3",
                       "--n-init", "4")
        for model in (one, best):
            assert model["converged"] and model["lower_bound"] < 0, init


def test_options_reach_the_library():
    # tol 0 never converges; max-iter bounds the iterations.
    model = cli.fit("m.json", "-k", "2", "--tol", "0", "--max-iter", "7",
                    "--reg-covar", "1e-3", "--threads", "2")
    assert model["n_iter"] == 7 and model["converged"] is False
    # Every variance is the data's plus reg_covar, so none is below it.
    big = cli.fit("big.json", "-k", "2", "--reg-covar", "100")
    assert min(np.diagonal(np.array(big["covariances"]), axis1=1, axis2=2)
               .ravel()) > 100


def test_seed_and_threads_reproducible():
    a = open_model("a.json", "--init", "random", "--seed", "5")
    b = open_model("b.json", "--init", "random", "--seed", "5", "--threads",
                   "1")
    c = open_model("c.json", "--init", "random", "--seed", "5", "--threads",
                   "2")
    assert a == b == c
    default = open_model("d.json", "--init", "random")
    seed0 = open_model("e.json", "--init", "random", "--seed", "0")
    assert default == seed0


def open_model(path, *args):
    ok("fit", cli.FAITHFUL, "-k", "3", *args, "-o", path)
    return open(path).read()


def test_verbose_reports_iterations_on_stderr():
    result = expect(run("fit", cli.FAITHFUL, "-k", "2", "-v", "--n-init", "2",
                        "-o", "m.json"), 0)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Initialization 0", lines
    assert lines[1].startswith("  Iteration 1\t time lapse "), lines
    assert "lower bound" in lines[1] and "ll change inf" in lines[1], lines
    assert "Initialization 1" in lines
    assert sum(line.startswith("Initialization 0 converged: True")
               for line in lines) == 1
    model = cli.load_json("m.json")
    assert lines[-2].startswith("Fitted 2 components (full covariance) to "
                                "272 rows x 2 features in "), lines
    assert lines[-1].startswith(f"Converged after {model['n_iter']} "
                                "iterations (best of n_init 2)"), lines
    assert lines[-1].endswith("; saved to m.json"), lines


def test_not_converged_warns_and_is_recorded():
    result = expect(run("fit", cli.FAITHFUL, "-k", "3", "--max-iter", "2",
                        "-o", "m.json"), 0,
                    [cli.NOT_CONVERGED + " --max-iter 2.",
                     "increase --max-iter, --tol"])
    assert result.stdout == ""
    model = cli.load_json("m.json")
    assert model["converged"] is False and model["n_iter"] == 2


def test_max_iter_zero_keeps_initial_parameters_without_warning():
    result = expect(run("fit", cli.FAITHFUL, "-k", "2", "--max-iter", "0",
                        "-o", "m.json"), 0)
    assert result.stderr == ""
    model = cli.load_json("m.json")
    assert model["n_iter"] == 0 and model["converged"] is False
    assert model["lower_bound"] is None


def test_init_model_is_the_starting_point():
    cli.fit("start.json", "-k", "2", "--max-iter", "0", "--init", "random",
            "--seed", "9")
    one_step = cli.fit("one.json", "-k", "2", "--init-model", "start.json",
                       "--max-iter", "1", "--tol", "0")
    # Another seed or init method changes nothing once an init model is given.
    again = cli.fit("again.json", "-k", "2", "--init-model", "start.json",
                    "--max-iter", "1", "--tol", "0", "--seed", "4",
                    "--init", "k-means++")
    assert one_step == again
    # Running on from that one step equals one run of two steps.
    two_steps = cli.fit("two.json", "-k", "2", "--init-model", "start.json",
                        "--max-iter", "2", "--tol", "0")
    continued = cli.fit("cont.json", "-k", "2", "--init-model", "one.json",
                        "--max-iter", "1", "--tol", "0")
    np.testing.assert_allclose(continued["means"], two_steps["means"],
                               rtol=1e-12)


def test_init_resp_starts_with_an_m_step_from_them():
    X = cli.read_faithful()
    long_eruption = (X[:, 0] > 3).astype(float)
    resp = np.column_stack([0.9 * long_eruption + 0.05,
                            0.95 - 0.9 * long_eruption])
    np.savetxt("z.csv", resp, delimiter=",", fmt="%.17g")
    np.save("z.npy", resp)
    np.save("x.npy", X)
    start = cli.fit("start.json", "-k", "2", "--init-resp", "z.csv",
                    "--max-iter", "0", "--reg-covar", "0")
    nk = resp.sum(axis=0)
    np.testing.assert_allclose(start["weights"], nk / len(X), rtol=1e-14)
    np.testing.assert_allclose(start["means"], resp.T @ X / nk[:, None],
                               rtol=1e-13)
    # CSV or .npy, in memory or streamed (the rows' global indices pick
    # their responsibilities): one model.
    fits = [cli.fit(f"{i}.json", "-k", "2", "--init-resp", z, "--tol", "0",
                    "--max-iter", "3", *extra, data=data)
            for i, (z, data, extra) in enumerate([
                ("z.csv", None, []), ("z.npy", None, []),
                ("z.csv", "x.npy", ["--memory", "8K", "--threads", "2"])])]
    assert fits[0] == fits[1] == fits[2]


def test_init_model_must_match_the_command_line():
    cli.fit("start.json", "-k", "2", "--covariance", "diag")
    expect(run("fit", cli.FAITHFUL, "-k", "3", "--covariance", "diag",
               "--init-model", "start.json", "-o", "m.json"), 2,
           "--init-model start.json has 2 components, but -k is 3")
    expect(run("fit", cli.FAITHFUL, "-k", "2", "--init-model", "start.json",
               "-o", "m.json"), 2,
           "--init-model start.json has covariance 'diag', but --covariance "
           "is 'full'")
    np.save("one_feature.npy", cli.read_faithful()[:, 0])
    expect(run("fit", "one_feature.npy", "-k", "2", "--covariance", "diag",
               "--init-model", "start.json", "-o", "m.json"), 3,
           "--init-model start.json has 2 features, but one_feature.npy has "
           "1 columns")
    assert not os.path.exists("m.json")


def test_weights():
    data = cli.read_faithful()
    cli.fit("start.json", "-k", "2", "--max-iter", "0")
    # Weights 0 and 1 fit what the rows of weight 1 alone fit.
    keep = np.arange(len(data)) % 3 != 0
    np.save("w.npy", keep.astype(float))
    np.save("subset.npy", data[keep])
    weighted = cli.fit("w.json", "-k", "2", "--init-model", "start.json",
                       "--weights", "w.npy")
    subset = cli.fit("s.json", "-k", "2", "--init-model", "start.json",
                     data="subset.npy")
    np.testing.assert_allclose(weighted["means"], subset["means"], rtol=1e-9)
    np.testing.assert_allclose(weighted["covariances"], subset["covariances"],
                               rtol=1e-9)
    # A constant weight changes nothing; CSV weights read as .npy ones do.
    with open("twos.csv", "w") as f:
        f.write("weight\n" + "2\n" * len(data))
    twos = cli.fit("twos.json", "-k", "2", "--init-model", "start.json",
                   "--weights", "twos.csv")
    plain = cli.fit("plain.json", "-k", "2", "--init-model", "start.json")
    np.testing.assert_allclose(twos["means"], plain["means"], rtol=1e-9)


def test_failures_leave_no_model_file():
    # More components than rows.
    result = run("fit", cli.FAITHFUL, "-k", "300", "-o", "m.json")
    assert result.returncode in (2, 3), result
    assert result.stderr.startswith("gmm fit: ")
    assert not os.path.exists("m.json")
    # An existing file is left as it was.
    with open("m.json", "w") as f:
        f.write("precious")
    expect(run("fit", "missing.csv", "-k", "2", "-o", "m.json"), 3)
    assert open("m.json").read() == "precious"
    # An unwritable destination is an I/O failure.
    expect(run("fit", cli.FAITHFUL, "-k", "2", "-o", "no/such/dir/m.json"), 3,
           "no/such/dir/m.json")
    assert sorted(os.listdir(".")) == ["m.json"]


def test_numerical_failure_exits_4():
    # Identical rows without regularization: the covariance is singular.
    with open("same.csv", "w") as f:
        f.write("1,2\n" * 20)
    expect(run("fit", "same.csv", "-k", "1", "--reg-covar", "0", "-o",
               "m.json"), 4, "gmm fit: ")
    assert not os.path.exists("m.json")


if __name__ == "__main__":
    cli.main()
