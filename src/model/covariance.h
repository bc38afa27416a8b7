/*
 * covariance.h — the covariance models, one table entry each.
 *
 * Everything that differs between covariance models is said by its entry:
 * its name, how its covariances are stored (and so its precision factors,
 * its model-file shape, how the E-step reads it), which scatter its
 * M-step reads (and so which statistics kernel a pass runs), its free
 * parameters, and its M-step. The rest of the library reads the entry and
 * is written per kind of block (kernels/layout.h: a D x D matrix, D
 * variances or one variance; per component or shared), never per model:
 *   - a matrix block is factored by Cholesky, drawn by the E-step's
 *     triangular kernel, validated as symmetric positive definite;
 *   - a diagonal or scalar block is inverted value by value, drawn by the
 *     diagonal kernel, validated as positive.
 * Adding a model is adding its entry (covariance.c) and its M-step
 * (model/mstep.h); a model whose storage or statistics are blocks of a
 * new kind would add that kind to kernels/layout.h as well.
 */
#ifndef GMM_MODEL_COVARIANCE_H
#define GMM_MODEL_COVARIANCE_H

#include <stddef.h>

#include "gmm.h"

struct gmm_stats;

/* Covariances (in their storage layout) from statistics in the model's
 * statistics layout, given each component's move a_k = s_k / m_k of its
 * mean from its shift (moves, K x D) and m_total = sum_k m_k, where
 * m_k = nk + GMM_NK_EPSILON (model/mstep.h); reg_covar is added to every
 * variance. Fails (with err) only where the model needs memory, an
 * eigen-decomposition or a determinant of a singular scatter. */
typedef gmm_status (*gmm_mstep_fn)(const struct gmm_stats *stats,
                                   const double *moves, double m_total,
                                   double reg_covar, double *covariances,
                                   gmm_error *err);

typedef struct gmm_covariance_model {
    gmm_covariance_type type;
    const char *name;                   /* scikit-learn's, else mclust's   */
    const char *mclust_name;            /* mclust's modelName              */
    /* covariances and precisions_chol (scikit-learn's shapes; K D x D
     * matrices for the models scikit-learn lacks) */
    gmm_covariance_layout covariances;
    /* the scatter Q of the statistics (model/stats.h) the M-step reads */
    gmm_covariance_layout statistics;
    /* the precision factors as the E-step's kernels read them: the
     * storage's, or, for a model whose matrices are diagonal by
     * construction (EII, EEI, VEI, EVI), their diagonals (EII's one
     * value), which the diagonal kernel draws for a fraction of the
     * triangular kernel's work (bench/RESULTS.md note 33) */
    gmm_covariance_layout drawn;
    /* free parameters of the covariances (BIC, AIC), as scikit-learn
     * counts them, or mclust for the models scikit-learn lacks */
    size_t (*n_parameters)(const struct gmm_covariance_model *model,
                           size_t n_components, size_t n_features);
    gmm_mstep_fn mstep;
} gmm_covariance_model;

/* The entry of type, or NULL for a value that is no covariance type. */
const gmm_covariance_model *gmm_covariance_model_of(gmm_covariance_type type);

/* Doubles of a type's covariances (and precision factors). */
size_t gmm_covariance_size(gmm_covariance_type type, size_t n_components,
                           size_t n_features);

/* The covariances' array shape (the model file's nesting, numpy's shape):
 * dims[0 .. n) and the name of each dimension; returns n (1 to 3). */
int gmm_covariance_shape(gmm_covariance_type type, size_t n_components,
                         size_t n_features, size_t dims[3],
                         const char *names[3]);

#endif
