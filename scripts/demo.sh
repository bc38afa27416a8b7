#!/bin/sh
# Install what is missing, build, and run the Old Faithful demo
# (examples/faithful_demo.sh): one Gaussian or a mixture of two, by BIC;
# then the lecture's first EM, learning two means only
# (examples/means_only.sh).
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build >/dev/null
examples/faithful_demo.sh build/gmm build/demo
echo
examples/means_only.sh build/gmm build/demo
