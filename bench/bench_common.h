/* Shared by the C and C++ benchmark programs: the clock and the arguments.
 * Every program is run as: PROGRAM WORKLOAD RECORDS OUTDIR and prints
 * "seconds=<elapsed>" measured from the first record to after flush+close. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline void bench_report(double seconds) {
    printf("seconds=%.9f\n", seconds);
}

#define BENCH_MESSAGE "Hello logger: msg number %d"

#endif
