/*
 * axes.c — gmm_model_component_axes: the principal axes of a component's
 * covariance, from which pictures draw its 1-sigma and 2-sigma ellipses.
 * An ellipse drawn from anything else (the covariance's diagonal, say)
 * would be wrong as soon as the features correlate.
 */
#include <stdlib.h>

#include "linalg/linalg.h"
#include "model/model.h"
#include "util/error.h"

gmm_status gmm_model_component_axes(const gmm_model *model, size_t component,
                                    double *eigenvalues, double *eigenvectors,
                                    gmm_error *err)
{
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED,
                        "this model is not fitted yet; fit it or load one");
    const gmm_params *p = &model->params;
    if (component >= p->n_components)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "component %zu does not exist: the model has %zu",
                        component, p->n_components);
    size_t d = p->n_features;
    double *cov = malloc(d * d * sizeof *cov);
    if (!cov)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for a %zu x %zu "
                        "covariance", d, d);
    gmm_params_component_covariance(p, component, cov);
    int failed = gmm_linalg_symmetric_eigen(cov, d, eigenvalues, eigenvectors);
    free(cov);
    if (failed)
        return gmm_fail(err, failed < 0 ? GMM_ERR_NOMEM : GMM_ERR_NUMERIC,
                        "the eigen-decomposition of component %zu's "
                        "covariance failed", component);
    gmm_error_clear(err);
    return GMM_OK;
}
