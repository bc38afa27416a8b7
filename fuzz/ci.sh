#!/bin/sh
# CI's fuzzing step: build the four libFuzzer targets with clang and run
# each for a bounded time from its committed seed corpus, failing on the
# first crash, sanitizer report or broken property.
#   fuzz/ci.sh [SECONDS_PER_TARGET]        (default 38: about 3 minutes)
# The corpus grown here is thrown away (a temporary folder), so CI never
# writes into the checkout; a crashing input is kept as fuzz/crash-* for
# replay with build-fuzz/fuzz/fuzz_TARGET FILE.
set -eu
seconds=${1:-38}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DGMM_FUZZ=ON \
      -DGMM_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in csv npy model_json argv; do
    mkdir -p "$work/$target"
    # The argument fuzzer is told the command's words.
    dict=
    [ "$target" = argv ] && dict=-dict="$root/fuzz/argv.dict"
    # -artifact_prefix puts any crash where a person will find it.
    if "$build/fuzz/fuzz_$target" -max_total_time="$seconds" $dict \
           -print_final_stats=1 -artifact_prefix="$root/fuzz/crash-$target-" \
           "$work/$target" "$root/fuzz/corpus/$target" \
           >"$work/$target.log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
        tail -n 40 "$work/$target.log"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    echo "fuzz $target: $result, ${runs:-?} executions in ${seconds}s"
done
exit $status
