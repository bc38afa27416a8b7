#!/bin/sh
# Old Faithful: are the eruptions one Gaussian or a mixture of two?
# Installs what is missing, builds, fits both models with the gmm command,
# describes them, and compares them by BIC (lower is better).
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build >/dev/null

gmm=build/gmm
data=data/faithful.csv
models=build/demo
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
# awk compares the two numbers exactly as printed (%.17g).
awk -v one="$bic1" -v two="$bic2" 'BEGIN {
    if (two < one) print "The mixture of two Gaussians is better (lower BIC by " one - two ")."
    else           print "One Gaussian is better (lower BIC by " two - one ")."
}'
