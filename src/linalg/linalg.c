/*
 * linalg.c — Cholesky factors, SPD inverses and log-determinants through
 * LAPACK (OpenBLAS's copy); see linalg.h for the row-major convention.
 *
 * These run once per component per EM iteration on d x d matrices, so they
 * are never the hot spot; LAPACK is chosen for robustness, not speed
 * (except the precision factor of the smallest matrices, see
 * SMALL_ORDER).
 */
#include "linalg/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* LAPACK's Fortran entry points (OpenBLAS exports them). */
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
                    int *info);
extern void dtrtri_(const char *uplo, const char *diag, const int *n, double *a,
                    const int *lda, int *info);
extern void dpotri_(const char *uplo, const int *n, double *a, const int *lda,
                    int *info);
extern void dsyev_(const char *jobz, const char *uplo, const int *n, double *a,
                   const int *lda, double *w, double *work, const int *lwork,
                   int *info);

int gmm_linalg_cholesky(double *a, size_t d)
{
    int n = (int)d, info = 0;
    /* Row-major lower == column-major upper. */
    dpotrf_("U", &n, a, &n, &info);
    if (info != 0)
        return info > 0 ? info : 1;
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            a[i * d + j] = 0.0;
    return 0;
}

int gmm_linalg_cholesky_unblocked(double *a, size_t d)
{
    for (size_t j = 0; j < d; j++) {
        double pivot = a[j * d + j];
        for (size_t k = 0; k < j; k++)
            pivot -= a[j * d + k] * a[j * d + k];
        if (!(pivot > 0.0))
            return (int)j + 1;
        double diag = sqrt(pivot);
        a[j * d + j] = diag;
        for (size_t i = j + 1; i < d; i++) {
            double v = a[i * d + j];
            for (size_t k = 0; k < j; k++)
                v -= a[i * d + k] * a[j * d + k];
            a[i * d + j] = v / diag;
            a[j * d + i] = 0.0;
        }
    }
    return 0;
}

/* Up to this order the precision factor is computed here rather than by
 * LAPACK: OpenBLAS's dpotrf_ and dtrtri_ each take a lock and a buffer
 * from its memory pool per call, and at D = 2 the two calls per
 * component cost many times the arithmetic (bench/RESULTS.md note 16).
 * The loops are LAPACK's unblocked algorithms (dpotf2, dtrti2) with the
 * same failure test, so nothing but the order of a few roundings
 * differs. */
#define SMALL_ORDER 4

/* gmm_linalg_precision_cholesky for d <= SMALL_ORDER: L (lower, in work)
 * with cov = L L^T, then u = (L^-1)^T column by column. */
static int small_precision_cholesky(const double *cov, size_t d, double *u,
                                    double *work)
{
    double *l = work;
    for (size_t j = 0; j < d; j++) {
        double pivot = cov[j * d + j];
        for (size_t k = 0; k < j; k++)
            pivot -= l[j * d + k] * l[j * d + k];
        if (!(pivot > 0.0))
            return (int)j + 1;
        double ljj = sqrt(pivot), inv = 1.0 / ljj;
        l[j * d + j] = ljj;
        for (size_t i = j + 1; i < d; i++) {
            double sum = cov[i * d + j];
            for (size_t k = 0; k < j; k++)
                sum -= l[i * d + k] * l[j * d + k];
            l[i * d + j] = sum * inv;
        }
    }
    /* Column j of M = L^-1 is row j of u: M_jj = 1 / L_jj, and below it
     * M_ij = -(sum_{j <= k < i} L_ik M_kj) / L_ii. */
    for (size_t j = 0; j < d; j++) {
        double *row = u + j * d;
        for (size_t i = 0; i < j; i++)
            row[i] = 0.0;
        row[j] = 1.0 / l[j * d + j];
        for (size_t i = j + 1; i < d; i++) {
            double sum = 0.0;
            for (size_t k = j; k < i; k++)
                sum += l[i * d + k] * row[k];
            row[i] = -sum / l[i * d + i];
        }
    }
    return 0;
}

int gmm_linalg_precision_cholesky(const double *cov, size_t d, double *u,
                                  double *work)
{
    if (d <= SMALL_ORDER)
        return small_precision_cholesky(cov, d, u, work);
    memcpy(work, cov, d * d * sizeof *work);
    int failed = gmm_linalg_cholesky(work, d);
    if (failed)
        return failed;
    int n = (int)d, info = 0;
    /* work holds L (row-major lower = column-major upper); invert it in
     * place, then transpose L^-1 into u. */
    dtrtri_("U", "N", &n, work, &n, &info);
    if (info != 0)
        return info > 0 ? info : 1;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            u[i * d + j] = j >= i ? work[j * d + i] : 0.0;
    return 0;
}

int gmm_linalg_spd_inverse(const double *a, size_t d, double *inv)
{
    memcpy(inv, a, d * d * sizeof *inv);
    int failed = gmm_linalg_cholesky(inv, d);
    if (failed)
        return failed;
    int n = (int)d, info = 0;
    dpotri_("U", &n, inv, &n, &info);
    if (info != 0)
        return info > 0 ? info : 1;
    /* dpotri filled column-major upper = row-major lower. */
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            inv[i * d + j] = inv[j * d + i];
    return 0;
}

double gmm_linalg_log_det_triangular(const double *t, size_t d)
{
    double sum = 0.0;
    for (size_t i = 0; i < d; i++)
        sum += log(t[i * d + i]);
    return sum;
}

void gmm_linalg_symmetrize_from_upper(double *a, size_t d)
{
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            a[i * d + j] = a[j * d + i];
}

int gmm_linalg_symmetric_eigen(const double *a, size_t d, double *values,
                               double *vectors)
{
    int n = (int)d, info = 0, lwork = -1;
    double query;
    memcpy(vectors, a, d * d * sizeof *vectors);
    dsyev_("V", "U", &n, vectors, &n, values, &query, &lwork, &info);
    lwork = (int)query;
    double *work = malloc((size_t)lwork * sizeof *work);
    if (!work)
        return -1;
    /* Column-major eigenvectors in columns are row-major rows. */
    dsyev_("V", "U", &n, vectors, &n, values, work, &lwork, &info);
    free(work);
    if (info != 0)
        return info;
    /* dsyev sorts ascending; we list the widest axis first. */
    for (size_t i = 0, j = d - 1; i < j; i++, j--) {
        double value = values[i];
        values[i] = values[j];
        values[j] = value;
        for (size_t c = 0; c < d; c++) {
            double entry = vectors[i * d + c];
            vectors[i * d + c] = vectors[j * d + c];
            vectors[j * d + c] = entry;
        }
    }
    return 0;
}
