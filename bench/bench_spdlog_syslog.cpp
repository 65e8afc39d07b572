// spdlog's syslog sink (syslog(3) to /dev/log; spdlog has no network
// syslog sink). bench/run_syslog.py runs it in a private mount namespace
// whose /dev/log is the test daemon's socket, so nothing else is touched.
//   bench_spdlog_syslog RECORDS
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "bench_common.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        return 2;
    }
    long records = std::atol(argv[1]);
    auto logger = spdlog::syslog_logger_st("bench", "bench", 0, LOG_USER, false);
    logger->set_pattern("%v");
    double start = bench_now();
    for (long i = 0; i < records; i++) {
        logger->info(BENCH_MESSAGE, static_cast<int>(i));
    }
    logger->flush();
    double seconds = bench_now() - start;
    bench_report(seconds);
    return 0;
}
