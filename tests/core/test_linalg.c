/*
 * test_linalg.c — Cholesky, precision factors, SPD inverse, log-determinant.
 */
#include <stdlib.h>

#include "check.h"
#include "linalg/linalg.h"

int main(void)
{
    /* A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]. */
    const double L[9] = {2, 0, 0, 1, 3, 0, -1, 2, 1};
    double A[9], work[9], u[9], inv[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            A[i * 3 + j] = 0;
            for (int k = 0; k < 3; k++)
                A[i * 3 + j] += L[i * 3 + k] * L[j * 3 + k];
        }
    double chol[9];
    for (int i = 0; i < 9; i++)
        chol[i] = A[i];
    CHECK(gmm_linalg_cholesky(chol, 3) == 0, "cholesky failed");
    for (int i = 0; i < 9; i++)
        CHECK(close_to(chol[i], L[i], 1e-14, 1.0), "L[%d] = %g", i, chol[i]);

    /* U U^T must be A^-1, U upper triangular. */
    CHECK(gmm_linalg_precision_cholesky(A, 3, u, work) == 0, "precision failed");
    CHECK(gmm_linalg_spd_inverse(A, 3, inv) == 0, "inverse failed");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double uut = 0;
            for (int k = 0; k < 3; k++)
                uut += u[i * 3 + k] * u[j * 3 + k];
            CHECK(close_to(uut, inv[i * 3 + j], 1e-13, 1.0), "UU^T[%d][%d]", i, j);
            if (j < i)
                CHECK(u[i * 3 + j] == 0.0, "U not upper at [%d][%d]", i, j);
            double a_inv = 0;
            for (int k = 0; k < 3; k++)
                a_inv += A[i * 3 + k] * inv[k * 3 + j];
            CHECK(close_to(a_inv, i == j, 1e-13, 1.0), "A A^-1 [%d][%d]", i, j);
        }
    /* log det U = -log det L = -log(2*3*1). */
    CHECK(close_to(gmm_linalg_log_det_triangular(u, 3), -log(6.0), 1e-14, 1),
          "log det %g", gmm_linalg_log_det_triangular(u, 3));

    /* Not positive definite: the failing minor is reported. */
    double bad[4] = {1, 2, 2, 1};
    CHECK(gmm_linalg_cholesky(bad, 2) == 2, "indefinite matrix accepted");
    double singular[4] = {1, 1, 1, 1};
    CHECK(gmm_linalg_precision_cholesky(singular, 2, u, work) != 0,
          "singular matrix accepted");

    double sym[4] = {1, 5, 0, 2};
    gmm_linalg_symmetrize_from_upper(sym, 2);
    CHECK(sym[2] == 5, "symmetrize");
    return check_failures() != 0;
}
