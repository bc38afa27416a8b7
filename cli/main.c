/*
 * main.c — the `gmm` process: MPI's start and end around the command line
 * (cli_run, commands.c), so that every rank of an mpirun job agrees on how
 * it ended (ranks.c).
 */
#include "cli.h"

int main(int argc, char **argv)
{
    int code = cli_ranks_start(&argc, &argv);
    if (code != CLI_EXIT_OK)
        return code;
    const char *ran;
    code = cli_run(argc, argv, &ran);
    return cli_ranks_finish(ran, code);
}
