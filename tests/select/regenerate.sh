#!/bin/sh
# Regenerate the mclust fixtures that tests/cli/test_select.py uses when R
# and mclust are not installed (Debian: r-base-core r-cran-mclust).
#   tests/select/regenerate.sh
set -eu
here=$(dirname "$0")
Rscript "$here/mclust_bic.R" "$here/../../data/faithful.csv" 9 \
    > "$here/mclust_faithful_bic.csv"
echo "wrote $here/mclust_faithful_bic.csv"
