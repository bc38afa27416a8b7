#!/usr/bin/python3
"""From scratch, end to end (issue #15): the whole `gmm fit DATA -k K`
process (load, default k-means start, EM to convergence, write the model)
against a whole Python process doing scikit-learn's
GaussianMixture(K, random_state=seed).fit(X) on the same .npy, wall time
of each process, per seed; and the same `gmm fit` from a build whose
k-means start draws one candidate instead of three
(-DGMM_KMEANS_CANDIDATES=1), to see what best-of-three buys for its cost.
Final quality: each fit's lower_bound (the mean log-likelihood of its
last E-step, scikit-learn's lower_bound_). The second build may be any
other build to compare with (an earlier commit, say): LABEL names it in
OUT.json (default libgmm_one_candidate).

Usage: flock -x /tmp/libgmm-cpu.lock bench/scratch_end_to_end.py \\
           GMM GMM_ONE_CANDIDATE DATA.npy K SEEDS OUT.json [LABEL]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

SKLEARN = """
import sys, numpy as np
from sklearn.mixture import GaussianMixture
X = np.load(sys.argv[1])
g = GaussianMixture(int(sys.argv[2]), random_state=int(sys.argv[3])).fit(X)
print(repr(float(g.lower_bound_)), int(g.n_iter_), bool(g.converged_))
"""


def timed(cmd, env):
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True,
                         check=True).stdout
    return time.perf_counter() - start, out


def ours(gmm, data, k, seed, env, folder):
    model = os.path.join(folder, "model.json")
    t, _ = timed([gmm, "fit", data, "-k", str(k), "--seed", str(seed),
                  "--threads", "2", "-o", model], env)
    with open(model) as f:
        m = json.load(f)
    return {"s": t, "lower_bound": m["lower_bound"], "n_iter": m["n_iter"],
            "converged": m["converged"]}


def main():
    gmm, gmm_one, data, k, seeds, out = sys.argv[1:7]
    second = sys.argv[7] if len(sys.argv) > 7 else "libgmm_one_candidate"
    k, seeds = int(k), [int(s) for s in seeds.split(",")]
    env = dict(os.environ, OMP_NUM_THREADS="2")
    env.pop("OPENBLAS_CORETYPE", None)
    result = {"data": data, "k": k, "seeds": seeds,
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "loadavg_before": os.getloadavg(), "libgmm": [],
              second: [], "sklearn": []}
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            result["libgmm"].append(ours(gmm, data, k, seed, env, folder))
            result[second].append(
                ours(gmm_one, data, k, seed, env, folder))
            t, line = timed(["/usr/bin/python3", "-c", SKLEARN, data, str(k),
                             str(seed)], env)
            bound, n_iter, converged = line.split()
            result["sklearn"].append({"s": t, "lower_bound": float(bound),
                                      "n_iter": int(n_iter),
                                      "converged": converged == "True"})
            print(seed, {name: result[name][-1] for name in
                         ("libgmm", second, "sklearn")},
                  flush=True)
    result["loadavg_after"] = os.getloadavg()
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
