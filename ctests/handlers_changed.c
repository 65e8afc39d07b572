/* A handler's callback changes the handler lists of the loggers its record
 * is passing through. In a single-threaded process sawmill reads those lists
 * without snapshots, so a list replaced meanwhile (and a handler that only it
 * still holds) must stay alive until the record's dispatch ends, also when
 * the change is made by a thread the callback starts. ctest also runs this
 * program under valgrind, which reports any read of freed memory. */
#include <pthread.h>

#include "sawmill.h"
#include "check.h"

static sawmill_logger *child, *parent;
static sawmill_handler *first, *second, *replacement;
static int calls[3];
static int destroyed[3];
static int ids[3] = {0, 1, 2};

static int emit(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    int which = *(int *)user_data;
    (void)r;
    (void)text;
    (void)len;
    calls[which]++;
    if (which == 0 && calls[0] == 1) {
        /* `second` is owned by the child's list alone: removing it leaves it
         * in the replaced list, which this record's dispatch still walks. */
        CHECK(sawmill_logger_remove_handler(child, first) == SAWMILL_OK);
        CHECK(sawmill_logger_remove_handler(child, second) == SAWMILL_OK);
        CHECK(destroyed[1] == 0);
        CHECK(sawmill_logger_add_handler(parent, replacement) == SAWMILL_OK);
    }
    return 0;
}

/* Phase two: the first thread of the process removes a handler. */
static sawmill_logger *threaded;
static sawmill_handler *stays, *goes;
static int threaded_calls[2];
static int threaded_destroyed[2];
static int threaded_ids[2] = {0, 1};

static void *remove_goes(void *arg) {
    (void)arg;
    CHECK(sawmill_logger_remove_handler(threaded, goes) == SAWMILL_OK);
    return NULL;
}

static int threaded_emit(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    int which = *(int *)user_data;
    pthread_t t;
    (void)r;
    (void)text;
    (void)len;
    threaded_calls[which]++;
    if (which == 0 && threaded_calls[0] == 1) {
        CHECK(pthread_create(&t, NULL, remove_goes, NULL) == 0);
        CHECK(pthread_join(t, NULL) == 0);
        CHECK(threaded_destroyed[1] == 0);
    }
    return 0;
}

static void threaded_destroy(void *user_data) {
    threaded_destroyed[*(int *)user_data]++;
}

static void destroy(void *user_data) {
    destroyed[*(int *)user_data]++;
}

int main(void) {
    first = sawmill_callback_handler_new(emit, NULL, &ids[0], destroy);
    second = sawmill_callback_handler_new(emit, NULL, &ids[1], destroy);
    replacement = sawmill_callback_handler_new(emit, NULL, &ids[2], destroy);
    child = sawmill_get_logger("changed.child");
    parent = sawmill_get_logger("changed");
    sawmill_logger_set_propagate(parent, false);
    CHECK(sawmill_logger_add_handler(child, first) == SAWMILL_OK);
    CHECK(sawmill_logger_add_handler(child, second) == SAWMILL_OK);
    sawmill_handler_release(second);

    SAWMILL_WARNING(child, "one");
    /* The walk went on over the lists as they were when each was reached. */
    CHECK(calls[0] == 1 && calls[1] == 1 && calls[2] == 1);
    /* Freed once the dispatch ended, not while it still used it. */
    CHECK(destroyed[1] == 1);

    SAWMILL_WARNING(child, "two");
    CHECK(calls[0] == 1 && calls[1] == 1 && calls[2] == 2);

    sawmill_handler_release(first);
    CHECK(destroyed[0] == 1);
    CHECK(sawmill_logger_remove_handler(parent, replacement) == SAWMILL_OK);
    sawmill_handler_release(replacement);
    CHECK(destroyed[2] == 1);

    threaded = sawmill_get_logger("changed.threaded");
    sawmill_logger_set_propagate(threaded, false);
    stays = sawmill_callback_handler_new(threaded_emit, NULL, &threaded_ids[0], threaded_destroy);
    goes = sawmill_callback_handler_new(threaded_emit, NULL, &threaded_ids[1], threaded_destroy);
    CHECK(sawmill_logger_add_handler(threaded, stays) == SAWMILL_OK);
    CHECK(sawmill_logger_add_handler(threaded, goes) == SAWMILL_OK);
    sawmill_handler_release(goes);
    SAWMILL_WARNING(threaded, "one");
    CHECK(threaded_calls[0] == 1 && threaded_calls[1] == 1);
    CHECK(threaded_destroyed[1] == 1);
    SAWMILL_WARNING(threaded, "two");
    CHECK(threaded_calls[0] == 2 && threaded_calls[1] == 1);
    CHECK(sawmill_logger_remove_handler(threaded, stays) == SAWMILL_OK);
    sawmill_handler_release(stays);
    CHECK(threaded_destroyed[0] == 1);
    CHECK_DONE();
}
