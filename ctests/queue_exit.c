/* A QueueHandler drains at normal process exit: a child logs records
 * through a queue in front of a slow handler and then leaves by returning
 * from main's work (exit), or by calling exit() from another thread while
 * the main thread waits; the parent checks every record reached the file,
 * once, in order. Also: a handler's callback that flushes the queue gets
 * SAWMILL_ERR_WOULD_DEADLOCK instead of waiting for itself, and with
 * drop_newest / drop_oldest the records written plus the dropped count
 * read from C equal the records logged. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

#define RECORDS 3000

static int out_fd = -1;

/* Slow: about 20 microseconds per record. */
static int slow_write(void *u, const sawmill_record *r, const char *text, size_t len) {
    struct timespec t = {0, 20000};
    (void)u; (void)r;
    nanosleep(&t, NULL);
    if (write(out_fd, text, len) != (ssize_t)len || write(out_fd, "\n", 1) != 1) return 1;
    return 0;
}

static sawmill_logger *queue_logger(const char *path) {
    sawmill_logger *l = sawmill_get_logger("queue.exit");
    sawmill_handler *slow, *q;
    out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    slow = sawmill_callback_handler_new(slow_write, NULL, NULL, NULL);
    q = sawmill_queue_handler_new(&slow, 1, false, 1024, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_add_handler(l, q);
    sawmill_handler_release(slow);
    sawmill_handler_release(q);
    return l;
}

static void log_all(sawmill_logger *l) {
    int i;
    for (i = 0; i < RECORDS; i++) {
        SAWMILL_INFO(l, "record %d", i);
    }
}

static void *log_then_exit(void *arg) {
    log_all((sawmill_logger *)arg);
    exit(0);
    return NULL;
}

static int check_file(const char *path, const char *what) {
    char line[64];
    int n = 0, ok = 1;
    FILE *f = fopen(path, "r");
    if (f == NULL) return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char want[64];
        snprintf(want, sizeof want, "record %d\n", n);
        if (strcmp(line, want) != 0) {
            fprintf(stderr, "%s: line %d is %s", what, n, line);
            ok = 0;
            break;
        }
        n++;
    }
    fclose(f);
    if (n != RECORDS) {
        fprintf(stderr, "%s: %d of %d records\n", what, n, RECORDS);
        ok = 0;
    }
    return ok;
}

static int run_child(int mode, const char *path) {
    int status = 0;
    pid_t pid = fork();
    if (pid == 0) {
        sawmill_logger *l = queue_logger(path);
        if (mode == 0) {
            log_all(l);
            exit(0); /* what returning from main does */
        } else {
            pthread_t t;
            pthread_create(&t, NULL, log_then_exit, l);
            pthread_join(t, NULL);
            _exit(3); /* not reached: the thread's exit() ends the process */
        }
    }
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static sawmill_handler *the_queue;
static sawmill_status flush_status = SAWMILL_OK;
static int flush_inside(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u; (void)r; (void)text; (void)len;
    flush_status = sawmill_handler_flush(the_queue);
    return 0;
}

static int slow_count(void *u, const sawmill_record *r, const char *text, size_t len) {
    struct timespec t = {0, 200000};
    (void)r; (void)text; (void)len;
    nanosleep(&t, NULL);
    (*(int *)u)++;
    return 0;
}

static void check_drops(int overflow) {
    int written = 0, i;
    sawmill_logger *l = sawmill_get_logger(overflow == SAWMILL_OVERFLOW_DROP_NEWEST ? "queue.dn" : "queue.do");
    sawmill_handler *slow = sawmill_callback_handler_new(slow_count, NULL, &written, NULL);
    sawmill_handler *q = sawmill_queue_handler_new(&slow, 1, false, 8, overflow, 0);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    for (i = 0; i < 300; i++) {
        SAWMILL_WARNING(l, "r %d", i);
    }
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(sawmill_handler_dropped_count(q) > 0);
    CHECK((unsigned long long)written + sawmill_handler_dropped_count(q) == 300);
    /* drop_newest takes the macros' deferred path; drop_oldest needs the
     * shared ring and keeps the synchronous one. */
    CHECK((sawmill_queue_handler_deferred_count(q) > 0) == (overflow == SAWMILL_OVERFLOW_DROP_NEWEST));
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(slow);
    sawmill_handler_release(q);
}

int main(void) {
    char path[256];
    snprintf(path, sizeof path, "/tmp/sawmill-queue-exit-%d.log", (int)getpid());

    CHECK(run_child(0, path));
    CHECK(check_file(path, "exit from main"));
    CHECK(run_child(1, path));
    CHECK(check_file(path, "exit() from a thread"));
    unlink(path);
    check_drops(SAWMILL_OVERFLOW_DROP_NEWEST);
    check_drops(SAWMILL_OVERFLOW_DROP_OLDEST);

    {
        sawmill_logger *l = sawmill_get_logger("queue.inside");
        sawmill_handler *inner = sawmill_callback_handler_new(flush_inside, NULL, NULL, NULL);
        the_queue = sawmill_queue_handler_new(&inner, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
        sawmill_logger_set_propagate(l, false);
        sawmill_logger_add_handler(l, the_queue);
        SAWMILL_ERROR(l, "flush me from inside");
        CHECK(sawmill_handler_flush(the_queue) == SAWMILL_OK);
        CHECK(flush_status == SAWMILL_ERR_WOULD_DEADLOCK);
        sawmill_logger_remove_handler(l, the_queue);
        sawmill_handler_release(inner);
        sawmill_handler_release(the_queue);
    }
    CHECK_DONE();
}
