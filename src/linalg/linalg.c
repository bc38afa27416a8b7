/*
 * linalg.c — Cholesky factors, SPD inverses and log-determinants through
 * LAPACK (OpenBLAS's copy); see linalg.h for the row-major convention.
 *
 * These run once per component per EM iteration on d x d matrices, so they
 * are never the hot spot; LAPACK is chosen for robustness, not speed.
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

int gmm_linalg_precision_cholesky(const double *cov, size_t d, double *u,
                                  double *work)
{
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
