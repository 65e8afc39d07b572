// Cookbook recipe 15 in C++: the division throws, and Logger::exception in
// the catch block logs the exception being handled ("<type>: <what()>") as
// the record's exception text, printed on one line by the formatter's
// one-line exception style. Writes output.txt into argv[1].
#include <cstdio>
#include <stdexcept>
#include <string>

#include "sawmill.hpp"

struct ZeroDivisionError : std::runtime_error {
    ZeroDivisionError() : std::runtime_error("division by zero") {}
};

namespace {

int divide(int a, int b) {
    if (b == 0) throw ZeroDivisionError();
    return a / b;
}

void configure_logging(const std::string &outdir) {
    sawmill::Formatter f("%(asctime)s|%(levelname)s|%(message)s|", "%d/%m/%Y %H:%M:%S");
    f.set_one_line_exceptions(true);
    sawmill::Handler fh = sawmill::Handler::file((outdir + "/output.txt").c_str(), "w");
    fh.set_formatter(f);
    sawmill::Logger root = sawmill::Logger::root();
    root.set_level(SAWMILL_LEVEL_DEBUG);
    root.add_handler(fh);
}

}  // namespace

int main(int argc, char **argv) {
    configure_logging(argc > 1 ? argv[1] : ".");
    sawmill::Logger root = sawmill::Logger::root();
    root.info("Sample message");
    try {
        int x = divide(1, 0);
        return x;
    } catch (const ZeroDivisionError &e) {
        root.exception(std::string("ZeroDivisionError: ") + e.what());
    }
    return 0;
}
