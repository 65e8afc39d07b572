/* One sender of the network benchmark: N records through sawmill's
 * SocketHandler (CPython's pickled frames) to 127.0.0.1:PORT, then prints
 * the seconds the N logging calls took (with the final flush).
 *   net_sender PORT N [BATCH_BYTES [FORMAT]]
 * BATCH_BYTES > 0 batches frames (flushed when full, at ERROR, every 100 ms
 * and at the end); 0 or absent sends each record on its own, as CPython.
 * FORMAT: a %-style format set on the handler (the records go out as their
 * dict all the same: it shows what formatting would cost). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sawmill.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int port, n, i;
    double start, elapsed;
    sawmill_logger *logger;
    sawmill_handler *h;
    if (argc < 3) {
        fprintf(stderr, "usage: net_sender PORT N\n");
        return 2;
    }
    port = atoi(argv[1]);
    n = atoi(argv[2]);
    logger = sawmill_get_logger("bench");
    /* A long send timeout: the benchmark measures, it must not drop. */
    h = sawmill_socket_handler_new_ex("127.0.0.1", port, false, 0, 60000, 0);
    if (h == NULL) {
        fprintf(stderr, "net_sender: %s\n", sawmill_last_error());
        return 1;
    }
    if (argc > 3 && atoi(argv[3]) > 0 &&
        sawmill_handler_set_buffering(h, (size_t)atoi(argv[3]), SAWMILL_LEVEL_ERROR, 100) !=
            SAWMILL_OK) {
        fprintf(stderr, "net_sender: %s\n", sawmill_last_error());
        return 1;
    }
    if (argc > 4) {
        sawmill_formatter *f = sawmill_formatter_new(argv[4], NULL, '%');
        if (f == NULL || sawmill_handler_set_formatter(h, f) != SAWMILL_OK) {
            fprintf(stderr, "net_sender: %s\n", sawmill_last_error());
            return 1;
        }
        sawmill_formatter_release(f);
    }
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_add_handler(logger, h);
    start = now();
    for (i = 0; i < n; i++) {
        SAWMILL_INFO(logger, "Hello logger: msg number %d", i);
    }
    sawmill_handler_flush(h);
    elapsed = now() - start;
    if (sawmill_handler_dropped_count(h) != 0 || sawmill_handler_error_count(h) != 0) {
        fprintf(stderr, "net_sender: %llu dropped, %llu errors\n",
                (unsigned long long)sawmill_handler_dropped_count(h),
                (unsigned long long)sawmill_handler_error_count(h));
        return 1;
    }
    sawmill_handler_release(h);
    printf("%.6f\n", elapsed);
    return 0;
}
