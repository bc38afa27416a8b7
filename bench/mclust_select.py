#!/usr/bin/python3
"""mclust_select.py — `gmm select --covariance mclust` against R mclust's
Mclust() on real data sets (data/mclust): each one's choice of model and
K over K = 1..9 and all fourteen models, with both BIC values of the
other's choice (mclust's sign: 2 logL - p log n, higher is better).
On 1-D data mclust has two models, E and V (equal or varying variance):
each of our fourteen is one of them by its volume (its first letter), with
that one's BIC, so ours are named so there; one component is mclust's X
(E and V are the same model then). Results: bench/RESULTS.md notes
30 and 32.
    bench/mclust_select.py BUILD_DIR [SET...]"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = ["faithful", "iris", "banknote", "diabetes", "thyroid", "wreath",
        "EuroUnemployment", "acidity", "Nile", "precip"]
R = """
suppressPackageStartupMessages(library(mclust))
x <- as.matrix(read.csv("%s", header = FALSE))
b <- mclustBIC(x, G = 1:9, verbose = FALSE)
m <- Mclust(x, x = b, verbose = FALSE)
cat(m$modelName, m$G, sprintf("%%.3f", m$bic), "\\n")
for (model in colnames(b)) for (g in 1:9)
  cat(model, g, sprintf("%%.3f", b[g, model]), "\\n")
"""


def ours(gmm, path, one_dimensional):
    out = subprocess.run([gmm, "select", path, "--k", "1..9", "--covariance",
                          "mclust", "--threads", "2"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    names = out[1].split()[1:]
    table = {}
    for line in out[2:11]:
        fields = line.split()
        for name, field in zip(names, fields[1:]):
            k = int(fields[0])
            key = (("X" if k == 1 else name[0]) if one_dimensional else name, k)
            if field != "failed" and key not in table:
                table[key] = -float(field.rstrip("*"))
    best = max(table, key=table.get)
    return best, table


def main():
    gmm = os.path.join(sys.argv[1], "gmm")
    print("| data | n x d | Mclust's choice (BIC) | ours (BIC) | agree | "
          "ours at mclust's choice | mclust at ours |")
    print("|---|---|---|---|---|---|---|")
    for name in sys.argv[2:] or SETS:
        path = os.path.join(ROOT, "data", "mclust", name + ".csv")
        lines = subprocess.run(["Rscript", "-e", R % path], capture_output=True,
                               text=True, check=True).stdout.splitlines()
        model, g, bic = lines[0].split()
        theirs = {}
        for line in lines[1:]:
            m, k, v = line.split()
            if v != "NA":
                theirs[(m, int(k))] = float(v)
        with open(path) as f:
            rows = f.read().splitlines()
        one_dimensional = len(rows[0].split(",")) == 1
        if one_dimensional and ("E", 1) in theirs:
            theirs[("X", 1)] = theirs[("E", 1)]
        best, table = ours(gmm, path, one_dimensional)
        shape = f"{len(rows)} x {len(rows[0].split(','))}"
        print(f"| {name} | {shape} | {model} K={g} ({float(bic):.3f}) | "
              f"{best[0]} K={best[1]} ({table[best]:.3f}) | "
              f"{'yes' if (model, int(g)) == best else 'no'} | "
              f"{table.get((model, int(g)), float('nan')):.3f} | "
              f"{theirs.get(best, float('nan')):.3f} |")


if __name__ == "__main__":
    main()
