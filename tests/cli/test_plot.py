"""gmm plot and gmm fit --trace: well-formed SVG holding a point per row,
a mean and a 1-sigma and 2-sigma ellipse per component, ellipses that are
the model's own contours, columns by name, --pca for D > 2; the trace
directory's pictures and its self-contained page."""
import json
import os
import re
import xml.etree.ElementTree as ET

import numpy as np

import clitest as cli
from clitest import expect, load_json, ok, run

SVG = "{http://www.w3.org/2000/svg}"


def parse(path):
    return ET.parse(path).getroot()


def points_of(root):
    group = root.find(f".//{SVG}g[@class='points']")
    return np.array([[float(c.get("cx")), float(c.get("cy"))]
                     for c in group.findall(f"{SVG}circle")])


def ellipses_of(root):
    """{(component, sigma): pixel vertices}"""
    found = {}
    for polygon in root.iter(f"{SVG}polygon"):
        if polygon.get("class") == "ellipse":
            xy = [tuple(map(float, p.split(",")))
                  for p in polygon.get("points").split()]
            found[(int(polygon.get("data-component")),
                   int(polygon.get("data-sigma")))] = np.array(xy)
    return found


def check_picture(path, n_points, n_components):
    root = parse(path)
    assert len(points_of(root)) == n_points
    ellipses = ellipses_of(root)
    assert sorted(ellipses) == [(k, s) for k in range(1, n_components + 1)
                                for s in (1, 2)]
    means = root.findall(f".//{SVG}circle[@class='mean']")
    assert len(means) == n_components
    return root


def test_faithful_picture_ellipses_are_contours():
    cli.fit("m.json", "-k", "3", "--covariance", "full")
    ok("plot", "m.json", cli.FAITHFUL, "-o", "fit.svg")
    root = check_picture("fit.svg", 272, 3)
    model = load_json("m.json")
    data = cli.read_faithful()
    # Pixels are an axis-aligned affine map of data; recover it from the
    # points, then every ellipse vertex must lie at Mahalanobis distance
    # sigma from its component's mean.
    pixels = points_of(root)
    scale, offset = [], []
    for axis in range(2):
        a, b = np.polyfit(data[:, axis], pixels[:, axis], 1)
        scale.append(a), offset.append(b)
    for (k, sigma), xy in ellipses_of(root).items():
        x = (xy - offset) / scale
        centred = x - np.array(model["means"][k - 1])
        precision = np.linalg.inv(np.array(model["covariances"][k - 1]))
        distance = np.sqrt(np.einsum("ij,jk,ik->i", centred, precision, centred))
        assert np.allclose(distance, sigma, atol=0.01), (k, sigma, distance)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "eruptions" in texts and "waiting" in texts
    assert "3 components, full covariance" in texts
    weights = [f"component {k + 1}, w = {w:.3f}"
               for k, w in enumerate(model["weights"])]
    assert all(w in texts for w in weights)
    assert root.find(f".//{SVG}g[@class='marginal-x']") is not None


def test_columns_by_name_and_number():
    cli.fit("m.json", "-k", "2")
    ok("plot", "m.json", cli.FAITHFUL, "--x", "waiting", "--y", "1",
       "--no-marginals", "--title", "A & B", "-o", "swap.svg")
    root = check_picture("swap.svg", 272, 2)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "A & B" in texts and root.find(f".//{SVG}g[@class='marginal-x']") is None
    expect(run("plot", "m.json", cli.FAITHFUL, "--x", "nosuch", "-o", "x.svg"),
           2, "--x: no column 'nosuch'")
    expect(run("plot", "m.json", cli.FAITHFUL, "--x", "1", "--y", "eruptions",
               "-o", "x.svg"), 2, "the same column")
    expect(run("plot", "m.json", cli.FAITHFUL, "--pca", "--x", "1", "-o",
               "x.svg"), 2, "--pca")
    assert not os.path.exists("x.svg")


def test_pca_of_four_features():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 6, size=(3, 4))
    rows = np.vstack([c + rng.normal(size=(100, 4)) for c in centres])
    np.savetxt("four.csv", rows, delimiter=",", header="a,b,c,d", comments="")
    cli.fit("m.json", "-k", "3", data="four.csv")
    ok("plot", "m.json", "four.csv", "--pca", "-o", "pca.svg")
    root = check_picture("pca.svg", 300, 3)
    labels = [t.text for t in root.iter(f"{SVG}text") if t.text.startswith("PC")]
    assert len(labels) == 2 and "% of variance" in labels[0]
    # Without --pca the first two columns are shown.
    ok("plot", "m.json", "four.csv", "-o", "cols.svg")
    texts = [t.text for t in parse("cols.svg").iter(f"{SVG}text")]
    assert "a" in texts and "b" in texts


def test_one_feature_cannot_be_drawn():
    np.savetxt("one.csv", np.arange(20.0))
    cli.fit("m.json", "-k", "2", data="one.csv")
    expect(run("plot", "m.json", "one.csv", "-o", "x.svg"), 3,
           "at least 2 features")


POOR_START = "examples/faithful_poor_start.json"


def test_trace_of_em_from_a_poor_start():
    start = os.path.join(cli.SOURCE_DIR, POOR_START)
    cli.fit("m.json", "-k", "2", "--init-model", start, "--tol", "1e-6",
            "--trace", "trace")
    model = load_json("m.json")
    last = model["n_iter"]
    files = sorted(os.listdir("trace"))
    shown = [0, 1, 2, 3, 4, 5] + [n for n in range(10, last + 1, 5)
                                  if n <= 30 or n % 10 == 0]
    if last not in shown:
        shown.append(last)
    assert files == (["index.html"] + [f"iter-{n:03d}.svg" for n in shown]
                     + ["means.svg"])
    for name in files[1:-1]:
        check_picture(os.path.join("trace", name), 272, 2)
    # The start is the --init-model; the last is the fitted model.
    first = parse("trace/iter-000.svg")
    texts = [t.text for t in first.iter(f"{SVG}text")]
    assert "start" in texts and "component 1, w = 0.500" in texts
    final = [t.text for t in parse(f"trace/iter-{last:03d}.svg").iter(f"{SVG}text")]
    assert f"EM iteration {last} (converged)" in final
    with open("trace/index.html") as f:
        page = f.read()
    assert page.count('<figure class="frame') == len(shown)
    # The frames, then the means' path.
    assert page.count("<svg xmlns") == len(shown) + 1
    with open("trace/means.svg") as f:
        assert f.read() in page
    # Self-contained: no external scripts, styles or images.
    assert not re.search(r"""(src|href)\s*=""", page)
    assert re.findall(r"https?://[^\"' ]+", page) == \
        ["http://www.w3.org/2000/svg"] * (len(shown) + 1)
    # means.svg: the start and every iteration, the last the fitted means.
    paths = means_paths(parse("trace/means.svg"))
    assert sorted(paths) == [1, 2]
    assert all(len(p) == last + 1 for p in paths.values())


def means_paths(root):
    """{component: pixel vertices of its mean's path} of a means.svg."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "means-path":
            line = group.find(f"{SVG}polyline")
            found[int(group.get("data-component"))] = np.array(
                [tuple(map(float, p.split(",")))
                 for p in line.get("points").split()])
    return found


def test_trace_of_the_lecture_means_only_em():
    """1-D data from two unit-variance Gaussians, sigma and the weights
    fixed, K = 2 (examples/means_only.sh): the trace is means.svg and the
    page, and means.svg draws the lecture's update mu_k = sum r x / sum r
    at every iteration, an affine map of the means to pixels."""
    source = os.path.join(cli.SOURCE_DIR, "examples")
    sample = ok("sample", os.path.join(source, "two_gaussians.json"), "-n",
                "400", "--seed", "1")
    with open("x.csv", "w") as f:
        f.write(sample)
    x = np.loadtxt("x.csv")
    n_iter = 8
    model = cli.fit("m.json", "-k", "2", "--covariance", "spherical",
                    "--init-model", os.path.join(source, "means_only_start.json"),
                    "--fix", "weights,covariances", "--tol", "0",
                    "--max-iter", str(n_iter), "--trace", "t", data="x.csv")
    assert sorted(os.listdir("t")) == ["index.html", "means.svg"]
    assert model["fixed"] == ["weights", "covariances"]
    mu = np.array([-0.25, 0.25])
    path = [mu]
    for _ in range(n_iter):
        logp = -0.5 * (x[:, None] - mu) ** 2
        r = np.exp(logp - logp.max(axis=1, keepdims=True))
        r /= r.sum(axis=1, keepdims=True)
        mu = (r * x[:, None]).sum(axis=0) / r.sum(axis=0)
        path.append(mu)
    path = np.array(path)
    np.testing.assert_allclose(np.array(model["means"])[:, 0], mu, rtol=1e-12)
    root = parse("t/means.svg")
    pixels = means_paths(root)
    assert sorted(pixels) == [1, 2]
    xs = np.concatenate([pixels[k][:, 0] for k in (1, 2)])
    ys = np.concatenate([pixels[k][:, 1] for k in (1, 2)])
    values = np.concatenate([path[:, 0], path[:, 1]])
    steps = np.concatenate([np.arange(n_iter + 1)] * 2)
    for pixel, value in ((xs, steps), (ys, values)):
        slope, offset = np.polyfit(value, pixel, 1)
        assert np.abs(slope * value + offset - pixel).max() < 0.02
    # Later iterations higher up the picture for the mean moving up.
    assert pixels[2][-1, 1] < pixels[2][0, 1] and pixels[1][-1, 1] > pixels[1][0, 1]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "The means, iteration by iteration" in texts
    with open("t/index.html") as f:
        page = f.read()
    assert page.count("<svg xmlns") == 1 and "<script>" not in page


def test_trace_of_default_init_with_pca():
    rng = np.random.default_rng(1)
    rows = np.vstack([c + rng.normal(size=(80, 3))
                      for c in ([0, 0, 0], [5, 5, 0], [0, 6, 6])])
    np.savetxt("three.csv", rows, delimiter=",")
    cli.fit("m.json", "-k", "3", "--n-init", "3", "--trace", "t", data="three.csv")
    assert "iter-000.svg" in os.listdir("t")
    texts = [t.text for t in parse("t/iter-000.svg").iter(f"{SVG}text")]
    assert any(t.startswith("PC1") for t in texts)
    # The trace does not change the model.
    cli.fit("plain.json", "-k", "3", "--n-init", "3", data="three.csv")
    with open("m.json") as a, open("plain.json") as b:
        assert a.read() == b.read()


if __name__ == "__main__":
    cli.main()
