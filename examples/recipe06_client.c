/* Cookbook recipe 6: sending and receiving logging events across a network.
 *  - The sending end (send_records): a SocketHandler on the root logger
 *    sends every record, unformatted, to a receiver on localhost. As its own
 *    program it is only that, sending to the port given as the first
 *    argument (default 9020, logging.handlers.DEFAULT_TCP_LOGGING_PORT), for
 *    CPython's cookbook receiver (check_recipe06.py) or `sawmill receive`.
 *  - In the tour (recipe06_run) the receiving end runs in the same process:
 *    sawmill's receiver on an ephemeral loopback port hands each record to
 *    one local logger printing it with the cookbook receiver's format. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sawmill.h"
#include "recipes.h"

static int send_records(int port) {
    sawmill_logger *root = sawmill_get_logger("");
    sawmill_logger *logger1, *logger2;
    sawmill_handler *socket_handler = sawmill_socket_handler_new("localhost", port);
    if (socket_handler == NULL) {
        fprintf(stderr, "socket handler: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_logger_set_level(root, SAWMILL_LEVEL_DEBUG);
    /* don't bother with a formatter, since a socket handler sends the event
     * as an unformatted pickle */
    sawmill_logger_add_handler(root, socket_handler);

    /* Now, we can log to the root logger, or any other logger. First the root... */
    SAWMILL_INFO(root, "Jackdaws love my big sphinx of quartz.");

    /* Now, define a couple of other loggers which might represent areas in
     * your application: */
    logger1 = sawmill_get_logger("myapp.area1");
    logger2 = sawmill_get_logger("myapp.area2");

    SAWMILL_DEBUG(logger1, "Quick zephyrs blow, vexing daft Jim.");
    SAWMILL_INFO(logger1, "How quickly daft jumping zebras vex.");
    SAWMILL_WARNING(logger2, "Jail zesty vixen who grabbed pay from quack.");
    SAWMILL_ERROR(logger2, "The five boxing wizards jump quickly.");
    sawmill_logger_remove_handler(root, socket_handler);
    sawmill_handler_close(socket_handler);
    sawmill_handler_release(socket_handler);
    return 0;
}

int recipe06_run(const char *outdir) {
    /* The receiving end: every record goes to the logger "receiver", whose
     * handler prints it as the cookbook's receiver does. It does not
     * propagate, so nothing goes back out through the root's SocketHandler. */
    sawmill_logger *local = sawmill_get_logger("receiver");
    sawmill_handler *console = sawmill_stream_handler_new(2);
    sawmill_formatter *f =
        sawmill_formatter_new("%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s", NULL, '%');
    struct timespec tick = {0, 10 * 1000 * 1000};
    sawmill_receiver *receiver;
    int i, status;
    (void)outdir;
    sawmill_handler_set_formatter(console, f);
    sawmill_formatter_release(f);
    sawmill_logger_add_handler(local, console);
    sawmill_handler_release(console);
    sawmill_logger_set_propagate(local, false);
    receiver = sawmill_receiver_start("127.0.0.1:0", NULL, "receiver");
    if (receiver == NULL) {
        fprintf(stderr, "receiver: %s\n", sawmill_last_error());
        return 1;
    }
    printf("About to start TCP server... (port %d)\n", sawmill_receiver_port(receiver, false));
    fflush(stdout);
    status = send_records(sawmill_receiver_port(receiver, false));
    for (i = 0; i < 500 && sawmill_receiver_received_count(receiver) < 5; i++) {
        nanosleep(&tick, NULL);
    }
    if (sawmill_receiver_received_count(receiver) != 5) {
        fprintf(stderr, "received %llu records, expected 5\n",
                (unsigned long long)sawmill_receiver_received_count(receiver));
        status = 1;
    }
    sawmill_receiver_stop(receiver);
    return status;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    int status = send_records(argc > 1 ? atoi(argv[1]) : 9020);
    sawmill_shutdown();
    return status;
}
#endif
