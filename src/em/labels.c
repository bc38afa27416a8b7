/*
 * labels.c — packed per-row cluster indices within the memory budget
 * (labels.h).
 */
#include "em/labels.h"

#include <assert.h>
#include <stdlib.h>

#include "util/blocks.h"
#include "util/error.h"

/* Issue #4: a fit's memory is the data + 10% + O(K D^2); the labels and
 * the per-row work space beside them (k-means++'s closest distances) are
 * the k-means initializer's only per-row arrays, so they share the
 * tenth. */
#define GMM_LABELS_BUDGET_DIVISOR 10

int gmm_labels_room(const gmm_labels *labels, const gmm_rows *rows,
                    unsigned extra_bits)
{
    size_t data_bits = rows->n_features * sizeof(double) * 8;
    size_t bits = (labels->words ? labels->bits : 0) + (size_t)extra_bits;
    return rows->X && bits * GMM_LABELS_BUDGET_DIVISOR <= data_bits;
}

gmm_status gmm_labels_alloc(gmm_labels *labels, const gmm_rows *rows,
                            size_t n_clusters, int required, gmm_error *err)
{
    unsigned bits = 1;
    while (bits < 32 && ((size_t)1 << bits) < n_clusters)
        bits *= 2;
    /* Whole words per block: see labels.h. */
    assert(GMM_CHUNK_ROWS * bits % 32 == 0);
    *labels = (gmm_labels){NULL, bits};
    if (!(required || gmm_labels_room(labels, rows, bits)) || rows->n_rows == 0)
        return GMM_OK;
    size_t n_words = (rows->n_rows * bits + 31) / 32;
    labels->words = calloc(n_words, sizeof *labels->words);
    if (!labels->words)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the labels of "
                        "%zu rows", rows->n_rows);
    return GMM_OK;
}

void gmm_labels_free(gmm_labels *labels)
{
    free(labels->words);
    labels->words = NULL;
}
