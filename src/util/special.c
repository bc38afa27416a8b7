/*
 * special.c — digamma and log-gamma (special.h).
 *
 * libm has lgamma but no digamma. Digamma: the recurrence psi(x) =
 * psi(x + 1) - 1/x carries x to 10 or more, where the asymptotic series
 * ln x - 1/(2x) - sum_n B_2n / (2n x^2n), cut after x^-14, errs below
 * 4e-17 (the next term, 3617/8160 x^-16). So the error is the rounding of
 * at most ten reciprocals and of the series: a few ulps of the result,
 * except near psi's root (x ~ 1.4616), where the absolute error stays a
 * few times 1e-16. scikit-learn's tolerances (parameters to 1e-6, the
 * lower bound to 1e-9 relative) need far less; GSL's psi would buy
 * nothing for a dependency.
 */
/* lgamma_r is a POSIX extension glibc declares under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE
#include "util/special.h"

#include <math.h>

double gmm_digamma(double x)
{
    double result = 0.0;
    while (x < 10.0) {
        result -= 1.0 / x;
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    double series =
        f * (-1.0 / 12 +
             f * (1.0 / 120 +
                  f * (-1.0 / 252 +
                       f * (1.0 / 240 +
                            f * (-1.0 / 132 +
                                 f * (691.0 / 32760 + f * (-1.0 / 12)))))));
    return result + log(x) - 0.5 / x + series;
}

double gmm_lgamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

double gmm_betaln(double a, double b)
{
    return gmm_lgamma(a) + gmm_lgamma(b) - gmm_lgamma(a + b);
}
