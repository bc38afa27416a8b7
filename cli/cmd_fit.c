/*
 * cmd_fit.c — `gmm fit`: read data (and optionally sample weights and an
 * initial model), fit a mixture with gmm_fit, save it atomically (with
 * --trace, its pictures too: all the outputs or none).
 * With --memory or under mpirun the rows stay in their .npy file and the
 * library streams them or splits them over the ranks (fit_rows.h); every
 * rank then fits, and rank 0 reports and saves. With --online DATA is
 * read batch by batch, each an online EM step (fit_online.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "draw/fit_trace.h"
#include "draw/trace_page.h"
#include "fit_online.h"
#include "fit_priors.h"
#include "fit_progress.h"
#include "fit_rows.h"

static const char fit_help[] =
    "Usage: gmm fit DATA -k K [options] -o MODEL.json\n"
    "Fit a Gaussian mixture of K components to the rows of DATA by EM and\n"
    "save it as a JSON model file (as scikit-learn's GaussianMixture.fit;\n"
    "with --prior, by variational Bayes, as its BayesianGaussianMixture).\n"
    "DATA is CSV (header optional), .npy, or - for either on standard input.\n"
    "\n"
    "Options:\n"
    "  -k, --n-components K  number of components (required, >= 1)\n"
    "  -o, --output FILE     model file to write (required; - for standard\n"
    "                        output); written atomically, never left\n"
    "                        half-written\n"
    "  --covariance TYPE     full (default), tied, diag or spherical\n"
    "                        (scikit-learn's), or any of mclust's fourteen\n"
    "                        models: EII VII EEI VEI EVI VVI EEE VEE EVE VVE\n"
    "                        EEV VEV EVV VVV (VVV, EEE, VVI, VII are full,\n"
    "                        tied, diag, spherical)\n"
    "  --dtype TYPE          float64 (default) or float32: EM's per-row\n"
    "                        arithmetic in float, faster on large data, the\n"
    "                        log-likelihood a little less exact (README;\n"
    "                        figures in bench/RESULTS.md)\n"
    "  --tol X               stop when the lower bound changes by less than X\n"
    "                        (default 1e-3; 0 runs --max-iter iterations)\n"
    "  --reg-covar X         added to every variance in M-steps (1e-6)\n"
    "  --max-iter N          EM iterations per initialization (100); 0 keeps\n"
    "                        the initial parameters\n"
    "  --n-init N            initializations, the best lower bound is kept (1)\n"
    "  --init METHOD         kmeans (default), k-means++, random,\n"
    "                        random_from_data\n"
    "  --init-model FILE     start from this model's weights, means and\n"
    "                        covariances (its K and covariance type must match)\n"
    "  --fix PARTS           hold these parameters at --init-model's values\n"
    "                        (required with it) and fit the others: a\n"
    "                        comma-separated list of weights, means,\n"
    "                        covariances (not all three), e.g. --fix\n"
    "                        weights,covariances learns the means only; the\n"
    "                        model file records them and BIC counts only\n"
    "                        the free parameters\n"
    "  --equal-weights       every weight 1/K, never estimated (mclust's\n"
    "                        equalPro; --init-model's weights are not used)\n"
    "  --init-resp FILE      start with an M-step from these responsibilities:\n"
    "                        one row per data row, K columns, each row\n"
    "                        non-negative and summing to 1 (CSV or .npy; as\n"
    "                        mclust's me() starts from z). Not with --init or\n"
    "                        --init-model\n"
    "  --weights FILE        per-row sample weights: one column, CSV or .npy\n"
    "  --missing MODE        error (default: NaN is bad data, as in\n"
    "                        scikit-learn) or marginalize: empty fields, NA\n"
    "                        and NaN in CSV, NaN in .npy are values missing\n"
    "                        at random, and EM fits the likelihood of the\n"
    "                        observed entries (README); with --memory and\n"
    "                        under mpirun too. Not with --online, --trace\n"
    "                        or --prior\n"
    "  --seed S              seed of every random choice (0): reproducible\n"
    "  --threads T           threads (0: OpenMP's default); results do not\n"
    "                        depend on it\n"
    "  --memory SIZE         stream the rows of a .npy DATA from the file in\n"
    "                        every iteration, holding at most SIZE bytes of\n"
    "                        them (e.g. 512M, 2G; K, M, G, T are powers of\n"
    "                        1024): for data larger than memory. The model\n"
    "                        is the in-memory fit's, bit for bit. Not with\n"
    "                        --weights or --trace\n"
    "  --trace DIR           pictures of EM at work in DIR (created if\n"
    "                        missing): iter-000.svg (the start), iterations\n"
    "                        1-5, every 5th to 30, every 10th, the last;\n"
    "                        index.html steps through them (pictures of an\n"
    "                        earlier trace there are removed). Columns 1 and 2\n"
    "                        are shown, or the first two principal\n"
    "                        components when DATA has more; means.svg draws\n"
    "                        each mean (its column 1) at every iteration,\n"
    "                        and is all there is for 1-column DATA. For the\n"
    "                        classic pictures, start from a poor --init-model.\n"
    "  --online              stepwise online EM: read DATA once per pass, a\n"
    "                        batch at a time, one step per batch (memory:\n"
    "                        a batch and the model, whatever DATA's\n"
    "                        length; DATA may be an endless stream on\n"
    "                        standard input). Not with --memory, --trace,\n"
    "                        --weights, --init-model, --init-resp or under\n"
    "                        mpirun;\n"
    "                        --tol, --max-iter and --n-init do not apply\n"
    "  --batch-size B        rows per online step (default 50000; at least\n"
    "                        K and 2)\n"
    "  --passes P            times --online reads DATA (1; a file for more)\n"
    "  -v, --verbose         report every iteration and a summary on stderr\n"
    "  -h, --help            show this help\n"
    FIT_PRIORS_HELP
    "\n"
    "A fit that did not converge says so on stderr and is saved with\n"
    "\"converged\": false. SIGINT or SIGTERM stops the fit after the current\n"
    "iteration; no model file is written. A fit that fails leaves the model\n"
    "file and the trace as they were. With --online, a signal stops the\n"
    "reading after the current batch and the model learnt so far is\n"
    "written (the way to end an endless stream); a malformed line fails,\n"
    "naming it, and writes nothing.\n"
    "\n"
    "Under mpirun (mpirun -np P gmm fit DATA.npy ...) each rank reads only\n"
    "its share of the rows of DATA, a .npy file at the same path on every\n"
    "node; sums are added across ranks, rank 0 reports and writes the\n"
    "model, the others print nothing, and a failure on any rank stops all.\n";

/* What the command line says beyond the library's options. */
typedef struct fit_request {
    const char *data_path;
    const char *output_path;
    const char *covariance;
    const char *dtype;
    const char *init;
    const char *init_model_path;
    const char *init_resp_path;
    const char *fix;
    const char *weights_path;
    const char *trace_dir;
    const char *missing;
    size_t memory_limit; /* --memory; 0: read DATA into memory          */
    int verbose;
    int online;          /* --online, with its batch size and passes      */
    size_t batch_size;
    int passes;
    fit_priors priors;
} fit_request;

/* The choices given by name, through the library's own name tables. */
static int parse_choices(const fit_request *request, gmm_options *options)
{
    if (request->covariance != NULL &&
        gmm_covariance_type_parse(request->covariance,
                                  &options->covariance_type) != GMM_OK)
        return cli_usage_error("fit", "--covariance: expected %s; got '%s'",
                               cli_covariance_type_names(),
                               request->covariance);
    if (request->dtype != NULL &&
        gmm_dtype_parse(request->dtype, &options->dtype) != GMM_OK)
        return cli_usage_error("fit", "--dtype: expected float64 or float32, "
                               "got '%s'", request->dtype);
    if (request->init != NULL &&
        gmm_init_method_parse(request->init, &options->init_params) != GMM_OK)
        return cli_usage_error("fit",
                               "--init: expected kmeans, k-means++, random or "
                               "random_from_data, got '%s'",
                               request->init);
    if (request->fix != NULL &&
        gmm_fixed_parse(request->fix, &options->fixed) != GMM_OK)
        return cli_usage_error("fit", "--fix: expected a comma-separated list "
                               "of weights, means and covariances, each at "
                               "most once, got '%s'", request->fix);
    if (request->fix != NULL && request->init_model_path == NULL)
        return cli_usage_error("fit", "--fix %s needs --init-model: the fixed "
                               "parameters keep the initial model's values",
                               request->fix);
    int code = cli_parse_missing("fit", request->missing, &options->missing);
    if (code == CLI_EXIT_OK && options->missing != GMM_MISSING_ERROR &&
        (request->online || request->trace_dir))
        code = cli_usage_error("fit", "--missing %s: not with %s",
                               request->missing,
                               request->online ? "--online" : "--trace");
    return code;
}

/* At most one file on standard input, and one start: --init-resp
 * replaces both --init and --init-model's parameters. */
static int check_starts(const fit_request *request)
{
    const char *paths[] = {request->data_path, request->weights_path,
                           request->init_resp_path};
    const char *names[] = {"DATA", "--weights", "--init-resp"};
    const char *first = NULL;
    for (size_t i = 0; i < 3; i++) {
        if (!paths[i] || strcmp(paths[i], "-") != 0)
            continue;
        if (first)
            return cli_usage_error("fit", "%s and %s cannot both be standard "
                                   "input (-)", first, names[i]);
        first = names[i];
    }
    if (request->init_resp_path && (request->init || request->init_model_path))
        return cli_usage_error("fit", "--init-resp gives the start, so %s "
                               "cannot be given with it",
                               request->init ? "--init" : "--init-model");
    return CLI_EXIT_OK;
}

/* Take the initial parameters from a model that fits the command line:
 * the same K and covariance type, and as many features as the data. */
static int use_init_model(const fit_request *request, const gmm_model *init,
                          size_t n_features, gmm_options *options)
{
    const char *path = request->init_model_path;
    if (gmm_model_n_components(init) != options->n_components)
        return cli_usage_error("fit", "--init-model %s has %zu components, "
                               "but -k is %zu",
                               path, gmm_model_n_components(init),
                               options->n_components);
    if (gmm_model_covariance_type(init) != options->covariance_type)
        return cli_usage_error(
            "fit", "--init-model %s has covariance '%s', but --covariance is '%s'",
            path, gmm_covariance_type_name(gmm_model_covariance_type(init)),
            gmm_covariance_type_name(options->covariance_type));
    if (gmm_model_n_features(init) != n_features)
        return cli_error("fit", CLI_EXIT_INPUT,
                         "--init-model %s has %zu features, but %s has %zu "
                         "columns",
                         path, gmm_model_n_features(init), request->data_path,
                         n_features);
    options->weights_init = gmm_model_weights(init);
    options->means_init = gmm_model_means(init);
    options->covariances_init = gmm_model_covariances(init);
    return CLI_EXIT_OK;
}

static void print_summary(const gmm_model *model, const fit_rows *rows,
                          const fit_progress *progress, const char *output)
{
    int n_ranks = cli_ranks_get()->size;
    char streamed[96] = "", ranks[32] = "";
    if (rows->memory_limit > 0)
        snprintf(streamed, sizeof streamed, " (streamed, at most %zu bytes of "
                 "rows in memory%s)", rows->memory_limit,
                 n_ranks > 1 ? " per rank" : "");
    if (n_ranks > 1)
        snprintf(ranks, sizeof ranks, " on %d MPI ranks", n_ranks);
    fprintf(stderr,
            "Fitted %zu components (%s covariance) to %zu rows x %zu features"
            "%s%s in %.3fs\n"
            "%s after %d iterations (best of n_init %d), lower bound %.10g; "
            "saved to %s\n",
            gmm_model_n_components(model),
            gmm_covariance_type_name(gmm_model_covariance_type(model)),
            rows->n_rows, rows->n_cols, streamed, ranks,
            fit_progress_elapsed(progress),
            gmm_model_converged(model) ? "Converged" : "Not converged",
            gmm_model_n_iter(model), gmm_model_options(model)->n_init,
            gmm_model_lower_bound(model), output);
}

/* The model's JSON into the outputs (rank 0 alone writes: every rank
 * holds the same model). */
static int write_model(cli_outputs *outputs, const gmm_model *model,
                       const char *path)
{
    return cli_outputs_write(outputs, path, cli_write_model, model);
}

/* What a fit needs besides the rows, made before any rank starts
 * fitting: the model, and the progress callback, which polls for signals
 * even without -v and, with --trace, records the pictures' parameters.
 * options->progress_user_data points into it: it must not move. */
typedef struct fit_run {
    fit_progress progress;
    fit_trace trace;
    gmm_model *model;
} fit_run;

static int fit_run_start(fit_run *run, const fit_request *request,
                         gmm_options *options, const fit_rows *rows)
{
    options->progress = fit_progress_report;
    options->progress_user_data = &run->progress;
    if (request->trace_dir) {
        int started = fit_trace_start(&run->trace, &run->progress, options,
                                      rows->n_cols);
        if (started != CLI_EXIT_OK)
            return started;
        options->progress = fit_trace_report;
        options->progress_user_data = &run->trace;
    }
    gmm_error err;
    run->model = gmm_model_new(options, &err);
    return run->model != NULL ? CLI_EXIT_OK : cli_fail("fit", &err);
}

static void fit_run_free(fit_run *run)
{
    fit_trace_free(&run->trace);
    gmm_model_free(run->model);
}

/* Fit, then write the model and the trace and put them in place
 * together (rank 0 alone writes). */
static int fit_and_save(fit_run *run, const fit_request *request,
                        const gmm_options *options, const fit_rows *rows,
                        cli_outputs *outputs)
{
    gmm_model *model = run->model;
    gmm_error err;
    fit_progress_start(&run->progress, request->verbose);
    gmm_status status = fit_rows_fit(rows, model, &err);
    fit_progress_finish(&run->progress);
    if (status != GMM_OK && rows->mpi_comm != NULL)
        cli_ranks_failed_together();

    /* An interruption wins over whatever the fit said, even success: the
     * user asked for no model. */
    int code = cli_interrupt_check("fit");
    if (code == CLI_EXIT_OK && run->trace.out_of_memory)
        code = cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    if (code == CLI_EXIT_OK && status != GMM_OK)
        code = cli_fail_on_data("fit", request->data_path, &err);
    if (code != CLI_EXIT_OK)
        return code;
    /* scikit-learn's ConvergenceWarning, which it too skips for max_iter
     * 0 (the user asked for the initial parameters). */
    if (!gmm_model_converged(model) && options->max_iter > 0)
        cli_warning("fit",
                    "no initialization converged within --max-iter %d. "
                    "Try different init parameters, or increase "
                    "--max-iter, --tol or check for degenerate data.",
                    options->max_iter);
    if (cli_ranks_get()->rank != 0)
        return CLI_EXIT_OK;
    code = write_model(outputs, model, request->output_path);
    if (code == CLI_EXIT_OK && request->trace_dir)
        code = fit_trace_write(outputs, request->trace_dir, &run->trace, model,
                               options, request->data_path, &rows->data,
                               rows->weights.values);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_commit(outputs);
    if (code == CLI_EXIT_OK && request->trace_dir)
        fit_trace_prune(request->trace_dir, &run->trace);
    if (code == CLI_EXIT_OK && request->verbose)
        print_summary(model, rows, &run->progress, request->output_path);
    return code;
}

/* Where the model and the trace go, checked before any work (on rank 0,
 * which writes them), and not over an input. */
static int check_outputs(const fit_request *request, cli_outputs *outputs)
{
    if (cli_ranks_get()->rank != 0)
        return CLI_EXIT_OK;
    int code = cli_outputs_add(outputs, "-o", request->output_path, 1);
    if (code == CLI_EXIT_OK && request->trace_dir)
        code = cli_outputs_add_folder(outputs, "--trace", request->trace_dir);
    const cli_input inputs[] = {{"DATA", request->data_path},
                                {"--weights", request->weights_path},
                                {"--init-model", request->init_model_path},
                                {"--init-resp", request->init_resp_path}};
    if (code == CLI_EXIT_OK)
        code = cli_outputs_refuse_inputs(outputs, inputs,
                                         sizeof inputs / sizeof inputs[0]);
    return code;
}

/* Read the rows (or their file's header) and the init model; the options
 * are complete but for the progress callback. */
static int prepare(fit_request *request, gmm_options *options,
                   fit_rows *rows, gmm_model **init, gmm_data *init_resp)
{
    int code = fit_rows_open(rows, request->data_path, request->weights_path,
                             request->memory_limit, cli_ranks_get()->comm,
                             options->missing);
    /* The pictures draw the rows, so they need them in memory. */
    if (code == CLI_EXIT_OK && rows->in_file && request->trace_dir != NULL)
        code = cli_usage_error("fit", "--trace is not supported %s: its "
                               "pictures need the rows in memory",
                               fit_rows_mode(rows));
    if (code == CLI_EXIT_OK)
        code = fit_priors_apply(&request->priors, rows->n_cols, options);
    if (code == CLI_EXIT_OK && request->init_model_path != NULL) {
        code = cli_load_model("fit", request->init_model_path, init);
        if (code == CLI_EXIT_OK)
            code = use_init_model(request, *init, rows->n_cols, options);
    }
    if (code == CLI_EXIT_OK && request->init_resp_path != NULL) {
        code = cli_read_resp("fit", request->init_resp_path, rows->n_rows,
                             options->n_components, init_resp);
        options->init_resp = init_resp->values;
    }
    return code;
}

/* What --online cannot be combined with, and its batch size. */
static int check_online(const fit_request *request, const gmm_options *options)
{
    const char *other = request->memory_limit ? "--memory"
                        : request->trace_dir     ? "--trace"
                        : request->weights_path  ? "--weights"
                        : request->init_model_path ? "--init-model"
                        : request->init_resp_path  ? "--init-resp"
                        : options->weight_prior != GMM_WEIGHT_PRIOR_NONE
                            ? "--prior"
                            : NULL;
    if (other)
        return cli_usage_error("fit", "--online cannot be combined with %s",
                               other);
    if (cli_ranks_get()->comm != NULL)
        return cli_usage_error("fit", "--online is not supported under mpirun");
    size_t least = options->n_components > 2 ? options->n_components : 2;
    if (request->batch_size < least)
        return cli_usage_error("fit", "--batch-size %zu: a batch initializes "
                               "the model, so it needs at least %zu rows (K "
                               "and 2)", request->batch_size, least);
    if (request->passes > 1 && strcmp(request->data_path, "-") == 0)
        return cli_usage_error("fit", "--passes %d reads DATA again, so it "
                               "must be a file, not standard input",
                               request->passes);
    return CLI_EXIT_OK;
}

/* The online fit, then the model written: at the end of the input, or
 * when a signal stopped the reading of what may be an endless stream
 * (then whatever stopped the reading, a line cut short included, gives
 * way to the model learnt so far). */
static int online_and_save(fit_run *run, const fit_request *request,
                           cli_outputs *outputs)
{
    fit_online online = {.data_path = request->data_path,
                         .batch_size = request->batch_size,
                         .passes = request->passes,
                         .verbose = request->verbose};
    gmm_error err;
    gmm_status status = fit_online_run(&online, run->model, &err);
    int signal_number = cli_interrupt_signal(), code = CLI_EXIT_OK;
    if (signal_number && gmm_model_is_fitted(run->model)) {
        cli_warning("fit", "stopped by signal %d after %zu rows; saving the "
                    "model learnt so far", signal_number, online.n_rows);
        cli_interrupt_clear();
    } else if (signal_number) {
        code = cli_interrupt_check("fit");
    } else if (status != GMM_OK) {
        code = cli_fail("fit", &err);
    }
    if (code == CLI_EXIT_OK)
        code = write_model(outputs, run->model, request->output_path);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_commit(outputs);
    if (code == CLI_EXIT_OK && request->verbose)
        fprintf(stderr, "Fitted %zu components (%s covariance) online to %zu "
                "rows x %zu features in %d batches; saved to %s\n",
                gmm_model_n_components(run->model),
                gmm_covariance_type_name(gmm_model_covariance_type(run->model)),
                online.n_rows, online.n_cols, gmm_model_n_iter(run->model),
                request->output_path);
    fit_online_free(&online);
    return code;
}

int cmd_fit(int argc, char **argv)
{
    gmm_options options;
    gmm_options_init(&options);
    fit_request request = {.batch_size = GMM_ONLINE_BATCH_SIZE, .passes = 1};
    cli_option prior[FIT_PRIORS_N_OPTIONS];
    fit_priors_options(&request.priors, prior);
    const cli_option option_table[] = {
        {"--n-components", "-k", CLI_ARG_SIZE, &options.n_components, 1, 1},
        {"--output", "-o", CLI_ARG_STRING, &request.output_path, 0, 1},
        {"--covariance", NULL, CLI_ARG_STRING, &request.covariance, 0, 0},
        {"--dtype", NULL, CLI_ARG_STRING, &request.dtype, 0, 0},
        {"--tol", NULL, CLI_ARG_REAL, &options.tol, 0, 0},
        {"--reg-covar", NULL, CLI_ARG_REAL, &options.reg_covar, 0, 0},
        {"--max-iter", NULL, CLI_ARG_INT, &options.max_iter, 0, 0},
        {"--n-init", NULL, CLI_ARG_INT, &options.n_init, 1, 0},
        {"--init", NULL, CLI_ARG_STRING, &request.init, 0, 0},
        {"--init-model", NULL, CLI_ARG_STRING, &request.init_model_path, 0, 0},
        {"--init-resp", NULL, CLI_ARG_STRING, &request.init_resp_path, 0, 0},
        {"--fix", NULL, CLI_ARG_STRING, &request.fix, 0, 0},
        {"--equal-weights", NULL, CLI_ARG_FLAG, &options.equal_weights, 0, 0},
        {"--weights", NULL, CLI_ARG_STRING, &request.weights_path, 0, 0},
        {"--missing", NULL, CLI_ARG_STRING, &request.missing, 0, 0},
        {"--seed", NULL, CLI_ARG_SEED, &options.seed, 0, 0},
        {"--threads", NULL, CLI_ARG_THREADS, &options.n_threads, 0, 0},
        {"--memory", NULL, CLI_ARG_BYTES, &request.memory_limit, 1, 0},
        {"--trace", NULL, CLI_ARG_STRING, &request.trace_dir, 0, 0},
        {"--verbose", "-v", CLI_ARG_FLAG, &request.verbose, 0, 0},
        {"--online", NULL, CLI_ARG_FLAG, &request.online, 0, 0},
        {"--batch-size", NULL, CLI_ARG_SIZE, &request.batch_size, 1, 0},
        {"--passes", NULL, CLI_ARG_INT, &request.passes, 1, 0},
        prior[0], prior[1], prior[2], prior[3], prior[4], prior[5],
    };
    static const char *const positional_names[] = {"DATA"};
    const cli_command command = {"fit", fit_help, option_table,
                                 sizeof option_table / sizeof option_table[0],
                                 positional_names, 1};
    int code = cli_parse(&command, argc, argv, &request.data_path);
    if (code != CLI_PARSE_OK)
        return code;
    code = parse_choices(&request, &options);
    if (code == CLI_EXIT_OK)
        code = fit_priors_choose(&request.priors, &options);
    if (code == CLI_EXIT_OK && options.weight_prior != GMM_WEIGHT_PRIOR_NONE &&
        request.init_model_path)
        code = cli_usage_error("fit", "--init-model: not with --prior (a "
                               "variational fit starts from its --init)");
    if (code == CLI_EXIT_OK && request.online)
        code = check_online(&request, &options);
    if (code != CLI_EXIT_OK)
        return code;

    code = check_starts(&request);
    if (code != CLI_EXIT_OK)
        return code;
    cli_outputs outputs;
    cli_outputs_init(&outputs, "fit");
    code = check_outputs(&request, &outputs);
    code = cli_ranks_agree("fit", code);
    if (code != CLI_EXIT_OK || cli_arguments_only()) {
        cli_outputs_free(&outputs);
        return code;
    }

    /* A rank that stopped between iterations would leave the others
     * waiting in the next sum for ever; under mpirun a signal is left to
     * mpirun, which ends every rank. */
    int own_signals = cli_ranks_get()->comm == NULL;
    if (own_signals)
        cli_interrupt_while_reading("fit");
    fit_rows rows = {0};
    fit_run run = {0};
    gmm_model *init = NULL;
    gmm_data init_resp = {0};
    /* Online, DATA is read by the fit itself, a batch at a time. */
    if (!request.online)
        code = prepare(&request, &options, &rows, &init, &init_resp);
    /* Online, reading goes on once a model exists (fit_online.c). */
    if (own_signals && !request.online)
        cli_interrupt_defer();
    if (code == CLI_EXIT_OK)
        code = fit_run_start(&run, &request, &options, &rows);
    /* Every rank fits, or none: a failure found here on one rank is told
     * to all before the fit rather than inside it. Rank 0's save is
     * agreed on with the exit status in main (cli_ranks_finish): when it
     * fails, every rank exits non-zero, since the job did not do what it
     * was asked. */
    code = cli_ranks_agree("fit", code);
    if (code == CLI_EXIT_OK && request.online)
        code = online_and_save(&run, &request, &outputs);
    else if (code == CLI_EXIT_OK)
        code = fit_and_save(&run, &request, &options, &rows, &outputs);

    cli_outputs_free(&outputs);
    fit_run_free(&run);
    gmm_model_free(init);
    gmm_data_free(&init_resp);
    fit_rows_free(&rows);
    fit_priors_free(&request.priors);
    return code;
}
