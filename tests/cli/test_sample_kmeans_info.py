"""gmm sample, gmm kmeans and gmm info."""
import os

import numpy as np
from sklearn.cluster import KMeans

import clitest as cli
from clitest import expect, numbers, ok, run


def test_sample_rows_and_reproducibility():
    model = cli.fit("m.json", "-k", "2")
    rows = numbers(ok("sample", "m.json", "-n", "5000", "--seed", "7"))
    assert np.shape(rows) == (5000, 2)
    assert ok("sample", "m.json", "-n", "5000", "--seed", "7") == \
        ok("sample", "m.json", "--n-samples", "5000", "--seed=7")
    assert ok("sample", "m.json", "-n", "20") == \
        ok("sample", "m.json", "-n", "20", "--seed", "0")
    assert ok("sample", "m.json", "-n", "20", "--seed", "1") != \
        ok("sample", "m.json", "-n", "20", "--seed", "2")
    # The draws follow the model: their mean is the mixture's mean.
    mixture_mean = np.dot(model["weights"], model["means"])
    spread = np.std(rows, axis=0) / np.sqrt(len(rows))
    assert np.all(np.abs(np.mean(rows, axis=0) - mixture_mean) < 5 * spread)


def test_sample_output_feeds_back_in():
    cli.fit("m.json", "-k", "2")
    with open("drawn.csv", "w") as f:
        f.write(ok("sample", "m.json", "-n", "300", "--seed", "3"))
    refit = cli.fit("refit.json", "-k", "2", data="drawn.csv")
    assert refit["n_features"] == 2


def test_kmeans_labels_and_centers():
    labels = [int(x) for x in ok("kmeans", cli.FAITHFUL, "-k", "2", "-o",
                                 "centers.csv").split()]
    assert len(labels) == 272 and set(labels) == {0, 1}
    with open("centers.csv") as f:
        header = f.readline().strip()
        centers = np.array(numbers(f.read()))
    assert header == "eruptions,waiting"
    assert centers.shape == (2, 2)
    data = cli.read_faithful()
    nearest = np.argmin(((data[:, None, :] - centers[None]) ** 2).sum(-1), 1)
    assert nearest.tolist() == labels
    # scikit-learn finds the same two clusters.
    reference = KMeans(n_clusters=2, n_init=10, random_state=0).fit(data)
    np.testing.assert_allclose(sorted(centers.tolist()),
                               sorted(reference.cluster_centers_.tolist()),
                               rtol=1e-9)
    assert os.listdir(".") == ["centers.csv"]


def test_kmeans_flags():
    base = ["kmeans", cli.FAITHFUL, "-k", "3"]
    default = ok(*base)
    assert default == ok(*base, "--seed", "0", "--init", "k-means++",
                         "--threads", "2")
    for extra in [("--init", "random"), ("--n-init", "4"),
                  ("--max-iter", "2"), ("--tol", "0.5"), ("--seed", "11")]:
        labels = ok(*base, *extra).split()
        assert len(labels) == 272 and set(labels) <= {"0", "1", "2"}, extra
    np.save("w.npy", np.ones(272))
    assert ok(*base, "--weights", "w.npy") == default
    result = expect(run(*base, "-v"), 0, "k-means: 3 clusters, inertia ")
    assert result.stdout == default


def test_kmeans_without_header_writes_no_header():
    np.save("d.npy", cli.read_faithful())
    ok("kmeans", "d.npy", "-k", "2", "-o", "c.csv")
    assert len(numbers(open("c.csv").read())) == 2


def test_kmeans_failure_leaves_no_centers_file():
    with open("c.csv", "w") as f:
        f.write("old")
    result = run("kmeans", cli.FAITHFUL, "-k", "1000", "-o", "c.csv")
    assert result.returncode in (2, 3) and result.stdout == ""
    expect(run("kmeans", cli.FAITHFUL, "-k", "2", "-o", "no/dir/c.csv"), 3,
           "no/dir/c.csv")
    assert open("c.csv").read() == "old"
    assert os.listdir(".") == ["c.csv"]


def test_info_every_covariance_type():
    for covariance in ["full", "tied", "diag", "spherical"]:
        model = cli.fit("m.json", "-k", "2", "--covariance", covariance)
        text = ok("info", "m.json")
        assert text.startswith(f"Gaussian mixture: 2 components, 2 features, "
                               f"{covariance} covariance, "), text
        assert f"converged after {model['n_iter']} iterations" in text
        assert "Component 0" in text and "Component 1" in text
        assert text.count("  weight") == 2 and text.count("  mean") == 2
        assert ("correlation" in text) == (covariance in ("full", "tied"))
        assert ("Shared covariance" in text) == (covariance == "tied")


def test_info_values():
    model = cli.fit("m.json", "-k", "2")
    lines = ok("info", "m.json").splitlines()
    rows = {}
    for line in lines[2:]:
        if line.startswith("Component"):
            k = int(line.split()[1])
        else:
            label, values = line[:14].strip(), line[14:].split()
            rows.setdefault((k, label or "correlation"), []).append(
                [float(v) for v in values])
    for k in range(2):
        covariance = np.array(model["covariances"][k])
        std = np.sqrt(np.diag(covariance))
        np.testing.assert_allclose(rows[k, "weight"][0],
                                   [model["weights"][k]], rtol=1e-5)
        np.testing.assert_allclose(rows[k, "mean"][0], model["means"][k],
                                   rtol=1e-5)
        np.testing.assert_allclose(rows[k, "std dev"][0], std, rtol=1e-5)
        np.testing.assert_allclose(rows[k, "correlation"],
                                   covariance / np.outer(std, std), atol=1e-4)


def test_info_initial_parameters():
    cli.fit("m.json", "-k", "2", "--max-iter", "0")
    assert "no EM iteration recorded" in ok("info", "m.json")


if __name__ == "__main__":
    cli.main()
