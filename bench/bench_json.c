/* sawmill's side of the JSON benchmark (bench/json.sh): a record with four
 * extras (str, int, float, bool) through sawmill.JSONFormatter, to a file
 * with a 64 KiB buffer ("file") or formatted and thrown away ("format_only").
 * Run as: bench_json WORKLOAD RECORDS OUTDIR. */
#include <string.h>

#include "sawmill.h"
#include "bench_common.h"

/* The fields the spdlog side prints with its pattern, in the same order. */
#define JSON_OPTIONS "{\"fields\": [\"asctime\", \"levelname\", \"name\", \"message\"]}"

static int discard(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)r;
    *(size_t *)u += len + (size_t)text[0];
    return 0;
}

int main(int argc, char **argv) {
    sawmill_logger *logger;
    sawmill_handler *h;
    sawmill_formatter *f;
    sawmill_extra extras[4] = {
        {"user", SAWMILL_VALUE_STR, "alice", 0, 0.0, false},
        {"request_id", SAWMILL_VALUE_INT, NULL, 0, 0.0, false},
        {"elapsed", SAWMILL_VALUE_FLOAT, NULL, 0, 0.0, false},
        {"cached", SAWMILL_VALUE_BOOL, NULL, 0, 0.0, false},
    };
    size_t sink_bytes = 0;
    double start;
    long i, records;
    char path[4096];
    if (argc != 4) {
        fprintf(stderr, "usage: bench_json WORKLOAD RECORDS OUTDIR\n");
        return 2;
    }
    records = atol(argv[2]);
    logger = sawmill_get_logger("bench");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_set_propagate(logger, false);
    f = sawmill_json_formatter_new(JSON_OPTIONS);
    if (strcmp(argv[1], "file") == 0) {
        snprintf(path, sizeof path, "%s/sawmill.log", argv[3]);
        h = sawmill_file_handler_new(path, "w", false);
        if (h != NULL) {
            sawmill_handler_set_buffering(h, 64 * 1024, SAWMILL_LEVEL_ERROR, 0);
        }
    } else if (strcmp(argv[1], "format_only") == 0) {
        h = sawmill_callback_handler_new(discard, NULL, &sink_bytes, NULL);
    } else {
        fprintf(stderr, "unknown workload %s\n", argv[1]);
        return 2;
    }
    if (h == NULL || f == NULL) {
        fprintf(stderr, "bench_json: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_handler_set_formatter(h, f);
    sawmill_formatter_release(f);
    sawmill_logger_add_handler(logger, h);
    start = bench_now();
    for (i = 0; i < records; i++) {
        extras[1].int_value = i;
        extras[2].float_value = (double)i * 0.25;
        extras[3].bool_value = (i & 1) != 0;
        sawmill_log_ex(logger, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, __func__, "request handled",
                       NULL, NULL, extras, 4);
    }
    sawmill_handler_flush(h);
    sawmill_handler_close(h);
    bench_report(bench_now() - start);
    sawmill_handler_release(h);
    return strcmp(argv[1], "format_only") == 0 && sink_bytes == 0 ? 1 : 0;
}
