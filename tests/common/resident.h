/*
 * resident.h — the process's resident memory, for the tests that bound a
 * fit's or a read's memory (tests/core/test_labels.c,
 * tests/io/test_read_memory.c). Linux only: /proc and ru_maxrss in KiB.
 */
#ifndef GMM_TESTS_RESIDENT_H
#define GMM_TESTS_RESIDENT_H

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* MEASURING: 0 under AddressSanitizer, whose shadow memory and
 * quarantine make resident sizes meaningless. */
#if defined(__SANITIZE_ADDRESS__)
#define MEASURING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEASURING 0
#endif
#endif
#ifndef MEASURING
#define MEASURING 1
#endif

/* Bytes resident now (0 when /proc cannot say). */
static inline size_t resident_bytes(void)
{
    FILE *statm = fopen("/proc/self/statm", "r");
    unsigned long pages = 0, resident = 0;
    if (statm) {
        if (fscanf(statm, "%lu %lu", &pages, &resident) != 2)
            resident = 0;
        fclose(statm);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* The most bytes resident at any time so far. */
static inline size_t peak_resident_bytes(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (size_t)usage.ru_maxrss * 1024;
}

#endif
