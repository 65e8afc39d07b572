/* Levels and record attributes from C, against CPython's rules:
 * - logging.disable(n) drops every level <= n, at every boundary value;
 * - a disabled logger drops every level, INT_MAX included;
 * - getLevelName returns a registered name even when it is empty;
 * - sawmill_level_name's text never dangles (two calls in one printf);
 * - sawmill_last_error is only meaningful after a failure (documented);
 * - extras clashing with a LogRecord attribute are refused as makeRecord
 *   refuses them ("Attempt to overwrite 'args' in LogRecord");
 * - %(args)s prints () and %(exc_info)s prints None;
 * - attributes a filter sets act as assignments to a Python LogRecord. */
#include <limits.h>
#include <stdio.h>

#include "sawmill.h"
#include "check.h"

static char last[256];
static int emitted;

static int capture(void *u, const sawmill_record *r, const char *t, size_t n) {
    (void)u;
    (void)r;
    if (n >= sizeof last) {
        n = sizeof last - 1;
    }
    memcpy(last, t, n);
    last[n] = '\0';
    emitted++;
    return 0;
}

/* Logs one record at `level` through `l` and says whether it was emitted,
 * by both the printf path (the header's inline check) and sawmill_log. */
static int emits(sawmill_logger *l, int level) {
    int before = emitted, by_macro, by_call;
    SAWMILL_LOG(l, level, "x%d", 1);
    by_macro = emitted - before;
    before = emitted;
    CHECK(sawmill_log(l, level, NULL, 0, NULL, "x") == SAWMILL_OK);
    by_call = emitted - before;
    CHECK(by_macro == by_call);
    CHECK(by_call == (sawmill_logger_is_enabled_for(l, level) ? 1 : 0));
    return by_call;
}

static void disable_boundaries(sawmill_logger *l) {
    static const int levels[] = {INT_MIN, INT_MIN + 1, -1, 0, 1, 30, INT_MAX - 1, INT_MAX};
    static const int disables[] = {INT_MIN, -1, 0, 30, INT_MAX - 1, INT_MAX};
    size_t i, j;

    sawmill_logger_set_level(l, INT_MIN);
    for (i = 0; i < sizeof disables / sizeof disables[0]; i++) {
        sawmill_disable(disables[i]);
        for (j = 0; j < sizeof levels / sizeof levels[0]; j++) {
            /* CPython's isEnabledFor: manager.disable >= level drops it. */
            int want = !(disables[i] >= levels[j]);
            if (emits(l, levels[j]) != want) {
                fprintf(stderr, "disable(%d), level %d: want %s\n", disables[i], levels[j],
                        want ? "emitted" : "dropped");
                check_failures++;
            }
        }
    }
    sawmill_disable(SAWMILL_LEVEL_NOTSET);

    /* A disabled logger emits nothing, INT_MAX included. */
    sawmill_logger_set_disabled(l, true);
    CHECK(emits(l, INT_MAX) == 0);
    CHECK(emits(l, SAWMILL_LEVEL_CRITICAL) == 0);
    sawmill_logger_set_disabled(l, false);
    CHECK(emits(l, INT_MAX) == 1);
}

static void level_names(sawmill_logger *l) {
    char both[128];
    int i;

    /* getLevelName: a registered name wins even when it is empty. */
    CHECK(sawmill_add_level_name(45, "") == SAWMILL_OK);
    CHECK_STR(sawmill_level_name(45), "");
    CHECK(emits(l, 45) == 1);
    CHECK_STR(last, "[]");

    /* Two calls in one printf: neither text may be freed by the other. */
    snprintf(both, sizeof both, "%s|%s|%s|%s", sawmill_level_name(37), sawmill_level_name(38),
             sawmill_level_name(SAWMILL_LEVEL_INFO), sawmill_level_name(-7));
    CHECK_STR(both, "Level 37|Level 38|INFO|Level -7");
    {
        const char *a = sawmill_level_name(1001);
        const char *b = sawmill_level_name(1002);
        for (i = 0; i < 100; i++) {
            (void)sawmill_level_name(2000 + i);
        }
        CHECK_STR(a, "Level 1001");
        CHECK_STR(b, "Level 1002");
        /* The same level gives the same interned text. */
        CHECK(sawmill_level_name(1001) == a);
    }
    /* Renaming a level leaves the old text readable. */
    {
        const char *old = sawmill_level_name(39);
        CHECK(sawmill_add_level_name(39, "NOTICE") == SAWMILL_OK);
        CHECK_STR(old, "Level 39");
        CHECK_STR(sawmill_level_name(39), "NOTICE");
    }
    /* The logger name and the version are process-lifetime texts. */
    snprintf(both, sizeof both, "%s %s", sawmill_logger_name(l),
             sawmill_logger_name(sawmill_get_logger("other.name")));
    CHECK_STR(both, "levels.records other.name");
}

static void last_error_contract(void) {
    const char *text;
    /* A failure sets it; a later success leaves it (and its pointer) alone:
     * it is meaningful only right after a call reported a failure. */
    CHECK(sawmill_add_level_name(5, NULL) == SAWMILL_ERR_NULL_ARGUMENT);
    text = sawmill_last_error();
    CHECK(strstr(text, "name") != NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);
    CHECK(sawmill_add_level_name(5, "FIVE") == SAWMILL_OK);
    CHECK(sawmill_last_error() == text);
    CHECK(strstr(sawmill_last_error(), "name") != NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);
}

static int set_status;

static int set_args(void *u, sawmill_record *r) {
    (void)u;
    /* Assigning a truthy args would make CPython apply msg % args: refused. */
    set_status = sawmill_record_set_int(r, "args", 1);
    return 1;
}

static void clashing_extras(sawmill_logger *l, sawmill_handler *h) {
    static const char *const clashing[] = {
        "args", "exc_info", "msg", "message", "asctime", "created", "levelname", "exc_text",
        "stack_info", "relativeCreated", "processName",
    };
    sawmill_extra e;
    sawmill_formatter *f = sawmill_formatter_new("%(args)s %(exc_info)s %(user)s", NULL, '%');
    sawmill_filter *filter = sawmill_callback_filter_new(set_args, NULL, NULL);
    char want[128];
    size_t i;

    CHECK(f != NULL && filter != NULL);
    sawmill_handler_set_formatter(h, f);
    memset(&e, 0, sizeof e);
    e.kind = SAWMILL_VALUE_STR;
    e.str_value = "bob";
    e.key = "user";
    CHECK(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &e, 1) == SAWMILL_OK);
    CHECK_STR(last, "() None bob");
    {
        /* A repeated key: the last value wins, as in a Python dict. */
        sawmill_extra twice[2];
        twice[0] = e;
        twice[1] = e;
        twice[1].str_value = "alice";
        CHECK(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, twice, 2) == SAWMILL_OK);
        CHECK_STR(last, "() None alice");
    }
    for (i = 0; i < sizeof clashing / sizeof clashing[0]; i++) {
        int before = emitted;
        e.key = clashing[i];
        CHECK(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &e, 1) ==
              SAWMILL_ERR_INVALID_ARGUMENT);
        snprintf(want, sizeof want, "Attempt to overwrite '%s' in LogRecord", clashing[i]);
        CHECK_STR(sawmill_last_error(), want);
        CHECK(emitted == before);
    }
    sawmill_logger_add_filter(l, filter);
    e.key = "user";
    CHECK(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &e, 1) == SAWMILL_OK);
    CHECK(set_status == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK_STR(last, "() None bob");
    sawmill_logger_remove_filter(l, filter);
    sawmill_filter_release(filter);
    sawmill_formatter_release(f);
}

static int assign(void *u, sawmill_record *r) {
    (void)u;
    /* As setattr on a Python LogRecord: what Python derives follows. */
    CHECK(sawmill_record_set_int(r, "created", 86400) == SAWMILL_OK);
    CHECK(sawmill_record_set_float(r, "msecs", 5.9) == SAWMILL_OK);
    CHECK(sawmill_record_set_str(r, "msg", "changed") == SAWMILL_OK);
    CHECK(sawmill_record_set_str(r, "message", "recomputed anyway") == SAWMILL_OK);
    CHECK(sawmill_record_set_str(r, "exc_text", "tb") == SAWMILL_OK);
    CHECK(sawmill_record_set_null(r, "stack_info") == SAWMILL_OK);
    CHECK(sawmill_record_set_int(r, "lineno", 7) == SAWMILL_OK);
    CHECK(sawmill_record_set_int(r, "levelname", 3) == SAWMILL_OK);
    CHECK(sawmill_record_lineno(r) == 7);
    CHECK_STR(sawmill_record_levelname(r), "3");
    CHECK_STR(sawmill_record_message(r), "changed");
    return 1;
}

static void filter_assignments(sawmill_logger *l, sawmill_handler *h) {
    sawmill_formatter *f =
        sawmill_formatter_new("%(asctime)s %(message)s %(lineno)d %(levelname)s", NULL, '%');
    sawmill_filter *filter = sawmill_callback_filter_new(assign, NULL, NULL);

    CHECK(f != NULL && filter != NULL);
    sawmill_formatter_set_utc(f, true);
    sawmill_handler_set_formatter(h, f);
    sawmill_logger_add_filter(l, filter);
    CHECK(sawmill_log(l, 40, "a.c", 1, "fn", "original") == SAWMILL_OK);
    CHECK_STR(last, "1970-01-02 00:00:00,005 changed 7 3\ntb");
    sawmill_logger_remove_filter(l, filter);
    sawmill_filter_release(filter);
    sawmill_formatter_release(f);
}

int main(void) {
    sawmill_logger *l = sawmill_get_logger("levels.records");
    sawmill_handler *h = sawmill_callback_handler_new(capture, NULL, NULL, NULL);
    sawmill_formatter *f = sawmill_formatter_new("[%(levelname)s]", NULL, '%');

    CHECK(h != NULL && f != NULL);
    sawmill_handler_set_formatter(h, f);
    sawmill_handler_set_level(h, INT_MIN);
    sawmill_logger_add_handler(l, h);
    sawmill_logger_set_propagate(l, false);

    disable_boundaries(l);
    level_names(l);
    last_error_contract();
    clashing_extras(l, h);
    filter_assignments(l, h);

    sawmill_formatter_release(f);
    sawmill_handler_release(h);
    CHECK_DONE();
}
