/*
 * plane.c — see plane.h. The PCA itself is the library's (gmm_pca); here
 * only columns are looked up and axes labelled.
 */
#include "draw/plane.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

/* A column by header name, or by number from 1; -1 if neither. */
static long find_column(const gmm_data *data, const char *name)
{
    for (size_t j = 0; data->column_names && j < data->n_cols; j++)
        if (strcmp(data->column_names[j], name) == 0)
            return (long)j;
    char *end;
    long number = strtol(name, &end, 10);
    if (*name != '\0' && *end == '\0' && number >= 1 &&
        (size_t)number <= data->n_cols)
        return number - 1;
    return -1;
}

static void column_label(const gmm_data *data, size_t j, char *label,
                         size_t size)
{
    if (data->column_names)
        snprintf(label, size, "%s", data->column_names[j]);
    else
        snprintf(label, size, "column %zu", j + 1);
}

static int choose_columns(const char *cmd, const gmm_data *data,
                          const char *x, const char *y, plane *plane)
{
    long column[2] = {0, 1};
    const char *names[2] = {x, y};
    for (int axis = 0; axis < 2; axis++) {
        if (!names[axis])
            continue;
        column[axis] = find_column(data, names[axis]);
        if (column[axis] < 0)
            return cli_usage_error(cmd, "--%c: no column '%s' (give a name "
                                   "from the header or a number from 1 to "
                                   "%zu)", axis ? 'y' : 'x', names[axis],
                                   data->n_cols);
    }
    if (column[0] == column[1])
        return cli_usage_error(cmd, "--x and --y name the same column");
    size_t d = data->n_cols;
    for (int axis = 0; axis < 2; axis++)
        plane->basis[axis * d + (size_t)column[axis]] = 1.0;
    column_label(data, (size_t)column[0], plane->x_label, sizeof plane->x_label);
    column_label(data, (size_t)column[1], plane->y_label, sizeof plane->y_label);
    return CLI_EXIT_OK;
}

static int choose_pca(const char *cmd, const gmm_data *data, plane *plane)
{
    size_t d = data->n_cols;
    double *basis = malloc(d * d * sizeof *basis);
    double *variances = malloc(d * sizeof *variances);
    gmm_error err;
    int code = CLI_EXIT_OK;
    if (!basis || !variances)
        code = cli_error(cmd, CLI_EXIT_NOMEM, "out of memory for PCA");
    else if (gmm_pca(data->values, data->n_rows, d, d, plane->origin, basis,
                     variances, &err) != GMM_OK)
        code = cli_fail(cmd, &err);
    if (code == CLI_EXIT_OK) {
        double total = 0.0;
        for (size_t j = 0; j < d; j++)
            total += variances[j];
        memcpy(plane->basis, basis, 2 * d * sizeof *basis);
        /* The share of variance tells how faithful the picture is;
         * identical rows have none to share. */
        const char *const names[2] = {"PC1", "PC2"};
        char *labels[2] = {plane->x_label, plane->y_label};
        for (int axis = 0; axis < 2; axis++)
            if (total > 0.0 && isfinite(total))
                snprintf(labels[axis], sizeof plane->x_label,
                         "%s (%.0f%% of variance)", names[axis],
                         100.0 * variances[axis] / total);
            else
                snprintf(labels[axis], sizeof plane->x_label,
                         "%s (the rows do not vary)", names[axis]);
    }
    free(basis), free(variances);
    return code;
}

int plane_choose(const char *cmd, const gmm_data *data, const char *x,
                 const char *y, int pca, plane *plane)
{
    size_t d = data->n_cols;
    *plane = (struct plane){0};
    if (d < 2)
        return cli_error(cmd, CLI_EXIT_INPUT, "a picture needs at least 2 "
                         "features; the data have %zu", d);
    /* --pca with --x or --y: refused with the command's arguments. */
    assert(!pca || (!x && !y));
    plane->n_features = d;
    plane->origin = calloc(d, sizeof *plane->origin);
    plane->basis = calloc(2 * d, sizeof *plane->basis);
    if (!plane->origin || !plane->basis)
        return cli_error(cmd, CLI_EXIT_NOMEM, "out of memory");
    return pca ? choose_pca(cmd, data, plane)
               : choose_columns(cmd, data, x, y, plane);
}

void plane_free(plane *plane)
{
    free(plane->origin);
    free(plane->basis);
    *plane = (struct plane){0};
}

double *plane_project_rows(const char *cmd, const plane *plane,
                           const gmm_data *data)
{
    double *points = cli_alloc_results(cmd, data->n_rows, 2, sizeof(double));
    if (points)
        gmm_project_rows(data->values, data->n_rows, data->n_cols,
                         plane->origin, plane->basis, 2, points);
    return points;
}

gmm_model *plane_project_model(const char *cmd, const plane *plane,
                               const gmm_model *model, int *code)
{
    gmm_error err;
    gmm_model *projected = gmm_model_project(model, plane->origin,
                                             plane->basis, 2, &err);
    *code = projected ? CLI_EXIT_OK : cli_fail(cmd, &err);
    return projected;
}
