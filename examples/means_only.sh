#!/bin/sh
# The lecture's first EM: 1-D data drawn from two unit-variance Gaussians
# (at -2 and 2, equal weights), K = 2, sigma = 1 and the weights held
# fixed, only the two means learnt: each iteration sets
# mu_k = sum_i r_ik x_i / sum_i r_ik. The start is two means near 0;
# means.svg in the trace shows them moving apart, iteration by iteration.
# scripts/demo.sh runs this after the Old Faithful demo.
#   examples/means_only.sh GMM OUT_DIR
set -eu
gmm=$1
out=$2
here=$(dirname "$0")
mkdir -p "$out"

# The data: 400 draws of the true mixture (reproducible: --seed).
"$gmm" sample "$here/two_gaussians.json" -n 400 --seed 1 >"$out/two-gaussians.csv"
# sigma and the weights stay at the start's values; EM learns the means.
"$gmm" fit "$out/two-gaussians.csv" -k 2 --covariance spherical \
    --init-model "$here/means_only_start.json" --fix weights,covariances \
    --tol 1e-9 --trace "$out/means-only-trace" -o "$out/means-only.json"
echo "== gmm info $out/means-only.json (only the 2 means are free)"
"$gmm" info "$out/means-only.json"
echo "Picture: $out/means-only-trace/means.svg (the means, iteration by iteration)"
