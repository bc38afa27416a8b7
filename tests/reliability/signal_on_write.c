/*
 * signal_on_write.c — LD_PRELOAD shim for reliability.interrupt: raise the
 * signal numbered by $GMM_TEST_SIGNAL_ON_FSYNC inside fsync, that is in the
 * middle of an atomic write (after the bytes, before the rename), where a
 * real Ctrl-C is too quick to aim at.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int fsync(int fd)
{
    int (*real_fsync)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    const char *signal_number = getenv("GMM_TEST_SIGNAL_ON_FSYNC");
    if (signal_number != NULL)
        raise(atoi(signal_number));
    return real_fsync(fd);
}
