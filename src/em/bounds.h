/*
 * bounds.h — Hamerly's bounds for Lloyd's assignment (em/kmeans.c): per
 * row a lower bound on its distance to every centre but its own, per
 * centre half the distance to the nearest other centre, both moved by
 * the centres' shifts between passes. A row whose own centre, recomputed
 * exactly (one distance, not K), is nearer than both bounds keeps its
 * label; only the others go through the exact kernel (kernels/nearest.h).
 *
 * The labels must stay those of plain Lloyd bit for bit, so a bound that
 * lets a row keep its label must prove that the kernel's rounded distance
 * to every other centre is strictly larger than the rounded distance to
 * its own: a row at a tie (where the lower index wins) never keeps its
 * label by a bound, it is recomputed. bounds.c says why its margins make
 * that hold under rounding, underflow and overflow.
 *
 * Lower bounds are floats rounded down (a bound may be loose, never too
 * high): 4 bytes a row, within a tenth of the rows' bytes from D = 5 on.
 */
#ifndef GMM_EM_BOUNDS_H
#define GMM_EM_BOUNDS_H

#include <stddef.h>

#include "gmm.h"

typedef struct gmm_bounds {
    float *lower;      /* n_rows; NULL: no bounds, every row recomputed  */
    double *shift;     /* K: each centre's last move, rounded up         */
    double *half;      /* K: half the distance to the nearest other
                          centre, rounded down                           */
    double top[2];     /* the largest two shifts                         */
    size_t top_index;  /* the centre that moved most                     */
    size_t n_centers, n_features;
    double *scratch;   /* gmm_bounds_move's kernel scratch               */
} gmm_bounds;

/* Bounds for n_rows rows and k centres of d features, or none (lower
 * NULL) when memory is short: bounds only save work, they change no
 * result. */
void gmm_bounds_alloc(gmm_bounds *bounds, size_t n_rows, size_t k, size_t d);

void gmm_bounds_free(gmm_bounds *bounds);

/* The centres moved from previous to centers (both K x D): shifts and
 * half distances for the next pass (K^2 D work, serial: small beside the
 * pass's N K D). */
void gmm_bounds_move(gmm_bounds *bounds, const double *previous,
                     const double *centers);

/* Row `row`, labelled `label` by the last pass, at rounded squared
 * distance own_sq from that centre now: whether it certainly keeps the
 * label. Moves the row's lower bound by the centres' shifts either way. */
int gmm_bounds_keeps(gmm_bounds *bounds, size_t row, size_t label,
                     double own_sq);

/* The kernel recomputed the row: second_sq, its rounded squared distance
 * to the runner-up centre, is the new lower bound. */
void gmm_bounds_reset(gmm_bounds *bounds, size_t row, double second_sq);

#endif
