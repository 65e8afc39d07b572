/* Calling back into sawmill from inside callbacks never deadlocks:
 * - a record logged from inside a filter callback (logger or handler
 *   filter) on the same thread is dropped and counted, like one logged from
 *   an emit callback;
 * - calls that need a handler's lock, made from inside that handler's own
 *   emit or flush callback (and sawmill_shutdown / a forcing basicConfig
 *   from inside any), return SAWMILL_ERR_WOULD_DEADLOCK instead of blocking.
 * alarm() is the deadline: a hang is killed by SIGALRM and fails the test. */
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static sawmill_logger *lg, *other;
static struct captured out;

static int log_from_filter(void *u, sawmill_record *r) {
    (void)u; (void)r;
    /* The same logger, another logger, and a printf-style call. */
    CHECK(sawmill_log(lg, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "inner same") == SAWMILL_OK);
    CHECK(sawmill_log(other, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "inner other") == SAWMILL_OK);
    SAWMILL_ERROR(lg, "inner %d", 3);
    return 1;
}

/* Statuses seen inside the callbacks of `self_h`. */
enum { FLUSH, CLOSE, BUFFERING, TERMINATOR, PERMISSIONS, SHUTDOWN, BASIC_FORCE, SET_LEVEL,
       OTHER_FLUSH, N_CALLS };
static sawmill_status seen[N_CALLS];
static sawmill_handler *self_h, *other_h;
static int emits, flush_calls;
static sawmill_status flush_in_flush, shutdown_in_flush;

static int calls_back(void *u, const sawmill_record *r, const char *t, size_t n) {
    sawmill_basic_config force;
    (void)u; (void)r; (void)t; (void)n;
    emits++;
    memset(&force, 0, sizeof force);
    force.force = true;
    seen[FLUSH] = sawmill_handler_flush(self_h);
    seen[CLOSE] = sawmill_handler_close(self_h);
    seen[BUFFERING] = sawmill_handler_set_buffering(self_h, 0, 40, 0);
    seen[TERMINATOR] = sawmill_stream_handler_set_terminator(self_h, "\n");
    seen[PERMISSIONS] = sawmill_file_handler_set_permissions(self_h, 0600);
    sawmill_shutdown();
    seen[SHUTDOWN] = sawmill_last_error_status();
    seen[BASIC_FORCE] = sawmill_basic_config_apply(&force);
    /* Calls that need no lock this thread holds still work. */
    seen[SET_LEVEL] = sawmill_handler_set_level(self_h, SAWMILL_LEVEL_NOTSET);
    seen[OTHER_FLUSH] = sawmill_handler_flush(other_h);
    return 0;
}

static int flush_calls_back(void *u) {
    (void)u;
    flush_calls++;
    flush_in_flush = sawmill_handler_flush(self_h);
    sawmill_shutdown();
    shutdown_in_flush = sawmill_last_error_status();
    return 0;
}

int main(void) {
    sawmill_handler *cap = capture_handler(&out, "%(name)s:%(message)s");
    sawmill_filter *f = sawmill_callback_filter_new(log_from_filter, NULL, NULL);
    uint64_t before;
    int i;

    alarm(20);
    lg = sawmill_get_logger("reentry");
    other = sawmill_get_logger("reentry.other");
    sawmill_logger_set_propagate(lg, false);
    sawmill_logger_add_handler(lg, cap);

    /* A logger filter that logs: 3 inner records dropped, the outer kept. */
    sawmill_logger_add_filter(lg, f);
    before = sawmill_reentrant_drop_count();
    CHECK(sawmill_log(lg, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "outer 1") == SAWMILL_OK);
    CHECK(sawmill_reentrant_drop_count() == before + 3);
    sawmill_logger_remove_filter(lg, f);
    /* The same from a handler's filter. */
    sawmill_handler_add_filter(cap, f);
    CHECK(sawmill_log(lg, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "outer 2") == SAWMILL_OK);
    CHECK(sawmill_reentrant_drop_count() == before + 6);
    sawmill_handler_remove_filter(cap, f);
    /* Outside callbacks logging works again. */
    CHECK(sawmill_log(lg, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "after") == SAWMILL_OK);
    CHECK(sawmill_reentrant_drop_count() == before + 6);
    CHECK_STR(out.text, "reentry:outer 1\nreentry:outer 2\nreentry:after\n");
    sawmill_logger_remove_handler(lg, cap);

    /* A handler calling into itself from its emit and flush callbacks. */
    self_h = sawmill_callback_handler_new(calls_back, flush_calls_back, NULL, NULL);
    other_h = sawmill_callback_handler_new(calls_back, NULL, NULL, NULL);
    sawmill_logger_add_handler(lg, self_h);
    CHECK(sawmill_log(lg, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "x") == SAWMILL_OK);
    CHECK(emits == 1);
    for (i = FLUSH; i <= BASIC_FORCE; i++) {
        if (seen[i] != SAWMILL_ERR_WOULD_DEADLOCK) {
            fprintf(stderr, "call %d from emit returned %d\n", i, (int)seen[i]);
            check_failures++;
        }
    }
    CHECK(seen[SET_LEVEL] == SAWMILL_OK);
    CHECK(seen[OTHER_FLUSH] == SAWMILL_OK);
    /* The emit callback failed nothing: no handler error, nothing closed. */
    CHECK(sawmill_handler_error_count(self_h) == 0);

    /* Its flush callback (called with the lock held) is guarded too. */
    CHECK(sawmill_handler_flush(self_h) == SAWMILL_OK);
    CHECK(flush_calls == 1);
    CHECK(flush_in_flush == SAWMILL_ERR_WOULD_DEADLOCK);
    CHECK(shutdown_in_flush == SAWMILL_ERR_WOULD_DEADLOCK);
    CHECK(strstr(sawmill_last_error(), "callback") != NULL);

    /* From outside any callback the same calls run. */
    CHECK(sawmill_stream_handler_set_terminator(self_h, "\n") == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_handler_close(self_h) == SAWMILL_OK);
    CHECK(flush_calls == 2);
    sawmill_logger_remove_handler(lg, self_h);
    sawmill_handler_release(self_h);
    sawmill_handler_release(other_h);
    sawmill_handler_release(cap);
    sawmill_filter_release(f);
    sawmill_shutdown();
    CHECK_DONE();
}
