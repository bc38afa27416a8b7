#!/usr/bin/python3
"""result_hashes.py — a fingerprint of every result the gmm command gives.

Runs a fixed set of commands (fit for every covariance type, dtype, init
method and a range of widths; predict, score, sample, info, kmeans,
select, plot, trace pictures, streamed fits) on fixed data and prints one
"sha256  name" line per output. A change that must not move any result
(a refactor) is checked by comparing the manifests of the build before
and after it:

    scripts/result_hashes.py build-before > before.txt
    scripts/result_hashes.py build > after.txt
    diff before.txt after.txt

Results depend on the machine (the kernels picked at load time, OpenBLAS),
so compare manifests made on the same machine only.
"""
import hashlib
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAITHFUL = os.path.join(ROOT, "data", "faithful.csv")


def make_data(folder):
    """Data sets by name: path. Fixed seeds, so the same bytes every run."""
    rng = np.random.default_rng(20261202)
    data = {"faithful": FAITHFUL}
    for d, n in ((1, 3000), (3, 5000), (5, 4000), (8, 3000), (16, 6000),
                 (17, 2000)):
        centres = rng.normal(0, 6, size=(3, d))
        x = np.concatenate([rng.normal(c, 1 + i, size=(n // 3, d))
                            for i, c in enumerate(centres)])
        rng.shuffle(x)
        path = os.path.join(folder, f"d{d}.npy")
        np.save(path, x)
        data[f"d{d}"] = path
    far = np.load(data["d3"]) + 1e6
    data["far"] = os.path.join(folder, "far.npy")
    np.save(data["far"], far)
    weights = rng.uniform(0.1, 2.0, size=len(far))
    data["weights_d3"] = os.path.join(folder, "w3.npy")
    np.save(data["weights_d3"], weights)
    return data


class Runner:
    def __init__(self, gmm, folder):
        self.gmm, self.folder, self.lines = gmm, folder, []

    def path(self, name):
        return os.path.join(self.folder, name)

    def run(self, name, *args, files=()):
        """Run gmm with args; hash stdout, the exit status and each output
        file (paths relative to the work folder)."""
        done = subprocess.run([self.gmm, *args], capture_output=True,
                              cwd=self.folder)
        self.add(name + ".status", str(done.returncode).encode())
        self.add(name + ".stdout", done.stdout)
        for f in files:
            full = self.path(f)
            if os.path.isdir(full):
                for entry in sorted(os.listdir(full)):
                    with open(os.path.join(full, entry), "rb") as fh:
                        self.add(f"{name}:{f}/{entry}", fh.read())
            elif os.path.exists(full):
                with open(full, "rb") as fh:
                    self.add(f"{name}:{f}", fh.read())
            else:
                self.add(f"{name}:{f}", b"<missing>")

    def add(self, name, data):
        self.lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}")


def use_model(r, tag, model, data):
    r.run(f"{tag}.predict", "predict", model, data)
    r.run(f"{tag}.proba", "predict", model, data, "--proba")
    r.run(f"{tag}.score", "score", model, data)
    r.run(f"{tag}.per_sample", "score", model, data, "--per-sample")
    r.run(f"{tag}.bic", "score", model, data, "--bic")
    r.run(f"{tag}.aic", "score", model, data, "--aic")
    r.run(f"{tag}.sample", "sample", model, "-n", "40", "--seed", "3")
    r.run(f"{tag}.info", "info", model)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: result_hashes.py BUILD_DIR")
    gmm = os.path.abspath(os.path.join(sys.argv[1], "gmm"))
    with tempfile.TemporaryDirectory() as folder:
        data = make_data(folder)
        r = Runner(gmm, folder)
        types = ("full", "tied", "diag", "spherical")
        for name in ("faithful", "d1", "d3", "d5", "d8", "d16", "d17", "far"):
            for cov in types:
                for dtype in ("float64", "float32"):
                    tag = f"{name}.{cov}.{dtype}"
                    model = f"{tag}.json"
                    r.run(tag + ".fit", "fit", data[name], "-k", "3",
                          "--covariance", cov, "--dtype", dtype, "--seed", "1",
                          "--tol", "1e-6", "-o", model, files=[model])
                    use_model(r, tag, model, data[name])
        for init in ("kmeans", "k-means++", "random", "random_from_data"):
            for cov in types:
                tag = f"init.{init}.{cov}"
                r.run(tag, "fit", data["d5"], "-k", "4", "--init", init,
                      "--covariance", cov, "--n-init", "2", "--seed", "7",
                      "-o", tag + ".json", files=[tag + ".json"])
        for cov in types:
            tag = f"weights.{cov}"
            r.run(tag, "fit", data["d3"], "-k", "3", "--covariance", cov,
                  "--weights", data["weights_d3"], "-o", tag + ".json",
                  files=[tag + ".json"])
            for threads in ("1", "2"):
                tag = f"threads{threads}.{cov}"
                r.run(tag, "fit", data["d16"], "-k", "5", "--covariance", cov,
                      "--threads", threads, "--max-iter", "7", "--tol", "0",
                      "-o", tag + ".json", files=[tag + ".json"])
            tag = f"stream.{cov}"
            r.run(tag, "fit", data["d8"], "-k", "3", "--covariance", cov,
                  "--memory", "64K", "-o", tag + ".json",
                  files=[tag + ".json"])
            tag = f"warm.{cov}"
            r.run(tag, "fit", data["d5"], "-k", "3", "--covariance", cov,
                  "--init-model", f"d5.{cov}.float64.json", "--max-iter", "4",
                  "--tol", "0", "-o", tag + ".json", files=[tag + ".json"])
        r.run("max_iter0", "fit", data["d3"], "-k", "2", "--max-iter", "0",
              "-o", "m0.json", files=["m0.json"])
        for k in ("2", "5"):
            r.run(f"kmeans.{k}", "kmeans", data["d5"], "-k", k, "--seed", "2",
                  "-o", f"c{k}.csv", files=[f"c{k}.csv"])
        r.run("kmeans.weights", "kmeans", data["d3"], "-k", "3",
              "--weights", data["weights_d3"], "-o", "cw.csv", files=["cw.csv"])
        r.run("select.faithful", "select", data["faithful"], "--k", "1..5",
              "-o", "best.json", "--plot", "bic.svg",
              files=["best.json", "bic.svg"])
        r.run("select.d5", "select", data["d5"], "--k", "1..4",
              "--criterion", "aic", "--dtype", "float32", "-o", "best5.json",
              files=["best5.json"])
        r.run("plot.faithful", "plot", "faithful.full.float64.json",
              data["faithful"], "-o", "p.svg", files=["p.svg"])
        r.run("plot.d5", "plot", "d5.diag.float64.json", data["d5"], "--pca",
              "-o", "p5.svg", files=["p5.svg"])
        r.run("trace.faithful", "fit", data["faithful"], "-k", "2",
              "--init-model",
              os.path.join(ROOT, "examples", "faithful_poor_start.json"),
              "--tol", "1e-6", "--trace", "trace", "-o", "trace.json",
              files=["trace.json", "trace"])
        print("\n".join(r.lines))


if __name__ == "__main__":
    main()
