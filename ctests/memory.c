/* MemoryHandler from C: buffering until full or a flush level, order kept,
 * a "should flush" test written in C, discard (BufferingHandler.flush),
 * recipe 17's scope, and the calls a target's callback may not make while
 * the memory handler hands it records (SAWMILL_ERR_WOULD_DEADLOCK). */
#include "sawmill.h"
#include "check.h"

static bool flush_on_marker(void *u, const sawmill_record *r, size_t buffered, size_t capacity) {
    int *calls = (int *)u;
    (*calls)++;
    (void)capacity;
    return buffered >= 5 || strstr(sawmill_record_message(r), "NOW") != NULL;
}

static sawmill_handler *memory_under_test;
static sawmill_status flush_from_target;
static sawmill_status discard_from_target;
static int inner_emit(void *u, const sawmill_record *r, const char *text, size_t len) {
    flush_from_target = sawmill_handler_flush(memory_under_test);
    discard_from_target = sawmill_memory_handler_discard(memory_under_test);
    /* A record logged here is dropped as re-entrant, not sent back in. */
    sawmill_log(sawmill_get_logger("memory.c"), SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "inner");
    return capture_emit(u, r, text, len);
}

int main(void) {
    struct captured out;
    sawmill_logger *l = sawmill_get_logger("memory.c");
    sawmill_handler *target = capture_handler(&out, "%(levelname)s:%(message)s");
    sawmill_handler *m = sawmill_memory_handler_new(3, SAWMILL_LEVEL_ERROR, target, true);
    int calls = 0;
    sawmill_errors_scope *scope;

    sawmill_logger_set_propagate(l, false);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    CHECK(sawmill_logger_add_handler(l, m) == SAWMILL_OK);

    /* Held until an ERROR, then all of them in order. */
    sawmill_log(l, SAWMILL_LEVEL_DEBUG, NULL, 0, NULL, "d1");
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "i1");
    CHECK(out.records == 0);
    sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "e1");
    CHECK_STR(out.text, "DEBUG:d1\nINFO:i1\nERROR:e1\n");

    /* Full at capacity. */
    capture_reset(&out);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "a");
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "b");
    CHECK(out.records == 0);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "c");
    CHECK_STR(out.text, "INFO:a\nINFO:b\nINFO:c\n");

    /* Discard forgets; flush hands over what is left. */
    capture_reset(&out);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "gone");
    CHECK(sawmill_memory_handler_discard(m) == SAWMILL_OK);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "kept");
    CHECK(sawmill_handler_flush(m) == SAWMILL_OK);
    CHECK_STR(out.text, "INFO:kept\n");

    /* A should-flush test in C replaces the default. */
    capture_reset(&out);
    CHECK(sawmill_memory_handler_set_should_flush(m, flush_on_marker, &calls, NULL) == SAWMILL_OK);
    sawmill_log(l, SAWMILL_LEVEL_CRITICAL, NULL, 0, NULL, "x1");
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "x2");
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "x3");
    CHECK(out.records == 0);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "NOW");
    CHECK_STR(out.text, "CRITICAL:x1\nINFO:x2\nINFO:x3\nINFO:NOW\n");
    CHECK(calls == 4);
    CHECK(sawmill_memory_handler_set_should_flush(m, NULL, NULL, NULL) == SAWMILL_OK);

    /* A target whose callback needs the memory handler's lock. */
    {
        struct captured inner;
        sawmill_handler *t2 = sawmill_callback_handler_new(inner_emit, NULL, &inner, NULL);
        unsigned long long drops = sawmill_reentrant_drop_count();
        capture_reset(&inner);
        memory_under_test = m;
        CHECK(sawmill_memory_handler_set_target(m, t2) == SAWMILL_OK);
        sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "boom");
        CHECK(flush_from_target == SAWMILL_ERR_WOULD_DEADLOCK);
        CHECK(discard_from_target == SAWMILL_ERR_WOULD_DEADLOCK);
        CHECK(inner.records == 1);
        CHECK(sawmill_reentrant_drop_count() == drops + 1);
        /* From outside a logging call too. */
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "later");
        flush_from_target = SAWMILL_OK;
        CHECK(sawmill_handler_flush(m) == SAWMILL_OK);
        CHECK(flush_from_target == SAWMILL_ERR_WOULD_DEADLOCK);
        CHECK(inner.records == 2);
        CHECK(sawmill_memory_handler_set_target(m, target) == SAWMILL_OK);
        sawmill_handler_release(t2);
    }

    /* Close flushes (flushOnClose) and forgets the target. */
    capture_reset(&out);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "last");
    CHECK(sawmill_handler_close(m) == SAWMILL_OK);
    CHECK_STR(out.text, "INFO:last\n");
    sawmill_logger_remove_handler(l, m);
    sawmill_handler_release(m);

    /* Recipe 17's scope: nothing unless an error; "call failed" flushes. */
    capture_reset(&out);
    scope = sawmill_log_if_errors_begin(l, target, -1, 0);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "quiet");
    CHECK(sawmill_log_if_errors_end(scope) == SAWMILL_OK);
    CHECK(out.records == 0);
    scope = sawmill_log_if_errors_begin(l, target, -1, 0);
    sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "context");
    CHECK(sawmill_log_if_errors_fail(scope, __FILE__, __LINE__, __func__, "Traceback: x") == SAWMILL_OK);
    CHECK(sawmill_log_if_errors_end(scope) == SAWMILL_OK);
    CHECK_STR(out.text, "INFO:context\nERROR:call failed\nTraceback: x\n");
    CHECK(!sawmill_logger_has_handlers(l));

    sawmill_handler_release(target);
    CHECK_DONE();
}
