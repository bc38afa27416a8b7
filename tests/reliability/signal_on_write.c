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

/* Which fsync raises it: $GMM_TEST_SIGNAL_ON_FSYNC_NTH, from 1 (the
 * default, the first); a later one is in the middle of a command's
 * second output (gmm fit --trace: a picture, after the model). */
static int fsync_count;

int fsync(int fd)
{
    int (*real_fsync)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    const char *signal_number = getenv("GMM_TEST_SIGNAL_ON_FSYNC");
    const char *nth = getenv("GMM_TEST_SIGNAL_ON_FSYNC_NTH");
    if (signal_number != NULL && ++fsync_count == (nth ? atoi(nth) : 1))
        raise(atoi(signal_number));
    return real_fsync(fd);
}
