#!/bin/sh
# Old Faithful: are the eruptions one Gaussian or a mixture of two? Fits
# both with the gmm command, describes them, compares them by BIC (lower is
# better), lets BIC choose K and the covariance type (gmm select) and draws
# the fit and EM at work. scripts/demo.sh builds gmm and runs this.
#   examples/faithful_demo.sh GMM MODEL_DIR
set -eu
gmm=$1
models=$2
data=$(dirname "$0")/../data/faithful.csv
mkdir -p "$models"

for k in 1 2; do
    "$gmm" fit "$data" -k "$k" -o "$models/faithful-$k.json"
    echo "== gmm info $models/faithful-$k.json"
    "$gmm" info "$models/faithful-$k.json"
    echo
done

bic1=$("$gmm" score "$models/faithful-1.json" "$data" --bic)
bic2=$("$gmm" score "$models/faithful-2.json" "$data" --bic)
echo "BIC, one Gaussian:      $bic1"
echo "BIC, mixture of two:    $bic2"
# awk compares the two numbers as printed (%.17g, exact).
awk -v one="$bic1" -v two="$bic2" 'BEGIN {
    if (two < one) print "The mixture of two Gaussians is better (lower BIC by " one - two ")."
    else           print "One Gaussian is better (lower BIC by " two - one ")."
}'

# Which number of components and covariance type does BIC prefer? R
# mclust's Mclust(faithful) picks the same: EEE (tied), 3 components.
echo
echo "== gmm select"
"$gmm" select "$data" --k 1..6 -o "$models/faithful-best.json" \
    --plot "$models/faithful-bic.svg"
# Pictures: the mixture of two over the data, and EM at work from a poor
# start (the classic lecture pictures), one SVG per iteration shown and a
# page that steps through them.
"$gmm" plot "$models/faithful-2.json" "$data" -o "$models/faithful-2.svg"
"$gmm" fit "$data" -k 2 --init-model "$(dirname "$0")/faithful_poor_start.json" \
    --tol 1e-6 --trace "$models/faithful-trace" -o "$models/faithful-trace.json"
echo "Pictures: $models/faithful-bic.svg, $models/faithful-2.svg and" \
    "$models/faithful-trace/index.html"
