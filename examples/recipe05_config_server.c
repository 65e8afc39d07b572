/* Cookbook recipe 5: a program configured from logging.conf that listens
 * for new configurations (sent by the cookbook's sender script,
 * examples/python/recipe05_send.py) and logs the same five messages before
 * and after one arrives. The cookbook's version loops every 5 s until
 * Ctrl+C; this one logs once, waits for the new configuration (at most 20 s),
 * logs again and stops listening. The port is written to OUTDIR/port. */
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include "sawmill.h"

static void log_all(sawmill_logger *logger) {
    SAWMILL_DEBUG(logger, "debug message");
    SAWMILL_INFO(logger, "info message");
    SAWMILL_WARNING(logger, "warn message");
    SAWMILL_ERROR(logger, "error message");
    SAWMILL_CRITICAL(logger, "critical message");
}

int main(int argc, char **argv) {
    const char *outdir = argc > 1 ? argv[1] : ".";
    char path[4096];
    int port = 0;
    uint64_t applied = 0;
    sawmill_logger *logger;
    FILE *f;
    int waited;
    struct timespec tick = {0, 10 * 1000 * 1000};

    /* read initial config file */
    snprintf(path, sizeof path, "%s/logging.conf", outdir);
    if (sawmill_file_config(path, true) != SAWMILL_OK) {
        fprintf(stderr, "fileConfig: %s\n", sawmill_last_error());
        return 1;
    }
    /* create and start listener on a free port */
    if (sawmill_config_listen(NULL, 0, NULL, NULL, &port) != SAWMILL_OK) {
        fprintf(stderr, "listen: %s\n", sawmill_last_error());
        return 1;
    }
    logger = sawmill_get_logger("simpleExample");
    log_all(logger);
    fflush(stdout);

    snprintf(path, sizeof path, "%s/port", outdir);
    f = fopen(path, "w");
    if (f == NULL) {
        return 1;
    }
    fprintf(f, "%d\n", port);
    fclose(f);

    for (waited = 0; applied == 0 && waited < 2000; waited++) {
        nanosleep(&tick, NULL);
        sawmill_config_listener_stats(&applied, NULL, NULL);
    }
    if (applied == 0) {
        fprintf(stderr, "no configuration arrived\n");
        return 1;
    }
    log_all(logger);
    /* cleanup */
    sawmill_config_stop_listening();
    return 0;
}
