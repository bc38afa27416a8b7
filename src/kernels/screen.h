/*
 * screen.h — which centre is certainly nearest, by the product form: for
 * rows and centres shifted by the centres' mean r, |x - c|^2 =
 * |x - r|^2 + |c - r|^2 - 2 (x - r).(c - r), whose rows-by-centres
 * products run in float on the FMA pipes as a matrix product does (2
 * flops a feature, 8 rows a register, where the exact sum_j (x_j - c_j)^2
 * of kernels/nearest.h takes 3 on the add pipes, 4 rows a register). The form rounds differently from the exact one, so
 * it only screens: a row is certain when its best centre beats every
 * other by more than twice a bound on the gap between the form's value
 * and the exact kernel's rounded one (screen.c derives it); the caller
 * then computes that one exact distance, and sends the other rows through
 * the exact kernel. Labels, distances and ties stay the exact kernel's.
 *
 * Shifting by r keeps the bound small for data far from the origin (the
 * form's error scales with |x - r| + |c - r|, not |x| + |c|): at 1e9 with
 * unit spread the unshifted form would screen nothing.
 */
#ifndef GMM_KERNELS_SCREEN_H
#define GMM_KERNELS_SCREEN_H

#include <stddef.h>

/* The screen pays for its K D preparation and each row's own exact
 * distance from this many centres on (bench/RESULTS.md note 46). */
#define GMM_SCREEN_MIN_CENTERS 16

/* Centres prepared once per pass, read by every thread. */
typedef struct gmm_screen {
    const double *origin;   /* D: r, the centres' mean                   */
    const float *shifted;   /* K x D: c_k - r, in float                   */
    const float *norms;     /* K: |c_k - r|^2                             */
    double reach;           /* at least max_k |c_k - r|                   */
    size_t n_centers, n_features;
} gmm_screen;

/* Doubles of memory gmm_screen_prepare needs for k centres of d features. */
size_t gmm_screen_memory(size_t k, size_t d);

/* The screen of centers (k x d, row-major) in memory. */
gmm_screen gmm_screen_prepare(const double *centers, size_t k, size_t d,
                              double *memory);

/* Doubles of gmm_screen_chunk's scratch for d features. */
size_t gmm_screen_scratch_size(size_t d);

/* For the transposed chunk XT (kernels/chunk.h, n_rows rows, not
 * shifted): label[i] the centre nearest by the form, certain[i] whether
 * the exact kernel certainly picks it too (strictly nearer than every
 * other centre, so no tie either), and for certain rows second_sq[i] a
 * lower bound on the exact kernel's squared distance to every other
 * centre (infinity for one centre). */
void gmm_screen_chunk(const gmm_screen *screen, const double *XT,
                      size_t n_rows, double *scratch, size_t *label,
                      unsigned char *certain, double *second_sq);

#endif
