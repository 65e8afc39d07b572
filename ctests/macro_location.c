/* SAWMILL_LOG and SAWMILL_DEBUG … SAWMILL_CRITICAL record the caller's
 * __FILE__, __LINE__ and __func__: pathname, filename, module, lineno and
 * funcName print what Python would print for the same call site. */
#include "sawmill.h"
#include "check.h"

static struct captured out;
static int lines[6];

static void log_from_helper(sawmill_logger *l) {
    SAWMILL_LOG(l, 25, "level %d", 25); lines[0] = __LINE__;
    SAWMILL_DEBUG(l, "debug"); lines[1] = __LINE__;
    SAWMILL_INFO(l, "info"); lines[2] = __LINE__;
    SAWMILL_WARNING(l, "warning"); lines[3] = __LINE__;
    SAWMILL_ERROR(l, "error"); lines[4] = __LINE__;
    SAWMILL_CRITICAL(l, "critical"); lines[5] = __LINE__;
}

int main(void) {
    static const char *messages[6] = {"level 25", "debug", "info", "warning", "error", "critical"};
    char expected[4096];
    size_t n = 0;
    const char *base = strrchr(__FILE__, '/');
    int i, main_line;
    sawmill_logger *l = sawmill_get_logger("macro.location");
    sawmill_handler *h = capture_handler(
        &out, "%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s|%(message)s");

    base = base ? base + 1 : __FILE__;
    CHECK_STR(base, "macro_location.c");
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, h);
    log_from_helper(l);
    SAWMILL_INFO(l, "from main"); main_line = __LINE__;

    for (i = 0; i < 6; i++) {
        n += (size_t)snprintf(expected + n, sizeof expected - n,
                              "%s|%s|macro_location|%d|log_from_helper|%s\n", __FILE__, base,
                              lines[i], messages[i]);
    }
    snprintf(expected + n, sizeof expected - n, "%s|%s|macro_location|%d|main|from main\n",
             __FILE__, base, main_line);
    CHECK(out.records == 7);
    CHECK_STR(out.text, expected);
    sawmill_logger_remove_handler(l, h);
    sawmill_handler_release(h);
    CHECK_DONE();
}
