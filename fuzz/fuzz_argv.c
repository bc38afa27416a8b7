/*
 * fuzz_argv.c — libFuzzer target for the gmm command's argument handling:
 * every subcommand's option table through the parser (cli_parse: flags,
 * "--name=value", strict numbers and their ranges, sizes with suffixes,
 * required, repeated and unknown options, positionals, "--"), the choices
 * given by name (covariance types and lists, select's --k lists, criteria,
 * init methods, dtypes), the checks of options against each other, and of
 * the output paths against the file system and the inputs. It runs the
 * command line as main does (cli_run), with cli_set_arguments_only on:
 * each subcommand returns once its arguments are handled, before it reads,
 * computes or writes anything, so that no input can make the fuzzer fit
 * data or touch a file (output paths are looked at, never created).
 *
 * Input: the first byte chooses the subcommand (one in nine inputs names
 * it by its own bytes instead, to reach unknown commands), the rest are
 * the arguments, NUL-separated. The run happens in a fresh folder holding
 * d.csv and m.json, which arguments may name as inputs and outputs.
 *
 * Properties (abort() keeps the input): the exit status is 0 (accepted,
 * or --help), 2 (a usage error) or 3 (an output that cannot be written);
 * a failure says why on stderr, in lines of "gmm ..." and "Try 'gmm ...",
 * and an accepted command line says nothing there.
 */
#define _GNU_SOURCE /* memfd_create */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

#define MAX_WORDS 64

static const char *const subcommands[] = {
    "fit", "predict", "score", "sample", "kmeans", "info", "select", "plot"};
enum { N_SUBCOMMANDS = sizeof subcommands / sizeof subcommands[0] };

/* stderr's messages land in a memory file, read after each run. */
static int stderr_file = -1;

/* The runs' folder; libFuzzer's own paths (corpus, artifacts) are
 * relative to where it started, so each run goes there and back. */
static char folder[] = "/tmp/gmm-fuzz-argv-XXXXXX";
static char data_path[64], model_path[64];

static void remove_folder(void)
{
    unlink(data_path), unlink(model_path);
    rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!mkdtemp(folder))
        abort();
    atexit(remove_folder);
    snprintf(data_path, sizeof data_path, "%s/d.csv", folder);
    snprintf(model_path, sizeof model_path, "%s/m.json", folder);
    FILE *data = fopen(data_path, "w"), *model = fopen(model_path, "w");
    if (!data || !model)
        abort();
    fputs("1,2\n3,4\n5,7\n", data);
    fputs("{}\n", model);
    fclose(data), fclose(model);
    stderr_file = memfd_create("stderr", MFD_CLOEXEC);
    if (stderr_file < 0 || !freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

/* The stderr of one run, NUL-terminated (malloc'd). */
static char *take_stderr(void)
{
    fflush(stderr);
    off_t size = lseek(stderr_file, 0, SEEK_END);
    char *text = malloc((size_t)size + 1);
    if (!text || pread(stderr_file, text, (size_t)size, 0) != size)
        abort();
    text[size] = '\0';
    /* stderr shares the file's offset: back to the start for the next. */
    if (ftruncate(stderr_file, 0) != 0 || lseek(stderr_file, 0, SEEK_SET) != 0)
        abort();
    return text;
}

/* Every line is the command's: "gmm CMD: ..." or "Try 'gmm ...". */
static int messages_well_formed(const char *text)
{
    for (const char *line = text; *line;) {
        if (strncmp(line, "gmm ", 4) != 0 && strncmp(line, "gmm: ", 5) != 0 &&
            strncmp(line, "Try 'gmm ", 9) != 0)
            return 0;
        const char *end = strchr(line, '\n');
        if (!end)
            return 0;
        line = end + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    /* The words: a copy, NUL-terminated, split at each NUL. */
    char *text = malloc(size);
    memcpy(text, bytes + 1, size - 1);
    text[size - 1] = '\0';
    char *argv[MAX_WORDS + 3];
    int argc = 0;
    argv[argc++] = "gmm";
    size_t choice = bytes[0] % (N_SUBCOMMANDS + 1);
    if (choice < N_SUBCOMMANDS)
        argv[argc++] = (char *)subcommands[choice];
    for (char *word = text; word < text + size - 1 && argc < MAX_WORDS + 2;
         word += strlen(word) + 1)
        argv[argc++] = word;
    argv[argc] = NULL;
    /* An argument's own line ends break the lines of a message that
     * quotes it: only its first line is then the command's. */
    int one_line = 1;
    for (int i = 1; i < argc; i++)
        one_line &= strchr(argv[i], '\n') == NULL;

    int saved = dup(STDERR_FILENO), started = open(".", O_RDONLY | O_DIRECTORY);
    if (saved < 0 || started < 0 || dup2(stderr_file, STDERR_FILENO) < 0 ||
        chdir(folder) != 0)
        abort();
    cli_set_arguments_only(1);
    const char *ran;
    int code = cli_run(argc, argv, &ran);
    char *messages = take_stderr();
    if (fchdir(started) != 0)
        abort();
    close(started);
    dup2(saved, STDERR_FILENO);
    close(saved);

    int said = messages[0] != '\0';
    /* gmm with no arguments prints the usage on stderr. */
    int usage = argc == 1;
    if ((code != CLI_EXIT_OK && code != CLI_EXIT_USAGE &&
         code != CLI_EXIT_INPUT) ||
        (code != CLI_EXIT_OK && !said) || (code == CLI_EXIT_OK && said) ||
        (said && !usage && one_line && !messages_well_formed(messages)) ||
        (said && !usage && strncmp(messages, "gmm", 3) != 0)) {
        fprintf(stderr, "exit status %d for", code);
        for (int i = 0; i < argc; i++)
            fprintf(stderr, " [%s]", argv[i]);
        fprintf(stderr, "\nstderr: %s\n", messages);
        abort();
    }
    free(messages);
    free(text);
    return 0;
}
