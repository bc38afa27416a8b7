/*
 * cmd_plot.c — `gmm plot`: a picture of a fitted mixture over data, as an
 * SVG file (mixture_picture.c draws it; plane.c picks the plane shown).
 */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"
#include "draw/mixture_picture.h"
#include "draw/plane.h"

static const char plot_help[] =
    "Usage: gmm plot MODEL DATA -o PICTURE.svg [options]\n"
    "Draw a fitted mixture over data: the rows as a scatter coloured by\n"
    "their most probable component, each component's mean with its 1-sigma\n"
    "and 2-sigma ellipses, a legend with the weights, and the marginal\n"
    "densities (mixture and components) along both axes. The ellipses are\n"
    "exact: the mixture is projected on the plane shown.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   SVG file to write (required; - for standard\n"
    "                      output), written atomically\n"
    "  --x COL, --y COL    the columns shown, by header name or number from 1\n"
    "                      (default: the first two)\n"
    "  --pca               show the first two principal components instead\n"
    "  --title TEXT        the title (default: K and the covariance type)\n"
    "  --no-marginals      leave out the marginal densities\n"
    "  -h, --help          show this help\n"
    "\n"
    "View it in a browser, or convert it: rsvg-convert -o fit.png fit.svg\n";

typedef struct plot_request {
    const char *model_path, *data_path, *output_path;
    const char *x, *y, *title;
    int pca, no_marginals;
} plot_request;

/* Labels, the plane's coordinates and the projected model, then the
 * picture; data and model are read. */
static int draw(const plot_request *request, const gmm_model *model,
                const gmm_data *data, cli_outputs *outputs)
{
    plane plane;
    int code = plane_choose("plot", data, request->x, request->y, request->pca,
                            &plane);
    int *labels = NULL;
    double *points = NULL;
    gmm_model *projected = NULL;
    gmm_error err;
    if (code == CLI_EXIT_OK) {
        labels = cli_alloc_results("plot", data->n_rows, 1, sizeof *labels);
        points = labels ? plane_project_rows("plot", &plane, data) : NULL;
        code = points ? CLI_EXIT_OK : CLI_EXIT_NOMEM;
    }
    if (code == CLI_EXIT_OK &&
        gmm_predict(model, data->values, data->n_rows, data->n_cols, labels,
                    &err) != GMM_OK)
        code = cli_fail_on_data("plot", request->data_path, &err);
    if (code == CLI_EXIT_OK)
        projected = plane_project_model("plot", &plane, model, &code);
    char title[128];
    size_t n_comp = gmm_model_n_components(model);
    snprintf(title, sizeof title, "%zu component%s, %s covariance", n_comp,
             n_comp == 1 ? "" : "s",
             gmm_covariance_type_name(gmm_model_covariance_type(model)));
    if (code == CLI_EXIT_OK) {
        mixture_picture picture = {
            .model = projected, .points = points, .n_points = data->n_rows,
            .labels = labels,
            .title = request->title ? request->title : title,
            .x_label = plane.x_label, .y_label = plane.y_label,
            .marginals = !request->no_marginals};
        if (mixture_picture_fit_range(&picture, &err) != 0)
            code = cli_fail("plot", &err);
        else
            code = cli_outputs_write(outputs, request->output_path,
                                     mixture_picture_write, &picture);
    }
    gmm_model_free(projected);
    free(points), free(labels);
    plane_free(&plane);
    return code;
}

int cmd_plot(int argc, char **argv)
{
    plot_request request = {0};
    const cli_option option_table[] = {
        {"--output", "-o", CLI_ARG_STRING, &request.output_path, 0, 1},
        {"--x", NULL, CLI_ARG_STRING, &request.x, 0, 0},
        {"--y", NULL, CLI_ARG_STRING, &request.y, 0, 0},
        {"--pca", NULL, CLI_ARG_FLAG, &request.pca, 0, 0},
        {"--title", NULL, CLI_ARG_STRING, &request.title, 0, 0},
        {"--no-marginals", NULL, CLI_ARG_FLAG, &request.no_marginals, 0, 0},
    };
    static const char *const positional_names[] = {"MODEL", "DATA"};
    const cli_command command = {"plot", plot_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 2};
    const char *positional[2];
    int code = cli_parse(&command, argc, argv, positional);
    if (code != CLI_PARSE_OK)
        return code;
    request.model_path = positional[0];
    request.data_path = positional[1];
    if (request.pca && (request.x || request.y))
        return cli_usage_error("plot", "--pca chooses the axes itself; give "
                               "either --pca or --x/--y");

    cli_outputs outputs;
    cli_outputs_init(&outputs, "plot");
    const cli_input inputs[] = {{"MODEL", request.model_path},
                                {"DATA", request.data_path}};
    code = cli_outputs_add(&outputs, "-o", request.output_path, 1);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_refuse_inputs(&outputs, inputs, 2);
    if (code != CLI_EXIT_OK || cli_arguments_only()) {
        cli_outputs_free(&outputs);
        return code;
    }
    gmm_model *model = NULL;
    gmm_data data = {0};
    if (code == CLI_EXIT_OK)
        code = cli_read_model_and_data("plot", request.model_path,
                                       request.data_path, GMM_MISSING_ERROR,
                                       &model, &data);
    if (code == CLI_EXIT_OK)
        code = draw(&request, model, &data, &outputs);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_commit(&outputs);
    cli_outputs_free(&outputs);
    gmm_model_free(model);
    gmm_data_free(&data);
    return code;
}
