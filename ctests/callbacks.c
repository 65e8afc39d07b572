/* Callback handlers and filters: record fields, attributes added by filters
 * (cookbook recipe 7.2), destroy exactly once, re-entrant logging. */
#include "sawmill.h"
#include "check.h"

static int destroyed = 0;
static void count_destroy(void *user_data) {
    (void)user_data;
    destroyed++;
}

static char seen_name[64], seen_func[64], seen_levelname[32], seen_ip[32];
static int seen_levelno, seen_lineno;

static int inspect(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    (void)user_data;
    (void)text;
    (void)len;
    snprintf(seen_name, sizeof seen_name, "%s", sawmill_record_name(r));
    snprintf(seen_func, sizeof seen_func, "%s", sawmill_record_func_name(r));
    snprintf(seen_levelname, sizeof seen_levelname, "%s", sawmill_record_levelname(r));
    snprintf(seen_ip, sizeof seen_ip, "%s", sawmill_record_get_str(r, "ip") ? sawmill_record_get_str(r, "ip") : "");
    seen_levelno = sawmill_record_levelno(r);
    seen_lineno = sawmill_record_lineno(r);
    /* Emit callbacks see the record read-only. */
    if (sawmill_record_set_str((sawmill_record *)r, "x", "y") == SAWMILL_OK) {
        return 1;
    }
    return 0;
}

/* Recipe 7.2: a filter that adds contextual attributes. */
static int add_context(void *user_data, sawmill_record *r) {
    int *counter = (int *)user_data;
    (*counter)++;
    sawmill_record_set_str(r, "ip", "192.168.0.1");
    sawmill_record_set_str(r, "user", "jim");
    sawmill_record_set_int(r, "n", *counter);
    return 1;
}

static sawmill_logger *reentrant_logger;
static int reenter(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    (void)user_data;
    (void)r;
    (void)text;
    (void)len;
    /* Would deadlock on this handler's lock if it were not dropped. */
    sawmill_log(reentrant_logger, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "inner");
    return 0;
}

static int failing(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    (void)user_data;
    (void)r;
    (void)text;
    (void)len;
    return -1;
}

int main(void) {
    struct captured out;
    int filtered = 0;
    sawmill_logger *l = sawmill_get_logger("cb");
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);

    {
        sawmill_handler *h = sawmill_callback_handler_new(inspect, NULL, NULL, count_destroy);
        sawmill_filter *f = sawmill_callback_filter_new(add_context, &filtered, count_destroy);
        sawmill_logger_add_handler(l, h);
        sawmill_handler_add_filter(h, f);
        CHECK(sawmill_logf(l, SAWMILL_LEVEL_INFO, "/src/app/main.c", 42, "do_it", "n=%d", 7) == SAWMILL_OK);
        CHECK_STR(seen_name, "cb");
        CHECK_STR(seen_func, "do_it");
        CHECK_STR(seen_levelname, "INFO");
        CHECK_STR(seen_ip, "192.168.0.1");
        CHECK(seen_levelno == SAWMILL_LEVEL_INFO);
        CHECK(seen_lineno == 42);
        CHECK(sawmill_handler_error_count(h) == 0);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
        CHECK(destroyed == 1);
        sawmill_filter_release(f);
        CHECK(destroyed == 2);
    }

    /* Filter-added attributes printed by a format (recipe 7.2's output shape). */
    {
        sawmill_handler *h = capture_handler(&out, "%(levelname)-8s IP: %(ip)-15s User: %(user)-8s %(message)s");
        sawmill_filter *f = sawmill_callback_filter_new(add_context, &filtered, NULL);
        sawmill_handler_add_filter(h, f);
        sawmill_filter_release(f);
        sawmill_logger_add_handler(l, h);
        SAWMILL_INFO(l, "A message at %s level with %d %s", "INFO", 2, "parameters");
        CHECK_STR(out.text, "INFO     IP: 192.168.0.1     User: jim      A message at INFO level with 2 parameters\n");
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* Re-entrant logging from inside an emit callback is dropped, not deadlocked. */
    {
        unsigned long long before = (unsigned long long)sawmill_reentrant_drop_count();
        sawmill_handler *h = sawmill_callback_handler_new(reenter, NULL, NULL, NULL);
        reentrant_logger = l;
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "outer");
        CHECK(sawmill_reentrant_drop_count() == before + 1);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* A failing callback is counted, never returned to the logging call. */
    {
        sawmill_handler *h = sawmill_callback_handler_new(failing, NULL, NULL, NULL);
        sawmill_logger_add_handler(l, h);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "a") == SAWMILL_OK);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "b") == SAWMILL_OK);
        CHECK(sawmill_handler_error_count(h) == 2);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* A format naming a missing field is a counted format error. */
    {
        sawmill_handler *h = capture_handler(&out, "%(missing)s");
        sawmill_logger_add_handler(l, h);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "m") == SAWMILL_OK);
        CHECK(out.records == 0);
        CHECK(sawmill_handler_error_count(h) == 1);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* sawmill_log_ex: extras, exc_text and stack_info. */
    {
        sawmill_extra extras[2];
        sawmill_handler *h = capture_handler(&out, "%(message)s user=%(user)s n=%(n)d");
        memset(extras, 0, sizeof extras);
        extras[0].key = "user";
        extras[0].kind = SAWMILL_VALUE_STR;
        extras[0].str_value = "ann";
        extras[1].key = "n";
        extras[1].kind = SAWMILL_VALUE_INT;
        extras[1].int_value = 5;
        sawmill_logger_add_handler(l, h);
        CHECK(sawmill_log_ex(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "boom", "Traceback: x", "Stack (most recent call last)", extras, 2) == SAWMILL_OK);
        CHECK_STR(out.text, "boom user=ann n=5\nTraceback: x\nStack (most recent call last)\n");
        /* Like Python's makeRecord: extras may not overwrite standard attributes. */
        extras[0].key = "levelname";
        CHECK(sawmill_log_ex(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "x", NULL, NULL, extras, 1) == SAWMILL_ERR_INVALID_ARGUMENT);
        CHECK(strstr(sawmill_last_error(), "overwrite") != NULL);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }
    CHECK_DONE();
}
