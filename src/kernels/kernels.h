/*
 * kernels.h — the hot kernels of a pass, one table per element type.
 *
 * A fit chooses its element type once (gmm_options.dtype) and from then
 * on calls through the table gmm_kernels_of(dtype) (kernels/dispatch.h) gives: the chunk's
 * conversion to the kernels' layout (kernels/chunk.h), the E-step's
 * log-densities and log-sum-exp, and the statistics' accumulation. Every
 * kernel is written once, as a template over the element type's
 * parameters (kernels/real.h), and kernels/instance.h instantiates all of
 * them and their table for one element type: kernels_f64.c and
 * kernels_f32.c are that file included once each. So the float32 path is
 * not a second copy of the float64 one but the same source with other
 * parameters, as BLIS generates its reference kernels; the vector width
 * (AVX2's 4 doubles or 8 floats, AVX-512's 8 or 16) is one parameter
 * more (GMM_CHUNK_WIDE), with a table per width and type.
 *
 * The kernels know nothing of models: they read the parameters and write
 * the statistics through the plain views below (model/ makes them).
 */
#ifndef GMM_KERNELS_KERNELS_H
#define GMM_KERNELS_KERNELS_H

#include <stddef.h>

#include "gmm.h"
#include "kernels/layout.h"

/* log(2 pi), to 17 digits: the normal density's constant. */
#define GMM_LOG_2PI 1.8378770664093455

/* Where a chunk's statistics go (model/stats.h's gmm_stats has the same
 * arrays): nk (K), sk (K x D) and the scatter qk in layout; packed:
 * matrix blocks hold their upper triangle packed row by row (D (D + 1) /
 * 2 values), only where accumulate reads rows (gmm_kernels_read_rows). */
typedef struct gmm_sums {
    size_t n_components;
    size_t n_features;
    gmm_covariance_layout layout;
    double *nk;
    double *sk;
    double *qk;
    int packed;
} gmm_sums;

struct gmm_kernels;

/* A mixture's parameters as the E-step's kernels read them, in their
 * element type, rounded once per pass (model/kernel_params.h makes them).
 * Features are zero-padded to pd = gmm_padded_features(D), so the
 * kernels need no tails. */
typedef struct gmm_kernel_params {
    const struct gmm_kernels *kernels;  /* their element type            */
    size_t n_components;
    size_t n_features;
    gmm_covariance_layout layout;       /* of the precision factors      */
    /* D: where the rows are centred before they are rounded (when the
     * element type centres them); zeros otherwise. */
    double *origin;
    void *means;      /* K x pd elements: mean - origin                  */
    /* Precision factors, each block zero-padded to pd features: a
     * matrix's upper triangle pd x pd, a diagonal's pd values, a
     * scalar's one. Where that is the parameters' own layout (double,
     * matrices, D a multiple of the padding: then their precisions_chol,
     * whose lower triangles are zero, is it bit for bit), factors reads
     * them in place and own_factors, allocated but never written, takes
     * no memory: at large K x D^2 a copy would be a third of a fit's. */
    const void *factors;
    void *own_factors;
    /* K: log det U_k + log weight_k (a variational posterior: + its
     * log_weights, model/params.h) */
    double *offsets;
    /* K x D: origin + means in double, the exact shifts the statistics of
     * a pass from these parameters are taken around. */
    double *shifts;
    double *staging;  /* scratch of whoever sets them                    */
} gmm_kernel_params;

typedef struct gmm_kernels {
    gmm_dtype dtype;
    size_t element_size;  /* bytes                                       */
    size_t lanes;         /* elements per vector                         */
    /* Whether rows are centred on the parameters' origin before they are
     * rounded: float carries ~7 digits, so a row keeps those of its
     * distance from the mixture's centre, not of its distance from 0. */
    int centres_rows;

    /* A chunk of n_rows <= GMM_CHUNK_ROWS row-major rows X (d features)
     * into the transposed layout XT (gmm_chunk_size(d) elements), less
     * origin when the type centres rows; and, unless XR is NULL, into
     * row-major rows zero-padded to gmm_row_stride(d, lanes) elements.
     * Returns the row-major rows the statistics read: XR, or X itself
     * where the element type is double and no padding is due; NULL when
     * XR is NULL. */
    const void *(*convert)(const double *X, size_t n_rows, size_t d,
                           const double *origin, void *XT, void *XR);

    /* The E-step's log-densities of a converted chunk under params: row
     * i's log weight_k + log N(x_i | mean_k, cov_k) is the returned shift
     * plus log_prob[k * GMM_LANE_STRIDE + i], for i < gmm_lanes(n_rows)
     * (the padded rows' values are meaningless). */
    double (*log_prob)(const gmm_kernel_params *params, const void *XT,
                       size_t n_rows, void *log_prob);
    /* Responsibilities in place of log_prob (0 on padded rows), and
     * log_norm[i] = shift + log sum_k exp(log_prob), in double, for each
     * of the gmm_lanes(n_rows) rows. */
    void (*normalize)(void *log_prob, size_t n_rows, size_t n_components,
                      double shift, double *log_norm);
    /* resp[k * GMM_LANE_STRIDE + i] *= weights[i]. */
    void (*weigh)(void *resp, size_t n_rows, size_t n_components,
                  const double *weights);

    /* Doubles of work accumulate needs for statistics of this layout:
     * none for diagonal and scalar blocks, which sum in place (a matrix's
     * K x D^2 would be what a D = 100000 diag fit cannot afford). */
    size_t (*accumulate_work_size)(gmm_covariance_layout layout,
                                   size_t n_components, size_t n_features);
    /* Fold a converted chunk (XR: convert's row-major rows, read where
     * gmm_kernels_read_rows says) with its responsibilities (chunk
     * layout, 0 on padded rows) into sums, shifted by component k's
     * shift at shifts + k * shift_stride (elements). Only partial sums
     * over at most a chunk's rows are in the element type; they are
     * added to sums in double. */
    void (*accumulate)(const gmm_sums *sums, const void *XT, const void *XR,
                       size_t n_rows, const void *resp, const void *shifts,
                       size_t shift_stride, double *work);

    /* dst[0 .. n) = values rounded to the element type, and values
     * replaced by what dst holds (in double, exactly). */
    void (*store)(void *dst, double *values, size_t n);
} gmm_kernels;

/* The AVX2-width tables; kernels/dispatch.h's gmm_kernels_of gives the
 * table a fit runs, at the width the CPU and GMM_ISA choose. */
extern const gmm_kernels gmm_kernels_f64, gmm_kernels_f32;

/* Up to this many features, matrix statistics are taken across rows from
 * XT alone (kernels/scatter_lanes.h); beyond it, from row-major rows
 * (kernels/scatter.h). */
#define GMM_LANES_MAX_FEATURES 8

/* Whether accumulate reads the row-major rows XR for statistics of this
 * layout. */
static inline int gmm_kernels_read_rows(gmm_covariance_layout layout,
                                        size_t n_features)
{
    return gmm_layout_is_matrix(layout) &&
           n_features > GMM_LANES_MAX_FEATURES;
}

#endif
