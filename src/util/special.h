/*
 * special.h — the special functions variational Bayes needs: digamma and
 * log-gamma on positive arguments (scipy.special's digamma and gammaln,
 * which scikit-learn's BayesianGaussianMixture calls).
 */
#ifndef GMM_UTIL_SPECIAL_H
#define GMM_UTIL_SPECIAL_H

/* psi(x) = d/dx log Gamma(x), for x > 0. */
double gmm_digamma(double x);

/* log Gamma(x) for x > 0, thread-safe (libm's lgamma writes the global
 * signgam; this is lgamma_r). */
double gmm_lgamma(double x);

/* log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b). */
double gmm_betaln(double a, double b);

#endif
