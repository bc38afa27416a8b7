#!/usr/bin/python3
"""The kernels' vector width (issue #15, AVX-512): full covariance, K = 16,
D in {16, 32, 64, 128}, the AVX-512 kernels against the AVX2 ones
(GMM_ISA, kernels/dispatch.h) and both against OpenBLAS dgemm (4000^3)
measured in the same run, 2 threads.

N per D is chosen for ~10 GFLOP per iteration (run.py's flop_count). Each
cell: REPEATS runs of bench_fit (2 EM iterations from gen_data.py's start,
the fit alone timed), the two widths alternating; the median per cell.
dgemm_peak runs before and after; the fraction is against their mean.

Usage (builds bench_fit and dgemm_peak against BUILD's libgmm.a first):
    flock -x /tmp/libgmm-cpu.lock bench/isa_width.py BUILD DATA_DIR OUT.json
"""
import datetime
import json
import os
import statistics
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_data import initial, synthetic  # noqa: E402
from run import flop_count  # noqa: E402

K = 16
DIMS = (16, 32, 64, 128)
REPEATS = 3
ITERATIONS = 2
THREADS = 2
ISAS = ("avx2", "avx512")


def build_programs(build):
    flags = ["-O3", "-fopenmp", "-I" + os.path.join(HERE, "..", "include")]
    libs = subprocess.run(["pkg-config", "--libs", "openblas", "jansson"],
                          capture_output=True, text=True,
                          check=True).stdout.split()
    fit = os.path.join(build, "bench_fit_isa")
    subprocess.run(["cc", *flags, "-o", fit, os.path.join(HERE, "bench_fit.c"),
                    os.path.join(build, "src", "libgmm.a"), *libs, "-lm"],
                   check=True)
    peak = os.path.join(build, "dgemm_peak_isa")
    subprocess.run(["cc", *flags, "-o", peak,
                    os.path.join(HERE, "dgemm_peak.c"), *libs], check=True)
    return fit, peak


def dgemm(peak):
    return float(subprocess.run([peak, str(THREADS)], capture_output=True,
                                text=True, check=True).stdout.split()[0])


def main():
    build, data_dir, out = sys.argv[1:4]
    fit, peak = build_programs(build)
    os.makedirs(data_dir, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS))
    env.pop("OPENBLAS_CORETYPE", None)
    result = {"date": datetime.datetime.utcnow().isoformat() + "Z",
              "loadavg_before": os.getloadavg(), "threads": THREADS,
              "dgemm_gflops": [dgemm(peak)], "cells": []}
    for d in DIMS:
        per_row = flop_count(1, d, K, "full")
        n = int(round(1e10 / per_row / 1000.0)) * 1000
        name = os.path.join(data_dir, f"isa_n{n}_d{d}_k{K}")
        if not os.path.exists(name + ".npy"):
            X = synthetic(12345, n, d, K)
            np.save(name + ".npy", X)
            with open(name + ".init.json", "w") as f:
                json.dump(initial(X, K, "full", 12345), f)
        times = {isa: [] for isa in ISAS}
        for _ in range(REPEATS):
            for isa in ISAS:
                line = subprocess.run(
                    [fit, name + ".npy", name + ".init.json", str(ITERATIONS),
                     str(THREADS), os.path.join(data_dir, "isa_out.json")],
                    env=dict(env, GMM_ISA=isa), capture_output=True, text=True,
                    check=True).stdout.split()
                times[isa].append(float(line[0]))
        cell = {"n": n, "d": d, "k": K, "gflop_per_iter": per_row * n / 1e9}
        for isa in ISAS:
            cell[isa] = {"s_per_iter": times[isa],
                         "median": statistics.median(times[isa])}
        result["cells"].append(cell)
        print(d, n, {isa: cell[isa]["median"] for isa in ISAS}, flush=True)
    result["dgemm_gflops"].append(dgemm(peak))
    result["loadavg_after"] = os.getloadavg()
    ref = statistics.mean(result["dgemm_gflops"])
    for cell in result["cells"]:
        for isa in ISAS:
            g = cell["gflop_per_iter"] / cell[isa]["median"]
            cell[isa]["gflops"] = g
            cell[isa]["fraction_of_dgemm"] = g / ref
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({"dgemm": result["dgemm_gflops"], "cells": [
        (c["d"], {isa: (round(c[isa]["gflops"], 1),
                        round(c[isa]["fraction_of_dgemm"], 3)) for isa in ISAS})
        for c in result["cells"]]}))


if __name__ == "__main__":
    main()
