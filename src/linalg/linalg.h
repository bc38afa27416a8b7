/*
 * linalg.h — the dense linear algebra EM needs, thin over LAPACK.
 *
 * All matrices are d x d, row-major, double. LAPACK is column-major; a
 * row-major symmetric matrix is its own transpose, so we hand LAPACK the
 * opposite triangle ('U' for our lower) instead of copying.
 */
#ifndef GMM_LINALG_H
#define GMM_LINALG_H

#include <stddef.h>

/* In place: a = L L^T, L lower triangular (upper triangle set to zero).
 * Returns 0, or the 1-based order of the first leading minor that is not
 * positive definite (a is then unspecified). */
int gmm_linalg_cholesky(double *a, size_t d);

/* gmm_linalg_cholesky by LAPACK's unblocked algorithm (dpotf2) in plain
 * loops, without calling LAPACK: for the many small factors of one pass
 * (model/missing.c), where OpenBLAS's lock and buffer per call would cost
 * more than the arithmetic (bench/RESULTS.md note 16). */
int gmm_linalg_cholesky_unblocked(double *a, size_t d);

/* scikit-learn's precision Cholesky factor: with cov = L L^T, writes the
 * upper triangular U = L^-T, so that precision = U U^T and
 * (x - mu)^T precision (x - mu) = |(x - mu)^T U|^2. `work` holds d*d.
 * Returns 0 or, as gmm_linalg_cholesky, the failing minor. */
int gmm_linalg_precision_cholesky(const double *cov, size_t d, double *u,
                                  double *work);

/* inv = a^-1 for a symmetric positive definite a (both triangles written).
 * Returns 0 or the failing minor. */
int gmm_linalg_spd_inverse(const double *a, size_t d, double *inv);

/* sum of log(diag(t)) of a triangular factor: log|det t|. */
double gmm_linalg_log_det_triangular(const double *t, size_t d);

/* Copy the upper triangle of a into the lower one. */
void gmm_linalg_symmetrize_from_upper(double *a, size_t d);

/* Eigen-decomposition of a symmetric a (d x d, row-major; both triangles
 * read as one): values descending, vectors[i*d ..] the unit eigenvector of
 * values[i]. Returns 0, or non-zero if LAPACK's dsyev did not converge or
 * memory ran out. */
int gmm_linalg_symmetric_eigen(const double *a, size_t d, double *values,
                               double *vectors);

#endif
