/* Caller-side latency through an async logger, Quill's hot-path method:
 * each thread logs batches of 20 records timed together, 50,000 batches
 * with a short pause between them (so the background thread keeps up and
 * the queue never fills); a record's latency is its batch's time / 20.
 * Shared by queue_latency_sawmill.c and queue_latency_spdlog.cpp. */
#ifndef QUEUE_LATENCY_H
#define QUEUE_LATENCY_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define QL_BATCH 20
#define QL_PAUSE_NS 20000

static inline long long ql_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The pause between batches: a busy wait (a sleep would be ~60 us). */
static inline void ql_pause(void) {
    long long end = ql_now_ns() + QL_PAUSE_NS;
    while (ql_now_ns() < end) {
    }
}

static int ql_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Prints p50/p90/p99/p99.9/max of `n` per-record latencies in ns. */
static inline void ql_report(const char *who, int threads, double *lat, size_t n) {
    qsort(lat, n, sizeof *lat, ql_cmp);
    printf("%s threads=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f\n", who, threads,
           lat[n / 2], lat[n * 90 / 100], lat[n * 99 / 100], lat[n * 999 / 1000], lat[n - 1]);
}

#endif
