/*
 * file.h — reading files whole or in pieces (io layer, internal; output.h
 * writes them). The readers and the model file work on memory; these and
 * output.c are the only places that touch the file system, so every
 * system-call failure is reported in one consistent way ("PATH: cannot
 * open: No such file ...").
 */
#ifndef GMM_IO_FILE_H
#define GMM_IO_FILE_H

#include <stddef.h>

#include "gmm.h"

/* How much of a data file the readers hold besides its values: nothing
 * next to the data, and enough that the reads' system calls are lost in
 * the copying and parsing (bench/RESULTS.md note 24: the piece size did
 * not matter over a wide range). */
#define IO_PIECE_SIZE ((size_t)1 << 20)

/* Open path for reading, refusing directories ("PATH: cannot open: ...",
 * "PATH: is a directory, not a file"). *regular says whether it is a
 * regular file, whose size is then *file_size (0 for pipes and
 * terminals). The caller closes *fd. */
gmm_status io_open_file(const char *path, int *fd, int *regular,
                        size_t *file_size, gmm_error *err);

/* A file read front to back a piece at a time, for readers that need only
 * the bytes they are working on (the CSV parser): bytes[0, size) has been
 * read and not yet dropped, with a NUL after it. */
typedef struct io_stream {
    int fd;
    const char *name;   /* for messages                                    */
    char *bytes;
    size_t size;
    size_t capacity;    /* of bytes, the NUL's byte included              */
    int at_end;         /* end of file seen: nothing more will come        */
    int (*stop)(void);  /* asked when a read is interrupted by a signal:
                           non-zero fails it (GMM_ERR_INTERRUPTED); NULL
                           (as opened): the read goes on                  */
} io_stream;

/* Start reading fd (not closed by the stream) with a buffer of piece_size
 * bytes, and read the first piece. */
gmm_status io_stream_open(io_stream *stream, int fd, const char *name,
                          size_t piece_size, gmm_error *err);

/* Drop the first `consumed` bytes, move the rest to the front and read
 * until the buffer is full or the file ends. When the rest fills the
 * buffer already (a line longer than a piece), the buffer doubles first,
 * so every refill of a stream not at its end adds bytes. */
gmm_status io_stream_refill(io_stream *stream, size_t consumed,
                            gmm_error *err);

/* Read on until at least `size` bytes are held or the file ends, the
 * buffer growing as needed (to at most twice size). */
gmm_status io_stream_read_to(io_stream *stream, size_t size, gmm_error *err);

/* Read and drop everything that remains, holding none of it: *skipped
 * gets how many bytes (SIZE_MAX if more). */
gmm_status io_stream_skip_rest(io_stream *stream, size_t *skipped,
                               gmm_error *err);

/* Free the buffer (the descriptor stays open); harmless twice. */
void io_stream_close(io_stream *stream);

#endif
