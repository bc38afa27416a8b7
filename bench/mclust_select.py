#!/usr/bin/python3
"""mclust_select.py — `gmm select --covariance mclust` against R mclust's
Mclust() on real data sets (data/mclust): each one's choice of model and
K over K = 1..9 and all fourteen models, with both BIC values of the
other's choice (mclust's sign: 2 logL - p log n, higher is better).
Results: bench/RESULTS.md note 30.
    bench/mclust_select.py BUILD_DIR"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = ["faithful", "iris", "banknote", "diabetes", "thyroid", "wreath",
        "EuroUnemployment"]
R = """
suppressPackageStartupMessages(library(mclust))
x <- as.matrix(read.csv("%s", header = FALSE))
b <- mclustBIC(x, G = 1:9, verbose = FALSE)
m <- Mclust(x, x = b, verbose = FALSE)
cat(m$modelName, m$G, sprintf("%%.3f", m$bic), "\\n")
for (model in colnames(b)) for (g in 1:9)
  cat(model, g, sprintf("%%.3f", b[g, model]), "\\n")
"""


def ours(gmm, path):
    out = subprocess.run([gmm, "select", path, "--k", "1..9", "--covariance",
                          "mclust", "--threads", "2"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    names = out[1].split()[1:]
    table = {}
    for line in out[2:11]:
        fields = line.split()
        for name, field in zip(names, fields[1:]):
            if field != "failed":
                table[(name, int(fields[0]))] = -float(field.rstrip("*"))
    best = max(table, key=table.get)
    return best, table


def main():
    gmm = os.path.join(sys.argv[1], "gmm")
    print("| data | n x d | Mclust's choice (BIC) | ours (BIC) | agree | "
          "ours at mclust's choice | mclust at ours |")
    print("|---|---|---|---|---|---|---|")
    for name in SETS:
        path = os.path.join(ROOT, "data", "mclust", name + ".csv")
        lines = subprocess.run(["Rscript", "-e", R % path], capture_output=True,
                               text=True, check=True).stdout.splitlines()
        model, g, bic = lines[0].split()
        theirs = {}
        for line in lines[1:]:
            m, k, v = line.split()
            if v != "NA":
                theirs[(m, int(k))] = float(v)
        best, table = ours(gmm, path)
        with open(path) as f:
            rows = f.read().splitlines()
        shape = f"{len(rows)} x {len(rows[0].split(','))}"
        print(f"| {name} | {shape} | {model} K={g} ({float(bic):.3f}) | "
              f"{best[0]} K={best[1]} ({table[best]:.3f}) | "
              f"{'yes' if (model, int(g)) == best else 'no'} | "
              f"{table.get((model, int(g)), float('nan')):.3f} | "
              f"{theirs.get(best, float('nan')):.3f} |")


if __name__ == "__main__":
    main()
