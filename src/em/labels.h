/*
 * labels.h — a cluster index per row, packed, for k-means (Lloyd's labels)
 * and k-means++ (each row's nearest seed), kept only within the memory
 * budget of a fit.
 *
 * Both algorithms can do without the array: k-means++ recomputes a row's
 * distance to its nearest seed from all seeds so far, Lloyd recomputes a
 * row's previous label from the previous centres, and the results are the
 * same bit for bit (a minimum is exact). That is how streamed rows are
 * done. But recomputing costs: with the labels, Lloyd's pass computes K
 * distances a row instead of 2K, and a k-means++ pass 2 instead of c + 1
 * at the c-th seed. So the labels are kept when they are small beside the
 * data, and packed so that they are small: ceil(log2 K) bits rounded up
 * to a power of two, 4 bits a row for K = 16 (1/128 of 16 doubles, 1/32 of
 * 2), where int labels took 4 bytes and double distances 8 (75% of the
 * data at D = 2: issue #4's budget is the data + 10%).
 *
 * k-means++ keeps each row's closest distance itself (8 bytes) where that
 * fits the budget beside the labels and Lloyd's bounds (gmm_labels_room:
 * from D = 16 on at K = 16); below, it recovers the distance from the
 * row's label, recomputed from that seed alone (bench/RESULTS.md,
 * "Initialisation memory").
 *
 * Rows of different blocks (util/blocks.h) lie in different words: blocks
 * start at multiples of GMM_CHUNK_ROWS rows, 256 x bits bits, whole 32-bit
 * words. So threads that each own blocks may set labels concurrently.
 */
#ifndef GMM_EM_LABELS_H
#define GMM_EM_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "gmm.h"
#include "rows/rows.h"

typedef struct gmm_labels {
    uint32_t *words;  /* NULL: not kept, recompute instead              */
    unsigned bits;    /* per label: 1, 2, 4, 8, 16 or 32                */
} gmm_labels;

/* Labels in [0, n_clusters) for the local rows of rows, all 0 at first:
 * kept when required (the caller wants them) or when the rows are in
 * memory and the labels take at most a tenth of their bytes (D = 1 keeps
 * them up to K = 16, D = 2 up to K = 256); otherwise labels->words is
 * NULL. Fails only for lack of memory. */
gmm_status gmm_labels_alloc(gmm_labels *labels, const gmm_rows *rows,
                            size_t n_clusters, int required, gmm_error *err);

void gmm_labels_free(gmm_labels *labels);

/* Whether extra_bits more a row, beside labels (kept or not), stay within
 * the budget for rows in memory: per-row work space of the same rule. */
int gmm_labels_room(const gmm_labels *labels, const gmm_rows *rows,
                    unsigned extra_bits);

static inline size_t gmm_labels_get(const gmm_labels *labels, size_t row)
{
    size_t bit = row * labels->bits;
    uint32_t mask = UINT32_MAX >> (32 - labels->bits);
    return (labels->words[bit / 32] >> (bit % 32)) & mask;
}

static inline void gmm_labels_set(gmm_labels *labels, size_t row, size_t label)
{
    size_t bit = row * labels->bits;
    uint32_t mask = UINT32_MAX >> (32 - labels->bits);
    uint32_t *word = &labels->words[bit / 32];
    *word = (*word & ~(mask << (bit % 32))) | ((uint32_t)label << (bit % 32));
}

#endif
