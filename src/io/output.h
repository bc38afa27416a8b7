/*
 * output.h — the files a caller writes, replaced all at once or left as
 * they were (io layer, internal): the one writer behind gmm_model_save and
 * every file the gmm command writes.
 *
 * A write has three steps, so that a caller with several outputs (a model
 * and its pictures) can check them all before any work, write them all,
 * and replace them only when every one was written:
 *   io_output_prepare  before any work: where the file goes, and whether
 *                      it can go there (nothing is created);
 *   io_output_begin    a temporary file to write into (output->fd);
 *   io_output_commit   every prepared output put in place, or none.
 * io_output_discard drops an output at any step: its temporary file goes
 * and what was at its name stays as it was.
 *
 * What a name may be, and what happens to what is there:
 *   - a new or an existing regular file: the bytes go to a temporary file
 *     in the same folder, flushed to disk, then renamed over it, so that an
 *     interruption or a full disk never leaves half a file; a file replaced
 *     keeps its permissions and, where allowed, its owner and group;
 *   - a symbolic link is followed to its target (which is replaced, the
 *     link stays);
 *   - a character device or a FIFO (/dev/null, /dev/full, a pipe made by
 *     mkfifo) is written through: the bytes are staged in an unnamed
 *     temporary file and copied to it at commit, so that its own errors
 *     (/dev/full: "No space left on device") are the write's;
 *   - a folder, a block device or a socket is refused.
 */
#ifndef GMM_IO_OUTPUT_H
#define GMM_IO_OUTPUT_H

#include <sys/stat.h>

#include "gmm.h"

typedef enum io_output_kind {
    IO_OUTPUT_NEW,      /* nothing is there yet: created                   */
    IO_OUTPUT_REPLACE,  /* a regular file: replaced                        */
    IO_OUTPUT_THROUGH,  /* a character device or FIFO: written through     */
    IO_OUTPUT_STDOUT    /* the process's standard output: written through  */
} io_output_kind;

typedef struct io_output {
    char *name;           /* as the caller gave it, for messages           */
    char *target;         /* the file replaced: name with links followed   */
    char *temp;           /* the temporary file beside target, while it
                             exists                                         */
    int fd;               /* open on the bytes written, from begin; -1     */
    io_output_kind kind;
    struct stat existing; /* the target's, unless kind is IO_OUTPUT_NEW    */
} io_output;

/* Decide where `name` goes and check that it can go there: its folder
 * exists and may be written, it is not a folder, a block device or a
 * socket, links resolve. Creates nothing. On failure output holds nothing
 * to free. */
gmm_status io_output_prepare(io_output *output, const char *name,
                             gmm_error *err);

/* The same for the process's standard output, written through at commit;
 * `name` is for messages ("<stdout>"). */
gmm_status io_output_prepare_stdout(io_output *output, const char *name,
                                    gmm_error *err);

/* Create the temporary file (or the staging file of an output written
 * through) and open output->fd on it for writing. The caller writes its
 * bytes there (a dup of the descriptor for stdio: output->fd must stay
 * open) and calls io_output_finish. */
gmm_status io_output_begin(io_output *output, gmm_error *err);

/* Everything written is flushed to disk (a temporary file beside its
 * target), so that the rename cannot expose a file that a crash empties. */
gmm_status io_output_finish(io_output *output, gmm_error *err);

/* Put the n outputs in place, in two rounds: first every output written
 * through (the round that can fail on the device's own errors), then the
 * renames. On the first failure the outputs not yet in place are
 * discarded and its error returned. Every output is freed, whatever
 * happened. */
gmm_status io_output_commit(io_output *outputs, size_t n, gmm_error *err);

/* Remove the temporary file, if any, and free the output; harmless on an
 * output never prepared (zeroed) or already committed or discarded. */
void io_output_discard(io_output *output);

/* Whether output's target is the regular file `info` describes (an input
 * read by the same command, which the write must not replace; devices and
 * FIFOs, written through, destroy nothing). */
int io_output_is(const io_output *output, const struct stat *info);

/* The three steps for one file of `size` bytes. */
gmm_status io_write_file_atomic(const char *path, const char *bytes,
                                size_t size, gmm_error *err);

#endif
