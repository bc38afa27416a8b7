/*
 * scoring.h — a chunk's log-densities as the scoring calls (predict,
 * predict_proba, score_samples, score) read them: the E-step's kernels in
 * double, row-major, with the values they could not hold recomputed, and
 * the log-sum-exp in libm's exp and log.
 *
 * The E-step has its own log-sum-exp in the kernels (a vector exp): the
 * two agree to an ulp or so, and scoring keeps libm's so that its
 * published results stay what they were (a change that may move them
 * could fold the two).
 */
#ifndef GMM_MODEL_SCORING_H
#define GMM_MODEL_SCORING_H

#include "kernels/kernels.h"
#include "model/params.h"

/* Doubles of work gmm_scoring_log_prob needs for a chunk of at most
 * GMM_CHUNK_ROWS rows. */
size_t gmm_scoring_work_size(const gmm_kernel_params *params);

/* log_prob[i*K + k] = log weights[k] + log N(x_i | mean_k, cov_k) for a
 * chunk of n_rows <= GMM_CHUNK_ROWS rows X, under params (float64
 * kernels) made from src. */
void gmm_scoring_log_prob(const gmm_kernel_params *params,
                          const gmm_params *src, const double *X,
                          size_t n_rows, double *log_prob, double *work);

/* For each row of log_prob (n_rows x K): log_norm[i] = logsumexp of the
 * row; the row is replaced by exp(row - log_norm[i]), the
 * responsibilities (NaN when every value is -inf: log_norm[i] is then
 * -inf). */
void gmm_scoring_normalize(double *log_prob, size_t n_rows,
                           size_t n_components, double *log_norm);

#endif
