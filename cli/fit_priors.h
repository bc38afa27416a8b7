/*
 * fit_priors.h — `gmm fit --prior ...`: the options of a variational fit
 * (scikit-learn's BayesianGaussianMixture) on the command line, checked
 * with messages that name the flag.
 */
#ifndef GMM_CLI_FIT_PRIORS_H
#define GMM_CLI_FIT_PRIORS_H

#include <stddef.h>

#include "args.h"
#include "gmm.h"

/* What the command line gave (NULL or NaN: not given). */
typedef struct fit_priors {
    const char *prior;               /* --prior                            */
    double weight_concentration;     /* --weight-concentration-prior       */
    double mean_precision;           /* --mean-precision-prior             */
    const char *mean;                /* --mean-prior "x1,x2,..."           */
    double degrees_of_freedom;       /* --degrees-of-freedom-prior         */
    const char *covariance;          /* --covariance-prior "c11,c12,..."   */
    double *mean_values, *covariance_values;  /* parsed, owned             */
} fit_priors;

#define FIT_PRIORS_N_OPTIONS 6

/* The options' table entries, writing into priors (which must outlive
 * the parse); priors is reset first. */
void fit_priors_options(fit_priors *priors, cli_option options[FIT_PRIORS_N_OPTIONS]);

/* After parsing: the weight prior into options, and usage errors for
 * prior options without --prior and for numbers out of range. */
int fit_priors_choose(const fit_priors *priors, gmm_options *options);

/* Once the data's width is known: the lists parsed and checked (lengths,
 * finite values, a covariance prior the covariance type accepts, the
 * degrees of freedom above D - 1), then set in options. */
int fit_priors_apply(fit_priors *priors, size_t n_features, gmm_options *options);

void fit_priors_free(fit_priors *priors);

/* The options' --help lines. */
#define FIT_PRIORS_HELP                                                       \
    "\n"                                                                      \
    "Variational Bayes (scikit-learn's BayesianGaussianMixture; each default\n" \
    "is its own, derived from the data where it derives it):\n"               \
    "  --prior TYPE          dirichlet_process or dirichlet_distribution: a\n" \
    "                        prior on the weights lets superfluous\n"         \
    "                        components die out (without it: EM)\n"          \
    "  --weight-concentration-prior X  > 0 (default 1/K)\n"                   \
    "  --mean-precision-prior X        > 0 (1)\n"                             \
    "  --mean-prior X1,X2,...          D numbers (the data's mean)\n"         \
    "  --degrees-of-freedom-prior X    > D - 1 (D)\n"                         \
    "  --covariance-prior C1,C2,...    D x D numbers, row by row (full, tied;\n" \
    "                        symmetric positive definite), D (diag) or 1\n"  \
    "                        (spherical), positive (default: the data's\n"   \
    "                        covariance). Not with --init-model.\n"

#endif
