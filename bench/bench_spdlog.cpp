// spdlog's side: basic_logger_st/_mt, flush_on(trace), a formatting null
// sink, and the disabled call. Pattern: the nearest equivalent of
// "%(asctime)s - %(name)s - %(levelname)s - %(message)s".
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "bench_common.h"
#include "spdlog_null_sink.hpp"

static const char *kPattern = "%Y-%m-%d %H:%M:%S,%e - %n - %l - %v";

int main(int argc, char **argv) {
    if (argc != 4) {
        return 2;
    }
    std::string workload = argv[1];
    long records = std::atol(argv[2]);
    std::string path = std::string(argv[3]) + "/spdlog.log";
    std::shared_ptr<spdlog::logger> logger;
    if (workload == "threads") {
        logger = spdlog::basic_logger_mt("bench", path, true);
    } else if (workload == "format_only") {
        logger = std::make_shared<spdlog::logger>("bench", std::make_shared<formatting_null_sink>());
    } else {
        logger = spdlog::basic_logger_st("bench", path, true);
    }
    logger->set_pattern(kPattern);
    logger->set_level(spdlog::level::info);
    if (workload == "write_through") {
        logger->flush_on(spdlog::level::trace);
    }
    double start = bench_now();
    if (workload == "disabled") {
        for (long i = 0; i < records; i++) {
            logger->debug("Hello logger: msg number {}", i);
        }
    } else if (workload == "threads") {
        auto half = [&]() {
            for (long i = 0; i < records / 2; i++) {
                logger->info("Hello logger: msg number {}", i);
            }
        };
        std::thread a(half), b(half);
        a.join();
        b.join();
    } else {
        for (long i = 0; i < records; i++) {
            logger->info("Hello logger: msg number {}", i);
        }
    }
    logger->flush();
    spdlog::drop_all();
    logger.reset();
    bench_report(bench_now() - start);
    return 0;
}
