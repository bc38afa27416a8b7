/*
 * cmd_sample.c — `gmm sample`: draw rows from a model (gmm_sample).
 */
#include <stdint.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"

static const char sample_help[] =
    "Usage: gmm sample MODEL -n N [--seed S]\n"
    "Draw N rows from MODEL and print them as CSV rows (%.17g). As in\n"
    "scikit-learn, the number of rows per component is multinomial and the\n"
    "rows come grouped by component, in component order.\n"
    "\n"
    "Options:\n"
    "  -n, --n-samples N  rows to draw (required, >= 1)\n"
    "  --seed S           seed of the draws (default 0): reproducible\n"
    "  -h, --help         show this help\n";

int cmd_sample(int argc, char **argv)
{
    size_t n_samples = 0;
    uint64_t seed = 0;
    const cli_option option_table[] = {
        {"--n-samples", "-n", CLI_ARG_SIZE, &n_samples, 1, 1},
        {"--seed", NULL, CLI_ARG_SEED, &seed, 0, 0},
    };
    static const char *const positional_names[] = {"MODEL"};
    const cli_command command = {"sample", sample_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 1};
    const char *model_path;
    int code = cli_parse(&command, argc, argv, &model_path);
    if (code != CLI_PARSE_OK)
        return code;
    if (cli_arguments_only())
        return CLI_EXIT_OK;

    gmm_model *model;
    code = cli_load_model("sample", model_path, &model);
    if (code != CLI_EXIT_OK)
        return code;
    size_t n_features = gmm_model_n_features(model);
    double *rows = cli_alloc_results("sample", n_samples, n_features,
                                     sizeof *rows);
    gmm_error err;
    if (rows == NULL)
        code = CLI_EXIT_NOMEM;
    else if (gmm_sample(model, n_samples, seed, rows, NULL, &err) != GMM_OK)
        code = cli_fail("sample", &err);
    else {
        cli_print_rows(stdout, rows, n_samples, n_features);
        code = cli_finish_stdout("sample");
    }
    free(rows);
    gmm_model_free(model);
    return code;
}
