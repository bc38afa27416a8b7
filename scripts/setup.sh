#!/bin/sh
# Install the Debian 12 packages needed to build, test and demo libgmm.
# Installs only what is missing (so it needs no network when nothing is),
# never asks questions, and uses sudo when not run as root.
set -eu

packages="build-essential cmake pkg-config libopenblas-dev libjansson-dev
libopenmpi-dev openmpi-bin python3 python3-numpy python3-sklearn
python3-pytest python3-hypothesis python3-pandas python3-matplotlib
python3-dask python3-distributed clang libclang-rt-14-dev valgrind
librsvg2-bin r-base-core r-cran-mclust"

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
            grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Installing:$missing"
$sudo apt-get update
# shellcheck disable=SC2086 # one word per package
$sudo env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends $missing
