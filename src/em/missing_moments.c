/*
 * missing_moments.c — completed rows' statistics from the rows' own
 * (missing_moments.h).
 */
#include "em/missing_moments.h"

#include "kernels/layout.h"

gmm_covariance_layout gmm_missing_moments_layout(gmm_covariance_layout layout)
{
    gmm_covariance_layout per_component = {
        gmm_layout_is_matrix(layout) ? GMM_COVARIANCE_BLOCK_MATRIX
                                     : GMM_COVARIANCE_BLOCK_DIAGONAL,
        0};
    return per_component;
}

/* The cost model, per component: completing the rows costs n_rows n_mis D
 * multiply-adds (n_rows n_mis with variance blocks), a conversion of the
 * rows and a one-component accumulation; the moments cost
 * n_obs n_mis (n_obs + n_mis) = n_obs n_mis D (n_mis with variance
 * blocks) and their share of one accumulation for all K, which costs no
 * more than the K one-component ones. So the moments pay once
 * n_rows > n_obs (n_rows > 1 with variance blocks); the conversions and
 * accumulation calls they save only move that further their way. */
int gmm_missing_moments_pay(const gmm_missing_factors *f,
                            gmm_covariance_layout layout, size_t n_rows)
{
    int matrix = gmm_layout_is_matrix(f->layout);
    /* Variance statistics have no room for B's cross terms. */
    if (matrix && !gmm_layout_is_matrix(layout))
        return 0;
    return n_rows > (matrix ? f->n_obs : 1);
}

/* S's (j, l) entry, of a matrix block that holds its upper triangle. */
static double upper(const double *S, size_t d, size_t j, size_t l)
{
    return j <= l ? S[j * d + l] : S[l * d + j];
}

/* observed's component k (a matrix block) completed in place: its
 * entries with a missing coordinate replaced as missing_moments.h says.
 * R: B spread over all features (model/missing.h), NULL for B = 0. */
static void complete_matrix(gmm_stats *observed, const gmm_missing_factors *f,
                            size_t k, const double *R, const double *beta,
                            double *work)
{
    size_t d = f->n_features, no = f->n_obs, nm = f->n_mis;
    double N = observed->nk[k], *S1 = observed->sk + k * d;
    double *S2 = observed->qk + k * d * d;
    double *T = work, *u = T + d * nm;  /* T: S2 R^T at the observed */
    for (size_t c = 0; c < nm; c++) {
        double v = 0.0;
        for (size_t a = 0; R && a < no; a++)
            v += R[c * d + f->obs[a]] * S1[f->obs[a]];
        u[c] = v;
    }
    for (size_t a = 0; a < no; a++)
        for (size_t c = 0; c < nm; c++) {
            double v = 0.0;
            for (size_t b = 0; R && b < no; b++)
                v += upper(S2, d, f->obs[a], f->obs[b]) * R[c * d + f->obs[b]];
            T[a * nm + c] = v;
        }
    for (size_t a = 0; a < no; a++) {
        size_t j = f->obs[a];
        for (size_t c = 0; c < nm; c++) {
            size_t m = f->mis[c];
            double v = T[a * nm + c] + beta[c] * S1[j];
            S2[j < m ? j * d + m : m * d + j] = v;
        }
    }
    /* mis is ascending, so (c, e) with c <= e is the upper triangle. */
    for (size_t c = 0; c < nm; c++)
        for (size_t e = c; e < nm; e++) {
            double v = 0.0;
            for (size_t a = 0; R && a < no; a++)
                v += R[c * d + f->obs[a]] * T[a * nm + e];
            v += beta[e] * u[c] + beta[c] * u[e] + N * beta[c] * beta[e];
            S2[f->mis[c] * d + f->mis[e]] = v;
        }
    for (size_t c = 0; c < nm; c++)
        S1[f->mis[c]] = u[c] + N * beta[c];
}

/* The same for a diagonal block (B = 0). */
static void complete_diagonal(gmm_stats *observed, const gmm_missing_factors *f,
                              size_t k, const double *beta)
{
    size_t d = f->n_features;
    double N = observed->nk[k];
    for (size_t c = 0; c < f->n_mis; c++) {
        observed->sk[k * d + f->mis[c]] = N * beta[c];
        observed->qk[k * d + f->mis[c]] = N * beta[c] * beta[c];
    }
}

/* Component k's completed block of observed into dst's, reduced as dst's
 * layout says. */
static void add_block(gmm_stats *dst, const gmm_stats *observed, size_t k)
{
    size_t d = dst->n_features;
    double *q = dst->qk + gmm_layout_block_of(dst->layout, k) *
                              gmm_layout_block_size(dst->layout, d);
    dst->nk[k] += observed->nk[k];
    for (size_t j = 0; j < d; j++)
        dst->sk[k * d + j] += observed->sk[k * d + j];
    if (gmm_layout_is_matrix(dst->layout)) {
        const double *S2 = observed->qk + k * d * d;
        for (size_t j = 0; j < d; j++)
            for (size_t l = j; l < d; l++)
                q[j * d + l] += S2[j * d + l];
        return;
    }
    const double *diagonal = observed->qk + k * d;
    if (dst->layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL) {
        for (size_t j = 0; j < d; j++)
            q[j] += diagonal[j];
    } else {
        double trace = 0.0;
        for (size_t j = 0; j < d; j++)
            trace += diagonal[j];
        q[0] += trace;
    }
}

void gmm_missing_moments_add(gmm_stats *dst, gmm_stats *observed,
                             const gmm_missing_factors *f, double *work)
{
    size_t d = f->n_features, nm = f->n_mis;
    int matrix = gmm_layout_is_matrix(f->layout);
    double *beta = work + d * (d + 1);
    for (size_t k = 0; k < dst->n_components; k++) {
        const double *R = matrix ? f->spread + gmm_layout_block_of(f->layout, k) *
                                                   d * d
                                 : NULL;
        const double *shift = dst->shifts + k * d;
        for (size_t c = 0; c < nm; c++) {
            double v = f->constants[k * d + c] - shift[f->mis[c]];
            for (size_t a = 0; R && a < f->n_obs; a++)
                v += R[c * d + f->obs[a]] * shift[f->obs[a]];
            beta[c] = v;
        }
        if (gmm_layout_is_matrix(observed->layout))
            complete_matrix(observed, f, k, R, beta, work);
        else
            complete_diagonal(observed, f, k, beta);
        add_block(dst, observed, k);
    }
}
