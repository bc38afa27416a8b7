/*
 * test_properties.c — properties that hold for every valid model and data,
 * checked on random ones (seeded, so a failure reproduces):
 *  - predict_proba, score_samples and score never give NaN or infinity on
 *    finite data, and every row of probabilities sums to 1 within 1e-12;
 *  - a fit's lower bound never decreases between EM iterations by more
 *    than rounding (EM is monotone; reg_covar = 0 so that each M-step is
 *    the exact maximiser; scikit-learn's 10*eps on the weights is below
 *    the tolerance), and a fitted model again gives no NaN.
 * Models have K in 1..5, D in 1..6, every covariance type, random weights,
 * means and covariances (A A^T + small diagonal, condition numbers up to
 * about 1e4); data are drawn from the model, with far-out rows added.
 */
#include <math.h>
#include <stdlib.h>

#include "../core/check.h"
#include "gmm.h"
#include "util/rng.h"

#define TRIALS 80
#define N_ROWS 400
/* How far the lower bound (a mean log-likelihood, of order 1 to 100 here)
 * may fall between iterations: a few hundred ulps of its magnitude. */
#define LOWER_BOUND_SLACK 1e-12

static double *random_covariances(gmm_rng *rng, gmm_covariance_type type,
                                  size_t k, size_t d, size_t *size)
{
    size_t n_matrices = type == GMM_COVARIANCE_FULL ? k : 1;
    *size = type == GMM_COVARIANCE_FULL   ? k * d * d
            : type == GMM_COVARIANCE_TIED ? d * d
            : type == GMM_COVARIANCE_DIAG ? k * d
                                          : k;
    double *cov = malloc(*size * sizeof *cov);
    if (type == GMM_COVARIANCE_DIAG || type == GMM_COVARIANCE_SPHERICAL) {
        for (size_t i = 0; i < *size; i++)
            cov[i] = exp(4.0 * gmm_rng_uniform(rng) - 2.0);
        return cov;
    }
    double *a = malloc(d * d * sizeof *a);
    for (size_t m = 0; m < n_matrices; m++) {
        for (size_t i = 0; i < d * d; i++)
            a[i] = gmm_rng_normal(rng);
        double *c = cov + m * d * d;
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++) {
                double sum = i == j ? 1e-2 : 0.0;
                for (size_t l = 0; l < d; l++)
                    sum += a[i * d + l] * a[j * d + l];
                c[i * d + j] = sum;
            }
    }
    free(a);
    return cov;
}

static gmm_model *random_model(gmm_rng *rng, size_t k, size_t d,
                               gmm_covariance_type type)
{
    double *weights = malloc(k * sizeof *weights);
    double *means = malloc(k * d * sizeof *means);
    double total = 0.0;
    for (size_t c = 0; c < k; c++)
        total += weights[c] = 0.05 + gmm_rng_uniform(rng);
    for (size_t c = 0; c < k; c++)
        weights[c] /= total;
    /* Weights must sum to 1 within 1e-8: put the rounding on the last. */
    double rest = 1.0;
    for (size_t c = 0; c + 1 < k; c++)
        rest -= weights[c];
    weights[k - 1] = rest;
    for (size_t i = 0; i < k * d; i++)
        means[i] = 10.0 * gmm_rng_normal(rng);
    size_t size;
    double *cov = random_covariances(rng, type, k, d, &size);
    gmm_error err;
    gmm_model *model = gmm_model_from_params(k, d, type, weights, means, cov,
                                             &err);
    CHECK(model != NULL, "random model: %s", err.message);
    free(cov);
    free(means);
    free(weights);
    return model;
}

/* No NaN, probabilities summing to 1, finite log-likelihoods. */
static void check_predictions(const char *what, int trial,
                              const gmm_model *model, const double *X,
                              size_t n)
{
    size_t k = gmm_model_n_components(model), d = gmm_model_n_features(model);
    double *proba = malloc(n * k * sizeof *proba);
    double *log_prob = malloc(n * sizeof *log_prob);
    double mean_log_prob = 0.0;
    gmm_error err;
    CHECK_OK(gmm_predict_proba(model, X, n, d, proba, &err));
    CHECK_OK(gmm_score_samples(model, X, n, d, log_prob, &err));
    CHECK_OK(gmm_score(model, X, n, d, &mean_log_prob, &err));
    CHECK(isfinite(mean_log_prob), "%s, trial %d: score %g", what, trial,
          mean_log_prob);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t c = 0; c < k; c++) {
            double p = proba[i * k + c];
            CHECK(p >= 0.0 && p <= 1.0, "%s, trial %d: p[%zu][%zu] = %g",
                  what, trial, i, c, p);
            sum += p;
        }
        CHECK(fabs(sum - 1.0) <= 1e-12,
              "%s, trial %d: row %zu sums to 1 %+.3g", what, trial, i,
              sum - 1.0);
        CHECK(isfinite(log_prob[i]), "%s, trial %d: log p(row %zu) = %g",
              what, trial, i, log_prob[i]);
    }
    free(log_prob);
    free(proba);
}

typedef struct bound_history {
    int trial;
    double previous;
    double worst_drop; /* relative */
} bound_history;

static int record_bound(const gmm_progress *progress, void *user_data)
{
    bound_history *h = user_data;
    if (progress->n_iter == 0) /* a poll during k-means: no bound yet */
        return 0;
    double bound = progress->lower_bound;
    CHECK(isfinite(bound), "trial %d: lower bound %g at iteration %d",
          h->trial, bound, progress->n_iter);
    if (progress->n_iter > 1) {
        double drop = (h->previous - bound) / fmax(1.0, fabs(bound));
        if (drop > h->worst_drop)
            h->worst_drop = drop;
        CHECK(drop <= LOWER_BOUND_SLACK,
              "trial %d: lower bound fell from %.17g to %.17g at iteration %d",
              h->trial, h->previous, bound, progress->n_iter);
    }
    h->previous = bound;
    return 0;
}

static void run_trial(int trial, double *worst_drop)
{
    gmm_rng rng;
    gmm_rng_seed(&rng, 1000 + (uint64_t)trial);
    size_t k = 1 + (size_t)(gmm_rng_uniform(&rng) * 5);
    size_t d = 1 + (size_t)(gmm_rng_uniform(&rng) * 6);
    gmm_covariance_type type = (gmm_covariance_type)(trial % 4);
    gmm_model *truth = random_model(&rng, k, d, type);
    if (!truth)
        return;

    double *X = malloc(N_ROWS * d * sizeof *X);
    gmm_error err;
    CHECK_OK(gmm_sample(truth, N_ROWS, (uint64_t)trial, X, NULL, &err));
    /* A few rows far from every component: probabilities underflow for
     * all but one component, the log-sum-exp must not. */
    for (size_t j = 0; j < d; j++) {
        X[j] = 1e6;
        X[d + j] = -1e8 * (double)(j + 1);
    }
    check_predictions("random model", trial, truth, X, N_ROWS);

    gmm_options options;
    gmm_options_init(&options);
    options.n_components = k;
    options.covariance_type = type;
    options.reg_covar = 0.0;
    options.tol = 0.0;
    options.max_iter = 20;
    options.seed = (uint64_t)trial;
    options.init_params = (gmm_init_method)(trial / 4 % 4);
    bound_history history = {trial, 0.0, 0.0};
    options.progress = record_bound;
    options.progress_user_data = &history;
    gmm_model *fitted = gmm_model_new(&options, &err);
    /* The far rows are their own clusters: fit on the drawn rows. */
    gmm_status status = gmm_fit(fitted, X + 2 * d, N_ROWS - 2, d, NULL, &err);
    /* Without reg_covar a component may collapse onto few rows; that is
     * the one failure allowed, and it must say so. */
    CHECK(status == GMM_OK || status == GMM_ERR_NUMERIC, "trial %d: %s",
          trial, err.message);
    if (status == GMM_OK)
        check_predictions("fitted model", trial, fitted, X, N_ROWS);
    if (history.worst_drop > *worst_drop)
        *worst_drop = history.worst_drop;
    gmm_model_free(fitted);
    gmm_model_free(truth);
    free(X);
}

int main(void)
{
    double worst_drop = 0.0;
    for (int trial = 0; trial < TRIALS; trial++)
        run_trial(trial, &worst_drop);
    printf("%d trials; largest relative fall of the lower bound: %.3g\n",
           TRIALS, worst_drop);
    return check_failures() != 0;
}
