#!/bin/sh
# Old Faithful: are the eruptions one Gaussian or a mixture of two? Fits
# both with the gmm command, describes them, compares them by BIC (lower is
# better). scripts/demo.sh builds gmm and runs this.
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
