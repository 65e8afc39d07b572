// spdlog's side of bench/queue_latency.sh: an async logger (thread pool of
// 65,536 slots, one worker, overflow block) in front of a basic file sink
// with the nearest equivalent of the bench pattern.
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "queue_latency.h"

int main(int argc, char **argv) {
    if (argc != 5) return 2;
    int threads = std::atoi(argv[2]);
    long n = std::atol(argv[3]);
    std::string path = std::string(argv[4]) + "/spdlog-async.log";
    spdlog::init_thread_pool(65536, 1);
    auto logger = spdlog::basic_logger_mt<spdlog::async_factory>("bench", path, true);
    logger->set_pattern("%Y-%m-%d %H:%M:%S,%e - %n - %l - %v");
    logger->set_level(spdlog::level::info);
    std::vector<std::thread> pool;
    if (std::strcmp(argv[1], "latency") == 0) {
        std::vector<double> lat((size_t)n * threads);
        for (int k = 0; k < threads; k++) {
            pool.emplace_back([&, k] {
                for (long b = 0; b < n; b++) {
                    long long t0 = ql_now_ns();
                    for (int i = 0; i < QL_BATCH; i++) {
                        logger->info("Hello logger: msg number {}", i);
                    }
                    lat[(size_t)k * n + b] = (double)(ql_now_ns() - t0) / QL_BATCH;
                    ql_pause();
                }
            });
        }
        for (auto &t : pool) t.join();
        logger->flush();
        ql_report("spdlog-async", threads, lat.data(), lat.size());
    } else {
        long per = n / threads;
        long long start = ql_now_ns();
        for (int k = 0; k < threads; k++) {
            pool.emplace_back([&] {
                for (long i = 0; i < per; i++) logger->info("Hello logger: msg number {}", i);
            });
        }
        for (auto &t : pool) t.join();
        // flush() only queues a flush request: drop the logger and shut the
        // pool down, which waits for every queued record.
        logger.reset();
        spdlog::shutdown();
        std::printf("spdlog-async threads=%d records_per_s=%.0f\n", threads,
                    (double)(per * threads) / ((double)(ql_now_ns() - start) / 1e9));
    }
    return 0;
}
