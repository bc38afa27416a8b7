/*
 * predict.c — predict, predict_proba, score_samples, score, bic, aic: one
 * parallel pass over the rows (evaluate) serves them all.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernels/chunk.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "model/kernel_params.h"
#include "model/missing.h"
#include "model/model.h"
#include "model/scoring.h"
#include "rows/check.h"
#include "rows/missing.h"
#include "rows/runner.h"
#include "util/blocks.h"
#include "util/error.h"

/* What one pass produces; every pointer may be NULL. */
typedef struct evaluation {
    int *labels;       /* n_rows: argmax of the weighted log-probabilities */
    double *proba;     /* n_rows x K: responsibilities                    */
    double *log_norm;  /* n_rows: log p(x)                                */
    double *log_sum;   /* 1: sum of log p(x), summed in a fixed order     */
} evaluation;

static gmm_status check_usable(const gmm_model *model, const gmm_rows *rows,
                               gmm_error *err)
{
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED,
                        "this model is not fitted yet; fit it or load one");
    if (rows->n_features != model->params.n_features)
        return gmm_fail(err, GMM_ERR_DATA,
                        "X has %zu features, but the model is expecting %zu "
                        "features as input", rows->n_features,
                        model->params.n_features);
    if (rows->n_rows < 1)
        return gmm_fail(err, GMM_ERR_DATA, "no data rows");
    if (model->options.missing == GMM_MISSING_MARGINALIZE) {
        size_t n_missing;
        return gmm_missing_scan(rows->X, rows->n_rows, rows->n_features,
                                &n_missing, err);
    }
    return gmm_rows_check_finite(rows, model->options.n_threads, GMM_OK, err);
}

/* The pass: each block's sum of log p(x) in block_sums, and its first
 * row whose density is below the range under every component in far
 * (SIZE_MAX: none). Such a row has no most probable component and no
 * responsibilities: predict and predict_proba name the first, as
 * scikit-learn would give label 0 and NaN without a word. */
typedef struct evaluation_run {
    const gmm_kernel_params *params;
    const gmm_params *src;
    const evaluation *out;
    double *block_sums;
    size_t *far;
    /* Where rows may have missing entries: each block's factors of the
     * pattern it is on (model/missing.h), and its failure. */
    gmm_missing_factors *factors;
    gmm_error *errors;
} evaluation_run;

/* scratch: the chunk's log-probabilities (GMM_CHUNK_ROWS x K), its
 * log_norm (GMM_CHUNK_ROWS), then gmm_scoring_log_prob's work, or a
 * pattern and a row's work where rows have missing entries. */
static size_t evaluation_scratch_size(const gmm_kernel_params *params)
{
    size_t work = gmm_scoring_work_size(params);
    size_t d = params->n_features, missing = gmm_missing_words(d) + d;
    return GMM_CHUNK_ROWS * (params->n_components + 1) +
           (work > missing ? work : missing);
}

/* The rows of the chunk with missing entries: their log-probabilities
 * from their observed entries' marginals, in place of the kernels'
 * (NaN). False after a failure, described in run->errors[b]. */
static int marginalize_chunk(const evaluation_run *run, size_t b,
                             const double *X, size_t n_rows, double *log_prob,
                             double *work)
{
    gmm_missing_factors *f = &run->factors[b];
    size_t d = run->src->n_features, n_comp = run->src->n_components;
    uint64_t *mask = (uint64_t *)work;
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = X + i * d;
        gmm_missing_pattern(x, d, mask);
        int any = 0;
        for (size_t w = 0; w < gmm_missing_words(d); w++)
            any |= mask[w] != 0;
        if (!any)
            continue;
        if (!f->storage &&
            gmm_missing_factors_alloc(f, run->src->covariance_type, n_comp, d,
                                      &run->errors[b]) != GMM_OK)
            return 0;
        if (gmm_missing_factors_update(f, run->src, mask, &run->errors[b]) != GMM_OK)
            return 0;
        gmm_missing_log_prob(f, run->src, x, log_prob + i * n_comp, NULL,
                             work + gmm_missing_words(d));
    }
    return 1;
}

static void evaluate_begin(void *context, size_t b)
{
    evaluation_run *run = context;
    run->far[b] = SIZE_MAX;
}

static void evaluate_chunk(void *context, size_t b, const double *X,
                           size_t first, size_t n_rows, double *scratch)
{
    const evaluation_run *run = context;
    const gmm_kernel_params *p = run->params;
    const evaluation *out = run->out;
    size_t n_comp = p->n_components;
    double *log_prob = scratch, *log_norm = scratch + GMM_CHUNK_ROWS * n_comp;
    gmm_scoring_log_prob(p, run->src, X, n_rows, log_prob,
                         log_norm + GMM_CHUNK_ROWS);
    if (run->factors && (run->errors[b].status != GMM_OK ||
                         !marginalize_chunk(run, b, X, n_rows, log_prob,
                                            log_norm + GMM_CHUNK_ROWS)))
        return;
    if (out->labels)
        for (size_t i = 0; i < n_rows; i++) {
            const double *row = log_prob + i * n_comp;
            size_t best = 0;
            for (size_t k = 1; k < n_comp; k++)
                if (row[k] > row[best])
                    best = k;
            out->labels[first + i] = (int)best;
        }
    gmm_scoring_normalize(log_prob, n_rows, n_comp, log_norm);
    for (size_t i = 0; (out->labels || out->proba) && i < n_rows &&
                       run->far[b] == SIZE_MAX; i++)
        if (log_norm[i] == -INFINITY)
            run->far[b] = first + i;
    double sum = run->block_sums[b];
    for (size_t i = 0; i < n_rows; i++) {
        if (out->log_norm)
            out->log_norm[first + i] = log_norm[i];
        sum += log_norm[i];
        if (out->proba)
            for (size_t k = 0; k < n_comp; k++)
                out->proba[(first + i) * n_comp + k] = log_prob[i * n_comp + k];
    }
    run->block_sums[b] = sum;
}

static gmm_status evaluate(const gmm_model *model, const double *X,
                           size_t n_rows, size_t n_features,
                           const evaluation *out, gmm_error *err)
{
    gmm_rows rows = gmm_rows_of_memory(X, n_rows, n_features);
    gmm_status status = check_usable(model, &rows, err);
    if (status != GMM_OK)
        return status;
    /* Scoring is float64 whatever the fit's dtype. */
    const gmm_params *p = &model->params;
    gmm_kernel_params params;
    status = gmm_kernel_params_alloc(&params, gmm_kernels_of(GMM_DTYPE_FLOAT64),
                                     p->n_components, p->n_features,
                                     p->covariance_type, err);
    if (status != GMM_OK)
        return status;
    gmm_kernel_params_set(&params, p);
    gmm_pass pass = {.rows = &rows,
                     .blocks = gmm_blocks_plan(n_rows, GMM_MAX_BLOCKS),
                     .n_threads = model->options.n_threads,
                     .row_cost = (double)p->n_components * (double)n_features,
                     .scratch_size = evaluation_scratch_size(&params),
                     .begin = evaluate_begin,
                     .chunk = evaluate_chunk};
    size_t n_blocks = pass.blocks.n_blocks;
    int marginalize = model->options.missing == GMM_MISSING_MARGINALIZE;
    evaluation_run run = {&params, p, out,
                          calloc(n_blocks, sizeof *run.block_sums),
                          malloc(n_blocks * sizeof *run.far),
                          marginalize ? calloc(n_blocks, sizeof *run.factors) : NULL,
                          marginalize ? calloc(n_blocks, sizeof *run.errors) : NULL};
    pass.context = &run;
    status = run.block_sums && run.far &&
                     (!marginalize || (run.factors && run.errors))
                 ? gmm_run_pass(&pass, NULL, err)
                 : gmm_fail(err, GMM_ERR_NOMEM, "out of memory evaluating %zu "
                            "rows", n_rows);
    for (size_t b = 0; marginalize && run.errors && b < n_blocks; b++)
        if (status == GMM_OK && run.errors[b].status != GMM_OK) {
            *err = run.errors[b];
            status = err->status;
        }
    if (status == GMM_OK && out->log_sum) {
        double sum = 0.0;
        for (size_t b = 0; b < n_blocks; b++)
            sum += run.block_sums[b];
        *out->log_sum = sum;
    }
    size_t first_far = SIZE_MAX;
    for (size_t b = 0; status == GMM_OK && b < n_blocks && first_far == SIZE_MAX; b++)
        first_far = run.far[b];
    if (first_far != SIZE_MAX)
        status = gmm_fail(err, GMM_ERR_DATA, "row %zu (counted from 0) is too "
                          "far from every component: its density under each "
                          "is below the smallest double, so none is more "
                          "probable than another (its log-likelihood is -inf)",
                          first_far);
    gmm_kernel_params_free(&params);
    for (size_t b = 0; run.factors && b < n_blocks; b++)
        gmm_missing_factors_free(&run.factors[b]);
    free(run.factors);
    free(run.errors);
    free(run.block_sums);
    free(run.far);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}

gmm_status gmm_predict(const gmm_model *model, const double *X, size_t n_rows,
                       size_t n_features, int *labels, gmm_error *err)
{
    evaluation out = {labels, NULL, NULL, NULL};
    return evaluate(model, X, n_rows, n_features, &out, err);
}

gmm_status gmm_predict_proba(const gmm_model *model, const double *X,
                             size_t n_rows, size_t n_features, double *proba,
                             gmm_error *err)
{
    evaluation out = {NULL, proba, NULL, NULL};
    return evaluate(model, X, n_rows, n_features, &out, err);
}

gmm_status gmm_score_samples(const gmm_model *model, const double *X,
                             size_t n_rows, size_t n_features,
                             double *log_prob, gmm_error *err)
{
    evaluation out = {NULL, NULL, log_prob, NULL};
    return evaluate(model, X, n_rows, n_features, &out, err);
}

gmm_status gmm_score(const gmm_model *model, const double *X, size_t n_rows,
                     size_t n_features, double *mean_log_prob, gmm_error *err)
{
    double sum = 0.0;
    evaluation out = {NULL, NULL, NULL, &sum};
    gmm_status status = evaluate(model, X, n_rows, n_features, &out, err);
    if (status == GMM_OK)
        *mean_log_prob = sum / (double)n_rows;
    return status;
}

/* -2 log L + penalty * n_parameters, as scikit-learn's bic and aic. */
static gmm_status criterion(const gmm_model *model, const double *X,
                            size_t n_rows, size_t n_features, double penalty,
                            double *value, gmm_error *err)
{
    double score;
    gmm_status status = gmm_score(model, X, n_rows, n_features, &score, err);
    if (status == GMM_OK)
        *value = -2.0 * score * (double)n_rows +
                 (double)gmm_n_parameters(model) * penalty;
    return status;
}

gmm_status gmm_bic(const gmm_model *model, const double *X, size_t n_rows,
                   size_t n_features, double *bic, gmm_error *err)
{
    return criterion(model, X, n_rows, n_features, log((double)n_rows), bic,
                     err);
}

gmm_status gmm_aic(const gmm_model *model, const double *X, size_t n_rows,
                   size_t n_features, double *aic, gmm_error *err)
{
    return criterion(model, X, n_rows, n_features, 2.0, aic, err);
}
