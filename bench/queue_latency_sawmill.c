/* sawmill's side of bench/queue_latency.sh: a QueueHandler (block, 65,536
 * slots) in front of a FileHandler with the bench pattern.
 *   latency THREADS BATCHES OUTDIR    per-record latency percentiles
 *   throughput THREADS RECORDS OUTDIR records/s to the file, drained
 * With QL_PIN=1 (latency, one thread) the listener runs on CPU 1 and the
 * logging thread on CPU 0: the cache lines they share always cross cores,
 * the machine's load aside. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "sawmill.h"
#include "queue_latency.h"

static sawmill_logger *logger;
static long batches;
static long records;
static sawmill_handler *queue;

static void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *latency_thread(void *arg) {
    double *lat = (double *)arg;
    long b;
    int i;
    if (getenv("QL_PIN") != NULL && atoi(getenv("QL_PIN")) == 1) {
        /* The listener starts on the first queued call (or with the
         * handler) and inherits the caller's CPUs. */
        pin_to(1);
        SAWMILL_INFO(logger, "warm-up %d", 0);
        sawmill_handler_flush(queue);
        pin_to(0);
    }
    for (b = 0; b < batches; b++) {
        long long t0 = ql_now_ns();
        for (i = 0; i < QL_BATCH; i++) {
            SAWMILL_INFO(logger, "Hello logger: msg number %d", i);
        }
        lat[b] = (double)(ql_now_ns() - t0) / QL_BATCH;
        ql_pause();
    }
    return NULL;
}

static void *throughput_thread(void *arg) {
    long i;
    (void)arg;
    for (i = 0; i < records; i++) {
        SAWMILL_INFO(logger, "Hello logger: msg number %ld", i);
    }
    return NULL;
}

int main(int argc, char **argv) {
    char path[4096];
    sawmill_handler *file;
    sawmill_formatter *f;
    pthread_t t[16];
    int threads, k;
    double *lat;
    long long start;
    if (argc != 5) return 2;
    threads = atoi(argv[2]);
    if (threads < 1 || threads > 16) return 2;
    snprintf(path, sizeof path, "%s/sawmill-queue.log", argv[4]);
    file = sawmill_file_handler_new(path, "w", false);
    sawmill_handler_set_buffering(file, 64 * 1024, SAWMILL_LEVEL_CRITICAL, 0);
    f = sawmill_formatter_new("%(asctime)s - %(name)s - %(levelname)s - %(message)s", NULL, '%');
    sawmill_handler_set_formatter(file, f);
    queue = sawmill_queue_handler_new(&file, 1, false, 65536, SAWMILL_OVERFLOW_BLOCK, 0);
    logger = sawmill_get_logger("bench");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_set_propagate(logger, false);
    sawmill_logger_add_handler(logger, queue);
    if (strcmp(argv[1], "latency") == 0) {
        batches = atol(argv[3]);
        lat = (double *)malloc(sizeof *lat * (size_t)batches * (size_t)threads);
        for (k = 0; k < threads; k++) pthread_create(&t[k], NULL, latency_thread, lat + k * batches);
        for (k = 0; k < threads; k++) pthread_join(t[k], NULL);
        sawmill_handler_flush(queue);
        ql_report("sawmill", threads, lat, (size_t)batches * (size_t)threads);
        free(lat);
    } else {
        records = atol(argv[3]) / threads;
        start = ql_now_ns();
        for (k = 0; k < threads; k++) pthread_create(&t[k], NULL, throughput_thread, NULL);
        for (k = 0; k < threads; k++) pthread_join(t[k], NULL);
        sawmill_handler_flush(queue);
        printf("sawmill threads=%d records_per_s=%.0f\n", threads,
               (double)(records * threads) / ((double)(ql_now_ns() - start) / 1e9));
    }
    sawmill_handler_release(queue);
    sawmill_handler_release(file);
    sawmill_formatter_release(f);
    return 0;
}
