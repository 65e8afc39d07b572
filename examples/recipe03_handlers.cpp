// Cookbook recipe 3 in C++: one logger, a file handler at DEBUG and a
// console handler at ERROR sharing a formatter. Writes spam.log into argv[1].
#include <sawmill.hpp>

#include <string>

int main(int argc, char **argv) {
    std::string path = std::string(argc > 1 ? argv[1] : ".") + "/spam.log";
    sawmill::Logger logger = sawmill::Logger::get("simple_example");
    logger.set_level(SAWMILL_LEVEL_DEBUG);
    // create file handler which logs even debug messages
    sawmill::Handler fh = sawmill::Handler::file(path.c_str());
    fh.set_level(SAWMILL_LEVEL_DEBUG);
    // create console handler with a higher log level
    sawmill::Handler ch = sawmill::Handler::stream(2);
    ch.set_level(SAWMILL_LEVEL_ERROR);
    // create formatter and add it to the handlers
    sawmill::Formatter formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s");
    ch.set_formatter(formatter);
    fh.set_formatter(formatter);
    // add the handlers to logger
    logger.add_handler(ch);
    logger.add_handler(fh);

    // 'application' code
    logger.debug("debug message");
    logger.info("info message");
    logger.warning("warn message");
    logger.error("error message");
    logger.critical("critical message");
    return 0;
}
