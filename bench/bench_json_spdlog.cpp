// spdlog's side of the JSON benchmark (bench/json.sh). spdlog has no
// per-call extras and no JSON encoder: the nearest equivalent is a pattern
// shaped like the JSON object, with the four values formatted into the
// message by fmt as JSON fields. Nothing is escaped (sawmill escapes every
// string it writes). Run as: bench_json_spdlog WORKLOAD RECORDS OUTDIR.
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <string>

#include "bench_common.h"
#include "spdlog_null_sink.hpp"

// sawmill's line: {"asctime": "2026-12-03 08:00:00,123", "levelname": "INFO",
// "name": "bench", "message": "request handled", "user": "alice",
// "request_id": 7, "elapsed": 1.75, "cached": true}
static const char *kPattern =
    "{\"asctime\": \"%Y-%m-%d %H:%M:%S,%e\", \"levelname\": \"%l\", \"name\": \"%n\", %v}";

int main(int argc, char **argv) {
    if (argc != 4) {
        return 2;
    }
    std::string workload = argv[1];
    long records = std::atol(argv[2]);
    std::shared_ptr<spdlog::logger> logger;
    if (workload == "format_only") {
        logger = std::make_shared<spdlog::logger>("bench", std::make_shared<formatting_null_sink>());
    } else {
        logger = spdlog::basic_logger_st("bench", std::string(argv[3]) + "/spdlog.log", true);
    }
    logger->set_pattern(kPattern);
    logger->set_level(spdlog::level::info);
    const char *user = "alice";
    double start = bench_now();
    for (long i = 0; i < records; i++) {
        logger->info(
            "\"message\": \"request handled\", \"user\": \"{}\", \"request_id\": {}, \"elapsed\": {}, "
            "\"cached\": {}",
            user, i, static_cast<double>(i) * 0.25, (i & 1) != 0);
    }
    logger->flush();
    spdlog::drop_all();
    logger.reset();
    bench_report(bench_now() - start);
    return 0;
}
