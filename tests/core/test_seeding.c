/*
 * test_seeding.c — k-means++ (em/seeding.h) draws the same seeds whichever
 * way it knows each row's closest distance: kept per row (rows in memory
 * with room for it), from the row's label (streamed rows, labels
 * required), or recomputed from all seeds so far (streamed rows, no
 * labels); on 1, 2 and 3 threads; with and without sample weights. (That
 * the batched candidates give the seeds of one pass per candidate was
 * checked once, by scripts/result_hashes.py against the build before.)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "em/seeding.h"
#include "rows/check.h"
#include "util/rng.h"

#define N 3000
#define D 16
#define K 14

/* Rows served from memory through a reader, as a streamed file is. */
static gmm_status read_rows(void *context, size_t first_row, size_t n_rows,
                            double *out, gmm_error *err)
{
    (void)err;
    memcpy(out, (const double *)context + first_row * D,
           n_rows * D * sizeof *out);
    return GMM_OK;
}

typedef enum { KEPT, LABELLED, RECOMPUTED } closest_from;

static void seed(const double *X, const double *w, closest_from how,
                 int threads, size_t *indices)
{
    gmm_rows rows;
    double *owned = NULL;
    gmm_error err;
    CHECK_OK(gmm_rows_init(&rows, X, N, D, w, K, threads, &owned, &err));
    if (how != KEPT) {
        rows.X = NULL;
        rows.reader = (gmm_row_reader){read_rows, (void *)X, 512};
    }
    gmm_labels labels;
    CHECK_OK(gmm_labels_alloc(&labels, &rows, K, how == LABELLED, &err));
    CHECK((labels.words != NULL) == (how != RECOMPUTED), "labels kept: %d",
          how);
    CHECK(gmm_labels_room(&labels, &rows, 96) == (how == KEPT),
          "closest distances kept only for rows in memory");
    gmm_rng rng;
    gmm_rng_seed(&rng, 5);
    CHECK_OK(gmm_seed_kmeans_plusplus(&rows, K, &rng, &labels, threads, NULL,
                                      indices, &err));
    gmm_labels_free(&labels);
    free(owned);
}

int main(void)
{
    double *X = blobs(N, D, 12, 6.0, 0.0, 3);
    double *w = malloc(N * sizeof *w);
    for (size_t i = 0; i < N; i++)
        w[i] = 0.5 + (double)(i % 7) / 4.0;
    size_t first[K], other[K];
    for (int weighted = 0; weighted < 2; weighted++) {
        const double *weights = weighted ? w : NULL;
        seed(X, weights, KEPT, 1, first);
        for (size_t c = 0; c < K; c++)
            for (size_t e = 0; e < c; e++)
                CHECK(first[c] != first[e], "seeds %zu and %zu differ", e, c);
        for (closest_from how = KEPT; how <= RECOMPUTED; how++)
            for (int threads = 1; threads <= 3; threads++) {
                seed(X, weights, how, threads, other);
                CHECK(memcmp(first, other, sizeof first) == 0,
                      "weighted %d, closest from %d, %d threads: the same "
                      "seeds", weighted, how, threads);
            }
    }
    free(X);
    free(w);
    return check_failures() != 0;
}
