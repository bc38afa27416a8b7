/*
 * file.h — whole-file reads and atomic whole-file writes (io layer,
 * internal). The readers and the model file work on memory; these are the
 * only places that touch the file system, so every system-call failure is
 * reported in one consistent way ("PATH: cannot open: No such file ...").
 */
#ifndef GMM_IO_FILE_H
#define GMM_IO_FILE_H

#include <stddef.h>

#include "gmm.h"

/* Read all of path into *bytes (malloc'd, with a NUL after the *size
 * bytes, freed by the caller). Directories are refused. */
gmm_status io_read_file(const char *path, char **bytes, size_t *size,
                        gmm_error *err);

/* The same from an open descriptor (standard input); `name` is for
 * messages. */
gmm_status io_read_fd(int fd, const char *name, char **bytes, size_t *size,
                      gmm_error *err);

/* Replace path by exactly these bytes, or leave it untouched: write a
 * temporary file in the same folder, fsync it, rename it over path. On
 * any failure (a full disk included) the temporary file is removed. */
gmm_status io_write_file_atomic(const char *path, const char *bytes,
                                size_t size, gmm_error *err);

#endif
