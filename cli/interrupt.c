/*
 * interrupt.c — what SIGINT and SIGTERM do, so that an interrupted command
 * stops promptly and never leaves a half-written or stale output file.
 *
 * Three behaviours, in the order a command meets them:
 *  - at first, none of ours: the signal ends the process as usual (no
 *    output file has been begun, so there is nothing to clean up);
 *  - while reading (gmm fit, select, kmeans: cli_interrupt_while_reading):
 *    the handler ends the process at once with 128 + the signal and the
 *    same message a deferred signal gets, however the read is going (a
 *    pipe that stalls, a device that never ends);
 *  - deferred (cli_interrupt_defer: those commands' computations, and
 *    every command's writing of its output files): the handler only
 *    records the signal; the library's progress callback
 *    (cli_interrupt_polled, or gmm fit's, which calls cli_interrupt_signal)
 *    sees it at its next poll (after the current EM iteration, Lloyd
 *    iteration or k-means++ seed) and stops the computation, and
 *    cli_outputs_commit discards the files written; the command exits
 *    with 128 + the signal's number. Stopping between passes is cheap and
 *    keeps the library free of signal handling.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { MODE_EXIT = 1, MODE_DEFER = 2 };

static volatile sig_atomic_t caught_signal;
static volatile sig_atomic_t mode;
static const char *volatile exit_command = "";

/* write(2) is async-signal-safe, stdio is not. */
static void say(const char *text)
{
    if (write(STDERR_FILENO, text, strlen(text)) < 0)
        return;
}

/* cli_interrupt_check's message, built without stdio or strsignal (not
 * async-signal-safe); the two names are glibc's. */
static void exit_now(int signal_number)
{
    char number[4] = {0};
    int n = signal_number;
    number[0] = (char)('0' + n / 10 % 10);
    number[1] = (char)('0' + n % 10);
    say("gmm ");
    say(exit_command);
    say(": interrupted by signal ");
    say(n >= 10 ? number : number + 1);
    say(signal_number == SIGINT ? " (Interrupt)\n" : " (Terminated)\n");
    _exit(CLI_EXIT_SIGNAL + signal_number);
}

static void on_signal(int signal_number)
{
    caught_signal = signal_number;
    if (mode == MODE_EXIT)
        exit_now(signal_number);
}

static void install_handler(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    /* No SA_RESTART: a write blocked on a pipe returns EINTR, so that a
     * deferred signal is not held up by a reader that never reads. */
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

void cli_interrupt_while_reading(const char *cmd)
{
    exit_command = cmd;
    mode = MODE_EXIT;
    install_handler();
}

void cli_interrupt_defer(void)
{
    if (mode == MODE_DEFER)
        return;
    mode = MODE_DEFER;
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

void cli_interrupt_clear(void)
{
    caught_signal = 0;
}
