/*
 * kernels_f32_wide.c — the kernels in float, AVX-512 wide (kernels/kernels.h);
 * compiled for x86-64-v4 (kernels/CMakeLists.txt), picked by
 * kernels/dispatch.h only where the CPU has AVX-512.
 */
#define GMM_CHUNK_F32 1
#define GMM_CHUNK_WIDE 1
#include "kernels/instance.h"
