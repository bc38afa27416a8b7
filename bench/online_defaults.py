#!/usr/bin/python3
"""The defaults of stepwise online EM (gmm_options.online_alpha,
online_t0, `gmm fit --online`'s batch size), by measurement (bench/RESULTS.md
note 26): one pass over a synthetic mixture (gen_data.synthetic: N rows,
16 features, 16 components, full covariances), batch by batch through
GaussianMixture.partial_fit, for a grid of alpha, t0 and batch sizes; the
held-out mean log-likelihood against the converged batch fit's (n_jobs 1,
the same seed).

Usage: online_defaults.py [N] [OUT.json]   (run under flock -x
/tmp/libgmm-cpu.lock)
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_data import synthetic  # noqa: E402

import libgmm  # noqa: E402

ALPHAS = [0.6, 0.7, 0.8, 0.9, 1.0]
T0S = [1.0, 2.0, 10.0]
BATCHES = [2000, 10000, 50000]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    out = sys.argv[2] if len(sys.argv) > 2 else None
    X = synthetic(0, n + 200000, 16, 16)
    X, held_out = X[:n], X[n:]
    start = time.perf_counter()
    batch = libgmm.GaussianMixture(16, random_state=0, n_jobs=1,
                                   max_iter=500).fit(X)
    batch_seconds = time.perf_counter() - start
    reference = batch.score(held_out)
    rows = []
    print(f"batch fit: held-out ll {reference:.6f}, {batch.n_iter_} "
          f"iterations, {batch_seconds:.1f} s")
    for size in BATCHES:
        for alpha in ALPHAS:
            for t0 in T0S:
                gm = libgmm.GaussianMixture(16, random_state=0, n_jobs=1,
                                            learning_decay=alpha,
                                            learning_offset=t0)
                start = time.perf_counter()
                for at in range(0, n, size):
                    gm.partial_fit(X[at:at + size])
                seconds = time.perf_counter() - start
                gap = reference - gm.score(held_out)
                rows.append(dict(batch=size, alpha=alpha, t0=t0, gap=gap,
                                 seconds=seconds))
                print(f"B {size:6d} alpha {alpha:.1f} t0 {t0:5.1f}: gap "
                      f"{gap:+.6f}  {seconds:.2f} s", flush=True)
    if out:
        with open(out, "w") as f:
            json.dump(dict(n=n, reference=reference, batch_iter=batch.n_iter_,
                           batch_seconds=batch_seconds, rows=rows), f,
                      indent=1)


if __name__ == "__main__":
    main()
