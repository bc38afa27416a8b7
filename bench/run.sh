#!/bin/sh
# Build libgmm, our bench program and the peers from Debian's packages, then
# run the suite (bench/run.py). Usage: bench/run.sh [--quick] [run.py options]
# Outputs: bench/results.json (the table's numbers). Data go to bench/data.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build-bench
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGMM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j2 --target gmm >/dev/null
CFLAGS="-O3 -march=native -fopenmp"
cc $CFLAGS -I"$ROOT/include" -o "$BUILD/bench_fit" "$ROOT/bench/bench_fit.c" \
   "$BUILD/src/libgmm.a" $(pkg-config --libs openblas jansson) -lm
c++ $CFLAGS -o "$BUILD/peer_armadillo" "$ROOT/bench/peer_armadillo.cpp" \
   -larmadillo $(pkg-config --libs jansson)
cc $CFLAGS -o "$BUILD/peer_vlfeat" "$ROOT/bench/peer_vlfeat.c" -lvl \
   $(pkg-config --libs jansson)
cc $CFLAGS -o "$BUILD/dgemm_peak" "$ROOT/bench/dgemm_peak.c" \
   $(pkg-config --cflags --libs openblas jansson)
cc $CFLAGS -o "$BUILD/mem_bandwidth" "$ROOT/bench/mem_bandwidth.c" \
   $(pkg-config --cflags --libs jansson)
exec /usr/bin/python3 "$ROOT/bench/run.py" "$BUILD" "$ROOT/bench/data" "$@"
