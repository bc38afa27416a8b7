/*
 * ranks.c — the gmm command as an MPI job (cli.h's cli_ranks_*).
 *
 * `mpirun -np P gmm fit ...` starts P copies of the same command. MPI is
 * started through the library (gmm_mpi_start), so this layer never sees
 * mpi.h, and only when a launcher started the process: a plain `gmm` stays
 * a plain process. Ranks other than 0 print nothing, so that the job
 * reports once (rank 0 knows everything: the model is the same on every
 * rank, and a failure on any rank is reported to all of them, with its
 * message).
 *
 * A rank may fail where the others do not (its own files, memory, command
 * line) and return early, past agreements the others make. So the last
 * agreement is made by every rank on its way out (cli_ranks_finish): a
 * rank that skipped ahead meets the others in whichever agreement they
 * wait in, the library's inside a fit included (they are the same
 * exchange, gmm_mpi_agree), and from then on nobody exchanges anything.
 */
#include <stdio.h>

#include "cli.h"
#include "dist/launch.h"

/* Set once at start-up, read-only after. */
static cli_ranks ranks = {NULL, 0, 1};

/* Every rank knows of a failure: no agreement exchanges anything more. */
static int failed_together;

/* Point a stream at /dev/null; a failure only means this rank prints too. */
static void silence(FILE *stream)
{
    if (freopen("/dev/null", "w", stream) == NULL)
        clearerr(stream);
}

int cli_ranks_start(int *argc, char ***argv)
{
    gmm_error err;
    if (gmm_mpi_start(argc, argv, &ranks.comm, &ranks.rank, &ranks.size,
                      &err) != GMM_OK) {
        fprintf(stderr, "gmm: %s\n", err.message);
        return cli_exit_code(err.status);
    }
    if (ranks.rank != 0) {
        silence(stdout);
        silence(stderr);
    }
    return CLI_EXIT_OK;
}

const cli_ranks *cli_ranks_get(void)
{
    return &ranks;
}

int cli_ranks_agree(const char *cmd, int code)
{
    if (ranks.comm == NULL || failed_together)
        return code;
    gmm_error outcome = {code == CLI_EXIT_OK ? GMM_OK : GMM_ERR_INVALID, ""};
    if (code != CLI_EXIT_OK && cli_last_error()[0] != '\0')
        snprintf(outcome.message, sizeof outcome.message, "%s", cli_last_error());
    else if (code != CLI_EXIT_OK)
        snprintf(outcome.message, sizeof outcome.message, "exit status %d", code);
    if (gmm_mpi_agree(ranks.comm, &outcome) == GMM_OK)
        return code;
    failed_together = 1;
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd == NULL)
        fprintf(stderr, "gmm: %s\n", outcome.message);
    else
        cli_error(cmd, CLI_EXIT_FAILURE, "%s", outcome.message);
    return CLI_EXIT_FAILURE;
}

void cli_ranks_failed_together(void)
{
    failed_together = 1;
}

int cli_ranks_finish(const char *cmd, int code)
{
    code = cli_ranks_agree(cmd, code);
    gmm_mpi_stop(ranks.comm);
    return code;
}
