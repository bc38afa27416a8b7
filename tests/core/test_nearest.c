/*
 * test_nearest.c — the blocked nearest-centre kernel (kernels/nearest.h)
 * gives the bits of the one-row loop gmm_nearest_center: labels and
 * squared distances, on data with many exact ties (integer coordinates,
 * where the first centre must win) and with rounding (fractional ones),
 * far from the origin, with K not a
 * multiple of the 4-centre tiles and chunks not a multiple of 8 rows, for
 * every K from 1 to 11 and D from 1 to 9; and the runner-up distance
 * (the smallest to any centre but the winner, ties included) against a
 * loop over the centres with the winner left out. The same with the
 * product-form screen (kernels/screen.h), for K up to 40 (its 6-, 3- and
 * 1-centre tiles): the same labels and distances bit for bit, and a
 * runner-up at most the true one; on separated blobs the screen must
 * certify most rows, so the comparison is not all exact kernel.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "em/resp.h"
#include "kernels/chunk.h"
#include "kernels/nearest.h"
#include "kernels/transpose.h"
#include "util/blocks.h"

#define MAX_D 9
#define MAX_K 40

/* On separated blobs the screen certifies most rows. */
static void check_screen_certifies(void)
{
    size_t n = 200, d = 16, k = 24;
    double *X = blobs(n, d, k, 8.0, 1e6, 4);
    double *centers = malloc(k * d * sizeof *centers);
    memcpy(centers, X, k * d * sizeof *centers);
    double *memory = malloc(gmm_screen_memory(k, d) * sizeof *memory);
    double *XT = malloc(gmm_chunk_size(d) * sizeof *XT);
    double *scratch = malloc(gmm_screen_scratch_size(d) * sizeof *scratch);
    size_t label[200];
    unsigned char certain[200];
    double lower[200];
    gmm_screen screen = gmm_screen_prepare(centers, k, d, memory);
    gmm_chunk_convert_f64(X, n, d, NULL, XT, NULL);
    gmm_screen_chunk(&screen, XT, n, scratch, label, certain, lower);
    size_t sure = 0;
    for (size_t i = 0; i < n; i++)
        sure += certain[i];
    CHECK(sure >= n * 9 / 10, "the screen certified %zu of %zu rows", sure, n);
    free(X);
    free(centers);
    free(memory);
    free(XT);
    free(scratch);
}

int main(void)
{
    uint64_t state = 3;
    double X[GMM_CHUNK_ROWS * MAX_D], centers[MAX_K * MAX_D];
    double memory[MAX_K * MAX_D + MAX_K + MAX_D];
    double *scratch = malloc(gmm_nearest_scratch_size(MAX_D) * sizeof *scratch);
    size_t label[GMM_CHUNK_ROWS];
    double dist[GMM_CHUNK_ROWS], second[GMM_CHUNK_ROWS];
    check_screen_certifies();
    for (int screened = 0; screened < 2; screened++)
    for (size_t d = 1; d <= MAX_D; d++)
        for (size_t k = 1; k <= (screened ? MAX_K : 11); k++) {
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
            gmm_screen screen = gmm_screen_prepare(centers, k, d, memory);
            gmm_nearest_chunk(X, n_rows, d, centers, k,
                              screened ? &screen : NULL, scratch, label, dist,
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
                if (screened)
                    CHECK(second[i] <= runner_up, "K = %zu, D = %zu, row %zu: "
                          "runner-up %.17g above %.17g", k, d, i, second[i],
                          runner_up);
                else
                    CHECK(memcmp(&second[i], &runner_up, sizeof runner_up) == 0,
                          "K = %zu, D = %zu, row %zu: runner-up %.17g, expected "
                          "%.17g", k, d, i, second[i], runner_up);
            }
        }
    free(scratch);
    return check_failures() != 0;
}
