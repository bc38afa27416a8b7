#!/bin/sh
# Install what is missing, build, and run the whole test suite.
#   scripts/test.sh [BUILD_DIR [CMAKE_OPTIONS...]]     (BUILD_DIR: build)
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=${1:-build}
[ $# -gt 0 ] && shift
scripts/build.sh "$build_dir" "$@"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
