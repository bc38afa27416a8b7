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

static void print_component(const gmm_model *model, size_t k)
{
    size_t n_features = gmm_model_n_features(model);
    const double *covariances = gmm_model_covariances(model);

    printf("Component %zu\n", k);
    print_numbers("weight", gmm_model_weights(model) + k, 1);
    print_numbers("mean", gmm_model_means(model) + k * n_features, n_features);
    switch (gmm_model_covariance_type(model)) {
    case GMM_COVARIANCE_FULL:
        print_covariance_matrix(covariances + k * n_features * n_features,
                                n_features);
        break;
    case GMM_COVARIANCE_DIAG:
        print_std_devs(covariances + k * n_features, n_features, 1);
        break;
    case GMM_COVARIANCE_SPHERICAL:
        print_std_devs(covariances + k, 1, 1);
        break;
    case GMM_COVARIANCE_TIED:
        break; /* shared, printed once after the components */
    }
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
    if (gmm_model_covariance_type(model) == GMM_COVARIANCE_TIED) {
        printf("Shared covariance (tied)\n");
        print_covariance_matrix(gmm_model_covariances(model),
                                gmm_model_n_features(model));
    }
    gmm_model_free(model);
    return cli_finish_stdout("info");
}
