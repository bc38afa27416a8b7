#!/bin/sh
# Regenerate the mclust inputs (data/mclust) and the me() reference that
# python/tests/test_mclust_me.py uses when R and mclust are not installed
# (Debian: r-base-core r-cran-mclust).
#   tests/mclust/regenerate.sh
set -eu
here=$(dirname "$0")
Rscript "$here/make_inputs.R" "$here/../../data/mclust"
Rscript "$here/me_reference.R" "$here/../../data/mclust" 10 \
    > "$here/me_reference.csv"
echo "wrote data/mclust and $here/me_reference.csv"
