#!/bin/sh
# Install libgmm into a temporary prefix, then build and run a consumer
# program (examples/faithful.c) with `pkg-config --cflags --libs gmm`, as a
# user of the installed library would.
#   install_test.sh BUILD_DIR SOURCE_DIR C_COMPILER [EXTRA_FLAGS]
# EXTRA_FLAGS carries the sanitizer flags of a sanitized build, whose static
# library cannot be linked without them.
set -eu
build_dir=$1
source_dir=$2
compiler=$3
extra_flags=${4:-}

prefix=$(mktemp -d "${TMPDIR:-/tmp}/gmm-install-test.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/gmm" || { echo "bin/gmm not installed"; exit 1; }
test -f "$prefix/include/gmm.h" || { echo "gmm.h not installed"; exit 1; }
pc_file=$(find "$prefix" -name gmm.pc)
test -n "$pc_file" || { echo "gmm.pc not installed"; exit 1; }
lib_dir=$(dirname "$(dirname "$pc_file")")

export PKG_CONFIG_PATH="$(dirname "$pc_file")"
flags=$(pkg-config --cflags --libs gmm)
echo "pkg-config --cflags --libs gmm: $flags"
# shellcheck disable=SC2086 # the flags are words
"$compiler" $extra_flags "$source_dir/examples/faithful.c" -o "$prefix/faithful" $flags
LD_LIBRARY_PATH="$lib_dir" "$prefix/faithful" "$source_dir/data/faithful.csv" > "$prefix/out.txt"
cat "$prefix/out.txt"
grep -q '^K=2: BIC ' "$prefix/out.txt"
# README.md shows this output; it must be the real one.
/usr/bin/python3 -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' \
    "$prefix/out.txt" "$source_dir/README.md" ||
    { echo "README.md does not show this output of examples/faithful.c"; exit 1; }
# The installed command runs too.
"$prefix/bin/gmm" --version
