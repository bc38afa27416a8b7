/*
 * cmd_impute.c — `gmm impute`: fill in the missing entries of data from a
 * model (gmm_impute), or draw multiple imputations (gmm_impute_draws),
 * written in the data's own format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

static const char impute_help[] =
    "Usage: gmm impute MODEL DATA [-o OUT] [--draws N [--seed S]]\n"
    "Fill in the missing entries of DATA (in CSV an empty field, NA or NaN;\n"
    "in .npy a NaN) from MODEL: each by its conditional mean under the\n"
    "mixture given the row's observed entries. With --draws N, N multiple\n"
    "imputations instead, each row's missing entries drawn from the\n"
    "conditional mixture: N copies of DATA, one after another (rows\n"
    "d * n .. d * n + n - 1 are draw d). Observed entries are copied as\n"
    "they are. The output is in DATA's format: a .npy file for a .npy DATA,\n"
    "else CSV (%.17g) with DATA's header if it had one.\n"
    "DATA is CSV (header optional), .npy, or - for CSV on standard input.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  file to write (default, or -: standard output);\n"
    "                    written atomically, never left half-written\n"
    "  --draws N         multiple imputations, N >= 1\n"
    "  --seed S          seed of the draws (default 0): reproducible;\n"
    "                    without --draws it has nothing to seed\n"
    "  -h, --help        show this help\n";

/* Whether DATA is a .npy file, by its first bytes (standard input: CSV,
 * which is what may be piped). */
static int is_npy(const char *path)
{
    static const char magic[] = "\x93NUMPY";
    char first[sizeof magic - 1];
    if (strcmp(path, "-") == 0)
        return 0;
    FILE *file = fopen(path, "rb");
    if (!file)
        return 0;
    size_t got = fread(first, 1, sizeof first, file);
    fclose(file);
    return got == sizeof first && memcmp(first, magic, sizeof first) == 0;
}

typedef struct imputed {
    const double *values;
    size_t n_rows;
    const gmm_data *data;  /* for its width and column names */
    int npy;
} imputed;

static int write_imputed(FILE *out, const void *content, gmm_error *err)
{
    (void)err;
    const imputed *file = content;
    size_t n_cols = file->data->n_cols;
    if (file->npy)
        return cli_print_npy(out, file->values, file->n_rows, n_cols);
    if (cli_print_header(out, file->data) != 0)
        return -1;
    return cli_print_rows(out, file->values, file->n_rows, n_cols);
}

static int impute(const gmm_model *model, const char *data_path,
                  const gmm_data *data, size_t n_draws, uint64_t seed,
                  cli_outputs *outputs, const char *output)
{
    size_t copies = n_draws ? n_draws : 1;
    double *values = NULL;
    int code = CLI_EXIT_OK;
    if (copies > SIZE_MAX / (data->n_rows ? data->n_rows : 1))
        code = cli_error("impute", CLI_EXIT_NOMEM, "--draws %zu: too many rows",
                         n_draws);
    else if (!(values = cli_alloc_results("impute", copies * data->n_rows,
                                          data->n_cols, sizeof *values)))
        code = CLI_EXIT_NOMEM;
    gmm_error err;
    if (code == CLI_EXIT_OK &&
        (n_draws ? gmm_impute_draws(model, data->values, data->n_rows,
                                    data->n_cols, n_draws, seed, values, &err)
                 : gmm_impute(model, data->values, data->n_rows, data->n_cols,
                              values, &err)) != GMM_OK)
        code = cli_fail_on_data("impute", data_path, &err);
    imputed file = {values, copies * data->n_rows, data, is_npy(data_path)};
    if (code == CLI_EXIT_OK && output != NULL && strcmp(output, "-") != 0) {
        code = cli_outputs_write(outputs, output, write_imputed, &file);
        if (code == CLI_EXIT_OK)
            code = cli_outputs_commit(outputs);
    } else if (code == CLI_EXIT_OK) {
        if (write_imputed(stdout, &file, &err) != 0)
            code = cli_error("impute", CLI_EXIT_INPUT, "writing standard output");
        if (code == CLI_EXIT_OK)
            code = cli_finish_stdout("impute");
    }
    free(values);
    return code;
}

int cmd_impute(int argc, char **argv)
{
    size_t n_draws = 0;
    uint64_t seed = 0;
    const char *output = NULL;
    const cli_option option_table[] = {
        {"--output", "-o", CLI_ARG_STRING, &output, 0, 0},
        {"--draws", NULL, CLI_ARG_SIZE, &n_draws, 1, 0},
        {"--seed", NULL, CLI_ARG_SEED, &seed, 0, 0},
    };
    static const char *const positional_names[] = {"MODEL", "DATA"};
    const cli_command command = {"impute", impute_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 2};
    const char *paths[2];
    int code = cli_parse(&command, argc, argv, paths);
    if (code != CLI_PARSE_OK)
        return code;

    code = CLI_EXIT_OK;
    cli_outputs outputs;
    cli_outputs_init(&outputs, "impute");
    const cli_input inputs[] = {{"MODEL", paths[0]}, {"DATA", paths[1]}};
    if (output != NULL && strcmp(output, "-") != 0)
        code = cli_outputs_add(&outputs, "-o", output, 1);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_refuse_inputs(&outputs, inputs, 2);
    if (code != CLI_EXIT_OK || cli_arguments_only()) {
        cli_outputs_free(&outputs);
        return code;
    }
    gmm_model *model;
    gmm_data data = {0};
    code = cli_read_model_and_data("impute", paths[0], paths[1],
                                   GMM_MISSING_MARGINALIZE, &model, &data);
    if (code == CLI_EXIT_OK) {
        code = impute(model, paths[1], &data, n_draws, seed, &outputs, output);
        gmm_data_free(&data);
        gmm_model_free(model);
    }
    cli_outputs_free(&outputs);
    return code;
}
