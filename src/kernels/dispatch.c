/*
 * dispatch.c — the choice of kernels' width (dispatch.h).
 */
#include "kernels/dispatch.h"

#include <stdlib.h>
#include <string.h>

/* GMM_HAVE_WIDE: the build compiled kernels_f64_wide.c and
 * kernels_f32_wide.c (kernels/CMakeLists.txt: x86-64 with a compiler
 * that targets AVX-512). */
#if GMM_HAVE_WIDE
extern const gmm_kernels gmm_kernels_f64_wide, gmm_kernels_f32_wide;

static int cpu_has_avx512(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
}
#endif

/* 0 until chosen, then 1 (AVX2) or 2 (AVX-512). Choosing is idempotent,
 * so threads that race to it store the same value. */
static int chosen_width;

static int width(void)
{
    int w = __atomic_load_n(&chosen_width, __ATOMIC_RELAXED);
    if (w)
        return w;
    w = 1;
#if GMM_HAVE_WIDE
    const char *isa = getenv("GMM_ISA");
    if (!(isa && strcmp(isa, "avx2") == 0) && cpu_has_avx512())
        w = 2;
#endif
    __atomic_store_n(&chosen_width, w, __ATOMIC_RELAXED);
    return w;
}

const gmm_kernels *gmm_kernels_of(gmm_dtype dtype)
{
    int f32 = dtype == GMM_DTYPE_FLOAT32;
#if GMM_HAVE_WIDE
    if (width() == 2)
        return f32 ? &gmm_kernels_f32_wide : &gmm_kernels_f64_wide;
#endif
    return f32 ? &gmm_kernels_f32 : &gmm_kernels_f64;
}

const char *gmm_kernels_isa(void)
{
    return width() == 2 ? "avx512" : "avx2";
}
