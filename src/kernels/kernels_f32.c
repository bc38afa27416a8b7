/*
 * kernels_f32.c — the kernels in float (kernels/kernels.h).
 */
#define GMM_CHUNK_F32 1
#include "kernels/instance.h"
