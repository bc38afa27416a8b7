/*
 * test_online.c — gmm_partial_fit, stepwise online EM: over batches of a
 * mixture's rows it reaches the batch fit's mean log-likelihood; its step
 * weight is (t + t0)^(-alpha) (t0 0 and alpha 1 make the second step
 * forget the first exactly); n_iter counts steps and lower_bound is the
 * batch's mean log-likelihood; bad batches fail leaving the model and the
 * state unchanged; bad options are refused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gmm.h"

#define D 3
#define K 4
#define N_ROWS 200000
#define BATCH 2000

/* Rows of a mixture of K well-separated Gaussians (Box-Muller). */
static double *mixture_rows(size_t n, uint64_t seed)
{
    double *X = malloc(n * D * sizeof *X);
    uint64_t state = seed;
    for (size_t i = 0; i < n * D; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((double)(state >> 11) + 0.5) / 9007199254740992.0;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = (double)(state >> 11) / 9007199254740992.0;
        double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        size_t k = (i / D) % K;
        X[i] = z * (1.0 + 0.3 * (double)k) + 4.0 * (double)k * (i % D == k % D);
    }
    return X;
}

static gmm_options options(double alpha, double t0)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = K;
    o.n_threads = 1;
    o.seed = 5;
    o.online_alpha = alpha;
    o.online_t0 = t0;
    return o;
}

static void check_reaches_batch_fit(const double *X)
{
    gmm_options o = options(GMM_ONLINE_ALPHA, GMM_ONLINE_T0);
    gmm_model *batch = gmm_model_new(&o, NULL), *online = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(batch, X, N_ROWS, D, NULL, &check_err_));
    gmm_stats *state = gmm_stats_new(K, D, GMM_COVARIANCE_FULL, NULL);
    for (size_t at = 0; at < N_ROWS; at += BATCH)
        CHECK_OK(gmm_partial_fit(online, state, X + at * D, BATCH, D, NULL,
                                 &check_err_));
    CHECK(gmm_model_n_iter(online) == N_ROWS / BATCH, "n_iter %d after %d "
          "batches", gmm_model_n_iter(online), N_ROWS / BATCH);
    CHECK(gmm_model_converged(online) == 0, "an online fit claims convergence");
    double ll_batch, ll_online;
    CHECK_OK(gmm_score(batch, X, N_ROWS, D, &ll_batch, &check_err_));
    CHECK_OK(gmm_score(online, X, N_ROWS, D, &ll_online, &check_err_));
    CHECK(fabs(ll_online - ll_batch) < 2e-3, "online mean log-likelihood "
          "%.6f, batch fit's %.6f", ll_online, ll_batch);
    /* The last batch's lower bound: its mean log-likelihood before its
     * step, close to the model's score on it. */
    CHECK(isfinite(gmm_model_lower_bound(online)) &&
              fabs(gmm_model_lower_bound(online) - ll_online) < 0.1,
          "lower bound %g", gmm_model_lower_bound(online));
    gmm_stats_free(state);
    gmm_model_free(online);
    gmm_model_free(batch);
}

static int same_params(const gmm_model *a, const gmm_model *b)
{
    size_t n_cov = gmm_model_covariance_size(a);
    return memcmp(gmm_model_weights(a), gmm_model_weights(b), K * sizeof(double)) == 0 &&
           memcmp(gmm_model_means(a), gmm_model_means(b), K * D * sizeof(double)) == 0 &&
           memcmp(gmm_model_covariances(a), gmm_model_covariances(b),
                  n_cov * sizeof(double)) == 0;
}

/* eta_1 = (1 + t0)^(-alpha): 1 for t0 0, alpha 1, so the second step
 * keeps nothing of the first (as if its state were empty); 1/2 for t0 1,
 * alpha 1, which keeps half. */
static void check_step_weight(const double *X)
{
    gmm_options forget = options(1.0, 0.0), keep = options(1.0, 1.0);
    gmm_model *a = gmm_model_new(&forget, NULL), *b = gmm_model_new(&forget, NULL);
    gmm_model *c = gmm_model_new(&keep, NULL);
    gmm_stats *sa = gmm_stats_new(K, D, GMM_COVARIANCE_FULL, NULL);
    gmm_stats *sb = gmm_stats_new(K, D, GMM_COVARIANCE_FULL, NULL);
    gmm_stats *sc = gmm_stats_new(K, D, GMM_COVARIANCE_FULL, NULL);
    CHECK_OK(gmm_partial_fit(a, sa, X, BATCH, D, NULL, &check_err_));
    CHECK_OK(gmm_partial_fit(b, sb, X, BATCH, D, NULL, &check_err_));
    CHECK_OK(gmm_partial_fit(c, sc, X, BATCH, D, NULL, &check_err_));
    CHECK(same_params(a, b) && same_params(a, c), "one first batch, two models");
    CHECK(gmm_stats_weight(sa) == 1.0, "the state's weight is %g, not 1",
          gmm_stats_weight(sa));
    gmm_stats_zero(sb);
    const double *second = X + BATCH * D;
    CHECK_OK(gmm_partial_fit(a, sa, second, BATCH, D, NULL, &check_err_));
    CHECK_OK(gmm_partial_fit(b, sb, second, BATCH, D, NULL, &check_err_));
    CHECK_OK(gmm_partial_fit(c, sc, second, BATCH, D, NULL, &check_err_));
    CHECK(same_params(a, b), "eta 1 did not forget the first batch");
    CHECK(!same_params(a, c), "eta 1/2 forgot the first batch");
    CHECK(gmm_model_n_iter(a) == 2 && gmm_model_n_iter(b) == 2,
          "n_iter %d, %d after two steps", gmm_model_n_iter(a),
          gmm_model_n_iter(b));
    gmm_stats_free(sa);
    gmm_stats_free(sb);
    gmm_stats_free(sc);
    gmm_model_free(a);
    gmm_model_free(b);
    gmm_model_free(c);
}

static void check_failures_change_nothing(const double *X)
{
    gmm_options o = options(GMM_ONLINE_ALPHA, GMM_ONLINE_T0);
    gmm_model *model = gmm_model_new(&o, NULL);
    gmm_stats *state = gmm_stats_new(K, D, GMM_COVARIANCE_FULL, NULL);
    gmm_error err;
    CHECK(gmm_partial_fit(model, state, X, K - 1, D, NULL, &err) == GMM_ERR_DATA
              && strstr(err.message, "n_components"),
          "a first batch of fewer rows than components: %s", err.message);
    CHECK(!gmm_model_is_fitted(model), "a failed first batch fitted the model");
    double bad[BATCH * D];
    memcpy(bad, X, sizeof bad);
    bad[7 * D + 1] = NAN;
    CHECK(gmm_partial_fit(model, state, bad, BATCH, D, NULL, &err) == GMM_ERR_DATA,
          "a first batch with a NaN");
    CHECK(!gmm_model_is_fitted(model), "a failed first batch fitted the model");
    CHECK_OK(gmm_partial_fit(model, state, X, BATCH, D, NULL, &check_err_));
    size_t n = gmm_stats_size(state);
    double *before = malloc(n * sizeof *before), *after = malloc(n * sizeof *after);
    double means[K * D];
    gmm_stats_pack(state, before);
    memcpy(means, gmm_model_means(model), sizeof means);
    CHECK(gmm_partial_fit(model, state, bad, BATCH, D, NULL, &err) == GMM_ERR_DATA,
          "a batch with a NaN");
    CHECK(gmm_partial_fit(model, state, X, BATCH, D - 1, NULL, &err) != GMM_OK,
          "a batch of another width");
    gmm_stats_pack(state, after);
    CHECK(memcmp(before, after, n * sizeof *after) == 0, "a failed step "
          "changed the state");
    CHECK(memcmp(means, gmm_model_means(model), sizeof means) == 0 &&
              gmm_model_n_iter(model) == 1, "a failed step changed the model");
    free(before);
    free(after);
    gmm_stats_free(state);
    gmm_model_free(model);

    double bad_alpha[] = {0.5, 1.01, NAN};
    for (int i = 0; i < 3; i++) {
        gmm_options b = options(bad_alpha[i], 1.0);
        CHECK(gmm_model_new(&b, &err) == NULL && err.status == GMM_ERR_INVALID,
              "online_alpha %g accepted", bad_alpha[i]);
    }
    gmm_options b = options(0.7, -1.0);
    CHECK(gmm_model_new(&b, &err) == NULL, "online_t0 -1 accepted");
}

int main(void)
{
    double *X = mixture_rows(N_ROWS, 9);
    check_reaches_batch_fit(X);
    check_step_weight(X);
    check_failures_change_nothing(X);
    free(X);
    return check_failures() != 0;
}
