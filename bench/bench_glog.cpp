// glog's side: LOG(INFO) to its own log file (its fixed format), buffered
// as glog does by default, or with no buffering for write_through.
#include <glog/logging.h>

#include <string>

#include "bench_common.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        return 2;
    }
    std::string workload = argv[1];
    long records = std::atol(argv[2]);
    FLAGS_log_dir = argv[3];
    FLAGS_logtostderr = false;
    FLAGS_stderrthreshold = 3;
    FLAGS_logbuflevel = workload == "write_through" ? -1 : 0;
    google::InitGoogleLogging("bench_glog");
    double start = bench_now();
    for (long i = 0; i < records; i++) {
        LOG(INFO) << "Hello logger: msg number " << i;
    }
    google::FlushLogFiles(google::GLOG_INFO);
    google::ShutdownGoogleLogging();
    bench_report(bench_now() - start);
    return 0;
}
