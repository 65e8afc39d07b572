/* sawmill's SysLogHandler to a syslog daemon on loopback.
 *   bench_syslog TRANSPORT PROTOCOL BATCH RECORDS TARGET
 * TRANSPORT udp|tcp|unix, PROTOCOL legacy|rfc5424, BATCH 0 (write-through:
 * one syscall per record) or 1 (the house buffering policy, 64 KiB,
 * ERROR flushes at once: TCP writes coalesced, datagrams via sendmmsg),
 * TARGET a port (udp, tcp) or a socket path (unix). Prints seconds=…
 * from the first record to after flush+close, and the handler's errors. */
#include <stdlib.h>
#include <string.h>

#include "sawmill.h"
#include "bench_common.h"

int main(int argc, char **argv) {
    sawmill_syslog_options opts;
    sawmill_handler *h;
    sawmill_logger *logger = sawmill_get_logger("bench");
    long records, i;
    double start, seconds;
    if (argc != 6) {
        fprintf(stderr, "usage: %s udp|tcp|unix legacy|rfc5424 0|1 RECORDS PORT|PATH\n", argv[0]);
        return 2;
    }
    records = atol(argv[4]);
    memset(&opts, 0, sizeof opts);
    if (strcmp(argv[1], "unix") == 0) {
        opts.path = argv[5];
        opts.socktype = SAWMILL_SYSLOG_SOCK_DGRAM;
    } else {
        opts.host = "127.0.0.1";
        opts.port = (uint16_t)atoi(argv[5]);
        opts.socktype = strcmp(argv[1], "tcp") == 0 ? SAWMILL_SYSLOG_SOCK_STREAM
                                                    : SAWMILL_SYSLOG_SOCK_DGRAM;
    }
    opts.protocol = strcmp(argv[2], "rfc5424") == 0 ? SAWMILL_SYSLOG_RFC5424 : SAWMILL_SYSLOG_LEGACY;
    opts.timeout_ms = 5000;
    h = sawmill_syslog_handler_new(&opts);
    if (h == NULL) {
        fprintf(stderr, "%s\n", sawmill_last_error());
        return 1;
    }
    if (atoi(argv[3]) == 1) {
        sawmill_handler_set_buffering(h, 64 * 1024, SAWMILL_LEVEL_ERROR, 100);
    }
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_set_propagate(logger, false);
    sawmill_logger_add_handler(logger, h);
    start = bench_now();
    for (i = 0; i < records; i++) {
        SAWMILL_INFO(logger, BENCH_MESSAGE, (int)i);
    }
    sawmill_handler_flush(h);
    sawmill_handler_close(h);
    seconds = bench_now() - start;
    bench_report(seconds);
    printf("errors=%llu dropped=%llu\n", (unsigned long long)sawmill_handler_error_count(h),
           (unsigned long long)sawmill_handler_dropped_count(h));
    sawmill_handler_release(h);
    return 0;
}
