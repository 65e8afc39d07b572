/* A disabled call does no work: the macro does not evaluate its arguments,
 * and sawmill_logf does not format. Enabled calls deliver exactly the text. */
#include "sawmill.h"
#include "check.h"

static int evaluations = 0;
static int side_effect(void) {
    return ++evaluations;
}

int main(void) {
    struct captured out;
    sawmill_logger *l = sawmill_get_logger("quiet");
    sawmill_handler *h = capture_handler(&out, NULL);
    int i;
    sawmill_logger_add_handler(l, h);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_INFO);

    for (i = 0; i < 1000; i++) {
        SAWMILL_DEBUG(l, "value %d", side_effect());
    }
    CHECK(evaluations == 0);
    CHECK(out.records == 0);

    /* sawmill_logf itself checks the level before touching the arguments:
     * "%s" with an invalid pointer would crash if it formatted. */
    CHECK(sawmill_logf(l, SAWMILL_LEVEL_DEBUG, __FILE__, __LINE__, __func__, "%s", (const char *)16) == SAWMILL_OK);
    CHECK(out.records == 0);

    SAWMILL_INFO(l, "value %d", side_effect());
    CHECK(evaluations == 1);
    CHECK_STR(out.text, "value 1\n");

    /* Long messages go through the heap path of the shim. */
    {
        char big[3000];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        capture_reset(&out);
        SAWMILL_WARNING(l, "%s!", big);
        CHECK(out.len == sizeof big + 1);
    }

    /* Invalid UTF-8 in a message is repaired, not refused. */
    capture_reset(&out);
    CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "bad \xff byte") == SAWMILL_OK);
    CHECK_STR(out.text, "bad \xef\xbf\xbd byte\n");
    sawmill_handler_release(h);
    CHECK_DONE();
}
