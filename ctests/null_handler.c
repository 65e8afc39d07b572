/* Python's NullHandler.handle does nothing: its filters never run (a filter
 * with side effects, such as adding context, is not called), while the same
 * filter on another handler of the logger runs once per record. */
#include "sawmill.h"
#include "check.h"

static int filter_calls = 0;
static int counting_filter(void *u, sawmill_record *r) {
    (void)u; (void)r;
    filter_calls++;
    return 1;
}

int main(void) {
    struct captured out;
    sawmill_logger *l = sawmill_get_logger("null.handler");
    sawmill_handler *null_h = sawmill_null_handler_new();
    sawmill_handler *cap = capture_handler(&out, NULL);
    sawmill_filter *f = sawmill_callback_filter_new(counting_filter, NULL, NULL);

    sawmill_logger_set_propagate(l, false);
    CHECK(sawmill_handler_add_filter(null_h, f) == SAWMILL_OK);
    CHECK(sawmill_logger_add_handler(l, null_h) == SAWMILL_OK);
    CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "one") == SAWMILL_OK);
    CHECK(filter_calls == 0);

    CHECK(sawmill_handler_add_filter(cap, f) == SAWMILL_OK);
    CHECK(sawmill_logger_add_handler(l, cap) == SAWMILL_OK);
    CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "two") == SAWMILL_OK);
    CHECK(filter_calls == 1);
    CHECK_STR(out.text, "two\n");
    CHECK(sawmill_handler_remove_filter(null_h, f) == SAWMILL_OK);

    sawmill_logger_remove_handler(l, null_h);
    sawmill_logger_remove_handler(l, cap);
    sawmill_handler_release(null_h);
    sawmill_handler_release(cap);
    sawmill_filter_release(f);
    CHECK_DONE();
}
