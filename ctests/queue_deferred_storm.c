/* The C macros' deferred path (printf-style SAWMILL_INFO calls copied into
 * per-thread rings, formatted by the QueueHandler's listener) at the
 * issue's scale (issue 12):
 *  - counts: 4 threads into a queue of 1,024 slots in front of a slow
 *    handler; with "block" every record arrives, in per-thread order; with
 *    "drop_newest" and "timeout" written + dropped = produced, exactly, and
 *    what is written keeps per-thread order. SAWMILL_QUEUE_RECORDS records
 *    per thread (20,000 unless set; scripts/queue_full_count.sh sets
 *    1,000,000). A few calls of each thread take the synchronous path
 *    (sawmill_logf) and keep their place.
 *  - fork: 100 forks while 2 threads log; each child logs 3 records, all of
 *    which arrive once, and none of the parent's records appears twice
 *    (the parent's queued records stay the parent's). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

/* ---- counts ---- */

#define THREADS 4
#define SLOTS 1024

static long per_thread = 20000;
static sawmill_logger *count_logger;

/* Per-thread order checked as records arrive (on the listener thread). */
struct tally {
    long next[THREADS];
    long written;
    long disorder;
    long calls;
};

static int slow_checking(void *u, const sawmill_record *r, const char *text, size_t len) {
    struct tally *t = (struct tally *)u;
    int th;
    long i;
    (void)r;
    (void)len;
    if (sscanf(text, "t%d %ld", &th, &i) != 2 || th < 0 || th >= THREADS || i < t->next[th]) {
        if (t->disorder++ < 3) fprintf(stderr, "out of order: %s\n", text);
    } else {
        t->next[th] = i + 1;
    }
    t->written++;
    /* The slow target: a pause every 64 records. */
    if (++t->calls % 64 == 0) {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static void *produce(void *arg) {
    int t = (int)(intptr_t)arg;
    long i;
    for (i = 0; i < per_thread; i++) {
        if (i % 5000 == 2500) {
            sawmill_logf(count_logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "t%d %ld", t, i);
        } else {
            SAWMILL_INFO(count_logger, "t%d %ld", t, i);
        }
    }
    return NULL;
}

static void counts(int overflow, const char *name) {
    struct tally tally;
    pthread_t th[THREADS];
    int t;
    long produced = per_thread * THREADS;
    unsigned long long dropped;
    long long t0, t1;
    struct timespec a, b;
    sawmill_formatter *f = sawmill_formatter_new("%(message)s", NULL, '%');
    sawmill_handler *target = sawmill_callback_handler_new(slow_checking, NULL, &tally, NULL);
    sawmill_handler *q;
    memset(&tally, 0, sizeof tally);
    sawmill_handler_set_formatter(target, f);
    q = sawmill_queue_handler_new(&target, 1, false, SLOTS, overflow, 1);
    count_logger = sawmill_get_logger(name);
    sawmill_logger_set_level(count_logger, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(count_logger, false);
    sawmill_logger_add_handler(count_logger, q);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, produce, (void *)(intptr_t)t);
    for (t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    t0 = (long long)a.tv_sec * 1000 + a.tv_nsec / 1000000;
    t1 = (long long)b.tv_sec * 1000 + b.tv_nsec / 1000000;
    dropped = sawmill_handler_dropped_count(q);
    printf("%s: %ld written + %llu dropped of %ld (%llu deferred), %lld ms\n", name, tally.written,
           dropped, produced, (unsigned long long)sawmill_queue_handler_deferred_count(q), t1 - t0);
    CHECK(tally.disorder == 0);
    CHECK(tally.written + (long)dropped == produced);
    if (overflow == SAWMILL_OVERFLOW_BLOCK) {
        CHECK(dropped == 0);
        for (t = 0; t < THREADS; t++) CHECK(tally.next[t] == per_thread);
    }
    if (overflow == SAWMILL_OVERFLOW_DROP_NEWEST) CHECK(dropped > 0);
    /* Nearly all went the deferred way (the sawmill_logf calls did not). */
    CHECK(sawmill_queue_handler_deferred_count(q) + (unsigned long long)(THREADS * (per_thread / 5000 + 1)) >=
          (unsigned long long)tally.written);
    sawmill_logger_remove_handler(count_logger, q);
    sawmill_handler_release(q);
    sawmill_handler_release(target);
    sawmill_formatter_release(f);
}

/* ---- fork ---- */

#define FORKS 100
#define CHILD_RECORDS 3
#define LOGGERS 2

static sawmill_logger *fork_logger;
static int stop_logging;
static int started;

static void *log_until_stopped(void *arg) {
    int t = (int)(intptr_t)arg;
    long n = 0;
    while (!__atomic_load_n(&stop_logging, __ATOMIC_RELAXED)) {
        SAWMILL_INFO(fork_logger, "parent %d %ld", t, n);
        if (n++ == 0) __atomic_add_fetch(&started, 1, __ATOMIC_RELAXED);
        if (n % 16 == 0) {
            /* Keeps the file small: the forks, not the volume, are tested. */
            struct timespec ts = {0, 20000};
            nanosleep(&ts, NULL);
        }
    }
    return (void *)(intptr_t)n;
}

/* Waits up to 10 s for `pid`; a hung child is killed and fails. */
static int child_ok(pid_t pid, int i) {
    int status = 0, waited;
    for (waited = 0; waited < 10000; waited++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 1;
            fprintf(stderr, "fork %d: child status %d\n", i, status);
            return 0;
        }
        if (r < 0 && errno != EINTR) return 0;
        {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
    fprintf(stderr, "fork %d: child hung\n", i);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 0;
}

static void fork_storm(void) {
    char path[256];
    pthread_t th[LOGGERS];
    long made[LOGGERS];
    unsigned char *seen[LOGGERS];
    unsigned char child_seen[FORKS][CHILD_RECORDS];
    long twice = 0, unknown = 0, missing = 0;
    int i, k, t, bad_children = 0;
    char line[256];
    FILE *in;
    sawmill_formatter *f = sawmill_formatter_new("%(message)s", NULL, '%');
    sawmill_handler *file, *q;
    snprintf(path, sizeof path, "/tmp/sawmill-deferred-fork-%ld.log", (long)getpid());
    remove(path);
    file = sawmill_file_handler_new(path, "a", false);
    CHECK(file != NULL);
    sawmill_handler_set_formatter(file, f);
    q = sawmill_queue_handler_new(&file, 1, false, SLOTS, SAWMILL_OVERFLOW_BLOCK, 0);
    fork_logger = sawmill_get_logger("deferred.forkstorm");
    sawmill_logger_set_level(fork_logger, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(fork_logger, false);
    sawmill_logger_add_handler(fork_logger, q);
    for (t = 0; t < LOGGERS; t++) pthread_create(&th[t], NULL, log_until_stopped, (void *)(intptr_t)t);
    while (__atomic_load_n(&started, __ATOMIC_RELAXED) < LOGGERS) sched_yield();
    for (i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            unsigned long long before = sawmill_queue_handler_deferred_count(q);
            for (k = 0; k < CHILD_RECORDS; k++) SAWMILL_INFO(fork_logger, "child %d %d", i, k);
            if (sawmill_handler_flush(q) != SAWMILL_OK) _exit(2);
            /* The child's records went the deferred way too. */
            if (sawmill_queue_handler_deferred_count(q) < before + CHILD_RECORDS) _exit(3);
            _exit(0);
        }
        CHECK(pid > 0);
        if (pid > 0 && !child_ok(pid, i)) bad_children++;
    }
    __atomic_store_n(&stop_logging, 1, __ATOMIC_RELAXED);
    for (t = 0; t < LOGGERS; t++) {
        void *n;
        pthread_join(th[t], &n);
        made[t] = (long)(intptr_t)n;
        seen[t] = (unsigned char *)calloc((size_t)made[t] + 1, 1);
    }
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(sawmill_queue_handler_deferred_count(q) > 0);
    memset(child_seen, 0, sizeof child_seen);
    in = fopen(path, "r");
    CHECK(in != NULL);
    while (in != NULL && fgets(line, sizeof line, in) != NULL) {
        long n;
        if (sscanf(line, "parent %d %ld", &t, &n) == 2 && t >= 0 && t < LOGGERS && n >= 0 &&
            n < made[t]) {
            if (seen[t][n]++) twice++;
        } else if (sscanf(line, "child %d %d", &i, &k) == 2 && i >= 0 && i < FORKS && k >= 0 &&
                   k < CHILD_RECORDS) {
            if (child_seen[i][k]++) twice++;
        } else if (unknown++ < 3) {
            fprintf(stderr, "unexpected line: %s", line);
        }
    }
    if (in != NULL) fclose(in);
    for (t = 0; t < LOGGERS; t++) {
        long n;
        for (n = 0; n < made[t]; n++) missing += !seen[t][n];
        free(seen[t]);
    }
    for (i = 0; i < FORKS; i++) {
        for (k = 0; k < CHILD_RECORDS; k++) missing += !child_seen[i][k];
    }
    printf("fork storm: %d forks, parent records %ld + %ld, %ld missing, %ld twice, %ld unknown\n",
           FORKS, made[0], made[1], missing, twice, unknown);
    CHECK(bad_children == 0);
    CHECK(missing == 0);
    CHECK(twice == 0);
    CHECK(unknown == 0);
    sawmill_logger_remove_handler(fork_logger, q);
    sawmill_handler_release(q);
    sawmill_handler_release(file);
    sawmill_formatter_release(f);
    remove(path);
}

int main(void) {
    const char *records = getenv("SAWMILL_QUEUE_RECORDS");
    if (records != NULL && atol(records) > 0) per_thread = atol(records);
    fork_storm();
    counts(SAWMILL_OVERFLOW_BLOCK, "block");
    counts(SAWMILL_OVERFLOW_DROP_NEWEST, "drop_newest");
    counts(SAWMILL_OVERFLOW_TIMEOUT, "timeout");
    CHECK_DONE();
}
