/*
 * test_nearest.c — the blocked nearest-centre kernel (kernels/nearest.h)
 * gives the bits of the one-row loop gmm_nearest_center: labels and
 * squared distances, on data with many exact ties (integer coordinates,
 * where the first centre must win) and with rounding (fractional ones),
 * far from the origin, with K not a
 * multiple of the 4-centre tiles and chunks not a multiple of 8 rows, for
 * every K from 1 to 11 and D from 1 to 9; and the runner-up distance
 * (the smallest to any centre but the winner, ties included) against a
 * loop over the centres with the winner left out.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "em/resp.h"
#include "kernels/nearest.h"
#include "util/blocks.h"

int main(void)
{
    uint64_t state = 3;
    double X[GMM_CHUNK_ROWS * 9], centers[11 * 9];
    double *scratch = malloc(gmm_nearest_scratch_size(9) * sizeof *scratch);
    size_t label[GMM_CHUNK_ROWS];
    double dist[GMM_CHUNK_ROWS], second[GMM_CHUNK_ROWS];
    for (size_t d = 1; d <= 9; d++)
        for (size_t k = 1; k <= 11; k++) {
            size_t n_rows = 1 + (k * 37 + d * 11) % GMM_CHUNK_ROWS;
            for (size_t i = 0; i < n_rows * d + k * d; i++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                double v = 1e8 + (double)(state >> 61);  /* 8 values: ties */
                double u = (double)(state >> 11) / 9007199254740992.0;
                /* Odd rows off the grid: squares and sums that round, so
                 * a fused multiply-add would show. */
                if (i < n_rows * d)
                    X[i] = v + ((i / d) % 2 ? u : 0.0);
                else
                    centers[i - n_rows * d] = v;
            }
            gmm_nearest_chunk(X, n_rows, d, centers, k, scratch, label, dist,
                              second);
            for (size_t i = 0; i < n_rows; i++) {
                double expected;
                size_t c = gmm_nearest_center(X + i * d, centers, k, d, &expected);
                CHECK(label[i] == c && memcmp(&dist[i], &expected, sizeof expected) == 0,
                      "K = %zu, D = %zu, row %zu: centre %zu at %.17g, one row "
                      "at a time %zu at %.17g", k, d, i, label[i], dist[i], c,
                      expected);
                double runner_up = INFINITY;
                for (size_t o = 0; o < k; o++) {
                    double other;
                    gmm_nearest_center(X + i * d, centers + o * d, 1, d, &other);
                    if (o != c && other < runner_up)
                        runner_up = other;
                }
                CHECK(memcmp(&second[i], &runner_up, sizeof runner_up) == 0,
                      "K = %zu, D = %zu, row %zu: runner-up %.17g, expected "
                      "%.17g", k, d, i, second[i], runner_up);
            }
        }
    free(scratch);
    return check_failures() != 0;
}
