/*
 * ranks.c — the gmm command as an MPI job (cli.h's cli_ranks_*).
 *
 * `mpirun -np P gmm fit ...` starts P copies of the same command. MPI is
 * started through the library (gmm_mpi_start), so this layer never sees
 * mpi.h, and only when a launcher started the process: a plain `gmm` stays
 * a plain process. Ranks other than 0 print nothing, so that the job
 * reports once (rank 0 knows everything: the model is the same on every
 * rank, and a failure on any rank is reported to all of them).
 */
#include <stdio.h>

#include "cli.h"

/* Set once at start-up, read-only after. */
static cli_ranks ranks = {NULL, 0, 1};

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
    if (ranks.comm == NULL)
        return code;
    int any_failed = gmm_mpi_any_failed(ranks.comm, code != CLI_EXIT_OK);
    if (code != CLI_EXIT_OK || !any_failed)
        return code;
    return cli_error(cmd, CLI_EXIT_FAILURE, "another MPI rank failed (only "
                     "rank 0 prints its errors); all ranks stop");
}

void cli_ranks_stop(void)
{
    gmm_mpi_stop(ranks.comm);
}
