/*
 * kernels_f64.c — the kernels in double (kernels/kernels.h).
 */
#define GMM_CHUNK_F32 0
#include "kernels/instance.h"
