/*
 * log_prob.h — log-densities of a transposed chunk of rows under the
 * mixture, and the log-sum-exp that turns them into responsibilities:
 * the E-step's kernels, also behind predict, predict_proba and score.
 */
#ifndef GMM_MODEL_LOG_PROB_H
#define GMM_MODEL_LOG_PROB_H

#include "model/params.h"

/* log_prob[k * GMM_LANE_STRIDE + i] = log weights[k] + log N(x_i | mean_k,
 * cov_k) on a transposed chunk (kernels/chunk.h), for k < K and
 * i < gmm_lanes(n_rows) (the padded rows' values are meaningless).
 * log_weights holds log(weights), computed once per pass. work holds
 * gmm_chunk_log_prob_work_size doubles. */
size_t gmm_chunk_log_prob_work_size(const gmm_params *params);
void gmm_chunk_log_prob(const gmm_params *params, const double *log_weights,
                        const double *XT, size_t n_rows, double *log_prob,
                        double *work);
/* Responsibilities in place of log_prob (padded rows set to 0), and
 * log_norm[i] = log sum_k exp(log_prob) for each of the gmm_lanes(n_rows)
 * rows. */
void gmm_chunk_normalize(double *log_prob, size_t n_rows, size_t n_components,
                         double *log_norm);

/* The float32 E-step's log-densities from a float chunk
 * (gmm_chunk_transpose_f32 around params->origin), in float, relative to
 * the constant returned: row i's log-density under component k is that
 * constant + log_prob[k * GMM_LANE_STRIDE + i] (kernels/log_sum_exp.h says
 * why). */
double gmm_chunk_log_prob_f32(const gmm_params_f32 *params,
                              const double *log_weights, const float *XT,
                              size_t n_rows, float *log_prob);
/* Its log-sum-exp, as gmm_chunk_normalize: float responsibilities in
 * place of log_prob (0 on padded rows), log_norm in double, with the
 * constant shift added. */
void gmm_chunk_normalize_f32(float *log_prob, size_t n_rows, size_t n_comp,
                             double shift, double *log_norm);

#endif
