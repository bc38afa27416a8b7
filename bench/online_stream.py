#!/usr/bin/python3
"""Online EM against the converged batch fit on a 10M-row stream
(bench/RESULTS.md note 29): gen_data.synthetic (seed 0, 16 features, 16
full components) saved once as a .npy file, then, alternating, `gmm fit`
(batch EM, converged at the default tol) and `gmm fit --online` (one pass,
the default batch size), each timed by wall clock and /usr/bin/time's
peak RSS, and each model's mean log-likelihood on all the rows (`gmm
score`).

Usage: online_stream.py GMM DATA.npy [RUNS] [OUT.json]   (under flock -x
/tmp/libgmm-cpu.lock; DATA.npy is made when missing)
"""
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def timed(command):
    start = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command],
                            capture_output=True, text=True, check=True)
    seconds = time.monotonic() - start
    return seconds, int(result.stderr.strip().splitlines()[-1])


def score(gmm, model, data):
    return float(subprocess.run([gmm, "score", model, data], check=True,
                                capture_output=True, text=True).stdout)


def main():
    gmm, data = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    out = sys.argv[4] if len(sys.argv) > 4 else None
    if not os.path.exists(data):
        from gen_data import synthetic
        np.save(data, synthetic(0, 10_000_000, 16, 16))
    folder = os.path.dirname(os.path.abspath(data))
    rows = []
    for run in range(runs):
        for name, more in (("batch", []), ("online", ["--online"])):
            model = os.path.join(folder, f"{name}.json")
            seconds, rss = timed([gmm, "fit", data, "-k", "16", "--threads",
                                  "2", *more, "-o", model])
            with open(model) as f:
                n_iter = json.load(f)["n_iter"]
            ll = score(gmm, model, data)
            rows.append(dict(run=run, fit=name, seconds=seconds,
                             rss_kib=rss, n_iter=n_iter, mean_ll=ll))
            print(rows[-1], flush=True)
    if out:
        with open(out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
