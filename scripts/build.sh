#!/bin/sh
# Configure and build libgmm and the gmm command.
#   scripts/build.sh [BUILD_DIR [CMAKE_OPTIONS...]]    (BUILD_DIR: build)
set -eu
cd "$(dirname "$0")/.."
build_dir=${1:-build}
[ $# -gt 0 ] && shift
cmake -S . -B "$build_dir" "$@"
cmake --build "$build_dir" -j "$(nproc)"
