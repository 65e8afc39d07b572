// Cookbook recipe 1 in C++: a parent logger configured in one module,
// children created (not configured) in another (recipe01_auxiliary.cpp).
// Writes spam.log into argv[1].
#include <sawmill.hpp>

#include <string>

#include "recipe01_auxiliary.hpp"

int main(int argc, char **argv) {
    // create logger with 'spam_application'
    sawmill::Logger logger = sawmill::Logger::get("spam_application");
    logger.set_level(SAWMILL_LEVEL_DEBUG);
    // create file handler which logs even debug messages
    sawmill::Handler fh = sawmill::Handler::file((std::string(argc > 1 ? argv[1] : ".") + "/spam.log").c_str());
    fh.set_level(SAWMILL_LEVEL_DEBUG);
    // create console handler with a higher log level
    sawmill::Handler ch = sawmill::Handler::stream(2);
    ch.set_level(SAWMILL_LEVEL_ERROR);
    // create formatter and add it to the handlers
    sawmill::Formatter formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s");
    fh.set_formatter(formatter);
    ch.set_formatter(formatter);
    // add the handlers to the logger
    logger.add_handler(fh);
    logger.add_handler(ch);

    logger.info("creating an instance of auxiliary_module.Auxiliary");
    auxiliary_module::Auxiliary a;
    logger.info("created an instance of auxiliary_module.Auxiliary");
    logger.info("calling auxiliary_module.Auxiliary.do_something");
    a.do_something();
    logger.info("finished auxiliary_module.Auxiliary.do_something");
    logger.info("calling auxiliary_module.some_function()");
    auxiliary_module::some_function();
    logger.info("done with auxiliary_module.some_function()");
    return 0;
}
