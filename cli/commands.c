/*
 * commands.c — the `gmm` command's command line (cli_run): finds the
 * subcommand and hands it the rest. Each subcommand lives in its own
 * cmd_*.c file; main.c starts and ends the process around this, and the
 * argument fuzzer (fuzz/fuzz_argv.c) calls it directly. Under mpirun
 * every rank runs this (ranks.c); only `gmm fit` shares work.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    int shares_work_over_ranks; /* splits its work over mpirun's ranks;
                                   the others would do it P times over  */
} subcommand;

static const subcommand subcommands[] = {
    {"fit", cmd_fit, "fit a Gaussian mixture to data by EM, save the model", 1},
    {"predict", cmd_predict, "most probable component (or probabilities) per row", 0},
    {"score", cmd_score, "mean log-likelihood, per-row log-likelihoods, BIC or AIC", 0},
    {"sample", cmd_sample, "draw rows from a model", 0},
    {"impute", cmd_impute, "fill in missing entries of data from a model", 0},
    {"kmeans", cmd_kmeans, "k-means clustering: labels and centers", 0},
    {"info", cmd_info, "describe a model file", 0},
    {"select", cmd_select, "choose K and the covariance type by BIC or AIC", 0},
    {"plot", cmd_plot, "draw a mixture over its data (SVG)", 0},
};
static const size_t n_subcommands = sizeof subcommands / sizeof subcommands[0];

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: gmm COMMAND [ARGS...]\n"
            "Gaussian mixture models fitted by EM (scikit-learn 1.2.1 "
            "GaussianMixture semantics).\n\nCommands:\n");
    for (size_t i = 0; i < n_subcommands; i++)
        fprintf(out, "  %-8s %s\n", subcommands[i].name,
                subcommands[i].summary);
    fprintf(out,
            "\n'gmm COMMAND --help' describes a command. DATA is a CSV file "
            "(header optional),\na NumPy .npy file, or - for CSV on standard "
            "input. Models are JSON files.\n\n%s",
            cli_exit_status_help);
}

static int run_subcommand(const subcommand *command, int argc, char **argv)
{
    if (!command->shares_work_over_ranks && cli_ranks_get()->size > 1)
        return cli_usage_error(command->name,
                               "runs as one process; of the subcommands "
                               "only 'gmm fit' shares its work over mpirun's "
                               "ranks");
    return command->run(argc, argv);
}

/* With cli_set_arguments_only, subcommands stop after their arguments. */
static int arguments_only;

void cli_set_arguments_only(int on)
{
    arguments_only = on;
}

int cli_arguments_only(void)
{
    return arguments_only;
}

int cli_run(int argc, char **argv, const char **ran)
{
    *ran = NULL;
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("gmm %s\n", GMM_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < n_subcommands; i++)
        if (strcmp(name, subcommands[i].name) == 0) {
            *ran = subcommands[i].name;
            return run_subcommand(&subcommands[i], argc - 1, argv + 1);
        }
    fprintf(stderr, "gmm: unknown command '%s'\nTry 'gmm --help'.\n", name);
    return CLI_EXIT_USAGE;
}
