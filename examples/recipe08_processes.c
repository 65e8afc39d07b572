/* Cookbook recipe 8: logging to a single file from multiple processes. The
 * cookbook's answer: every process logs to a SocketHandler and one receiver
 * (here a thread of this process, as the recipe allows: sawmill's receiver)
 * writes the file. Forked children each send numbered records; the parent's
 * receiver hands them all to one logger whose FileHandler writes all.log.
 * Then all.log is read back: every record must be there exactly once and
 * every line whole; the counts are printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "recipes.h"

enum { PROCESSES = 4, RECORDS = 500 };

/* One child: its own logger and SocketHandler, RECORDS numbered records. */
static int child(int index, int port) {
    char name[32];
    sawmill_logger *logger;
    sawmill_handler *h = sawmill_socket_handler_new("127.0.0.1", port);
    int n, status;
    snprintf(name, sizeof name, "worker.%d", index);
    logger = sawmill_get_logger(name);
    if (h == NULL) {
        fprintf(stderr, "%s: %s\n", name, sawmill_last_error());
        return 1;
    }
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(logger, false);
    sawmill_logger_add_handler(logger, h);
    for (n = 0; n < RECORDS; n++) {
        SAWMILL_INFO(logger, "record %d", n);
    }
    sawmill_logger_remove_handler(logger, h);
    sawmill_handler_close(h);
    status = sawmill_handler_error_count(h) == 0 ? 0 : 1;
    sawmill_handler_release(h);
    return status;
}

/* Reads all.log back: counts per worker; 0 when each record is there once. */
static int check_file(const char *path, int counts[PROCESSES]) {
    static unsigned char seen[PROCESSES][RECORDS];
    char line[256];
    int lines = 0, bad = 0, p, n;
    FILE *f = fopen(path, "r");
    memset(seen, 0, sizeof seen);
    if (f == NULL) {
        perror(path);
        return 1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char tail;
        lines++;
        if (sscanf(line, "worker.%d record %d%c", &p, &n, &tail) != 3 || tail != '\n' || p < 0 ||
            p >= PROCESSES || n < 0 || n >= RECORDS || seen[p][n]++) {
            fprintf(stderr, "torn, foreign or repeated line %d: %s", lines, line);
            bad = 1;
            continue;
        }
        counts[p]++;
    }
    fclose(f);
    for (p = 0; p < PROCESSES; p++) {
        bad |= counts[p] != RECORDS;
    }
    printf("all.log: %d lines from %d processes\n", lines, PROCESSES);
    return bad;
}

int recipe08_run(const char *outdir) {
    char path[4096];
    struct timespec tick = {0, 10 * 1000 * 1000};
    sawmill_logger *collector = sawmill_get_logger("collector");
    sawmill_handler *file;
    sawmill_formatter *f = sawmill_formatter_new("%(name)s %(message)s", NULL, '%');
    sawmill_receiver *receiver;
    pid_t pids[PROCESSES];
    int counts[PROCESSES] = {0};
    int i, port, failed = 0;

    snprintf(path, sizeof path, "%s/all.log", outdir);
    file = sawmill_file_handler_new(path, "w", false);
    if (file == NULL || f == NULL) {
        fprintf(stderr, "recipe 8: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_handler_set_formatter(file, f);
    sawmill_formatter_release(f);
    sawmill_logger_add_handler(collector, file);
    sawmill_logger_set_propagate(collector, false);
    receiver = sawmill_receiver_start("127.0.0.1:0", NULL, "collector");
    if (receiver == NULL) {
        fprintf(stderr, "receiver: %s\n", sawmill_last_error());
        return 1;
    }
    port = sawmill_receiver_port(receiver, false);
    fflush(stdout);
    for (i = 0; i < PROCESSES; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            _exit(child(i, port));
        }
    }
    for (i = 0; i < PROCESSES; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    for (i = 0; i < 500 && sawmill_receiver_received_count(receiver) < PROCESSES * RECORDS; i++) {
        nanosleep(&tick, NULL);
    }
    printf("%d processes sent %d records each; the receiver got %llu (%llu rejected)\n", PROCESSES,
           RECORDS, (unsigned long long)sawmill_receiver_received_count(receiver),
           (unsigned long long)sawmill_receiver_rejected_count(receiver));
    sawmill_receiver_stop(receiver);
    sawmill_logger_remove_handler(collector, file);
    sawmill_handler_close(file);
    sawmill_handler_release(file);
    failed |= check_file(path, counts);
    for (i = 0; i < PROCESSES; i++) {
        printf("worker.%d: %d records\n", i, counts[i]);
    }
    printf(failed ? "FAILED: records lost, repeated or torn\n"
                  : "every record exactly once, every line whole\n");
    return failed;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe08_run(argc > 1 ? argv[1] : ".");
}
#endif
