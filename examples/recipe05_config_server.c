/* Cookbook recipe 5: a program configured from logging.conf that listens
 * for new configurations and logs the same five messages before and after
 * one arrives. The cookbook's version loops every 5 s until Ctrl+C; this one
 * logs once, waits for the new configuration (at most 20 s), logs again and
 * stops listening.
 *  - As its own program (argv[1] = a directory holding logging.conf): the
 *    port is written to DIR/port for the cookbook's sender script
 *    (examples/python/recipe05_send.py), which check_recipe05.py runs.
 *  - In the tour (recipe05_run): the cookbook's logging.conf and the new
 *    configuration are examples/recipe05.logging.conf and recipe05.new.conf,
 *    and a thread plays the sender script (same bytes: a 4-byte big-endian
 *    length, then the file). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "recipes.h"

static void log_all(sawmill_logger *logger) {
    SAWMILL_DEBUG(logger, "debug message");
    SAWMILL_INFO(logger, "info message");
    SAWMILL_WARNING(logger, "warn message");
    SAWMILL_ERROR(logger, "error message");
    SAWMILL_CRITICAL(logger, "critical message");
}

/* The sender script's work: returns 0 when the whole file was sent. */
static int send_config(int port, const char *path) {
    char data[65536];
    size_t len;
    uint32_t be;
    struct sockaddr_in addr = {0};
    int fd, ok;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    len = fread(data, 1, sizeof data, f);
    fclose(f);
    printf("connecting...\n");
    fflush(stdout);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("connect");
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    printf("sending config...\n");
    fflush(stdout);
    be = htonl((uint32_t)len);
    ok = write(fd, &be, 4) == 4 && write(fd, data, len) == (ssize_t)len;
    close(fd);
    printf("complete\n");
    fflush(stdout);
    return ok ? 0 : -1;
}

struct sender {
    int port;
    int status;
};

static void *sender_thread(void *arg) {
    struct sender *s = arg;
    s->status = send_config(s->port, SAWMILL_RECIPE_DATA "/recipe05.new.conf");
    return NULL;
}

/* Configures from `conf`, listens, logs, waits for a new configuration,
 * logs again. `port_file` non-NULL: announce the port there for an outside
 * sender; NULL: send recipe05.new.conf from a thread. */
static int serve(const char *conf, const char *port_file) {
    int port = 0;
    uint64_t applied = 0;
    sawmill_logger *logger;
    int waited;
    struct timespec tick = {0, 10 * 1000 * 1000};
    pthread_t thread;
    struct sender sender = {0, 0};

    /* read initial config file */
    if (sawmill_file_config(conf, true) != SAWMILL_OK) {
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

    if (port_file != NULL) {
        FILE *f = fopen(port_file, "w");
        if (f == NULL) {
            return 1;
        }
        fprintf(f, "%d\n", port);
        fclose(f);
    } else {
        sender.port = port;
        pthread_create(&thread, NULL, sender_thread, &sender);
    }

    for (waited = 0; applied == 0 && waited < 2000; waited++) {
        nanosleep(&tick, NULL);
        sawmill_config_listener_stats(&applied, NULL, NULL);
    }
    if (port_file == NULL) {
        pthread_join(thread, NULL);
    }
    if (applied == 0 || sender.status != 0) {
        fprintf(stderr, "no configuration arrived\n");
        return 1;
    }
    log_all(logger);
    /* cleanup */
    sawmill_config_stop_listening();
    return 0;
}

int recipe05_run(const char *outdir) {
    (void)outdir;
    return serve(SAWMILL_RECIPE_DATA "/recipe05.logging.conf", NULL);
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    const char *outdir = argc > 1 ? argv[1] : ".";
    char conf[4096], port_file[4096];
    snprintf(conf, sizeof conf, "%s/logging.conf", outdir);
    snprintf(port_file, sizeof port_file, "%s/port", outdir);
    return serve(conf, port_file);
}
#endif
