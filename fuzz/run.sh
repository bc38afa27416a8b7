#!/bin/sh
# Run one libFuzzer target for a bounded time: fuzz/run.sh TARGET SECONDS
# TARGET is csv, npy, model_json or argv. Builds build-fuzz/ with clang if
# needed; new inputs go to fuzz/corpus-TARGET/ (not committed), seeds are
# read from fuzz/corpus/TARGET/; a crash is saved as fuzz/crash-* and ends
# the run.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 csv|npy|model_json|argv SECONDS" >&2
    exit 2
fi
target=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
if [ ! -d "$root/fuzz/corpus/$target" ]; then
    echo "$0: unknown target '$target' (csv, npy, model_json or argv)" >&2
    exit 2
fi
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DGMM_FUZZ=ON \
      -DGMM_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "fuzz_$target" -j "$(nproc)" >/dev/null
mkdir -p "$root/fuzz/corpus-$target"
cd "$root/fuzz"
dict=
[ "$target" = argv ] && dict=-dict=argv.dict
exec "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
     $dict "corpus-$target" "corpus/$target"
