/*
 * output.c — the files a command writes (cli.h's cli_outputs): checked
 * before any work, written to temporary files, put in place together when
 * the command has succeeded. The file system's part (links, devices,
 * permissions, temporary names) is the library's io/output.h, so that the
 * command and gmm_model_save follow one policy; here are the command's
 * own rules: option names in messages, standard output as "-", inputs not
 * to be written over, signals, and --trace's folder.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"

void cli_outputs_init(cli_outputs *outputs, const char *cmd)
{
    *outputs = (cli_outputs){.cmd = cmd};
}

int cli_write_model(FILE *out, const void *model, gmm_error *err)
{
    /* A write error is the stream's, reported when it is closed. */
    gmm_status status = gmm_model_write_json(model, out, err);
    return status == GMM_OK || status == GMM_ERR_IO ? 0 : -1;
}

static int fail(const cli_outputs *outputs, const gmm_error *err)
{
    return cli_fail(outputs->cmd, err);
}

static int grow(cli_outputs *outputs)
{
    if (outputs->n < outputs->capacity)
        return CLI_EXIT_OK;
    size_t capacity = outputs->capacity ? 2 * outputs->capacity : 4;
    io_output *files = realloc(outputs->files, capacity * sizeof *files);
    if (files)
        outputs->files = files;
    const char **flags = files ? realloc(outputs->flags, capacity * sizeof *flags)
                               : NULL;
    if (!flags)
        return cli_error(outputs->cmd, CLI_EXIT_NOMEM, "out of memory");
    outputs->flags = flags;
    outputs->capacity = capacity;
    return CLI_EXIT_OK;
}

/* Two options naming one file would have one write replace the other. */
static int refuse_twice(const cli_outputs *outputs, const io_output *added,
                        const char *flag)
{
    for (size_t i = 0; i < outputs->n; i++) {
        const io_output *file = &outputs->files[i];
        int same = (file->kind == IO_OUTPUT_STDOUT &&
                    added->kind == IO_OUTPUT_STDOUT) ||
                   (file->target && added->target &&
                    strcmp(file->target, added->target) == 0) ||
                   (added->kind != IO_OUTPUT_NEW &&
                    io_output_is(file, &added->existing));
        if (same)
            return cli_usage_error(outputs->cmd, "%s and %s name the same "
                                   "file (%s)", outputs->flags[i], flag,
                                   added->name);
    }
    return CLI_EXIT_OK;
}

int cli_outputs_add(cli_outputs *outputs, const char *flag, const char *path,
                    int stdout_ok)
{
    if (path[0] == '\0')
        return cli_usage_error(outputs->cmd, "%s: expected a file name, got "
                               "''", flag);
    int to_stdout = strcmp(path, "-") == 0;
    if (to_stdout && !stdout_ok)
        return cli_usage_error(outputs->cmd, "%s -: standard output carries "
                               "this command's results; give a file name",
                               flag);
    int code = grow(outputs);
    if (code != CLI_EXIT_OK)
        return code;
    io_output *added = &outputs->files[outputs->n];
    gmm_error err;
    if ((to_stdout ? io_output_prepare_stdout(added, "<stdout>", &err)
                   : io_output_prepare(added, path, &err)) != GMM_OK)
        return fail(outputs, &err);
    code = refuse_twice(outputs, added, flag);
    if (code != CLI_EXIT_OK) {
        io_output_discard(added);
        return code;
    }
    outputs->flags[outputs->n++] = flag;
    return CLI_EXIT_OK;
}

int cli_outputs_add_folder(cli_outputs *outputs, const char *flag,
                           const char *path)
{
    if (path[0] == '\0')
        return cli_usage_error(outputs->cmd, "%s: expected a folder name, "
                               "got ''", flag);
    struct stat info;
    if (stat(path, &info) == 0) {
        if (!S_ISDIR(info.st_mode))
            return cli_error(outputs->cmd, CLI_EXIT_INPUT, "%s %s: not a "
                             "folder", flag, path);
        if (access(path, W_OK | X_OK) != 0)
            return cli_error(outputs->cmd, CLI_EXIT_INPUT, "%s %s: cannot "
                             "write in it: %s", flag, path, strerror(errno));
        outputs->folder_exists = 1;
    } else {
        /* Made later: the library checks that its parent can hold it as
         * it checks a new file's folder. */
        io_output probe;
        gmm_error err;
        if (io_output_prepare(&probe, path, &err) != GMM_OK)
            return fail(outputs, &err);
        io_output_discard(&probe);
    }
    outputs->folder = path;
    return CLI_EXIT_OK;
}

/* The file an input names (standard input's for "-"); 0 when there is
 * none to compare (missing: its reader will say so). */
static int stat_input(const char *path, struct stat *info)
{
    if (strcmp(path, "-") == 0)
        return fstat(STDIN_FILENO, info) == 0;
    return stat(path, info) == 0;
}

int cli_outputs_refuse_inputs(const cli_outputs *outputs,
                              const cli_input *inputs, size_t n_inputs)
{
    for (size_t j = 0; j < n_inputs; j++) {
        struct stat info;
        if (!inputs[j].path || !stat_input(inputs[j].path, &info))
            continue;
        for (size_t i = 0; i < outputs->n; i++)
            if (io_output_is(&outputs->files[i], &info))
                return cli_usage_error(outputs->cmd, "%s %s is also the "
                                       "command's input %s; writing it would "
                                       "destroy what is read",
                                       outputs->flags[i],
                                       outputs->files[i].name, inputs[j].what);
    }
    return CLI_EXIT_OK;
}

static io_output *find(cli_outputs *outputs, const char *path)
{
    for (size_t i = 0; i < outputs->n; i++) {
        const io_output *file = &outputs->files[i];
        if (strcmp(file->name, path) == 0 ||
            (file->kind == IO_OUTPUT_STDOUT && strcmp(path, "-") == 0))
            return &outputs->files[i];
    }
    return NULL;
}

/* A file in the folder, added when it is written; the folder is made
 * first if it was missing. */
static io_output *add_in_folder(cli_outputs *outputs, const char *path,
                                int *code)
{
    if (!outputs->folder_exists) {
        int made = mkdir(outputs->folder, 0777) == 0;
        if (!made && errno != EEXIST) {
            *code = cli_error(outputs->cmd, CLI_EXIT_INPUT, "cannot create %s: "
                              "%s", outputs->folder, strerror(errno));
            return NULL;
        }
        outputs->folder_exists = 1;
        outputs->made_folder = made;
    }
    *code = grow(outputs);
    if (*code != CLI_EXIT_OK)
        return NULL;
    io_output *added = &outputs->files[outputs->n];
    gmm_error err;
    if (io_output_prepare(added, path, &err) != GMM_OK) {
        *code = fail(outputs, &err);
        return NULL;
    }
    outputs->flags[outputs->n++] = "--trace";
    return added;
}

/* Write through stdio on a copy of the descriptor, which the output
 * keeps (it reads a staged file back at commit). */
static int write_into(const cli_outputs *outputs, io_output *file,
                      cli_write_fn write_content, const void *content)
{
    int fd = dup(file->fd);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        int error = errno;
        if (fd >= 0)
            close(fd);
        return cli_error(outputs->cmd, CLI_EXIT_INPUT, "%s: cannot write: %s",
                         file->name, strerror(error));
    }
    gmm_error err = {GMM_OK, ""};
    int drawn = write_content(out, content, &err) == 0;
    int error = fflush(out) != 0 || ferror(out) ? errno : 0;
    if (fclose(out) != 0 && error == 0)
        error = errno;
    if (!drawn && err.status != GMM_OK)
        return cli_error(outputs->cmd, cli_exit_code(err.status), "%s: %s",
                         file->name, err.message);
    if (!drawn || error != 0)
        return cli_error(outputs->cmd, CLI_EXIT_INPUT, "%s: cannot write: %s",
                         file->name, strerror(error ? error : EIO));
    if (io_output_finish(file, &err) != GMM_OK)
        return fail(outputs, &err);
    return CLI_EXIT_OK;
}

int cli_outputs_write(cli_outputs *outputs, const char *path,
                      cli_write_fn write_content, const void *content)
{
    cli_interrupt_defer();
    int code = CLI_EXIT_OK;
    io_output *file = find(outputs, path);
    if (!file && outputs->folder)
        file = add_in_folder(outputs, path, &code);
    if (!file)
        return code != CLI_EXIT_OK
                   ? code
                   : cli_error(outputs->cmd, CLI_EXIT_FAILURE, "%s: not an "
                               "output checked before", path);
    gmm_error err;
    if (io_output_begin(file, &err) != GMM_OK)
        return fail(outputs, &err);
    return write_into(outputs, file, write_content, content);
}

int cli_outputs_commit(cli_outputs *outputs)
{
    /* A signal while the files were written: the user asked for none. */
    int code = cli_interrupt_check(outputs->cmd);
    if (code != CLI_EXIT_OK)
        return code;
    gmm_error err;
    gmm_status status = io_output_commit(outputs->files, outputs->n, &err);
    outputs->n = 0;
    if (status == GMM_OK) {
        outputs->made_folder = 0;
        return CLI_EXIT_OK;
    }
    /* A signal that broke a write through a pipe is reported as such. */
    code = cli_interrupt_check(outputs->cmd);
    return code != CLI_EXIT_OK ? code : fail(outputs, &err);
}

void cli_outputs_free(cli_outputs *outputs)
{
    for (size_t i = 0; i < outputs->n; i++)
        io_output_discard(&outputs->files[i]);
    /* Only if empty: nothing of ours is left in it, anything else is not
     * ours to remove. */
    if (outputs->made_folder)
        rmdir(outputs->folder);
    free(outputs->files);
    free(outputs->flags);
    *outputs = (cli_outputs){.cmd = outputs->cmd};
}
