/*
 * test_labels.c — the packed per-row labels of k-means and k-means++
 * (em/labels.h): every width packs and unpacks without touching its
 * neighbours; they are kept exactly when they fit a tenth of the rows'
 * bytes (or are asked for); k-means and k-means++ give the same results,
 * bit for bit, with and without them; and a fit with the default kmeans
 * initializer raises peak memory by less than a tenth of the data, where
 * the k-means++ distances (8 bytes a row) took half of it at D = 2.
 *
 * Resident memory is measured as in tests/io/test_read_memory.c: this
 * process's own peak (ru_maxrss), after the small checks, so that only the
 * fit can raise it. Not measured under AddressSanitizer (shadow memory).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"
#include "resident.h"
#include "data.h"
#include "em/kmeans.h"
#include "em/labels.h"
#include "em/seeding.h"
#include "gmm.h"

static gmm_rows in_memory(const double *X, size_t n_rows, size_t n_features)
{
    return (gmm_rows){.X = X, .n_rows = n_rows, .n_features = n_features,
                      .weight_sum = (double)n_rows, .weight_scale = 1.0,
                      .total_rows = n_rows};
}

/* Every width: labels written in a scattered order read back, and no write
 * disturbs another row's label. */
static void check_packing(void)
{
    static const size_t clusters[] = {1, 2, 3, 4, 5, 16, 17, 256, 257, 65536,
                                      65537};
    static const unsigned bits[] = {1, 1, 2, 2, 4, 4, 8, 8, 16, 16, 32};
    size_t n = 1000;
    double one_row = 0.0;
    gmm_rows rows = in_memory(&one_row, n, 1);
    for (size_t t = 0; t < sizeof clusters / sizeof *clusters; t++) {
        size_t k = clusters[t];
        gmm_labels labels;
        gmm_error err;
        CHECK_OK(gmm_labels_alloc(&labels, &rows, k, 1, &err));
        CHECK(labels.words && labels.bits == bits[t], "K %zu: %u bits", k,
              labels.bits);
        if (!labels.words)
            continue;
        size_t wrong = 0;
        for (size_t i = 0; i < n; i++)
            wrong += gmm_labels_get(&labels, i) != 0;
        for (size_t step = 0; step < n; step++) {
            size_t i = step * 389 % n;  /* 389 is prime to 1000 */
            gmm_labels_set(&labels, i, (i * 7919 + 3) % k);
            gmm_labels_set(&labels, i, k - 1);  /* all bits set, then */
            gmm_labels_set(&labels, i, (i * 7919) % k);
        }
        for (size_t i = 0; i < n; i++)
            wrong += gmm_labels_get(&labels, i) != (i * 7919) % k;
        CHECK(wrong == 0, "K %zu: %zu labels wrong", k, wrong);
        gmm_labels_free(&labels);
    }
}

static int kept(const gmm_rows *rows, size_t n_clusters, int required)
{
    gmm_labels labels;
    gmm_error err;
    CHECK_OK(gmm_labels_alloc(&labels, rows, n_clusters, required, &err));
    int result = labels.words != NULL;
    gmm_labels_free(&labels);
    return result;
}

/* A tenth of 64 D bits a row: 4 bits at D = 1, 8 at D = 2, 16 at D = 3. */
static void check_budget(void)
{
    double values = 0.0;
    gmm_rows d1 = in_memory(&values, 4096, 1), d2 = in_memory(&values, 4096, 2);
    gmm_rows d3 = in_memory(&values, 4096, 3), streamed = d3;
    streamed.X = NULL;
    CHECK(kept(&d1, 16, 0) && !kept(&d1, 17, 0), "D = 1: up to K = 16");
    CHECK(kept(&d2, 256, 0) && !kept(&d2, 257, 0), "D = 2: up to K = 256");
    CHECK(kept(&d3, 65536, 0) && !kept(&d3, 65537, 0), "D = 3: up to 65536");
    CHECK(kept(&d1, 1000, 1), "kept when asked for, whatever the budget");
    CHECK(!kept(&streamed, 2, 0) && kept(&streamed, 2, 1),
          "streamed rows: only when asked for");
}

/* Rows read through a reader from an array: gmm_rows with X NULL, as a
 * streamed file is. */
typedef struct array_reader {
    const double *X;
    size_t n_features;
} array_reader;

static gmm_status read_rows(void *context, size_t first_row, size_t n_rows,
                            double *out, gmm_error *err)
{
    (void)err;
    const array_reader *reader = context;
    memcpy(out, reader->X + first_row * reader->n_features,
           n_rows * reader->n_features * sizeof *out);
    return GMM_OK;
}

/* k-means (and its k-means++ seeds) with the labels (rows in memory,
 * within budget) and without (the same rows through a reader, or in
 * memory over budget: K = 17 at D = 1): the same centres, bit for bit. */
static void check_same_with_and_without(size_t n, size_t d, size_t k,
                                        int expect_kept)
{
    double *X = blobs(n, d, k, 30.0, 5.0, 41 + k);
    gmm_rows memory = in_memory(X, n, d), read = memory;
    array_reader reader = {X, d};
    read.X = NULL;
    read.reader = (gmm_row_reader){read_rows, &reader, 2 * 256};
    CHECK(kept(&memory, k, 0) == expect_kept && !kept(&read, k, 0),
          "D %zu, K %zu: labels kept in memory: %d", d, k, expect_kept);

    gmm_labels labels[2];
    size_t seeds[2][20];
    gmm_error err;
    for (int r = 0; r < 2; r++) {
        const gmm_rows *rows = r ? &read : &memory;
        gmm_rng rng;
        gmm_rng_seed(&rng, 5);
        CHECK_OK(gmm_labels_alloc(&labels[r], rows, k, 0, &err));
        CHECK_OK(gmm_seed_kmeans_plusplus(rows, k, &rng, &labels[r], 2, NULL,
                                          seeds[r], &err));
        gmm_labels_free(&labels[r]);
    }
    CHECK(memcmp(seeds[0], seeds[1], k * sizeof seeds[0][0]) == 0,
          "D %zu, K %zu: k-means++ seeds differ", d, k);

    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    o.n_clusters = k;
    o.n_init = 2;
    o.n_threads = 2;
    double centers[2][20 * 2];
    gmm_kmeans_result result[2];
    for (int r = 0; r < 2; r++)
        CHECK_OK(gmm_kmeans_rows(&o, r ? &read : &memory, centers[r], NULL,
                                 &result[r], &err));
    CHECK(memcmp(centers[0], centers[1], k * d * sizeof(double)) == 0 &&
              memcmp(&result[0].inertia, &result[1].inertia, sizeof(double)) == 0 &&
              result[0].n_iter == result[1].n_iter,
          "D %zu, K %zu: k-means differs with and without labels", d, k);
    free(X);
}

/* 2^22 rows of 2 features (64 MiB), 8 clusters (3 bits, so 4 a row: 2 MiB
 * of labels); the fit's per-row memory must stay under a tenth of the
 * data (6.4 MiB). Before, the k-means++ distances alone took 32 MiB and
 * the int labels 16 MiB. EM itself holds no per-row array. */
static void check_peak_memory(void)
{
    size_t n = (size_t)1 << 22, d = 2, k = 8;
    double *X = blobs(n, d, k, 40.0, 0.0, 3);
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = k;
    o.covariance_type = GMM_COVARIANCE_DIAG;
    o.max_iter = 2;
    o.n_threads = 2;
    gmm_error err;
    gmm_model *model = gmm_model_new(&o, &err);
    size_t before = resident_bytes();
    CHECK(peak_resident_bytes() <= before + ((size_t)4 << 20),
          "the peak before the fit is the data's: %zu vs %zu resident",
          peak_resident_bytes(), before);
    CHECK_OK(gmm_fit(model, X, n, d, NULL, &err));
    /* The peak can read a little below the resident size before: the
     * kernel syncs threads' page counts lazily. */
    size_t data = n * d * sizeof *X, peak = peak_resident_bytes();
    size_t growth = peak > before ? peak - before : 0;
    printf("fit: peak %zu KiB above the data's %zu KiB (%.1f%%)\n",
           growth >> 10, data >> 10, 100.0 * (double)growth / (double)data);
    if (MEASURING)
        CHECK(growth < data / 10, "the fit raised peak memory by %zu bytes, "
              "more than a tenth of the data's %zu", growth, data);
    gmm_model_free(model);
    free(X);
}

int main(void)
{
    check_packing();
    check_budget();
    check_same_with_and_without(3000, 1, 16, 1);  /* 4-bit labels */
    check_same_with_and_without(3000, 1, 17, 0);  /* over budget  */
    check_same_with_and_without(5000, 2, 3, 1);   /* 2-bit labels */
    check_peak_memory();
    return check_failures() != 0;
}
