/*
 * predict.c — predict, predict_proba, score_samples, score, bic, aic: one
 * parallel pass over the rows (evaluate) serves them all.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/model.h"
#include "util/blocks.h"
#include "util/error.h"

/* What one pass produces; every pointer may be NULL. */
typedef struct evaluation {
    int *labels;       /* n_rows: argmax of the weighted log-probabilities */
    double *proba;     /* n_rows x K: responsibilities                    */
    double *log_norm;  /* n_rows: log p(x)                                */
    double *log_sum;   /* 1: sum of log p(x), summed in a fixed order     */
} evaluation;

static gmm_status check_usable(const gmm_model *model, const double *X,
                               size_t n_rows, size_t n_features, gmm_error *err)
{
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED,
                        "this model is not fitted yet; fit it or load one");
    if (n_features != model->params.n_features)
        return gmm_fail(err, GMM_ERR_DATA,
                        "X has %zu features, but the model is expecting %zu "
                        "features as input", n_features,
                        model->params.n_features);
    if (n_rows < 1)
        return gmm_fail(err, GMM_ERR_DATA, "no data rows");
    return gmm_validate_data(X, n_rows, n_features, err);
}

/* A row whose density is below the range under every component has no
 * most probable component and no responsibilities: predict and
 * predict_proba name the first, as scikit-learn would give label 0 and
 * NaN without a word. *far is the block's first such row (SIZE_MAX:
 * none). */
static void find_far(const double *log_norm, size_t begin, size_t rows,
                     size_t *far)
{
    for (size_t i = 0; i < rows && *far == SIZE_MAX; i++)
        if (log_norm[i] == -INFINITY)
            *far = begin + i;
}

static void evaluate_chunk(const gmm_params *p, const double *log_weights,
                           const double *X, size_t begin, size_t end,
                           double *log_prob, double *log_norm, double *work,
                           const evaluation *out, double *block_sum,
                           size_t *far)
{
    size_t n_comp = p->n_components, rows = end - begin;
    gmm_weighted_log_prob(p, log_weights, X + begin * p->n_features, rows,
                          log_prob, work);
    if (out->labels)
        for (size_t i = 0; i < rows; i++) {
            const double *row = log_prob + i * n_comp;
            size_t best = 0;
            for (size_t k = 1; k < n_comp; k++)
                if (row[k] > row[best])
                    best = k;
            out->labels[begin + i] = (int)best;
        }
    gmm_normalize_log_prob(log_prob, rows, n_comp, log_norm);
    if (out->labels || out->proba)
        find_far(log_norm, begin, rows, far);
    for (size_t i = 0; i < rows; i++) {
        if (out->log_norm)
            out->log_norm[begin + i] = log_norm[i];
        *block_sum += log_norm[i];
        if (out->proba)
            for (size_t k = 0; k < n_comp; k++)
                out->proba[(begin + i) * n_comp + k] = log_prob[i * n_comp + k];
    }
}

static gmm_status evaluate(const gmm_model *model, const double *X,
                           size_t n_rows, size_t n_features,
                           const evaluation *out, gmm_error *err)
{
    gmm_status status = check_usable(model, X, n_rows, n_features, err);
    if (status != GMM_OK)
        return status;
    const gmm_params *p = &model->params;
    size_t n_comp = p->n_components;
    gmm_blocks blocks = gmm_blocks_plan(n_rows, GMM_MAX_BLOCKS);
    double *block_sums = calloc(blocks.n_blocks, sizeof *block_sums);
    size_t *far = malloc(blocks.n_blocks * sizeof *far);
    double *log_weights = malloc(n_comp * sizeof *log_weights);
    int failed = !block_sums || !far || !log_weights;
    for (size_t b = 0; far && b < blocks.n_blocks; b++)
        far[b] = SIZE_MAX;
    if (!failed) {
        gmm_params_log_weights(p, log_weights);
        size_t scratch = GMM_CHUNK_ROWS * (n_comp + 1) +
                         gmm_log_prob_work_size(p, GMM_CHUNK_ROWS);
#pragma omp parallel num_threads(gmm_threads(model->options.n_threads))
        {
            double *buffer = malloc(scratch * sizeof *buffer);
            if (!buffer) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 1)
            for (size_t b = 0; b < blocks.n_blocks; b++) {
                if (!buffer)
                    continue;
                size_t begin, end;
                gmm_blocks_range(&blocks, b, &begin, &end);
                for (size_t at = begin; at < end; at += GMM_CHUNK_ROWS) {
                    size_t stop = at + GMM_CHUNK_ROWS < end ? at + GMM_CHUNK_ROWS : end;
                    evaluate_chunk(p, log_weights, X, at, stop, buffer,
                                   buffer + GMM_CHUNK_ROWS * n_comp,
                                   buffer + GMM_CHUNK_ROWS * (n_comp + 1), out,
                                   &block_sums[b], &far[b]);
                }
            }
            free(buffer);
        }
    }
    if (!failed && out->log_sum) {
        double sum = 0.0;
        for (size_t b = 0; b < blocks.n_blocks; b++)
            sum += block_sums[b];
        *out->log_sum = sum;
    }
    size_t first_far = SIZE_MAX;
    for (size_t b = 0; !failed && b < blocks.n_blocks && first_far == SIZE_MAX; b++)
        first_far = far[b];
    free(block_sums);
    free(far);
    free(log_weights);
    if (failed)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory evaluating %zu rows",
                        n_rows);
    if (first_far != SIZE_MAX)
        return gmm_fail(err, GMM_ERR_DATA, "row %zu (counted from 0) is too far "
                        "from every component: its density under each is below "
                        "the smallest double, so none is more probable than "
                        "another (its log-likelihood is -inf)", first_far);
    gmm_error_clear(err);
    return GMM_OK;
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
