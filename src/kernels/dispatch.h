/*
 * dispatch.h — which kernels' table a fit runs: per element type, the
 * AVX-512 (x86-64-v4) instance of the templates where the CPU and the
 * build have it, the AVX2 one (itself cloned for x86-64-v3 and the
 * baseline, kernels/chunk.h) elsewhere.
 *
 * Chosen once per process, at the first call, from the CPU (cpuid, and
 * the OS's saving of the 512-bit state, as GCC's __builtin_cpu_supports
 * reads them) and the environment variable GMM_ISA: "avx2" forces the
 * 32-byte kernels, "avx512" the 64-byte ones where the CPU has them (a
 * CPU without AVX-512 keeps AVX2: asking cannot make it run instructions
 * it lacks); anything else, or unset, is the CPU's best. For tests and
 * benchmarks: E-step values are the same at both widths, statistics
 * differ by rounding (DESIGN.md, "Vector width").
 */
#ifndef GMM_KERNELS_DISPATCH_H
#define GMM_KERNELS_DISPATCH_H

#include "gmm.h"
#include "kernels/kernels.h"

/* The table of dtype's kernels at the process's width. */
const gmm_kernels *gmm_kernels_of(gmm_dtype dtype);

/* "avx512" when the process runs the 64-byte kernels, else "avx2". */
const char *gmm_kernels_isa(void);

#endif
