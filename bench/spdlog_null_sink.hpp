// The spdlog side of the format_only workloads: formats every record and
// throws the text away (spdlog's null_sink skips formatting, which would
// not be the same work as sawmill's).
#ifndef SAWMILL_BENCH_SPDLOG_NULL_SINK_HPP
#define SAWMILL_BENCH_SPDLOG_NULL_SINK_HPP

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include <cstddef>

class formatting_null_sink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
public:
    size_t bytes = 0;

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override {
        spdlog::memory_buf_t buf;
        formatter_->format(msg, buf);
        bytes += buf.size();
    }
    void flush_() override {}
};

#endif
