/*
 * cmd_predict.c — `gmm predict`: the most probable component of each row
 * (gmm_predict), or every component's posterior probability
 * (gmm_predict_proba).
 */
#include <stdlib.h>

#include "args.h"
#include "cli.h"

static const char predict_help[] =
    "Usage: gmm predict MODEL DATA [--proba] [--missing MODE]\n"
    "Print the most probable component of each row of DATA, one label\n"
    "(0 .. K-1) per line; ties go to the lowest index. With --proba, print\n"
    "each row's K posterior probabilities as a CSV row instead (%.17g).\n"
    "DATA is CSV (header optional), .npy, or - for either on standard input.\n"
    "\n"
    "Options:\n"
    "  --proba     print probabilities instead of labels\n"
    "  --missing MODE  error (the default: NaN is bad data) or marginalize:\n"
    "              empty fields, NA and NaN in CSV, NaN in .npy are missing\n"
    "              values, and each row counts by its observed entries\n"
    "  -h, --help  show this help\n";

static int print_labels(const gmm_model *model, const char *path,
                        const gmm_data *data)
{
    gmm_error err;
    int *labels = cli_alloc_results("predict", data->n_rows, 1, sizeof *labels);
    if (labels == NULL)
        return CLI_EXIT_NOMEM;
    int code = CLI_EXIT_OK;
    if (gmm_predict(model, data->values, data->n_rows, data->n_cols, labels,
                    &err) != GMM_OK)
        code = cli_fail_on_data("predict", path, &err);
    else
        cli_print_labels(stdout, labels, data->n_rows);
    free(labels);
    return code;
}

static int print_probabilities(const gmm_model *model, const char *path,
                               const gmm_data *data)
{
    gmm_error err;
    size_t n_components = gmm_model_n_components(model);
    double *proba = cli_alloc_results("predict", data->n_rows, n_components,
                                      sizeof *proba);
    if (proba == NULL)
        return CLI_EXIT_NOMEM;
    int code = CLI_EXIT_OK;
    if (gmm_predict_proba(model, data->values, data->n_rows, data->n_cols,
                          proba, &err) != GMM_OK)
        code = cli_fail_on_data("predict", path, &err);
    else
        cli_print_rows(stdout, proba, data->n_rows, n_components);
    free(proba);
    return code;
}

int cmd_predict(int argc, char **argv)
{
    int proba = 0;
    const char *missing_name = NULL;
    const cli_option option_table[] = {
        {"--proba", NULL, CLI_ARG_FLAG, &proba, 0, 0},
        {"--missing", NULL, CLI_ARG_STRING, &missing_name, 0, 0},
    };
    static const char *const positional_names[] = {"MODEL", "DATA"};
    const cli_command command = {"predict", predict_help, option_table, 2,
                                 positional_names, 2};
    const char *paths[2];
    int code = cli_parse(&command, argc, argv, paths);
    if (code != CLI_PARSE_OK)
        return code;
    gmm_missing missing;
    if ((code = cli_parse_missing("predict", missing_name, &missing)) != CLI_EXIT_OK)
        return code;
    if (cli_arguments_only())
        return CLI_EXIT_OK;

    gmm_model *model;
    gmm_data data = {0};
    code = cli_read_model_and_data("predict", paths[0], paths[1], missing,
                                   &model, &data);
    if (code != CLI_EXIT_OK)
        return code;
    code = proba ? print_probabilities(model, paths[1], &data)
                 : print_labels(model, paths[1], &data);
    if (code == CLI_EXIT_OK)
        code = cli_finish_stdout("predict");
    gmm_data_free(&data);
    gmm_model_free(model);
    return code;
}
