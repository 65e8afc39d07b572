/* sawmill's side of the benchmarks. Workloads: buffered, write_through,
 * threads, format_only, disabled, adapter_disabled, hierarchy. */
#include <pthread.h>
#include <string.h>

#include "sawmill.h"
#include "bench_common.h"

#define FORMAT "%(asctime)s - %(name)s - %(levelname)s - %(message)s"

static long records;
static sawmill_logger *logger;

static sawmill_handler *file_handler(const char *dir, const char *name, size_t buffer) {
    char path[4096];
    sawmill_handler *h;
    sawmill_formatter *f = sawmill_formatter_new(FORMAT, NULL, '%');
    snprintf(path, sizeof path, "%s/%s", dir, name);
    h = sawmill_file_handler_new(path, "w", false);
    if (h == NULL || f == NULL) {
        fprintf(stderr, "bench_sawmill: %s\n", sawmill_last_error());
        exit(1);
    }
    sawmill_handler_set_formatter(h, f);
    sawmill_formatter_release(f);
    if (buffer > 0) {
        sawmill_handler_set_buffering(h, buffer, SAWMILL_LEVEL_ERROR, 0);
    }
    return h;
}

static void *log_half(void *arg) {
    long i, n = records / 2;
    (void)arg;
    for (i = 0; i < n; i++) {
        SAWMILL_INFO(logger, BENCH_MESSAGE, (int)i);
    }
    return NULL;
}

static int discard(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)r;
    *(size_t *)u += len + (size_t)text[0];
    return 0;
}

int main(int argc, char **argv) {
    const char *workload = argv[1];
    const char *dir = argv[3];
    sawmill_handler *h = NULL;
    double start, seconds;
    long i;
    size_t sink_bytes = 0;
    if (argc != 4) {
        fprintf(stderr, "usage: bench_sawmill WORKLOAD RECORDS OUTDIR\n");
        return 2;
    }
    records = atol(argv[2]);
    logger = sawmill_get_logger("bench");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_set_propagate(logger, false);

    if (strcmp(workload, "adapter_disabled") == 0) {
        /* SAWMILL_ADAPTER_DEBUG at INFO: the adapter's inline level read. */
        sawmill_adapter *volatile opaque = sawmill_adapter_new(logger, NULL, 0, NULL, NULL, NULL);
        h = sawmill_null_handler_new();
        sawmill_logger_add_handler(logger, h);
        start = bench_now();
        for (i = 0; i < records; i++) {
            SAWMILL_ADAPTER_DEBUG(opaque, BENCH_MESSAGE, (int)i);
        }
        bench_report(bench_now() - start);
        sawmill_adapter_release(opaque);
        return 0;
    }
    if (strcmp(workload, "disabled") == 0) {
        sawmill_logger *volatile opaque = logger;
        h = sawmill_null_handler_new();
        sawmill_logger_add_handler(logger, h);
        start = bench_now();
        for (i = 0; i < records; i++) {
            SAWMILL_DEBUG(opaque, BENCH_MESSAGE, (int)i);
        }
        bench_report(bench_now() - start);
        return 0;
    }
    if (strcmp(workload, "buffered") == 0 || strcmp(workload, "threads") == 0) {
        h = file_handler(dir, "sawmill.log", 64 * 1024);
    } else if (strcmp(workload, "write_through") == 0) {
        h = file_handler(dir, "sawmill.log", 0);
    } else if (strcmp(workload, "rotating") == 0 || strcmp(workload, "rotating_mp") == 0) {
        char path[4096];
        sawmill_formatter *f = sawmill_formatter_new(FORMAT, NULL, '%');
        snprintf(path, sizeof path, "%s/sawmill.log", dir);
        h = sawmill_rotating_file_handler_new(path, "a", 10 * 1024 * 1024, 3, false);
        if (h == NULL || f == NULL) {
            fprintf(stderr, "bench_sawmill: %s\n", sawmill_last_error());
            return 1;
        }
        sawmill_handler_set_formatter(h, f);
        sawmill_formatter_release(f);
        if (strcmp(workload, "rotating_mp") == 0) {
            sawmill_file_handler_set_multiprocess(h, true);
        }
    } else if (strcmp(workload, "format_only") == 0) {
        sawmill_formatter *f = sawmill_formatter_new(FORMAT, NULL, '%');
        h = sawmill_callback_handler_new(discard, NULL, &sink_bytes, NULL);
        sawmill_handler_set_formatter(h, f);
        sawmill_formatter_release(f);
    } else if (strcmp(workload, "hierarchy") == 0) {
        /* a.b.c logs; a.b has a handler that skips INFO (level WARNING);
         * the root's handler writes: 3 loggers and 2 handlers per record. */
        sawmill_handler *skipping = file_handler(dir, "sawmill-skipped.log", 64 * 1024);
        sawmill_handler_set_level(skipping, SAWMILL_LEVEL_WARNING);
        sawmill_logger_add_handler(sawmill_get_logger("a.b"), skipping);
        sawmill_handler_release(skipping);
        h = file_handler(dir, "sawmill.log", 64 * 1024);
        sawmill_logger_add_handler(sawmill_get_logger(NULL), h);
        logger = sawmill_get_logger("a.b.c");
        sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
        start = bench_now();
        for (i = 0; i < records; i++) {
            SAWMILL_INFO(logger, BENCH_MESSAGE, (int)i);
        }
        sawmill_shutdown();
        bench_report(bench_now() - start);
        return 0;
    } else {
        fprintf(stderr, "unknown workload %s\n", workload);
        return 2;
    }
    sawmill_logger_add_handler(logger, h);
    start = bench_now();
    if (strcmp(workload, "threads") == 0) {
        pthread_t t1, t2;
        pthread_create(&t1, NULL, log_half, NULL);
        pthread_create(&t2, NULL, log_half, NULL);
        pthread_join(t1, NULL);
        pthread_join(t2, NULL);
    } else {
        for (i = 0; i < records; i++) {
            SAWMILL_INFO(logger, BENCH_MESSAGE, (int)i);
        }
    }
    sawmill_handler_flush(h);
    sawmill_handler_close(h);
    seconds = bench_now() - start;
    bench_report(seconds);
    if (strcmp(workload, "format_only") == 0 && sink_bytes == 0) {
        return 1;
    }
    return 0;
}
