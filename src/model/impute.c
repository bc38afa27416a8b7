/*
 * impute.c — missing entries filled in from a fitted mixture (gmm.h,
 * gmm_impute and gmm_impute_draws), row by row through the conditional
 * moments of model/missing.h. Rows with one pattern in a row share their
 * factors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "model/missing.h"
#include "model/model.h"
#include "rows/missing.h"
#include "util/error.h"
#include "util/rng.h"

/* What one call holds: the factors, a row's pattern, posteriors (K),
 * conditional means (K x D), work (D) and a conditional covariance's
 * factor (D x D). */
typedef struct impute_state {
    gmm_missing_factors factors;
    uint64_t *mask;
    double *posterior, *cond_means, *work, *chol;
} impute_state;

static void state_free(impute_state *s)
{
    gmm_missing_factors_free(&s->factors);
    free(s->mask);
    free(s->posterior);
    memset(s, 0, sizeof *s);
}

static gmm_status state_alloc(impute_state *s, const gmm_model *model,
                              const double *X, size_t n_rows, size_t n_features,
                              gmm_error *err)
{
    memset(s, 0, sizeof *s);
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED,
                        "this model is not fitted yet; fit it or load one");
    const gmm_params *p = &model->params;
    if (n_features != p->n_features)
        return gmm_fail(err, GMM_ERR_DATA,
                        "X has %zu features, but the model is expecting %zu "
                        "features as input", n_features, p->n_features);
    if (!X)
        return gmm_fail(err, GMM_ERR_INVALID, "no data given (X is NULL)");
    size_t n_missing;
    gmm_status status = gmm_missing_scan(X, n_rows, n_features, &n_missing, err);
    if (status != GMM_OK)
        return status;
    size_t k = p->n_components, d = n_features;
    status = gmm_missing_factors_alloc(&s->factors, p->covariance_type, k, d, err);
    s->mask = malloc(gmm_missing_words(d) * sizeof *s->mask);
    s->posterior = malloc((k + k * d + d + d * d) * sizeof *s->posterior);
    if (status == GMM_OK && (!s->mask || !s->posterior))
        status = gmm_fail(err, GMM_ERR_NOMEM, "out of memory imputing");
    if (status != GMM_OK) {
        state_free(s);
        return status;
    }
    s->cond_means = s->posterior + k;
    s->work = s->cond_means + k * d;
    s->chol = s->work + d;
    return GMM_OK;
}

/* Row x's posteriors and conditional means into s; 0 when the row is
 * complete. */
static int condition_row(impute_state *s, const gmm_params *p, const double *x,
                         gmm_status *status, gmm_error *err)
{
    size_t d = p->n_features;
    gmm_missing_pattern(x, d, s->mask);
    int any = 0;
    for (size_t w = 0; w < gmm_missing_words(d); w++)
        any |= s->mask[w] != 0;
    if (!any)
        return 0;
    *status = gmm_missing_factors_update(&s->factors, p, s->mask, err);
    if (*status != GMM_OK)
        return 0;
    gmm_missing_log_prob(&s->factors, p, x, s->posterior, s->cond_means, s->work);
    gmm_missing_normalize(s->posterior, p->n_components);
    return 1;
}

gmm_status gmm_impute(const gmm_model *model, const double *X, size_t n_rows,
                      size_t n_features, double *out, gmm_error *err)
{
    impute_state s;
    gmm_status status = state_alloc(&s, model, X, n_rows, n_features, err);
    const gmm_params *p = &model->params;
    for (size_t i = 0; status == GMM_OK && i < n_rows; i++) {
        const double *x = X + i * n_features;
        double *y = out + i * n_features;
        memmove(y, x, n_features * sizeof *y);
        if (!condition_row(&s, p, x, &status, err))
            continue;
        const gmm_missing_factors *f = &s.factors;
        for (size_t c = 0; c < f->n_mis; c++) {
            double v = 0.0;
            for (size_t k = 0; k < p->n_components; k++)
                v += s.posterior[k] * s.cond_means[k * f->n_mis + c];
            y[f->mis[c]] = v;
        }
    }
    state_free(&s);
    return status;
}

/* One draw of the missing entries of y under component k: the
 * conditional mean plus L e, L L^T the conditional covariance, e
 * standard normal. */
static gmm_status draw_missing(impute_state *s, size_t k, gmm_rng *rng,
                               double *y, gmm_error *err)
{
    const gmm_missing_factors *f = &s->factors;
    size_t nm = f->n_mis;
    int matrix;
    const double *C = gmm_missing_conditional_cov(f, k, &matrix);
    double *e = s->work;
    for (size_t c = 0; c < nm; c++)
        e[c] = gmm_rng_normal(rng);
    if (matrix) {
        memcpy(s->chol, C, nm * nm * sizeof *C);
        if (gmm_linalg_cholesky_unblocked(s->chol, nm))
            return gmm_fail(err, GMM_ERR_NUMERIC, "the conditional covariance "
                            "of component %zu given a row's observed entries is "
                            "not positive definite", k);
    }
    for (size_t c = 0; c < nm; c++) {
        double v = s->cond_means[k * nm + c];
        if (matrix)
            for (size_t a = 0; a <= c; a++)
                v += s->chol[c * nm + a] * e[a];
        else
            v += sqrt(C[c]) * e[c];
        y[f->mis[c]] = v;
    }
    return GMM_OK;
}

gmm_status gmm_impute_draws(const gmm_model *model, const double *X,
                            size_t n_rows, size_t n_features, size_t n_draws,
                            uint64_t seed, double *out, gmm_error *err)
{
    impute_state s;
    gmm_status status = state_alloc(&s, model, X, n_rows, n_features, err);
    const gmm_params *p = &model->params;
    size_t block = n_rows * n_features;
    for (size_t i = 0; status == GMM_OK && i < n_rows; i++) {
        const double *x = X + i * n_features;
        for (size_t t = 0; t < n_draws; t++)
            memcpy(out + t * block + i * n_features, x, n_features * sizeof *x);
        if (!condition_row(&s, p, x, &status, err))
            continue;
        gmm_rng rng;
        gmm_rng_seed(&rng, gmm_rng_hash(seed, i));
        for (size_t t = 0; status == GMM_OK && t < n_draws; t++) {
            /* The component: the first whose cumulative posterior passes
             * a uniform (the last, should rounding leave the sum short). */
            double u = gmm_rng_uniform(&rng), cumulative = 0.0;
            size_t k = 0;
            while (k + 1 < p->n_components &&
                   (cumulative += s.posterior[k]) <= u)
                k++;
            status = draw_missing(&s, k, &rng, out + t * block + i * n_features,
                                  err);
        }
    }
    state_free(&s);
    return status;
}
