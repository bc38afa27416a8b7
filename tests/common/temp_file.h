/*
 * temp_file.h — a temporary file holding given bytes, for the io tests
 * that read the same bytes from a file and from memory (tests/io).
 */
#ifndef GMM_TESTS_TEMP_FILE_H
#define GMM_TESTS_TEMP_FILE_H

#include <stdlib.h>
#include <unistd.h>

/* Makes the file named by the mkstemp template path (rewritten to the
 * name) and writes bytes to it; returns its open descriptor, at offset
 * size, or -1 when it cannot be made or written in full. */
static inline int temp_file_with(char *path, const void *bytes, size_t size)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (write(fd, bytes, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}

#endif
