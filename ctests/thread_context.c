/* Thread context from C: entries pushed on a thread appear as %(key)s in
 * every record that thread logs, a key given on the call wins, pops go by
 * token in any order, and another thread neither sees nor pops them. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include "sawmill.h"
#include "check.h"

static sawmill_logger *logger;
static uint64_t main_token;

static void *other_thread(void *arg) {
    struct captured *out = arg;
    uint64_t tok = 0;
    /* The main thread's token is not this thread's. */
    CHECK(sawmill_context_pop(main_token) == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_context_push_str("user", "worker", &tok) == SAWMILL_OK);
    CHECK(sawmill_context_push_str("req", "w1", &tok) == SAWMILL_OK);
    capture_reset(out);
    CHECK(sawmill_log(logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "from worker") == SAWMILL_OK);
    CHECK_STR(out->text, "worker|w1|from worker\n");
    CHECK(sawmill_context_clear() == SAWMILL_OK);
    return NULL;
}

int main(void) {
    struct captured out;
    uint64_t user = 0, req = 0, shadow = 0;
    sawmill_handler *h = capture_handler(&out, "%(user)s|%(req)s|%(message)s");
    logger = sawmill_get_logger("thread.context");
    sawmill_logger_set_propagate(logger, false);
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_DEBUG);
    CHECK(sawmill_logger_add_handler(logger, h) == SAWMILL_OK);

    sawmill_extra req_entry = {"req", SAWMILL_VALUE_INT, NULL, 42, 0.0, false};
    CHECK(sawmill_context_push_str("user", "alice", &user) == SAWMILL_OK);
    CHECK(sawmill_context_push(&req_entry, &req) == SAWMILL_OK);
    main_token = user;
    CHECK(sawmill_log(logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "one") == SAWMILL_OK);
    CHECK_STR(out.text, "alice|42|one\n");

    /* A newer entry of one key shadows the older until popped. */
    CHECK(sawmill_context_push_str("user", "bob", &shadow) == SAWMILL_OK);
    capture_reset(&out);
    CHECK(sawmill_log(logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "two") == SAWMILL_OK);
    CHECK_STR(out.text, "bob|42|two\n");

    /* The call's own extra wins over the context. */
    sawmill_extra call_user = {"user", SAWMILL_VALUE_STR, "carol", 0, 0.0, false};
    capture_reset(&out);
    CHECK(sawmill_log_ex(logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "three", NULL, NULL,
                         &call_user, 1) == SAWMILL_OK);
    CHECK_STR(out.text, "carol|42|three\n");

    /* Another thread has its own context. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, other_thread, &out) == 0);
    CHECK(pthread_join(t, NULL) == 0);

    /* Pops in any order; a context key naming a record attribute is refused. */
    CHECK(sawmill_context_pop(req) == SAWMILL_OK);
    CHECK(sawmill_context_pop(shadow) == SAWMILL_OK);
    capture_reset(&out);
    CHECK(sawmill_context_push_str("user", "dave", &shadow) == SAWMILL_OK);
    CHECK(sawmill_context_push_str("levelname", "x", &req) == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_context_len() == 1);
    CHECK(sawmill_context_pop(shadow) == SAWMILL_OK);
    CHECK(sawmill_context_pop(user) == SAWMILL_OK);
    CHECK(sawmill_context_len() == 0);
    CHECK(sawmill_context_pop(user) == SAWMILL_ERR_INVALID_ARGUMENT);

    sawmill_logger_remove_handler(logger, h);
    sawmill_handler_release(h);
    CHECK_DONE();
}
