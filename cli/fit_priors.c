/*
 * fit_priors.c — the variational fit's options (fit_priors.h). The
 * library validates the same things (gmm.h); checking them here lets the
 * messages name the flag rather than the library's field.
 */
#include "fit_priors.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void fit_priors_options(fit_priors *p, cli_option options[FIT_PRIORS_N_OPTIONS])
{
    memset(p, 0, sizeof *p);
    p->weight_concentration = p->mean_precision = p->degrees_of_freedom = NAN;
    const cli_option table[FIT_PRIORS_N_OPTIONS] = {
        {"--prior", NULL, CLI_ARG_STRING, &p->prior, 0, 0},
        {"--weight-concentration-prior", NULL, CLI_ARG_REAL, &p->weight_concentration, 0, 0},
        {"--mean-precision-prior", NULL, CLI_ARG_REAL, &p->mean_precision, 0, 0},
        {"--mean-prior", NULL, CLI_ARG_STRING, &p->mean, 0, 0},
        {"--degrees-of-freedom-prior", NULL, CLI_ARG_REAL, &p->degrees_of_freedom, 0, 0},
        {"--covariance-prior", NULL, CLI_ARG_STRING, &p->covariance, 0, 0},
    };
    memcpy(options, table, sizeof table);
}

int fit_priors_choose(const fit_priors *p, gmm_options *options)
{
    int any = !isnan(p->weight_concentration) || !isnan(p->mean_precision) ||
              p->mean || !isnan(p->degrees_of_freedom) || p->covariance;
    if (!p->prior)
        return any ? cli_usage_error("fit", "the prior options (--weight-"
                                     "concentration-prior, ...) need --prior "
                                     "dirichlet_process or dirichlet_distribution")
                   : CLI_EXIT_OK;
    if (gmm_weight_prior_parse(p->prior, &options->weight_prior) != GMM_OK ||
        options->weight_prior == GMM_WEIGHT_PRIOR_NONE)
        return cli_usage_error("fit", "--prior: expected dirichlet_process or "
                               "dirichlet_distribution, got '%s'", p->prior);
    if (p->weight_concentration == 0.0)
        return cli_usage_error("fit", "--weight-concentration-prior: expected a "
                               "number > 0, got 0");
    if (p->mean_precision == 0.0)
        return cli_usage_error("fit", "--mean-precision-prior: expected a number "
                               "> 0, got 0");
    if (options->dtype != GMM_DTYPE_FLOAT64)
        return cli_usage_error("fit", "--prior: a variational fit is float64 "
                               "only, not --dtype %s", gmm_dtype_name(options->dtype));
    options->weight_concentration_prior = p->weight_concentration;
    options->mean_precision_prior = p->mean_precision;
    return CLI_EXIT_OK;
}

/* A comma-separated list of exactly `count` finite numbers. */
static int parse_list(const char *flag, const char *text, size_t count,
                      double **values)
{
    *values = malloc(count * sizeof **values);
    if (!*values)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory for %s", flag);
    const char *at = text;
    size_t n = 0;
    for (;;) {
        char *end;
        errno = 0;
        double x = strtod(at, &end);
        if (end == at || errno == ERANGE || !isfinite(x) ||
            (*end != ',' && *end != '\0'))
            return cli_usage_error("fit", "%s: expected %zu comma-separated "
                                   "numbers, got '%s'", flag, count, text);
        if (n < count)
            (*values)[n] = x;
        n++;
        if (*end == '\0')
            break;
        at = end + 1;
    }
    if (n != count)
        return cli_usage_error("fit", "%s: expected %zu numbers (one per %s), "
                               "got %zu", flag, count,
                               count == 1 ? "model" : "feature or entry", n);
    return CLI_EXIT_OK;
}

int fit_priors_apply(fit_priors *p, size_t d, gmm_options *options)
{
    if (options->weight_prior == GMM_WEIGHT_PRIOR_NONE)
        return CLI_EXIT_OK;
    if (!isnan(p->degrees_of_freedom) && !(p->degrees_of_freedom > (double)d - 1.0))
        return cli_usage_error("fit", "--degrees-of-freedom-prior: expected a "
                               "number > %zu (the data's %zu features - 1), "
                               "got %.17g", d - 1, d, p->degrees_of_freedom);
    options->degrees_of_freedom_prior = p->degrees_of_freedom;
    int code = CLI_EXIT_OK;
    if (p->mean) {
        code = parse_list("--mean-prior", p->mean, d, &p->mean_values);
        options->mean_prior = p->mean_values;
    }
    if (code == CLI_EXIT_OK && p->covariance) {
        gmm_covariance_layout layout;
        gmm_covariance_type_layout(options->covariance_type, &layout);
        size_t count = layout.block == GMM_COVARIANCE_BLOCK_MATRIX ? d * d
                       : layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL ? d : 1;
        code = parse_list("--covariance-prior", p->covariance, count,
                          &p->covariance_values);
        /* The library's own check of a covariance, on a one-component
         * model whose covariance is the prior. */
        if (code == CLI_EXIT_OK) {
            double weight = 1.0, *mean = calloc(d, sizeof *mean);
            gmm_error err;
            gmm_model *check = mean ? gmm_model_from_params(
                                          1, d, options->covariance_type, &weight,
                                          mean, p->covariance_values, &err)
                                    : NULL;
            if (!mean)
                code = cli_error("fit", CLI_EXIT_NOMEM, "out of memory");
            else if (!check)
                code = cli_usage_error("fit", "--covariance-prior: %s", err.message);
            gmm_model_free(check);
            free(mean);
        }
        options->covariance_prior = p->covariance_values;
    }
    return code;
}

void fit_priors_free(fit_priors *p)
{
    free(p->mean_values);
    free(p->covariance_values);
    p->mean_values = p->covariance_values = NULL;
}
