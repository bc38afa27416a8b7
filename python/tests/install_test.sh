#!/bin/sh
# The README's install for one user, end to end: `cmake --install BUILD
# --prefix ~/.local` with HOME a temporary folder, then the system's
# python3, with no PYTHONPATH, imports the installed package (not the
# build's), which loads the installed library beside it, and fits Old
# Faithful.
#   install_test.sh BUILD_DIR SOURCE_DIR PYTHON
set -eu
build_dir=$1
source_dir=$2
python=$3

HOME=$(mktemp -d "${TMPDIR:-/tmp}/gmm-python-install.XXXXXX")
export HOME
trap 'rm -rf "$HOME"' EXIT
unset PYTHONPATH

cmake --install "$build_dir" --prefix "$HOME/.local" >/dev/null
cd "$HOME"
"$python" - "$source_dir/data/faithful.csv" <<'PY'
import os, site, sys
import numpy as np
import libgmm
from libgmm import _lib

home = os.environ["HOME"]
package = os.path.dirname(libgmm.__file__)
assert package == os.path.join(site.getusersitepackages(), "libgmm"), package
assert _lib.lib._name == os.path.join(package, _lib.SONAME), _lib.lib._name
X = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
model = libgmm.GaussianMixture(2, random_state=0).fit(X)
print(f"installed in {package}: K=2 BIC {model.bic(X):.3f}")
assert model.converged_
PY
