/*
 * cmd_select.c — `gmm select`: fit every K and covariance type asked for
 * (gmm_select), print the criterion as a table with the best marked, and
 * optionally save the best model and draw the criterion against K.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "draw/select_picture.h"

static const char select_help[] =
    "Usage: gmm select DATA [--k LIST] [--covariance LIST] [options]\n"
    "Choose the number of components and the covariance type: fit every\n"
    "pair, print BIC (or AIC) per K and type with the best marked '*', and\n"
    "save the best model (as R mclust's Mclust does; its BIC has the\n"
    "opposite sign: mclust's VVV, EEE, VVI, VII are full, tied, diag,\n"
    "spherical). Each pair's model is exactly 'gmm fit' with the same\n"
    "options.\n"
    "\n"
    "Options:\n"
    "  --k LIST            numbers of components: 1..10 (default), 2,3,5 or\n"
    "                      a mix (1..4,8)\n"
    "  --covariance LIST   all (default: full, tied, diag, spherical), mclust\n"
    "                      (mclust's fourteen models, its names in the\n"
    "                      table) or a comma-separated list of types (any\n"
    "                      gmm fit --covariance takes)\n"
    "  --criterion C       bic (default) or aic; lower is better\n"
    "  -o, --output FILE   save the best model (written atomically)\n"
    "  --plot FILE         draw the criterion against K (SVG); the model and\n"
    "                      the picture are written together, or neither\n"
    "  --tol X             EM tolerance, as gmm fit's but default 1e-6\n"
    "  --max-iter N        EM iterations per initialization (default 1000)\n"
    "  --n-init N, --init METHOD, --reg-covar X, --seed S, --dtype TYPE,\n"
    "  --equal-weights     as for gmm fit, for every pair (with\n"
    "                      --equal-weights the criterion counts no weights)\n"
    "  --fix PARTS         refused: fixed values are one initial model's,\n"
    "                      of one K and type; use gmm fit --fix\n"
    "  --threads T         threads (0: OpenMP's default) sharing the pairs;\n"
    "                      results do not depend on it\n"
    "  -h, --help          show this help\n"
    "\n"
    "Why tighter defaults than gmm fit's (scikit-learn's tol 1e-3, max-iter\n"
    "100): a criterion compares maximized likelihoods, so every fit must run\n"
    "to convergence; a slow fit stopped at tol 1e-3 can fall short by enough\n"
    "to change the choice (README.md, gmm select, has an example).\n";

/* Defaults that run fits to convergence (see the help's last paragraph):
 * 1e-6 per row is mclust's relative 1e-5 on Old Faithful's scale. */
static const double select_tol = 1e-6;
static const int select_max_iter = 1000;

/* The most pairs of K values a list may ask for. */
#define MAX_K_VALUES 1000

typedef struct select_request {
    const char *data_path, *k_list, *covariance_list, *criterion;
    const char *init, *output_path, *plot_path, *dtype, *fix;
    size_t k_values[MAX_K_VALUES];
    size_t n_k;
    gmm_covariance_type types[GMM_N_COVARIANCE_TYPES];
    size_t n_types;
    int mclust;  /* --covariance mclust: mclust's names in the table      */
    gmm_criterion criterion_value;
} select_request;

/* A count at *text, moving past it; 0 if there is none. */
static size_t read_count(const char **text)
{
    if (**text < '0' || **text > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(*text, &end, 10);
    *text = end;
    return errno ? 0 : (size_t)value;
}

/* "1..10", "2,3,5", "1..4,8": ranges and single values, each K >= 1. */
static int parse_k_list(select_request *r)
{
    const char *text = r->k_list;
    r->n_k = 0;
    for (;;) {
        size_t first = read_count(&text), last = first;
        if (strncmp(text, "..", 2) == 0) {
            text += 2;
            last = read_count(&text);
        }
        if (first < 1 || last < first || (*text != ',' && *text != '\0'))
            return cli_usage_error("select", "--k: expected values >= 1 and "
                                   "ranges like 1..10, separated by commas; "
                                   "got '%s'", r->k_list);
        for (size_t k = first; k <= last; k++) {
            if (r->n_k == MAX_K_VALUES)
                return cli_usage_error("select", "--k: at most %d values",
                                       MAX_K_VALUES);
            r->k_values[r->n_k++] = k;
        }
        if (*text == '\0')
            return CLI_EXIT_OK;
        text++;
    }
}

static int parse_covariance_list(select_request *r)
{
    r->n_types = 0;
    if (strcmp(r->covariance_list, "all") == 0) {
        /* scikit-learn's four, which head the table. */
        for (int t = 0; t < GMM_N_COVARIANCE_TYPES; t++)
            if (strcmp(gmm_covariance_type_name((gmm_covariance_type)t),
                       gmm_covariance_type_mclust_name((gmm_covariance_type)t)))
                r->types[r->n_types++] = (gmm_covariance_type)t;
        return CLI_EXIT_OK;
    }
    if (strcmp(r->covariance_list, "mclust") == 0) {
        memcpy(r->types, cli_mclust_order, sizeof cli_mclust_order);
        r->n_types = GMM_N_COVARIANCE_TYPES;
        r->mclust = 1;
        return CLI_EXIT_OK;
    }
    char name[32];
    for (const char *text = r->covariance_list;;) {
        size_t length = strcspn(text, ",");
        gmm_covariance_type type;
        snprintf(name, sizeof name, "%.*s", (int)length, text);
        int seen = 0;
        if (length < sizeof name &&
            gmm_covariance_type_parse(name, &type) == GMM_OK)
            for (size_t i = 0; i < r->n_types; i++)
                seen |= r->types[i] == type;
        else
            return cli_usage_error("select", "--covariance: expected all, "
                                   "mclust or a list of %s; got '%s'",
                                   cli_covariance_type_names(),
                                   r->covariance_list);
        if (!seen)
            r->types[r->n_types++] = type;
        if (text[length] == '\0')
            return CLI_EXIT_OK;
        text += length + 1;
    }
}

static int parse_choices(select_request *r, gmm_options *options)
{
    int code = parse_k_list(r);
    if (code == CLI_EXIT_OK)
        code = parse_covariance_list(r);
    if (code == CLI_EXIT_OK &&
        gmm_criterion_parse(r->criterion, &r->criterion_value) != GMM_OK)
        code = cli_usage_error("select", "--criterion: expected bic or aic, "
                               "got '%s'", r->criterion);
    if (code == CLI_EXIT_OK && r->init &&
        gmm_init_method_parse(r->init, &options->init_params) != GMM_OK)
        code = cli_usage_error("select", "--init: expected kmeans, k-means++, "
                               "random or random_from_data, got '%s'",
                               r->init);
    if (code == CLI_EXIT_OK && r->dtype &&
        gmm_dtype_parse(r->dtype, &options->dtype) != GMM_OK)
        code = cli_usage_error("select", "--dtype: expected float64 or float32, "
                               "got '%s'", r->dtype);
    if (code == CLI_EXIT_OK && r->fix)
        code = cli_usage_error("select", "--fix: select fits many K and "
                               "covariance types, but fixed parameters keep "
                               "the values of one initial model, of one K "
                               "and type; fit it with gmm fit --fix "
                               "(--equal-weights is accepted here)");
    return code;
}

static const char *type_name(const select_request *r, gmm_covariance_type type)
{
    return r->mclust ? gmm_covariance_type_mclust_name(type)
                     : gmm_covariance_type_name(type);
}

/* The table: a row per K, a column per type, '*' after the best. */
static void print_table(const select_request *r,
                        const gmm_select_entry *entries, size_t best)
{
    const char *name = r->criterion_value == GMM_CRITERION_AIC ? "AIC" : "BIC";
    printf("%s per number of components (rows) and covariance type "
           "(columns); lower is better, * marks the best.\n%5s", name, "K");
    for (size_t t = 0; t < r->n_types; t++)
        printf(" %13s", type_name(r, r->types[t]));
    printf("\n");
    for (size_t i = 0; i < r->n_k; i++) {
        /* Built whole, to end without the blank of an unmarked cell. */
        char line[32 + 14 * GMM_N_COVARIANCE_TYPES];
        int length = snprintf(line, sizeof line, "%5zu", r->k_values[i]);
        for (size_t t = 0; t < r->n_types; t++) {
            size_t p = t * r->n_k + i;
            if (entries[p].status != GMM_OK)
                length += snprintf(line + length, sizeof line - (size_t)length,
                                   " %13s", "failed");
            else
                length += snprintf(line + length, sizeof line - (size_t)length,
                                   " %12.3f%c", entries[p].score,
                                   p == best ? '*' : ' ');
        }
        while (length > 0 && line[length - 1] == ' ')
            line[--length] = '\0';
        printf("%s\n", line);
    }
    const gmm_select_entry *b = &entries[best];
    printf("Best: %s covariance, %zu component%s (%s %.3f)\n",
           type_name(r, b->covariance_type), b->n_components,
           b->n_components == 1 ? "" : "s", name, b->score);
    if (r->mclust && r->criterion_value == GMM_CRITERION_BIC)
        printf("mclust's BIC (2 logL - p log n, higher is better) is minus "
               "these values.\n");
}

/* What failed or did not converge, on stderr, so the table stays clean. */
static void warn_about_pairs(const gmm_select_entry *entries, size_t n,
                             int max_iter)
{
    for (size_t p = 0; p < n; p++) {
        const gmm_select_entry *e = &entries[p];
        if (e->status != GMM_OK)
            cli_warning("select", "%s, K = %zu could not be fitted: %s",
                        gmm_covariance_type_name(e->covariance_type),
                        e->n_components, gmm_strerror(e->status));
        else if (!e->converged && max_iter > 0)
            cli_warning("select", "%s, K = %zu did not converge within "
                        "--max-iter %d", gmm_covariance_type_name(
                            e->covariance_type), e->n_components, max_iter);
    }
}

/* Every K asked for needs as many rows (scikit-learn's n_samples >=
 * n_components): one message, rather than a failed fit per pair. */
static int check_k_values(const select_request *r, const gmm_data *data)
{
    size_t largest = 0;
    for (size_t i = 0; i < r->n_k; i++)
        if (r->k_values[i] > largest)
            largest = r->k_values[i];
    if (largest <= data->n_rows)
        return CLI_EXIT_OK;
    return cli_error("select", CLI_EXIT_INPUT, "%s: expected n_samples >= "
                     "n_components but got n_components = %zu (the largest "
                     "of --k), n_samples = %zu; ask for at most %zu components",
                     r->data_path, largest, data->n_rows, data->n_rows);
}

/* The best model and the picture into the outputs. */
static int write_outputs(const select_request *r,
                         const gmm_select_entry *entries, size_t chosen,
                         const gmm_model *best, cli_outputs *outputs)
{
    int code = CLI_EXIT_OK;
    if (r->output_path)
        code = cli_outputs_write(outputs, r->output_path, cli_write_model, best);
    char title[256];
    const char *slash = strrchr(r->data_path, '/');
    snprintf(title, sizeof title, "Model selection on %s",
             slash ? slash + 1 : r->data_path);
    select_picture picture = {entries, r->n_types, r->n_k, chosen,
                              r->criterion_value, title};
    if (code == CLI_EXIT_OK && r->plot_path)
        code = cli_outputs_write(outputs, r->plot_path, select_picture_write,
                                 &picture);
    return code;
}

static int run_selection(const select_request *r, gmm_options *options,
                         const gmm_data *data, cli_outputs *outputs)
{
    size_t n_pairs = r->n_types * r->n_k;
    gmm_select_entry *entries = cli_alloc_results("select", n_pairs, 1,
                                                  sizeof *entries);
    if (!entries)
        return CLI_EXIT_NOMEM;
    options->progress = cli_interrupt_polled;
    gmm_model *best = NULL;
    size_t chosen = 0;
    gmm_error err;
    gmm_status status = gmm_select(options, r->types, r->n_types, r->k_values,
                                   r->n_k, r->criterion_value, data->values,
                                   data->n_rows, data->n_cols, entries, &chosen,
                                   &best, &err);
    int code = cli_interrupt_check("select");
    if (code == CLI_EXIT_OK && status != GMM_OK)
        code = cli_fail("select", &err);
    if (code == CLI_EXIT_OK)
        code = write_outputs(r, entries, chosen, best, outputs);
    if (code == CLI_EXIT_OK) {
        warn_about_pairs(entries, n_pairs, options->max_iter);
        print_table(r, entries, chosen);
        code = cli_finish_stdout("select");
    }
    if (code == CLI_EXIT_OK)
        code = cli_outputs_commit(outputs);
    gmm_model_free(best);
    free(entries);
    return code;
}

/* Where the best model and the picture go, checked before any fit. */
static int check_outputs(const select_request *r, cli_outputs *outputs)
{
    int code = r->output_path
                   ? cli_outputs_add(outputs, "-o", r->output_path, 0)
                   : CLI_EXIT_OK;
    if (code == CLI_EXIT_OK && r->plot_path)
        code = cli_outputs_add(outputs, "--plot", r->plot_path, 0);
    const cli_input inputs[] = {{"DATA", r->data_path}};
    if (code == CLI_EXIT_OK)
        code = cli_outputs_refuse_inputs(outputs, inputs, 1);
    return code;
}

int cmd_select(int argc, char **argv)
{
    gmm_options options;
    gmm_options_init(&options);
    options.tol = select_tol;
    options.max_iter = select_max_iter;
    select_request request = {.k_list = "1..10", .covariance_list = "all",
                              .criterion = "bic"};
    const cli_option option_table[] = {
        {"--k", NULL, CLI_ARG_STRING, &request.k_list, 0, 0},
        {"--covariance", NULL, CLI_ARG_STRING, &request.covariance_list, 0, 0},
        {"--criterion", NULL, CLI_ARG_STRING, &request.criterion, 0, 0},
        {"--output", "-o", CLI_ARG_STRING, &request.output_path, 0, 0},
        {"--plot", NULL, CLI_ARG_STRING, &request.plot_path, 0, 0},
        {"--n-init", NULL, CLI_ARG_INT, &options.n_init, 1, 0},
        {"--init", NULL, CLI_ARG_STRING, &request.init, 0, 0},
        {"--max-iter", NULL, CLI_ARG_INT, &options.max_iter, 0, 0},
        {"--tol", NULL, CLI_ARG_REAL, &options.tol, 0, 0},
        {"--reg-covar", NULL, CLI_ARG_REAL, &options.reg_covar, 0, 0},
        {"--seed", NULL, CLI_ARG_SEED, &options.seed, 0, 0},
        {"--dtype", NULL, CLI_ARG_STRING, &request.dtype, 0, 0},
        {"--threads", NULL, CLI_ARG_THREADS, &options.n_threads, 0, 0},
        {"--equal-weights", NULL, CLI_ARG_FLAG, &options.equal_weights, 0, 0},
        {"--fix", NULL, CLI_ARG_STRING, &request.fix, 0, 0},
    };
    static const char *const positional_names[] = {"DATA"};
    const cli_command command = {"select", select_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 1};
    int code = cli_parse(&command, argc, argv, &request.data_path);
    if (code != CLI_PARSE_OK)
        return code;
    code = parse_choices(&request, &options);
    if (code != CLI_EXIT_OK)
        return code;

    cli_outputs outputs;
    cli_outputs_init(&outputs, "select");
    code = check_outputs(&request, &outputs);
    if (code != CLI_EXIT_OK || cli_arguments_only()) {
        cli_outputs_free(&outputs);
        return code;
    }
    gmm_data data = {0};
    cli_interrupt_while_reading("select");
    if (code == CLI_EXIT_OK)
        code = cli_read_data("select", request.data_path, &data);
    cli_interrupt_defer();
    if (code == CLI_EXIT_OK)
        code = check_k_values(&request, &data);
    if (code == CLI_EXIT_OK)
        code = run_selection(&request, &options, &data, &outputs);
    cli_outputs_free(&outputs);
    gmm_data_free(&data);
    return code;
}
