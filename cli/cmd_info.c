/*
 * cmd_info.c — `gmm info`: a model file described for a person. Standard
 * deviations and correlations are derived from the covariances here, for
 * display only; every model parameter comes from the library.
 */
#include <math.h>
#include <stdio.h>

#include "args.h"
#include "cli.h"

static const char info_help[] =
    "Usage: gmm info MODEL\n"
    "Describe a model file: covariance type, components, features, how the\n"
    "fit ended, and per component its weight, mean and spread (standard\n"
    "deviations, and correlations for full and tied covariances).\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

/* Numbers are printed in columns of this width, with 6 significant digits:
 * readable, not exact (the model file holds the exact values). */
enum { COLUMN_WIDTH = 13 };
static const char label_format[] = "  %-12s";

static void print_numbers(const char *label, const double *values, size_t n)
{
    printf(label_format, label);
    for (size_t i = 0; i < n; i++)
        printf("%*.6g", COLUMN_WIDTH, values[i]);
    putchar('\n');
}

/* Square roots of n variances `stride` apart: more readable than variances,
 * being in the data's units. */
static void print_std_devs(const double *variances, size_t n, size_t stride)
{
    printf(label_format, "std dev");
    for (size_t i = 0; i < n; i++)
        printf("%*.6g", COLUMN_WIDTH, sqrt(variances[i * stride]));
    putchar('\n');
}

/* Standard deviations and the correlation matrix of a D x D covariance. */
static void print_covariance_matrix(const double *covariance, size_t n_features)
{
    print_std_devs(covariance, n_features, n_features + 1);
    /* One feature has no correlations to show. */
    if (n_features < 2)
        return;
    for (size_t i = 0; i < n_features; i++) {
        printf(label_format, i == 0 ? "correlation" : "");
        for (size_t j = 0; j < n_features; j++) {
            /* Each variance's root first: their product overflows or
             * underflows for variances beyond about 1e+-154, the roots'
             * product does not. The diagonal is 1 by definition. */
            double scale = sqrt(covariance[i * n_features + i]) *
                           sqrt(covariance[j * n_features + j]);
            double correlation =
                i == j ? 1.0 : covariance[i * n_features + j] / scale;
            printf("%*.4f", COLUMN_WIDTH, correlation);
        }
        putchar('\n');
    }
}

/* The model's covariance type's layout (gmm.h): one block per component,
 * or one shared. */
static gmm_covariance_layout layout_of(const gmm_model *model)
{
    gmm_covariance_layout layout = {GMM_COVARIANCE_BLOCK_MATRIX, 0};
    gmm_covariance_type_layout(gmm_model_covariance_type(model), &layout);
    return layout;
}

/* Block b of the covariances: a matrix's spread, or the standard
 * deviations of its D variances or of its one. */
static void print_block(const gmm_model *model, size_t b)
{
    size_t n_features = gmm_model_n_features(model);
    gmm_covariance_layout layout = layout_of(model);
    size_t size = layout.block == GMM_COVARIANCE_BLOCK_MATRIX
                      ? n_features * n_features
                  : layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL ? n_features
                                                                  : 1;
    const double *block = gmm_model_covariances(model) + b * size;
    if (layout.block == GMM_COVARIANCE_BLOCK_MATRIX)
        print_covariance_matrix(block, n_features);
    else
        print_std_devs(block, size, 1);
}

static void print_component(const gmm_model *model, size_t k)
{
    size_t n_features = gmm_model_n_features(model);

    printf("Component %zu\n", k);
    print_numbers("weight", gmm_model_weights(model) + k, 1);
    print_numbers("mean", gmm_model_means(model) + k * n_features, n_features);
    /* A shared block is printed once, after the components. */
    if (!layout_of(model).shared)
        print_block(model, k);
}

static void print_header(const gmm_model *model)
{
    size_t n_components = gmm_model_n_components(model);
    size_t n_features = gmm_model_n_features(model);
    printf("Gaussian mixture: %zu component%s, %zu feature%s, %s covariance, "
           "%zu free parameters\n",
           n_components, n_components == 1 ? "" : "s", n_features,
           n_features == 1 ? "" : "s",
           gmm_covariance_type_name(gmm_model_covariance_type(model)),
           gmm_n_parameters(model));
    if (gmm_model_n_iter(model) == 0)
        printf("Fit: no EM iteration recorded (initial parameters)\n");
    else
        printf("Fit: %s after %d iterations, lower bound %.10g\n",
               gmm_model_converged(model) ? "converged" : "NOT converged",
               gmm_model_n_iter(model), gmm_model_lower_bound(model));
    gmm_posterior posterior;
    gmm_model_posterior(model, &posterior);
    if (posterior.weight_prior != GMM_WEIGHT_PRIOR_NONE)
        printf("Variational posterior: %s weight prior, "
               "weight_concentration_prior %.10g, mean_precision_prior %.10g, "
               "degrees_of_freedom_prior %.10g (the lower bound is the "
               "evidence lower bound)\n",
               gmm_weight_prior_name(posterior.weight_prior),
               posterior.weight_concentration_prior,
               posterior.mean_precision_prior,
               posterior.degrees_of_freedom_prior);
}

int cmd_info(int argc, char **argv)
{
    static const char *const positional_names[] = {"MODEL"};
    const cli_command command = {"info", info_help, NULL, 0, positional_names,
                                 1};
    const char *model_path;
    int code = cli_parse(&command, argc, argv, &model_path);
    if (code != CLI_PARSE_OK)
        return code;
    if (cli_arguments_only())
        return CLI_EXIT_OK;

    gmm_model *model;
    code = cli_load_model("info", model_path, &model);
    if (code != CLI_EXIT_OK)
        return code;
    print_header(model);
    for (size_t k = 0; k < gmm_model_n_components(model); k++)
        print_component(model, k);
    if (layout_of(model).shared) {
        printf("Shared covariance (%s)\n",
               gmm_covariance_type_name(gmm_model_covariance_type(model)));
        print_block(model, 0);
    }
    gmm_model_free(model);
    return cli_finish_stdout("info");
}
