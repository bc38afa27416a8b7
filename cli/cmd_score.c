/*
 * cmd_score.c — `gmm score`: how well a model explains data. The mean
 * log-likelihood (gmm_score, scikit-learn's score), each row's
 * log-likelihood (gmm_score_samples), or the BIC or AIC (gmm_bic, gmm_aic).
 */
#include <stdlib.h>

#include "args.h"
#include "cli.h"

static const char score_help[] =
    "Usage: gmm score MODEL DATA [--per-sample | --bic | --aic] [--missing MODE]\n"
    "Print the mean log-likelihood of the rows of DATA under MODEL (as\n"
    "scikit-learn's score), as one number (%.17g).\n"
    "DATA is CSV (header optional), .npy, or - for either on standard input.\n"
    "\n"
    "Options (at most one of the first three):\n"
    "  --per-sample  print each row's log-likelihood, one per line\n"
    "                (scikit-learn's score_samples)\n"
    "  --bic         print the Bayesian information criterion (lower is\n"
    "                better): -2 n score + p log(n), p the free parameters\n"
    "  --aic         print the Akaike information criterion: -2 n score + 2 p\n"
    "  --missing MODE  error (the default: NaN is bad data) or marginalize:\n"
    "                empty fields, NA and NaN in CSV, NaN in .npy are missing\n"
    "                values, and each row counts by its observed entries\n"
    "  -h, --help    show this help\n";

typedef gmm_status (*criterion_fn)(const gmm_model *model, const double *X,
                                   size_t n_rows, size_t n_features,
                                   double *value, gmm_error *err);

/* One number for the whole data: the mean log-likelihood, BIC or AIC. */
static int print_criterion(criterion_fn criterion, const gmm_model *model,
                           const gmm_data *data)
{
    gmm_error err;
    double value;
    if (criterion(model, data->values, data->n_rows, data->n_cols, &value,
                  &err) != GMM_OK)
        return cli_fail("score", &err);
    cli_print_rows(stdout, &value, 1, 1);
    return CLI_EXIT_OK;
}

static int print_per_sample(const gmm_model *model, const gmm_data *data)
{
    gmm_error err;
    double *log_prob = cli_alloc_results("score", data->n_rows, 1,
                                         sizeof *log_prob);
    if (log_prob == NULL)
        return CLI_EXIT_NOMEM;
    int code = CLI_EXIT_OK;
    if (gmm_score_samples(model, data->values, data->n_rows, data->n_cols,
                          log_prob, &err) != GMM_OK)
        code = cli_fail("score", &err);
    else
        cli_print_rows(stdout, log_prob, data->n_rows, 1);
    free(log_prob);
    return code;
}

int cmd_score(int argc, char **argv)
{
    int per_sample = 0, bic = 0, aic = 0;
    const char *missing_name = NULL;
    const cli_option option_table[] = {
        {"--per-sample", NULL, CLI_ARG_FLAG, &per_sample, 0, 0},
        {"--bic", NULL, CLI_ARG_FLAG, &bic, 0, 0},
        {"--aic", NULL, CLI_ARG_FLAG, &aic, 0, 0},
        {"--missing", NULL, CLI_ARG_STRING, &missing_name, 0, 0},
    };
    static const char *const positional_names[] = {"MODEL", "DATA"};
    const cli_command command = {"score", score_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 2};
    const char *paths[2];
    int code = cli_parse(&command, argc, argv, paths);
    if (code != CLI_PARSE_OK)
        return code;
    if (per_sample + bic + aic > 1)
        return cli_usage_error("score", "--per-sample, --bic and --aic "
                               "exclude each other");
    gmm_missing missing;
    if ((code = cli_parse_missing("score", missing_name, &missing)) != CLI_EXIT_OK)
        return code;
    if (cli_arguments_only())
        return CLI_EXIT_OK;

    gmm_model *model;
    gmm_data data = {0};
    code = cli_read_model_and_data("score", paths[0], paths[1], missing,
                                   &model, &data);
    if (code != CLI_EXIT_OK)
        return code;
    if (per_sample)
        code = print_per_sample(model, &data);
    else
        code = print_criterion(bic ? gmm_bic : aic ? gmm_aic : gmm_score, model,
                               &data);
    if (code == CLI_EXIT_OK)
        code = cli_finish_stdout("score");
    gmm_data_free(&data);
    gmm_model_free(model);
    return code;
}
