/*
 * fit.c — gmm_fit: EM with n_init restarts and warm start, following
 * scikit-learn 1.2.1's BaseMixture.fit_predict step by step:
 *
 *   lower_bound = -inf (or the model's, on a warm start)
 *   for n_iter in 1..max_iter:
 *       E-step (its mean log-likelihood is the new lower bound), M-step
 *       converged when |lower_bound - previous| < tol (strictly)
 *   keep the run with the highest lower bound (the earlier on ties)
 *
 * so lower_bound is the E-step's value *before* the last M-step, n_iter
 * counts the converging iteration, and tol = 0 never converges.
 * The model is only changed when the whole fit succeeds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em/fit.h"
#include "em/init.h"
#include "em/missing_pass.h"
#include "em/pass.h"
#include "em/priors.h"
#include "kernels/dispatch.h"
#include "model/covariance.h"
#include "model/kernel_params.h"
#include "model/model.h"
#include "model/mstep.h"
#include "model/validate.h"
#include "model/variational.h"
#include "rows/check.h"
#include "util/error.h"

/* Everything one fit allocates, freed in one place. One set of
 * parameters, which each M-step overwrites (the E-step reads its own
 * rounded copy, estep), and a second, best, only where there are several
 * runs to choose from: the parameters are most of a fit's memory at
 * large K x D^2. A variational fit (weight_prior not NONE) also holds the
 * maximum-likelihood estimates each M-step updates the posterior from,
 * ml (its posterior: the priors), and their nk (K). */
typedef struct fit_state {
    gmm_params current, best, ml;
    double *nk;
    gmm_stats stats;
    gmm_stats missing;           /* over several processes: the rows with
                                    missing entries' own, summed apart */
    gmm_kernel_params estep;     /* current, as the E-step's kernels read it */
    gmm_stats_pass_work pass_work;  /* the E-steps' buffers, made once      */
} fit_state;

static void fit_state_free(fit_state *s)
{
    gmm_params_free(&s->current);
    gmm_params_free(&s->best);
    gmm_params_free(&s->ml);
    free(s->nk);
    gmm_stats_release(&s->stats);
    gmm_stats_release(&s->missing);
    gmm_kernel_params_free(&s->estep);
    gmm_stats_pass_work_free(&s->pass_work);
}

static gmm_status fit_state_alloc(fit_state *s, const gmm_options *o,
                                  const gmm_rows *rows, int n_init,
                                  gmm_error *err)
{
    size_t d = rows->n_features;
    size_t k = o->n_components;
    gmm_covariance_type t = o->covariance_type;
    gmm_status status;
    if ((status = gmm_params_alloc(&s->current, k, d, t, err)) != GMM_OK ||
        (n_init > 1 &&
         (status = gmm_params_alloc(&s->best, k, d, t, err)) != GMM_OK) ||
        (status = gmm_stats_alloc(&s->stats, k, d,
                                  gmm_covariance_model_of(t)->statistics,
                                  err)) != GMM_OK ||
        (rows->missing && rows->reducer &&
         (status = gmm_stats_alloc(&s->missing, k, d, s->stats.layout,
                                   err)) != GMM_OK))
        return status;
    if (o->weight_prior != GMM_WEIGHT_PRIOR_NONE) {
        gmm_weight_prior w = o->weight_prior;
        if ((status = gmm_params_alloc(&s->ml, k, d, t, err)) != GMM_OK ||
            (status = gmm_params_alloc_posterior(&s->ml, w, err)) != GMM_OK ||
            (status = gmm_params_alloc_posterior(&s->current, w, err)) != GMM_OK ||
            (n_init > 1 &&
             (status = gmm_params_alloc_posterior(&s->best, w, err)) != GMM_OK))
            return status;
        if (!(s->nk = malloc(k * sizeof *s->nk)))
            return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu counts", k);
    }
    /* The element type of the E-steps, chosen once for the fit. */
    return gmm_kernel_params_alloc(&s->estep, gmm_kernels_of(o->dtype), k, d,
                                   t, err);
}

static gmm_status check_explicit_init(const gmm_options *o, size_t n_rows,
                                      size_t d, gmm_error *err)
{
    size_t k = o->n_components;
    gmm_status status = GMM_OK;
    if (o->init_resp)
        status = gmm_validate_resp(o->init_resp, n_rows, k, err);
    if (status == GMM_OK && o->weights_init)
        status = gmm_validate_weights(o->weights_init, k, err);
    if (status == GMM_OK && o->means_init)
        status = gmm_validate_finite(o->means_init, k * d, "means_init", err);
    if (status == GMM_OK && o->precisions_init)
        status = gmm_validate_matrices(o->precisions_init, o->covariance_type, k,
                                       d, "precisions_init", err);
    if (status == GMM_OK && o->covariances_init)
        status = gmm_validate_matrices(o->covariances_init, o->covariance_type, k,
                                       d, "covariances_init", err);
    return status;
}

/* A variational fit's first posterior, into current from the
 * initialization's estimates in s->ml (scikit-learn's _initialize): their
 * weights are nk / the rows' weight. */
static gmm_status variational_start(fit_state *s, const gmm_rows *rows,
                                    gmm_error *err)
{
    for (size_t k = 0; k < s->ml.n_components; k++)
        s->nk[k] = s->ml.weights[k] * rows->weight_sum;
    return gmm_variational_update(&s->ml.posterior, s->nk, &s->ml, &s->current,
                                  err);
}

/* The E-step over the rows with missing entries, added to s->stats, on
 * one process directly (the in-memory fit's order of sums), over several
 * in statistics of their own, summed over the processes first (the
 * complete rows' were, in their pass). */
static gmm_status missing_estep(fit_state *s, const gmm_options *o,
                                const gmm_rows *rows, gmm_error *err)
{
    if (!rows->reducer)
        return gmm_missing_estep_pass(rows->missing, &s->current, o->n_threads,
                                      &s->stats, err);
    size_t shifts = s->stats.n_components * s->stats.n_features;
    gmm_stats_zero(&s->missing);
    memcpy(s->missing.shifts, s->stats.shifts, shifts * sizeof *s->stats.shifts);
    gmm_status status = gmm_missing_estep_pass(rows->missing, &s->current,
                                               o->n_threads, &s->missing, err);
    status = gmm_stats_sum_processes(rows, &s->missing, status, err);
    if (status == GMM_OK)
        gmm_stats_add(&s->stats, &s->missing);
    return status;
}

/* One EM iteration: E-step on current, M-step into current (a variational
 * fit: into ml, then the posterior's update from it into current).
 * Returns the E-step's mean log-likelihood in *lower_bound (a variational
 * fit: the evidence lower bound after the M-step). */
static gmm_status em_iteration(fit_state *s, const gmm_options *o,
                               const gmm_rows *rows, double *lower_bound,
                               gmm_error *err)
{
    /* The parameters rounded to the element type once per pass; the
     * statistics come shifted by the rounded means, which the M-step must
     * know. */
    gmm_kernel_params_set(&s->estep, &s->current);
    gmm_status status = gmm_estep_pass(rows, &s->estep, o->n_threads,
                                       &s->pass_work, &s->stats, err);
    /* Rows with missing entries, held apart, in double. */
    if (status == GMM_OK && rows->missing)
        status = missing_estep(s, o, rows, err);
    if (status != GMM_OK)
        return status;
    double resp_log_resp = 0.0;
    if (o->weight_prior == GMM_WEIGHT_PRIOR_NONE) {
        status = gmm_mstep_params(&s->stats, o, &s->current, err);
    } else {
        resp_log_resp = gmm_variational_resp_log_resp(&s->current, &s->stats);
        for (size_t k = 0; k < s->stats.n_components; k++)
            s->nk[k] = s->stats.nk[k] + GMM_NK_EPSILON;
        status = gmm_mstep(&s->stats, s->stats.shifts, o, 0.0, &s->ml, err);
        if (status == GMM_OK)
            status = gmm_variational_update(&s->ml.posterior, s->nk, &s->ml,
                                            &s->current, err);
    }
    if (status != GMM_OK)
        return status;
    *lower_bound = o->weight_prior == GMM_WEIGHT_PRIOR_NONE
                       ? s->stats.log_likelihood / rows->weight_sum
                       : gmm_variational_lower_bound(&s->current, resp_log_resp);
    return GMM_OK;
}

/* The run just done is the best so far: into best, where there are
 * runs to come; a single run's best is current itself. */
static void keep_best(fit_state *s, int n_init)
{
    if (n_init > 1)
        gmm_params_copy(&s->best, &s->current);
}

/* What the data must satisfy before any pass: K <= N, and on a warm start
 * the model's width. */
static gmm_status check_shape(const gmm_model *model, size_t n_rows,
                              size_t n_features, gmm_error *err)
{
    size_t n_comp = model->options.n_components;
    if (n_rows < n_comp)
        return gmm_fail(err, GMM_ERR_DATA,
                        "expected n_samples >= n_components but got "
                        "n_components = %zu, n_samples = %zu; use fewer "
                        "components or more data", n_comp, n_rows);
    if (model->options.warm_start && model->fitted &&
        n_features != model->params.n_features)
        return gmm_fail(err, GMM_ERR_DATA,
                        "warm start: the model has %zu features but the data "
                        "have %zu", model->params.n_features, n_features);
    if (model->options.warm_start && model->fitted &&
        model->params.posterior.weight_prior != model->options.weight_prior)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "warm start: the model was fitted with weight prior %s, "
                        "the options ask for %s",
                        gmm_weight_prior_name(model->params.posterior.weight_prior),
                        gmm_weight_prior_name(model->options.weight_prior));
    return GMM_OK;
}

gmm_status gmm_fit_rows(gmm_model *model, const gmm_rows *rows,
                        const gmm_kmeans_starts *starts, gmm_error *err)
{
    const gmm_options *o = &model->options;
    size_t n_features = rows->n_features;
    /* The initializers read rows with missing entries filled in. */
    const gmm_rows *init_rows = rows->missing ? &rows->missing->all : rows;
    int warm = o->warm_start && model->fitted;
    fit_state s = {0};
    int n_init = warm ? 1 : o->n_init;
    gmm_status status = check_shape(model, rows->total_rows, n_features, err);
    if (status == GMM_OK && !warm)
        status = check_explicit_init(o, rows->total_rows, n_features, err);
    if (status == GMM_OK)
        status = fit_state_alloc(&s, o, rows, n_init, err);
    if (status == GMM_OK && s.ml.posterior.storage)
        status = gmm_variational_priors(o, rows, &s.ml.posterior, err);

    double max_lower_bound = -INFINITY;
    int converged = 0, best_n_iter = 0;
    for (int init = 0; status == GMM_OK && init < n_init; init++) {
        /* A variational fit's first posterior: scikit-learn's _initialize
         * from the initialization's estimates; a warm start keeps the
         * model's posterior, under this fit's priors. */
        if (warm) {
            gmm_params_copy(&s.current, &model->params);
        } else {
            gmm_params *first = s.ml.posterior.storage ? &s.ml : &s.current;
            status = gmm_initialize(o, init_rows, gmm_initialize_seed(o, init),
                                    starts, first, err);
            if (status == GMM_OK && first == &s.ml)
                status = variational_start(&s, rows, err);
        }
        if (status != GMM_OK)
            break;
        double lower_bound = warm ? model->lower_bound : -INFINITY;
        if (o->max_iter == 0) {
            /* scikit-learn keeps the last run's initial parameters. */
            keep_best(&s, n_init);
            best_n_iter = 0;
            continue;
        }
        int n_iter;
        for (n_iter = 1; n_iter <= o->max_iter; n_iter++) {
            double previous = lower_bound;
            status = em_iteration(&s, o, rows, &lower_bound, err);
            if (status != GMM_OK)
                break;
            double change = lower_bound - previous;
            int done = fabs(change) < o->tol;
            if (o->progress) {
                gmm_progress p = {init, n_iter, lower_bound, change, done,
                                  s.current.weights, s.current.means,
                                  s.current.covariances};
                if (o->progress(&p, o->progress_user_data)) {
                    status = gmm_fail(err, GMM_ERR_INTERRUPTED,
                                      "the fit was interrupted at iteration %d",
                                      n_iter);
                    break;
                }
            }
            if (done) {
                converged = 1;
                break;
            }
        }
        if (status != GMM_OK)
            break;
        if (n_iter > o->max_iter)
            n_iter = o->max_iter;
        if (lower_bound > max_lower_bound || max_lower_bound == -INFINITY) {
            max_lower_bound = lower_bound;
            keep_best(&s, n_init);
            best_n_iter = n_iter;
        }
    }

    /* Over several processes the last agreement: one may have failed
     * after the last sum (its progress callback stopped it), and no model
     * may change unless every process's does. */
    status = gmm_reducer_agree(rows->reducer, status, err);
    if (status == GMM_OK) {
        gmm_params *best = n_init > 1 ? &s.best : &s.current;
        gmm_params swap = model->params;
        model->params = *best;
        *best = swap;
        model->fitted = 1;
        gmm_model_set_fit_info(model, converged, best_n_iter, max_lower_bound);
        gmm_error_clear(err);
    }
    fit_state_free(&s);
    return status;
}

gmm_status gmm_fit(gmm_model *model, const double *X, size_t n_rows,
                   size_t n_features, const double *sample_weight,
                   gmm_error *err)
{
    return model->options.missing == GMM_MISSING_MARGINALIZE
               ? gmm_fit_missing(model, X, n_rows, n_features, sample_weight, err)
               : gmm_fit_memory(model, X, n_rows, n_features, sample_weight, err);
}

gmm_status gmm_fit_memory(gmm_model *model, const double *X, size_t n_rows,
                          size_t n_features, const double *sample_weight,
                          gmm_error *err)
{
    gmm_rows rows;
    double *owned_weights = NULL;
    gmm_status status = check_shape(model, n_rows, n_features, err);
    if (status == GMM_OK)
        status = gmm_rows_init(&rows, X, n_rows, n_features, sample_weight, 2,
                               model->options.n_threads, &owned_weights, err);
    if (status == GMM_OK)
        status = gmm_fit_rows(model, &rows, NULL, err);
    free(owned_weights);
    return status;
}
