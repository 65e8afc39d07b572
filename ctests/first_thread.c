/* A process starts single-threaded, where sawmill's locks skip atomic
 * instructions, and its first second thread is created from inside a
 * handler, while that handler's lock is held the cheap way. The new thread
 * logs through the same handler, so it must wait for the lock and be woken
 * when the first thread releases it. A lost wake-up hangs; alarm() turns a
 * hang into a failure. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static sawmill_logger *logger;
static pthread_t second;
static int started;
static char order[8];
static int seen;

static void *log_from_second_thread(void *arg) {
    (void)arg;
    SAWMILL_WARNING(logger, "second");
    return NULL;
}

static int emit(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    struct timespec pause = {0, 100 * 1000 * 1000};
    (void)user_data;
    (void)r;
    (void)len;
    if (seen < (int)sizeof order) {
        order[seen++] = text[0];
    }
    if (!started) {
        started = 1;
        if (pthread_create(&second, NULL, log_from_second_thread, NULL) != 0) {
            return 1;
        }
        /* Long enough for the new thread to block on this handler's lock. */
        nanosleep(&pause, NULL);
    }
    return 0;
}

int main(void) {
    sawmill_handler *h = sawmill_callback_handler_new(emit, NULL, NULL, NULL);
    alarm(20);
    logger = sawmill_get_logger("first_thread");
    sawmill_logger_set_propagate(logger, false);
    CHECK(sawmill_logger_add_handler(logger, h) == SAWMILL_OK);
    SAWMILL_WARNING(logger, "first");
    CHECK(started == 1);
    CHECK(pthread_join(second, NULL) == 0);
    CHECK(seen == 2);
    CHECK(order[0] == 'f' && order[1] == 's');
    /* Both threads keep logging through the now shared lock. */
    SAWMILL_WARNING(logger, "third");
    CHECK(seen == 3);
    CHECK(sawmill_handler_error_count(h) == 0);
    sawmill_handler_release(h);
    CHECK_DONE();
}
