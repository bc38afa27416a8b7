/*
 * test_init.c — the k-means starts that gmm_select shares across
 * covariance types (em/init.h): one entry per (K, n_init start, candidate)
 * that the kmeans initializer runs, each holding that run's centres; a fit
 * given them is bit-identical to one without for every covariance type;
 * and a fit does read them (given altered centres it starts elsewhere), so
 * the sharing is not silently skipped. A start from given responsibilities
 * (init_resp) is an M-step from them, whatever the threads, and bad ones
 * are refused naming the row.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "em/fit.h"
#include "em/init.h"
#include "em/kmeans.h"
#include "gmm.h"
#include "rows/check.h"

#define N_ROWS 2000
#define N_FEATURES 3

static gmm_model *fit(const gmm_options *options, const gmm_rows *rows,
                      const gmm_kmeans_starts *starts)
{
    gmm_error err;
    gmm_model *model = gmm_model_new(options, &err);
    gmm_status status = gmm_fit_rows(model, rows, starts, &err);
    CHECK(status == GMM_OK, "gmm_fit_rows: %s", err.message);
    return model;
}

static int same_fit(const gmm_model *a, const gmm_model *b)
{
    size_t k = gmm_model_n_components(a);
    double la = gmm_model_lower_bound(a), lb = gmm_model_lower_bound(b);
    return memcmp(gmm_model_means(a), gmm_model_means(b),
                  k * N_FEATURES * sizeof(double)) == 0 &&
           memcmp(gmm_model_covariances(a), gmm_model_covariances(b),
                  gmm_model_covariance_size(a) * sizeof(double)) == 0 &&
           memcmp(&la, &lb, sizeof la) == 0 &&
           gmm_model_n_iter(a) == gmm_model_n_iter(b);
}

/* init_resp: the blobs' own labels (row i is blob i % 4) as one-hot
 * responsibilities give the blobs' means, with one thread or two; a
 * negative entry or a row not summing to 1 is refused by row. */
static void check_init_resp(const double *X)
{
    enum { K = 4 };
    double *resp = calloc(N_ROWS * K, sizeof *resp);
    for (size_t i = 0; i < N_ROWS; i++)
        resp[i * K + i % K] = 1.0;
    double means[K * N_FEATURES] = {0};
    for (size_t i = 0; i < N_ROWS; i++)
        for (size_t j = 0; j < N_FEATURES; j++)
            means[(i % K) * N_FEATURES + j] += X[i * N_FEATURES + j] / (N_ROWS / K);
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = K;
    o.max_iter = 0;
    o.init_params = GMM_INIT_RANDOM;  /* replaced by init_resp */
    o.init_resp = resp;
    gmm_model *models[2];
    for (int t = 0; t < 2; t++) {
        gmm_error err;
        o.n_threads = t + 1;
        models[t] = gmm_model_new(&o, &err);
        CHECK(gmm_fit(models[t], X, N_ROWS, N_FEATURES, NULL, &err) == GMM_OK,
              "init_resp fit: %s", err.message);
    }
    for (size_t i = 0; i < K * N_FEATURES; i++)
        CHECK(close_to(gmm_model_means(models[0])[i], means[i], 1e-12, 1.0),
              "init_resp: mean %zu is %.17g, the blob's is %.17g", i,
              gmm_model_means(models[0])[i], means[i]);
    CHECK(same_fit(models[0], models[1]), "init_resp: threads changed the fit");
    for (int t = 0; t < 2; t++)
        gmm_model_free(models[t]);

    const struct { size_t row; double a, b; const char *message; } bad[] = {
        {7, 1.5, -0.5, "init_resp: row 7 (counted from 0), component 1 is -0.5"},
        {1999, 0.5, 0.25, "init_resp: row 1999 (counted from 0) sums to 0.75"},
    };
    for (size_t c = 0; c < 2; c++) {
        double saved[K];
        memcpy(saved, resp + bad[c].row * K, sizeof saved);
        resp[bad[c].row * K] = bad[c].a;
        resp[bad[c].row * K + 1] = bad[c].b;
        resp[bad[c].row * K + 2] = resp[bad[c].row * K + 3] = 0.0;
        gmm_error err;
        gmm_model *model = gmm_model_new(&o, &err);
        gmm_status status = gmm_fit(model, X, N_ROWS, N_FEATURES, NULL, &err);
        CHECK(status == GMM_ERR_INVALID && strstr(err.message, bad[c].message),
              "bad init_resp: %s", err.message);
        gmm_model_free(model);
        memcpy(resp + bad[c].row * K, saved, sizeof saved);
    }
    free(resp);
}

int main(void)
{
    double *X = blobs(N_ROWS, N_FEATURES, 4, 8.0, 50.0, 21);
    gmm_rows rows;
    double *owned;
    CHECK_OK(gmm_rows_init(&rows, X, N_ROWS, N_FEATURES, NULL, 2, 0, &owned,
                           &check_err_));
    gmm_options o;
    gmm_options_init(&o);
    o.n_init = 2;
    o.seed = 11;
    o.n_threads = 2;

    /* K = 3 twice and K above the number of rows add nothing. */
    size_t ks[] = {3, 1, 3, 5, N_ROWS + 1};
    gmm_kmeans_starts starts;
    CHECK_OK(gmm_kmeans_starts_compute(&o, &rows, ks, 5, &starts, &check_err_));
    /* Three k-means candidates per initialization (init.c). */
    CHECK(starts.n_starts == 3 * (size_t)o.n_init * 3,
          "%zu starts for 3 values of K and n_init %d", starts.n_starts,
          o.n_init);
    for (size_t i = 0; i < starts.n_starts; i++) {
        const gmm_kmeans_start *s = &starts.start[i];
        double centers[5 * N_FEATURES];
        gmm_kmeans_options km;
        gmm_kmeans_options_init(&km);
        km.n_clusters = s->n_clusters;
        km.seed = s->seed;
        CHECK_OK(gmm_kmeans_rows(&km, &rows, centers, NULL, NULL, &check_err_));
        CHECK(s->centers && memcmp(s->centers, centers,
                                   s->n_clusters * N_FEATURES *
                                       sizeof(double)) == 0,
              "start %zu (K = %zu) is not its k-means run", i, s->n_clusters);
    }

    /* Every covariance type, with and without the starts. */
    for (int t = 0; t < 4; t++) {
        o.covariance_type = (gmm_covariance_type)t;
        o.n_components = 5;
        gmm_model *alone = fit(&o, &rows, NULL);
        gmm_model *shared = fit(&o, &rows, &starts);
        CHECK(same_fit(alone, shared), "%s: the starts changed the fit",
              gmm_covariance_type_name(o.covariance_type));
        gmm_model_free(alone);
        gmm_model_free(shared);
    }

    /* The clusters of every start in reverse order: a fit that reads the
     * starts finds its components in reverse order too. */
    o.covariance_type = GMM_COVARIANCE_DIAG;
    o.n_components = 3;
    gmm_model *alone = fit(&o, &rows, NULL);
    for (size_t i = 0; i < starts.n_starts; i++) {
        double *c = starts.start[i].centers, row[N_FEATURES];
        for (size_t a = 0, b = starts.start[i].n_clusters - 1; a < b; a++, b--) {
            memcpy(row, c + a * N_FEATURES, sizeof row);
            memcpy(c + a * N_FEATURES, c + b * N_FEATURES, sizeof row);
            memcpy(c + b * N_FEATURES, row, sizeof row);
        }
    }
    gmm_model *reversed = fit(&o, &rows, &starts);
    const double *m = gmm_model_means(alone), *r = gmm_model_means(reversed);
    CHECK(!same_fit(alone, reversed) && !close_to(m[0], r[0], 1e-3, 1.0) &&
              close_to(m[0], r[2 * N_FEATURES], 1e-6, 1.0),
          "the fit did not start from the starts");
    gmm_model_free(alone);
    gmm_model_free(reversed);
    gmm_kmeans_starts_free(&starts);

    /* Other init methods share nothing. */
    o.init_params = GMM_INIT_KMEANS_PLUSPLUS;
    CHECK_OK(gmm_kmeans_starts_compute(&o, &rows, ks, 5, &starts, &check_err_));
    CHECK(starts.n_starts == 0, "k-means++ init: %zu starts", starts.n_starts);
    gmm_kmeans_starts_free(&starts);

    check_init_resp(X);
    free(owned);
    free(X);
    return check_failures() != 0;
}
