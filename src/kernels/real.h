/*
 * real.h — the element type of a kernel template, for kernels that
 * exist in float64 and float32 (gmm_options.dtype).
 *
 * The float and double kernels are the same loops over the same chunk
 * layout (kernels/chunk.h); only the element type, the vector width and
 * the helpers change. Rather than keep two copies that would drift
 * apart, each kernel template (kernels/distances.h, kernels/scatter.h) is
 * written once against the names below and included twice:
 *
 *     #define GMM_CHUNK_F32 0
 *     #include "kernels/distances.h"     -> triangular_distances_f64, ...
 *     #define GMM_CHUNK_F32 1
 *     #include "kernels/distances.h"     -> triangular_distances_f32, ...
 *
 * Each template includes this file first. No include guard, on purpose:
 * every inclusion redefines the names for the current GMM_CHUNK_F32.
 *
 *   GMM_R        the element type (double, float)
 *   GMM_V        a 32-byte vector of it (gmm_v4d, gmm_v8f)
 *   GMM_VL       lanes per vector (4, 8)
 *   GMM_VLOAD, GMM_VSTORE   unaligned vector load and store
 *   GMM_VHSUM    horizontal sum, returned as double
 *   GMM_VHSUMS   the horizontal sums of GMM_VL vectors, as one vector
 *   GMM_K(name)  the kernel's name with its suffix (name_f64, name_f32)
 *   GMM_SQRT     square root of one element
 *   GMM_VADD_DOUBLE  q[0 .. GMM_VL) += a vector, in double
 */
#undef GMM_R
#undef GMM_V
#undef GMM_VL
#undef GMM_VLOAD
#undef GMM_VSTORE
#undef GMM_VHSUM
#undef GMM_VHSUMS
#undef GMM_K
#undef GMM_SQRT
#undef GMM_VADD_DOUBLE
#if GMM_CHUNK_F32
#define GMM_R float
#define GMM_V gmm_v8f
#define GMM_VL 8
#define GMM_VLOAD gmm_load8f
#define GMM_VSTORE gmm_store8f
#define GMM_VHSUM gmm_hsum8f
#define GMM_VHSUMS gmm_hsums8f
#define GMM_K(name) name##_f32
#define GMM_SQRT __builtin_sqrtf
#define GMM_VADD_DOUBLE gmm_add8f_to_double
#else
#define GMM_R double
#define GMM_V gmm_v4d
#define GMM_VL 4
#define GMM_VLOAD gmm_load4
#define GMM_VSTORE gmm_store4
#define GMM_VHSUM gmm_hsum4
#define GMM_VHSUMS gmm_hsums4
#define GMM_K(name) name##_f64
#define GMM_SQRT __builtin_sqrt
#define GMM_VADD_DOUBLE gmm_add4_to_double
#endif
