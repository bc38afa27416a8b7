/*
 * test_large_stats.c — full and tied statistics at a shape where a pass
 * works in its memory-saving forms: D = 128, so that the E-step reads the
 * parameters' own precision factors in place (kernels.h), the per-thread
 * partial statistics are packed triangles (stats.h) and K = 40 components
 * take two groups of tile sums (kernels/scatter.h's full_group). One EM
 * iteration from explicit parameters (unit covariances) is checked
 * against the same iteration written out naively in double, and for 1, 2
 * and 3 threads bit for bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gmm.h"

#define N_ROWS 3000
#define D 128
#define K 40

static double *make_rows(void)
{
    double *X = malloc((size_t)N_ROWS * D * sizeof *X);
    uint64_t state = 7;
    for (size_t i = 0; i < (size_t)N_ROWS * D; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0;
        size_t row = i / D, j = i % D;
        /* K clusters a few units apart, far from the origin. */
        X[i] = 100.0 + 1.5 * (double)((row % K + j) % 7) + 2.0 * (u - 0.5);
    }
    return X;
}

static gmm_model *fit_once(const double *X, gmm_covariance_type type,
                           const double *weights, const double *means,
                           const double *precisions, int threads)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = K;
    o.covariance_type = type;
    o.max_iter = 1;
    o.tol = 0.0;
    o.n_threads = threads;
    o.weights_init = weights;
    o.means_init = means;
    o.precisions_init = precisions;
    gmm_model *model = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(model, X, N_ROWS, D, NULL, &check_err_));
    return model;
}

/* The iteration naively: responsibilities under unit covariances, then
 * the M-step's weighted means and covariances (tied: pooled over the
 * components, divided by N). */
static void naive_iteration(const double *X, const double *weights,
                            const double *means, int tied, double *cov)
{
    double *resp = malloc((size_t)N_ROWS * K * sizeof *resp);
    double nk[K] = {0}, *mu = calloc((size_t)K * D, sizeof *mu);
    for (size_t i = 0; i < N_ROWS; i++) {
        double top = -INFINITY, sum = 0.0, *r = resp + i * K;
        for (size_t k = 0; k < K; k++) {
            double dist = 0.0;
            for (size_t j = 0; j < D; j++) {
                double y = X[i * D + j] - means[k * D + j];
                dist += y * y;
            }
            r[k] = log(weights[k]) - 0.5 * dist;
            top = r[k] > top ? r[k] : top;
        }
        for (size_t k = 0; k < K; k++)
            sum += (r[k] = exp(r[k] - top));
        for (size_t k = 0; k < K; k++) {
            r[k] /= sum;
            nk[k] += r[k];
            for (size_t j = 0; j < D; j++)
                mu[k * D + j] += r[k] * X[i * D + j];
        }
    }
    for (size_t k = 0; k < K; k++)
        for (size_t j = 0; j < D; j++)
            mu[k * D + j] /= nk[k];
    memset(cov, 0, (tied ? 1 : K) * D * D * sizeof *cov);
    for (size_t k = 0; k < K; k++) {
        double *c = cov + (tied ? 0 : k) * D * D;
        for (size_t i = 0; i < N_ROWS; i++) {
            double r = resp[i * K + k] / (tied ? (double)N_ROWS : nk[k]);
            for (size_t a = 0; a < D; a++) {
                double ya = X[i * D + a] - mu[k * D + a];
                for (size_t b = 0; b < D; b++)
                    c[a * D + b] += r * ya * (X[i * D + b] - mu[k * D + b]);
            }
        }
    }
    for (size_t k = 0; k < (tied ? 1 : K); k++)
        for (size_t a = 0; a < D; a++)
            cov[(k * D + a) * D + a] += 1e-6;
    free(mu);
    free(resp);
}

int main(void)
{
    double *X = make_rows();
    double weights[K], *means = malloc((size_t)K * D * sizeof *means);
    double *precisions = calloc((size_t)K * D * D, sizeof *precisions);
    double *expected = malloc((size_t)K * D * D * sizeof *expected);
    for (size_t k = 0; k < K; k++) {
        weights[k] = 1.0 / K;
        memcpy(means + k * D, X + k * 71 * D, D * sizeof *means);
        for (size_t j = 0; j < D; j++)
            precisions[(k * D + j) * D + j] = 1.0;
    }
    for (int tied = 0; tied <= 1; tied++) {
        gmm_covariance_type type = tied ? GMM_COVARIANCE_TIED : GMM_COVARIANCE_FULL;
        const char *name = gmm_covariance_type_name(type);
        naive_iteration(X, weights, means, tied, expected);
        gmm_model *one = fit_once(X, type, weights, means, precisions, 1);
        const double *cov = gmm_model_covariances(one);
        size_t n_cov = gmm_model_covariance_size(one), worst = 0;
        double worst_error = 0.0;
        for (size_t i = 0; i < n_cov; i++) {
            size_t block = i / (D * D), a = i % (D * D) / D, b = i % D;
            const double *e = expected + block * D * D;
            double scale = sqrt(e[a * D + a] * e[b * D + b]);
            double error = fabs(cov[i] - e[a * D + b]) / scale;
            if (error > worst_error) {
                worst_error = error;
                worst = i;
            }
        }
        CHECK(worst_error < 1e-9, "%s: covariance %zu is %.17g, naively %.17g",
              name, worst, cov[worst], expected[worst]);
        for (int threads = 2; threads <= 3; threads++) {
            gmm_model *many = fit_once(X, type, weights, means, precisions, threads);
            CHECK(memcmp(cov, gmm_model_covariances(many),
                         n_cov * sizeof(double)) == 0 &&
                      memcmp(gmm_model_means(one), gmm_model_means(many),
                             (size_t)K * D * sizeof(double)) == 0 &&
                      gmm_model_lower_bound(one) == gmm_model_lower_bound(many),
                  "%s: the fit differs with %d threads", name, threads);
            gmm_model_free(many);
        }
        gmm_model_free(one);
    }
    free(expected);
    free(precisions);
    free(means);
    free(X);
    return check_failures() != 0;
}
