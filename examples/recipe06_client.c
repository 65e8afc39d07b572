/* Cookbook recipe 6, the sending end: a SocketHandler on the root logger
 * sends every record, unformatted, to a receiver on localhost (CPython's
 * cookbook receiver or `sawmill receive`). The port is the first argument
 * (default 9020, logging.handlers.DEFAULT_TCP_LOGGING_PORT). */
#include <stdio.h>
#include <stdlib.h>

#include "sawmill.h"

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 9020;
    sawmill_logger *root = sawmill_get_logger("");
    sawmill_handler *socket_handler = sawmill_socket_handler_new("localhost", port);
    if (socket_handler == NULL) {
        fprintf(stderr, "socket handler: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_logger_set_level(root, SAWMILL_LEVEL_DEBUG);
    /* don't bother with a formatter, since a socket handler sends the event
     * as an unformatted pickle */
    sawmill_logger_add_handler(root, socket_handler);
    sawmill_handler_release(socket_handler);

    /* Now, we can log to the root logger, or any other logger. First the root... */
    SAWMILL_INFO(root, "Jackdaws love my big sphinx of quartz.");

    /* Now, define a couple of other loggers which might represent areas in
     * your application: */
    sawmill_logger *logger1 = sawmill_get_logger("myapp.area1");
    sawmill_logger *logger2 = sawmill_get_logger("myapp.area2");

    SAWMILL_DEBUG(logger1, "Quick zephyrs blow, vexing daft Jim.");
    SAWMILL_INFO(logger1, "How quickly daft jumping zebras vex.");
    SAWMILL_WARNING(logger2, "Jail zesty vixen who grabbed pay from quack.");
    SAWMILL_ERROR(logger2, "The five boxing wizards jump quickly.");
    sawmill_shutdown();
    return 0;
}
