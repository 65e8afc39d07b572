// The public headers compile as strict C++11, and the C++ wrapper works.
#include <cstring>
#include <string>
#include <vector>

#include "sawmill.h"
#include "sawmill.hpp"

int main() {
    std::vector<std::string> seen;
    sawmill::Logger log = sawmill::Logger::get("cxx.demo");
    log.set_level(SAWMILL_LEVEL_DEBUG);
    log.set_propagate(false);
    sawmill::Handler h = sawmill::Handler::callback([&seen](const sawmill_record *, const char *text, size_t len) {
        seen.push_back(std::string(text, len));
        return 0;
    });
    h.set_formatter(sawmill::Formatter("{levelname}:{name}:{message}", nullptr, '{'));
    log.add_handler(h);
    SAWMILL_INFO(log.handle(), "answer %d", 42);
    log.info("plain text");
    log.remove_handler(h);
    if (seen.size() != 2 || seen[0] != "INFO:cxx.demo:answer 42" || seen[1] != "INFO:cxx.demo:plain text") {
        return 1;
    }
    bool threw = false;
    try {
        sawmill::Formatter bad("no fields");
    } catch (const sawmill::Error &e) {
        threw = e.status() == SAWMILL_ERR_INVALID_ARGUMENT && std::strlen(e.what()) > 0;
    }
    if (!threw) {
        return 1;
    }
    // A constructor's exception carries the status of the failure.
    threw = false;
    try {
        sawmill::Handler::file("/nonexistent-dir/x.log");
    } catch (const sawmill::Error &e) {
        threw = e.status() == SAWMILL_ERR_IO;
    }
    return threw ? 0 : 1;
}
