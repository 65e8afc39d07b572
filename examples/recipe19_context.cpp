// Cookbook recipe 19 in C++: sawmill::LoggingContext is the `with` block.
#include <sawmill.hpp>

int main() {
    sawmill::Logger logger = sawmill::Logger::get("foo");
    logger.add_handler(sawmill::Handler::stream(2));
    logger.set_level(SAWMILL_LEVEL_INFO);
    logger.info("1. This should appear just once on stderr.");
    logger.debug("2. This should not appear.");
    {
        sawmill::LoggingContext ctx(logger, SAWMILL_LEVEL_DEBUG);
        logger.debug("3. This should appear once on stderr.");
    }
    logger.debug("4. This should not appear.");
    sawmill::Handler h = sawmill::Handler::stream(1);
    {
        sawmill::LoggingContext ctx(logger, SAWMILL_LEVEL_DEBUG, &h, true);
        logger.debug("5. This should appear twice - once on stderr and once on stdout.");
    }
    logger.info("6. This should appear just once on stderr.");
    logger.debug("7. This should not appear.");
    return 0;
}
