// Cookbook recipe 1 in C++, the auxiliary module: it only creates child
// loggers of spam_application; their records reach the handlers configured
// in main.
#include "recipe01_auxiliary.hpp"

namespace auxiliary_module {
// create logger
static const sawmill::Logger module_logger = sawmill::Logger::get("spam_application.auxiliary");

Auxiliary::Auxiliary() : logger_(sawmill::Logger::get("spam_application.auxiliary.Auxiliary")) {
    logger_.info("creating an instance of Auxiliary");
}

void Auxiliary::do_something() {
    logger_.info("doing something");
    logger_.info("done doing something");
}

void some_function() {
    module_logger.info("received a call to \"some_function\"");
}
}  // namespace auxiliary_module
