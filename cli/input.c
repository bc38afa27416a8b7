/*
 * input.c — reading the files a subcommand works on: data, sample weights
 * and models, through the library's readers, with the checks that tie one
 * file to another (the data's width to the model's features, one weight
 * per row), which the library cannot make because it sees one at a time.
 */
#include <stdio.h>

#include "args.h"
#include "cli.h"
#include "model/validate.h"
#include "rows/check.h"

int cli_read_data(const char *cmd, const char *path, gmm_data *data)
{
    return cli_read_data_as(cmd, path, GMM_MISSING_ERROR, data);
}

int cli_read_data_as(const char *cmd, const char *path, gmm_missing missing,
                     gmm_data *data)
{
    gmm_error err;
    if ((missing == GMM_MISSING_MARGINALIZE ? gmm_data_read_missing
                                            : gmm_data_read)(path, data, &err) != GMM_OK)
        return cli_fail(cmd, &err);
    return CLI_EXIT_OK;
}

int cli_parse_missing(const char *cmd, const char *name, gmm_missing *missing)
{
    *missing = GMM_MISSING_ERROR;
    if (name && gmm_missing_parse(name, missing) != GMM_OK)
        return cli_usage_error(cmd, "--missing: expected error or marginalize, "
                               "got '%s'", name);
    return CLI_EXIT_OK;
}

int cli_load_model(const char *cmd, const char *path, gmm_model **model)
{
    gmm_error err;
    *model = gmm_model_load(path, &err);
    if (*model != NULL)
        return CLI_EXIT_OK;
    /* Parameters the library refuses (weights not summing to 1, say) are a
     * malformed model file here, not a bad command line. */
    if (err.status == GMM_ERR_INVALID)
        err.status = GMM_ERR_FORMAT;
    return cli_fail(cmd, &err);
}

int cli_read_data_for_model(const char *cmd, const char *path,
                            const gmm_model *model, gmm_data *data)
{
    int code = cli_read_data_as(cmd, path, gmm_model_options(model)->missing,
                                data);
    if (code != CLI_EXIT_OK)
        return code;
    size_t n_features = gmm_model_n_features(model);
    if (data->n_cols != n_features) {
        code = cli_error(cmd, CLI_EXIT_INPUT,
                         "%s: %zu columns, but the model has %zu features",
                         path, data->n_cols, n_features);
        gmm_data_free(data);
        return code;
    }
    return CLI_EXIT_OK;
}

/* The library's check of sample weights, the one every fit makes, made
 * here too, as the file is read, so that the message names the file. The
 * reader has already refused NaN and infinity (with the line and
 * column). */
static int check_weight_values(const char *cmd, const char *path,
                               const gmm_data *weights)
{
    gmm_error err;
    double largest;
    if (gmm_validate_sample_weights(weights->values, weights->n_rows, &largest,
                                    &err) != GMM_OK)
        return cli_error(cmd, cli_exit_code(err.status), "%s: %s", path,
                         err.message);
    return CLI_EXIT_OK;
}

/* A file of n_rows x n_cols numbers, as `expected` describes them. */
static int read_table(const char *cmd, const char *path, size_t n_rows,
                      size_t n_cols, const char *expected, gmm_data *data)
{
    int code = cli_read_data(cmd, path, data);
    if (code != CLI_EXIT_OK)
        return code;
    if (data->n_cols != n_cols || data->n_rows != n_rows) {
        code = cli_error(cmd, CLI_EXIT_INPUT,
                         "%s: expected %s, got %zu rows of %zu columns", path,
                         expected, data->n_rows, data->n_cols);
        gmm_data_free(data);
    }
    return code;
}

int cli_read_weights(const char *cmd, const char *path, size_t n_rows,
                     gmm_data *weights)
{
    char expected[96];
    snprintf(expected, sizeof expected, "one column of %zu sample weights "
             "(one per data row)", n_rows);
    int code = read_table(cmd, path, n_rows, 1, expected, weights);
    if (code == CLI_EXIT_OK)
        code = check_weight_values(cmd, path, weights);
    if (code != CLI_EXIT_OK)
        gmm_data_free(weights);
    return code;
}

int cli_read_resp(const char *cmd, const char *path, size_t n_rows,
                  size_t n_components, gmm_data *resp)
{
    char expected[128];
    snprintf(expected, sizeof expected, "%zu rows (one per data row) of %zu "
             "responsibilities (one per component)", n_rows, n_components);
    int code = read_table(cmd, path, n_rows, n_components, expected, resp);
    gmm_error err;
    if (code == CLI_EXIT_OK &&
        gmm_validate_resp(resp->values, n_rows, n_components, &err) != GMM_OK) {
        code = cli_error(cmd, CLI_EXIT_INPUT, "%s: %s", path, err.message);
        gmm_data_free(resp);
    }
    return code;
}

int cli_read_model_and_data(const char *cmd, const char *model_path,
                            const char *data_path, gmm_missing missing,
                            gmm_model **model, gmm_data *data)
{
    int code = cli_load_model(cmd, model_path, model);
    if (code != CLI_EXIT_OK)
        return code;
    gmm_options options = *gmm_model_options(*model);
    options.missing = missing;
    gmm_error err;
    if (gmm_set_options(*model, &options, &err) != GMM_OK)
        code = cli_fail(cmd, &err);
    if (code == CLI_EXIT_OK)
        code = cli_read_data_for_model(cmd, data_path, *model, data);
    if (code != CLI_EXIT_OK) {
        gmm_model_free(*model);
        *model = NULL;
    }
    return code;
}
