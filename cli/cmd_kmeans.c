/*
 * cmd_kmeans.c — `gmm kmeans`: k-means clustering (gmm_kmeans) as a
 * command of its own: labels on stdout, centers to a CSV file.
 * SIGINT/SIGTERM are deferred (interrupt.c): gmm_kmeans polls for them
 * between passes, and an interrupted or failed run writes no centers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

static const char kmeans_help[] =
    "Usage: gmm kmeans DATA -k K [options] [-o CENTERS.csv]\n"
    "Cluster the rows of DATA by k-means (Lloyd's algorithm, as\n"
    "scikit-learn's KMeans) and print each row's cluster (0 .. K-1), one per\n"
    "line. DATA is CSV (header optional), .npy, or - for CSV on standard\n"
    "input.\n"
    "\n"
    "Options:\n"
    "  -k, --n-clusters K  number of clusters (required, >= 1)\n"
    "  -o, --output FILE   write the K centers there as CSV (%.17g), with\n"
    "                      DATA's header if it had one; written atomically,\n"
    "                      and only if every label was printed\n"
    "  --n-init N          restarts, the lowest inertia is kept (1)\n"
    "  --max-iter N        iterations per restart (300)\n"
    "  --tol X             stop when the centers move less than X times the\n"
    "                      mean feature variance (1e-4)\n"
    "  --init METHOD       k-means++ (default) or random\n"
    "  --weights FILE      per-row sample weights: one column, CSV or .npy\n"
    "  --seed S            seed of every random choice (0): reproducible\n"
    "  --threads T         threads (0: OpenMP's default); results do not\n"
    "                      depend on it\n"
    "  -v, --verbose       print inertia, iterations and convergence on stderr\n"
    "  -h, --help          show this help\n";

/* gmm.h has no name table for k-means initializations; these are
 * scikit-learn's KMeans names. */
static int parse_init(const char *name, gmm_kmeans_init *init)
{
    if (strcmp(name, "k-means++") == 0)
        *init = GMM_KMEANS_INIT_KMEANS_PLUSPLUS;
    else if (strcmp(name, "random") == 0)
        *init = GMM_KMEANS_INIT_RANDOM;
    else
        return cli_usage_error("kmeans", "--init: expected k-means++ or "
                               "random, got '%s'", name);
    return CLI_EXIT_OK;
}

typedef struct centers_file {
    const double *centers;
    size_t n_clusters;
    const gmm_data *data; /* for its width and column names */
} centers_file;

static int write_centers(FILE *out, const void *content, gmm_error *err)
{
    (void)err;
    const centers_file *file = content;
    const gmm_data *data = file->data;
    if (cli_print_header(out, data) != 0)
        return -1;
    return cli_print_rows(out, file->centers, file->n_clusters, data->n_cols);
}

/* scikit-learn's ConvergenceWarning for fewer distinct clusters than
 * asked: duplicate rows leave some centres on top of each other. */
static void warn_if_fewer_clusters(const int *labels, size_t n_rows,
                                   size_t n_clusters)
{
    unsigned char *seen = calloc(n_clusters, 1);
    if (!seen)
        return;
    size_t distinct = 0;
    for (size_t i = 0; i < n_rows; i++)
        if (!seen[labels[i]]) {
            seen[labels[i]] = 1;
            distinct++;
        }
    free(seen);
    if (distinct < n_clusters)
        cli_warning("kmeans", "number of distinct clusters (%zu) found smaller "
                    "than -k (%zu): possibly due to duplicate rows in the "
                    "data; some centers coincide", distinct, n_clusters);
}

/* Cluster, then print the labels and put the centers in place. */
static int cluster(const gmm_kmeans_options *options, const char *data_path,
                   const gmm_data *data, const double *sample_weight,
                   cli_outputs *outputs, const char *output, int verbose)
{
    double *centers = cli_alloc_results("kmeans", options->n_clusters,
                                        data->n_cols, sizeof *centers);
    int *labels = cli_alloc_results("kmeans", data->n_rows, 1, sizeof *labels);
    gmm_kmeans_result result;
    gmm_error err;
    int code = CLI_EXIT_OK;

    if (centers == NULL || labels == NULL) {
        code = CLI_EXIT_NOMEM;
    } else {
        gmm_status status = gmm_kmeans(options, data->values, data->n_rows,
                                       data->n_cols, sample_weight, centers,
                                       labels, &result, &err);
        /* An interruption wins over whatever k-means said: the user asked
         * for no output. */
        code = cli_interrupt_check("kmeans");
        if (code == CLI_EXIT_OK && status != GMM_OK)
            code = cli_fail_on_data("kmeans", data_path, &err);
    }
    if (code == CLI_EXIT_OK && output != NULL) {
        centers_file file = {centers, options->n_clusters, data};
        code = cli_outputs_write(outputs, output, write_centers, &file);
    }
    if (code == CLI_EXIT_OK) {
        warn_if_fewer_clusters(labels, data->n_rows, options->n_clusters);
        if (verbose)
            fprintf(stderr, "k-means: %zu clusters, inertia %.10g, %s after "
                    "%d iterations\n",
                    options->n_clusters, result.inertia,
                    result.converged ? "converged" : "not converged",
                    result.n_iter);
        cli_print_labels(stdout, labels, data->n_rows);
        /* The labels first: a full disk on stdout fails the command, which
         * then leaves the centers file as it was. */
        code = cli_finish_stdout("kmeans");
    }
    if (code == CLI_EXIT_OK)
        code = cli_outputs_commit(outputs);
    free(labels);
    free(centers);
    return code;
}

int cmd_kmeans(int argc, char **argv)
{
    gmm_kmeans_options options;
    gmm_kmeans_options_init(&options);
    const char *data_path, *output = NULL, *init = NULL, *weights_path = NULL;
    int verbose = 0;
    const cli_option option_table[] = {
        {"--n-clusters", "-k", CLI_ARG_SIZE, &options.n_clusters, 1, 1},
        {"--output", "-o", CLI_ARG_STRING, &output, 0, 0},
        {"--n-init", NULL, CLI_ARG_INT, &options.n_init, 1, 0},
        {"--max-iter", NULL, CLI_ARG_INT, &options.max_iter, 1, 0},
        {"--tol", NULL, CLI_ARG_REAL, &options.tol, 0, 0},
        {"--init", NULL, CLI_ARG_STRING, &init, 0, 0},
        {"--weights", NULL, CLI_ARG_STRING, &weights_path, 0, 0},
        {"--seed", NULL, CLI_ARG_SEED, &options.seed, 0, 0},
        {"--threads", NULL, CLI_ARG_THREADS, &options.n_threads, 0, 0},
        {"--verbose", "-v", CLI_ARG_FLAG, &verbose, 0, 0},
    };
    static const char *const positional_names[] = {"DATA"};
    const cli_command command = {"kmeans", kmeans_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 1};
    int code = cli_parse(&command, argc, argv, &data_path);
    if (code != CLI_PARSE_OK)
        return code;
    if (init != NULL && (code = parse_init(init, &options.init)) != CLI_EXIT_OK)
        return code;

    if (weights_path && strcmp(weights_path, "-") == 0 &&
        strcmp(data_path, "-") == 0)
        return cli_usage_error("kmeans", "DATA and --weights cannot both be "
                               "standard input (-)");
    cli_outputs outputs;
    cli_outputs_init(&outputs, "kmeans");
    const cli_input inputs[] = {{"DATA", data_path},
                                {"--weights", weights_path}};
    code = output != NULL ? cli_outputs_add(&outputs, "-o", output, 0)
                          : CLI_EXIT_OK;
    if (code == CLI_EXIT_OK)
        code = cli_outputs_refuse_inputs(&outputs, inputs, 2);
    if (code != CLI_EXIT_OK || cli_arguments_only()) {
        cli_outputs_free(&outputs);
        return code;
    }

    options.progress = cli_interrupt_polled;
    cli_interrupt_while_reading("kmeans");
    gmm_data data = {0}, weights = {0};
    if (code == CLI_EXIT_OK)
        code = cli_read_data("kmeans", data_path, &data);
    if (code == CLI_EXIT_OK && weights_path != NULL)
        code = cli_read_weights("kmeans", weights_path, data.n_rows, &weights);
    cli_interrupt_defer();
    if (code == CLI_EXIT_OK)
        code = cluster(&options, data_path, &data, weights.values, &outputs,
                       output, verbose);
    cli_outputs_free(&outputs);
    gmm_data_free(&weights);
    gmm_data_free(&data);
    return code;
}
