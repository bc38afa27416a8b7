/*
 * interrupt.c — what SIGINT and SIGTERM do, so that an interrupted command
 * never leaves a half-written or stale output file behind.
 *
 * Two behaviours:
 *  - deferred (gmm fit, select, kmeans): the handler only records the
 *    signal; the library's progress callback (cli_interrupt_polled, or
 *    gmm fit's, which calls cli_interrupt_signal) sees it at its next poll
 *    (after the current EM iteration, Lloyd iteration or k-means++ seed)
 *    and stops the computation, and the command exits with 128 + the
 *    signal's number without writing its output. Stopping between passes
 *    is cheap and keeps the library free of signal handling.
 *  - immediate (every other command): the process dies of the signal as
 *    usual, but first removes the temporary file an atomic write may be
 *    filling (cli_write_file_atomic).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t caught_signal;
static volatile sig_atomic_t deferring;
static const char *volatile path_to_remove;

static void on_signal(int signal_number)
{
    caught_signal = signal_number;
    if (deferring)
        return;
    const char *path = path_to_remove;
    if (path != NULL)
        unlink(path);
    /* Die of the signal, as without a handler, so a shell or a parent
     * process sees the usual status. */
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static void install_handler(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    /* No SA_RESTART: a read blocked on standard input returns EINTR, so
     * `gmm fit -` can be interrupted while it waits for data. */
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

void cli_interrupt_defer(void)
{
    deferring = 1;
    install_handler();
}

void cli_interrupt_remove_on_signal(const char *path)
{
    path_to_remove = path;
    if (path != NULL)
        install_handler();
}

int cli_interrupt_signal(void)
{
    return caught_signal;
}

int cli_interrupt_polled(const gmm_progress *progress, void *user_data)
{
    (void)progress, (void)user_data;
    return caught_signal != 0;
}

int cli_interrupt_check(const char *cmd)
{
    int signal_number = caught_signal;
    if (signal_number == 0)
        return CLI_EXIT_OK;
    return cli_error(cmd, CLI_EXIT_SIGNAL + signal_number,
                     "interrupted by signal %d (%s)", signal_number,
                     strsignal(signal_number));
}
