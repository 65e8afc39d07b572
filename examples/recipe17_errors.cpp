// Cookbook recipe 17 in C++: the decorator is an RAII guard
// (sawmill::LogIfErrors); an exception escaping the call is the recipe's
// logger.exception('call failed') through LogIfErrors::run. Output on stderr.
#include <cstdio>

#include "sawmill.hpp"

namespace {

sawmill::Logger logger = sawmill::Logger::get("__main__");

void write_line(const char *s) { std::fprintf(stderr, "%s\n", s); }

bool foo(bool fail) {
    write_line("about to log at DEBUG ...");
    logger.debug("Actually logged at DEBUG");
    write_line("about to log at INFO ...");
    logger.info("Actually logged at INFO");
    write_line("about to log at WARNING ...");
    logger.warning("Actually logged at WARNING");
    if (fail) {
        write_line("about to log at ERROR ...");
        logger.error("Actually logged at ERROR");
        write_line("about to log at CRITICAL ...");
        logger.critical("Actually logged at CRITICAL");
    }
    return fail;
}

bool decorated_foo(bool fail) {
    sawmill::LogIfErrors guard(logger);
    return guard.run([fail] { return foo(fail); });
}

}  // namespace

int main() {
    logger.add_handler(sawmill::Handler::null());
    logger.set_level(SAWMILL_LEVEL_DEBUG);
    write_line("Calling undecorated foo with False");
    if (foo(false)) return 1;
    write_line("Calling undecorated foo with True");
    if (!foo(true)) return 1;
    write_line("Calling decorated foo with False");
    if (decorated_foo(false)) return 1;
    write_line("Calling decorated foo with True");
    if (!decorated_foo(true)) return 1;
    return 0;
}
