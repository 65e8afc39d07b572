/* Every exported function, called with NULL for each pointer argument and
 * with invalid UTF-8 for each string argument: an error status (or NULL / a
 * neutral value) with the matching sawmill_last_error_status() and a
 * non-empty sawmill_last_error(), never a crash; text that is logged rather
 * than interpreted (messages, file and function names) is repaired instead.
 * check_sweep_coverage.py fails if a pointer or string argument of a
 * function of sawmill.h is never swept here. */
#include "sawmill.h"
#include "check.h"

static const char *bad_utf8 = "\xff\xfe";
static const char *not_json = "[1,";
static const char *missing_ini = "/nonexistent/sawmill.ini";
static const char *not_object = "[]";
static const char *a_name = "x";
static const char *sweep_name = "sweep_factory";

#define EXPECT_STATUS(call, status)                                                    \
    do {                                                                              \
        sawmill_status s_ = (call);                                                   \
        if (s_ != (status)) {                                                         \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__, __LINE__, \
                    #call, (int)s_, (int)(status));                                   \
            check_failures++;                                                         \
        } else if (s_ != SAWMILL_OK && sawmill_last_error()[0] == '\0') {            \
            fprintf(stderr, "%s:%d: %s left no error text\n", __FILE__, __LINE__, #call); \
            check_failures++;                                                         \
        } else if (s_ != SAWMILL_OK && sawmill_last_error_status() != s_) {           \
            fprintf(stderr, "%s:%d: %s: last error status %d\n", __FILE__, __LINE__,   \
                    #call, (int)sawmill_last_error_status());                         \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)
#define EXPECT_OK(call) EXPECT_STATUS(call, SAWMILL_OK)
#define EXPECT_NULL_ARG(call) EXPECT_STATUS(call, SAWMILL_ERR_NULL_ARGUMENT)
#define EXPECT_BAD_UTF8(call) EXPECT_STATUS(call, SAWMILL_ERR_INVALID_UTF8)
#define EXPECT_NULL_RESULT(call, status)                                               \
    do {                                                                              \
        const void *p_ = (const void *)(call);                                        \
        if (p_ != NULL) {                                                             \
            fprintf(stderr, "%s:%d: %s did not fail\n", __FILE__, __LINE__, #call);    \
            check_failures++;                                                         \
        } else if (sawmill_last_error()[0] == '\0' ||                                 \
                   sawmill_last_error_status() != (status)) {                         \
            fprintf(stderr, "%s:%d: %s: status %d (\"%s\"), expected %d\n", __FILE__,   \
                    __LINE__, #call, (int)sawmill_last_error_status(),                \
                    sawmill_last_error(), (int)(status));                             \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

/* A factory that sweeps the options calls that need a real view. */
static sawmill_handler *sweep_factory(void *u, const sawmill_options *o) {
    int64_t n = 0;
    (void)u;
    EXPECT_NULL_RESULT(sawmill_options_get_str(o, NULL), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_options_get_str(o, bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_options_get_str_at(o, NULL, 0), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_options_get_str_at(o, bad_utf8, 0), SAWMILL_ERR_INVALID_UTF8);
    CHECK(!sawmill_options_get_int(o, NULL, &n));
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);
    CHECK(!sawmill_options_get_int(o, bad_utf8, &n));
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_INVALID_UTF8);
    CHECK(!sawmill_options_get_int(o, a_name, NULL));
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);
    return sawmill_null_handler_new();
}
static const char *sweep_config =
    "{\"version\": 1, \"disable_existing_loggers\": false,"
    " \"handlers\": {\"s\": {\"()\": \"sweep_factory\"}}}";

static int emit_nothing(void *u, const sawmill_record *r, const char *t, size_t n) {
    (void)u; (void)r; (void)t; (void)n;
    return 0;
}
static int keep(void *u, sawmill_record *r) {
    (void)u; (void)r;
    return 1;
}
/* A format callback: NULL text with a length is refused, invalid UTF-8 repaired. */
/* sawmill_handler_handle from an emit callback: into another handler, and
 * refused for the callback's own. */
static sawmill_handler *handle_self;
static sawmill_handler *handle_other;
static int handled;
static int count_handled(void *u, const sawmill_record *r, const char *t, size_t n) {
    (void)u; (void)r; (void)n;
    CHECK(strcmp(t, "replaced") == 0);
    handled++;
    return 0;
}
static int emit_handle(void *u, const sawmill_record *r, const char *t, size_t n) {
    (void)u; (void)t; (void)n;
    EXPECT_NULL_ARG(sawmill_handler_handle(NULL, r, NULL));
    EXPECT_NULL_ARG(sawmill_handler_handle(handle_other, NULL, NULL));
    EXPECT_BAD_UTF8(sawmill_handler_handle(handle_other, r, bad_utf8));
    EXPECT_STATUS(sawmill_handler_handle(handle_self, r, NULL), SAWMILL_ERR_WOULD_DEADLOCK);
    EXPECT_OK(sawmill_handler_handle(handle_other, r, "replaced"));
    return 0;
}
static int format_calls;
static int format_sweep(void *u, const sawmill_record *r, sawmill_text *out) {
    (void)u; (void)r;
    format_calls++;
    EXPECT_NULL_ARG(sawmill_text_append(out, NULL, 1));
    EXPECT_OK(sawmill_text_append(out, bad_utf8, 2));
    return 0;
}

static sawmill_status vlogf_call(sawmill_logger *l, const char *file, const char *func,
                                 const char *fmt, ...) {
    va_list ap;
    sawmill_status s;
    va_start(ap, fmt);
    s = sawmill_vlogf(l, SAWMILL_LEVEL_ERROR, file, 1, func, fmt, ap);
    va_end(ap);
    return s;
}

static sawmill_status adapter_vlogf_call(sawmill_adapter *a, const char *file, const char *func,
                                         const char *fmt, ...) {
    va_list ap;
    sawmill_status s;
    va_start(ap, fmt);
    s = sawmill_adapter_vlogf(a, SAWMILL_LEVEL_ERROR, file, 1, func, fmt, ap);
    va_end(ap);
    return s;
}

static void adapter_noop(void *u, sawmill_record *r) {
    (void)u;
    (void)r;
}

/* The record functions on a real record: a filter's record is writable. */
static int record_sweeps = 0;
static int sweep_record(void *u, sawmill_record *r) {
    (void)u;
    record_sweeps++;
    EXPECT_NULL_ARG(sawmill_record_set_str(r, NULL, "v"));
    EXPECT_BAD_UTF8(sawmill_record_set_str(r, bad_utf8, "v"));
    EXPECT_NULL_ARG(sawmill_record_set_str(r, "k", NULL));
    EXPECT_BAD_UTF8(sawmill_record_set_str(r, "k", bad_utf8));
    EXPECT_STATUS(sawmill_record_set_str(r, "", "v"), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_record_set_int(r, NULL, 1));
    EXPECT_BAD_UTF8(sawmill_record_set_int(r, bad_utf8, 1));
    EXPECT_NULL_ARG(sawmill_record_set_float(r, NULL, 1.0));
    EXPECT_BAD_UTF8(sawmill_record_set_float(r, bad_utf8, 1.0));
    EXPECT_NULL_ARG(sawmill_record_set_bool(r, NULL, true));
    EXPECT_BAD_UTF8(sawmill_record_set_bool(r, bad_utf8, true));
    EXPECT_NULL_ARG(sawmill_record_set_null(r, NULL));
    EXPECT_BAD_UTF8(sawmill_record_set_null(r, bad_utf8));
    EXPECT_NULL_RESULT(sawmill_record_get_str(r, NULL), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_record_get_str(r, bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_record_get_str(r, "no_such_key"), SAWMILL_ERR_INVALID_ARGUMENT);
    /* None of the refused calls changed the record. */
    CHECK(sawmill_record_get_str(r, "k") == NULL);
    EXPECT_OK(sawmill_record_set_str(r, "k", "v"));
    CHECK_STR(sawmill_record_get_str(r, "k"), "v");
    return 1;
}

int main(void) {
    sawmill_logger *l = sawmill_get_logger("sweep");
    sawmill_handler *h = sawmill_null_handler_new();
    sawmill_formatter *f = sawmill_formatter_new(NULL, NULL, '%');
    sawmill_filter *flt = sawmill_name_filter_new("");
    sawmill_basic_config bad_cfg;
    sawmill_extra extra;
    struct captured out;
    sawmill_handler *cap = capture_handler(&out, "%(filename)s|%(funcName)s|%(message)s");
    sawmill_filter *rec_filter = sawmill_callback_filter_new(sweep_record, NULL, NULL);

    CHECK(sawmill_version() != NULL && sawmill_version()[0] != '\0');
    CHECK(sawmill_last_error() != NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_OK);

    /* Levels and globals. */
    EXPECT_NULL_ARG(sawmill_add_level_name(5, NULL));
    EXPECT_BAD_UTF8(sawmill_add_level_name(5, bad_utf8));
    CHECK_STR(sawmill_level_name(5), "Level 5");
    sawmill_disable(SAWMILL_LEVEL_NOTSET);
    EXPECT_NULL_ARG(sawmill_set_thread_name(NULL));
    EXPECT_BAD_UTF8(sawmill_set_thread_name(bad_utf8));
    EXPECT_NULL_ARG(sawmill_set_process_name(NULL));
    EXPECT_BAD_UTF8(sawmill_set_process_name(bad_utf8));
    CHECK(sawmill_reentrant_drop_count() == 0);

    /* Loggers. */
    EXPECT_NULL_RESULT(sawmill_get_logger(bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    CHECK(sawmill_logger_name(NULL) == NULL);
    EXPECT_NULL_ARG(sawmill_logger_set_level(NULL, 10));
    CHECK(sawmill_logger_get_level(NULL) == -1);
    CHECK(sawmill_logger_get_effective_level(NULL) == -1);
    CHECK(!sawmill_logger_is_enabled_for(NULL, SAWMILL_LEVEL_CRITICAL));
    EXPECT_NULL_ARG(sawmill_logger_set_propagate(NULL, true));
    CHECK(!sawmill_logger_get_propagate(NULL));
    EXPECT_NULL_ARG(sawmill_logger_set_disabled(NULL, true));
    CHECK(!sawmill_logger_has_handlers(NULL));
    EXPECT_NULL_ARG(sawmill_logger_add_handler(NULL, h));
    EXPECT_NULL_ARG(sawmill_logger_add_handler(l, NULL));
    EXPECT_NULL_ARG(sawmill_logger_remove_handler(NULL, h));
    EXPECT_NULL_ARG(sawmill_logger_remove_handler(l, NULL));
    EXPECT_NULL_ARG(sawmill_logger_add_filter(NULL, flt));
    EXPECT_NULL_ARG(sawmill_logger_add_filter(l, NULL));
    EXPECT_NULL_ARG(sawmill_logger_remove_filter(NULL, flt));
    EXPECT_NULL_ARG(sawmill_logger_remove_filter(l, NULL));

    /* Logging calls. */
    EXPECT_NULL_ARG(sawmill_log(NULL, 40, NULL, 0, NULL, "m"));
    EXPECT_NULL_ARG(sawmill_log(l, 40, NULL, 0, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_logf(NULL, 40, NULL, 0, NULL, "m"));
    EXPECT_NULL_ARG(sawmill_logf(l, 40, NULL, 0, NULL, NULL));
    EXPECT_NULL_ARG(vlogf_call(NULL, "f", "fn", "m"));
    EXPECT_NULL_ARG(vlogf_call(l, "f", "fn", NULL));
    {
        static sawmill_site_ site = {"f", "fn", 1, NULL};
        EXPECT_NULL_ARG(sawmill_logf_site_(NULL, l, 40, "m"));
        EXPECT_NULL_ARG(sawmill_logf_site_(&site, NULL, 40, "m"));
        EXPECT_NULL_ARG(sawmill_logf_site_(&site, l, 40, NULL));
    }
    EXPECT_NULL_ARG(sawmill_log_ex(NULL, 40, NULL, 0, NULL, "m", NULL, NULL, NULL, 0));
    EXPECT_NULL_ARG(sawmill_log_ex(l, 40, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0));
    EXPECT_NULL_ARG(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, NULL, 1));
    memset(&extra, 0, sizeof extra);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    EXPECT_NULL_ARG(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1));
    extra.key = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1));
    extra.key = "k";
    extra.kind = SAWMILL_VALUE_STR;
    EXPECT_NULL_ARG(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1));
    extra.kind = SAWMILL_VALUE_JSON; /* JSON text: NULL, bad UTF-8, not JSON refused */
    EXPECT_NULL_ARG(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1));
    extra.str_value = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1));
    extra.str_value = not_json;
    EXPECT_STATUS(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1), SAWMILL_ERR_INVALID_ARGUMENT);
    extra.str_value = NULL;
    extra.kind = 99;
    EXPECT_STATUS(sawmill_log_ex(l, 40, NULL, 0, NULL, "m", NULL, NULL, &extra, 1), SAWMILL_ERR_INVALID_ARGUMENT);

    /* Logged text is repaired (U+FFFD per bad byte), never refused. */
#define FFFD2 "\xef\xbf\xbd\xef\xbf\xbd"
    sawmill_logger_set_propagate(l, false);
    /* No handler yet (a DEBUG record: not for the last resort either). */
    EXPECT_OK(sawmill_log_stack(l, 10, bad_utf8, 0, bad_utf8, bad_utf8));
    EXPECT_OK(sawmill_logger_add_handler(l, cap));
    EXPECT_OK(sawmill_log(l, 40, bad_utf8, 0, bad_utf8, bad_utf8));
    EXPECT_OK(sawmill_logf(l, 40, bad_utf8, 0, bad_utf8, bad_utf8));
    EXPECT_OK(vlogf_call(l, bad_utf8, bad_utf8, bad_utf8));
    EXPECT_OK(sawmill_log_ex(l, 40, bad_utf8, 0, bad_utf8, bad_utf8, bad_utf8, bad_utf8, NULL, 0));
    EXPECT_OK(sawmill_log_exception(l, bad_utf8, 0, bad_utf8, bad_utf8, bad_utf8));
    EXPECT_OK(vlogf_call(l, NULL, NULL, "m"));
    {
        static sawmill_site_ bad_site = {NULL, NULL, 0, NULL};
        bad_site.file = bad_utf8;
        bad_site.func = bad_utf8;
        EXPECT_OK(sawmill_logf_site_(&bad_site, l, 40, bad_utf8));
    }
    CHECK_STR(out.text, FFFD2 "|" FFFD2 "|" FFFD2 "\n"
                        FFFD2 "|" FFFD2 "|" FFFD2 "\n"
                        FFFD2 "|" FFFD2 "|" FFFD2 "\n"
                        FFFD2 "|" FFFD2 "|" FFFD2 "\n" FFFD2 "\n" FFFD2 "\n"
                        FFFD2 "|" FFFD2 "|" FFFD2 "\n" FFFD2 "\n"
                        "(unknown file)|(unknown function)|m\n"
                        FFFD2 "|" FFFD2 "|" FFFD2 "\n");
    /* The record functions with bad keys and values, on a real record. */
    EXPECT_OK(sawmill_logger_add_filter(l, rec_filter));
    EXPECT_OK(sawmill_log(l, 40, "f.c", 1, "fn", "m"));
    CHECK(record_sweeps == 1);
    EXPECT_OK(sawmill_logger_remove_filter(l, rec_filter));
    EXPECT_OK(sawmill_logger_remove_handler(l, cap));

    /* Handlers. */
    EXPECT_NULL_RESULT(sawmill_stream_handler_new(-1), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_file_handler_new(NULL, "a", false), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_file_handler_new("/nonexistent-dir/x.log", NULL, false), SAWMILL_ERR_IO);
    EXPECT_NULL_RESULT(sawmill_file_handler_new(bad_utf8, "a", true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_file_handler_new("/tmp/x.log", bad_utf8, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_file_handler_new("/tmp/x.log", "r", true), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_callback_handler_new(NULL, NULL, NULL, NULL), SAWMILL_ERR_NULL_ARGUMENT);
    {
        sawmill_handler *ok = sawmill_callback_handler_new(emit_nothing, NULL, NULL, NULL);
        CHECK(ok != NULL);
        sawmill_handler_release(ok);
    }
    {
        sawmill_handler *n = sawmill_null_handler_new();
        CHECK(n != NULL);
        sawmill_handler_release(n);
    }
    EXPECT_NULL_ARG(sawmill_handler_set_level(NULL, 10));
    EXPECT_NULL_ARG(sawmill_handler_set_formatter(NULL, f));
    EXPECT_OK(sawmill_handler_set_formatter(h, NULL)); /* NULL: the default formatter */
    EXPECT_NULL_ARG(sawmill_handler_add_filter(NULL, flt));
    EXPECT_NULL_ARG(sawmill_handler_add_filter(h, NULL));
    EXPECT_NULL_ARG(sawmill_handler_remove_filter(NULL, flt));
    EXPECT_NULL_ARG(sawmill_handler_remove_filter(h, NULL));
    EXPECT_NULL_ARG(sawmill_handler_set_name(NULL, "n"));
    EXPECT_NULL_ARG(sawmill_handler_set_name(h, NULL));
    EXPECT_BAD_UTF8(sawmill_handler_set_name(h, bad_utf8));
    EXPECT_NULL_ARG(sawmill_handler_flush(NULL));
    EXPECT_NULL_ARG(sawmill_handler_close(NULL));
    CHECK(sawmill_handler_error_count(NULL) == 0);
    CHECK(sawmill_handler_dropped_count(NULL) == 0);
    CHECK(sawmill_queue_handler_deferred_count(NULL) == 0);
    EXPECT_NULL_ARG(sawmill_handler_set_buffering(NULL, 0, 40, 0));
    EXPECT_STATUS(sawmill_handler_set_buffering(h, 4096, 40, 0), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_stream_handler_set_terminator(NULL, "\n"));
    EXPECT_NULL_ARG(sawmill_stream_handler_set_terminator(h, NULL));
    EXPECT_BAD_UTF8(sawmill_stream_handler_set_terminator(h, bad_utf8));
    EXPECT_STATUS(sawmill_stream_handler_set_terminator(h, "\n"), SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_handler_retain(NULL) == NULL);
    sawmill_handler_release(NULL);

    /* Memory handlers and the log-only-if-errors scope. */
    {
        sawmill_handler *m = sawmill_memory_handler_new(4, SAWMILL_LEVEL_ERROR, NULL, true);
        sawmill_errors_scope *scope;
        CHECK(m != NULL);
        EXPECT_NULL_ARG(sawmill_memory_handler_set_target(NULL, h));
        EXPECT_OK(sawmill_memory_handler_set_target(m, NULL));
        EXPECT_STATUS(sawmill_memory_handler_set_target(m, m), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_STATUS(sawmill_memory_handler_set_target(h, m), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_NULL_ARG(sawmill_memory_handler_set_should_flush(NULL, NULL, NULL, NULL));
        EXPECT_OK(sawmill_memory_handler_set_should_flush(m, NULL, NULL, NULL));
        EXPECT_NULL_ARG(sawmill_memory_handler_discard(NULL));
        EXPECT_STATUS(sawmill_memory_handler_discard(h), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_OK(sawmill_memory_handler_discard(m));
        sawmill_handler_release(m);
        EXPECT_NULL_RESULT(sawmill_log_if_errors_begin(NULL, NULL, -1, 0), SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_ARG(sawmill_log_if_errors_fail(NULL, NULL, 0, NULL, NULL));
        EXPECT_OK(sawmill_log_if_errors_end(NULL));
        scope = sawmill_log_if_errors_begin(l, h, -1, 0);
        CHECK(scope != NULL);
        EXPECT_OK(sawmill_log_if_errors_fail(scope, NULL, 0, NULL, NULL));
        EXPECT_OK(sawmill_log_if_errors_fail(scope, bad_utf8, 1, bad_utf8, bad_utf8));
        EXPECT_OK(sawmill_log_if_errors_end(scope));
    }

    /* Queue handlers. */
    {
        sawmill_handler *targets[2];
        sawmill_handler *q;
        targets[0] = h;
        targets[1] = NULL;
        EXPECT_NULL_RESULT(sawmill_queue_handler_new(NULL, 1, false, 16, SAWMILL_OVERFLOW_BLOCK, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_queue_handler_new(targets, 2, false, 16, SAWMILL_OVERFLOW_BLOCK, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_queue_handler_new(targets, 1, false, 16, 99, 0),
                           SAWMILL_ERR_INVALID_ARGUMENT);
        q = sawmill_queue_handler_new(targets, 1, true, 16, SAWMILL_OVERFLOW_DROP_OLDEST, 0);
        CHECK(q != NULL);
        EXPECT_NULL_ARG(sawmill_queue_handler_set_sync_level(NULL, 40));
        EXPECT_STATUS(sawmill_queue_handler_set_sync_level(h, 40), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_OK(sawmill_queue_handler_set_sync_level(q, 40));
        EXPECT_OK(sawmill_handler_flush(q));
        sawmill_handler_release(q);
        q = sawmill_queue_handler_new(NULL, 0, false, 0, SAWMILL_OVERFLOW_TIMEOUT, 5);
        CHECK(q != NULL);
        sawmill_handler_release(q);
    }

    /* Command handlers. */
    {
        const char *argv_ok[] = {"true", "{message}"};
        const char *argv_null[] = {"true", NULL};
        const char *argv_bad_utf8[2];
        const char *argv_placeholder[] = {"true", "{oops"};
        sawmill_handler *c;
        argv_bad_utf8[0] = "true";
        argv_bad_utf8[1] = bad_utf8;
        EXPECT_NULL_RESULT(sawmill_command_handler_new(NULL, 1, NULL, false, true, 0, 1), SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_command_handler_new(argv_null, 2, NULL, false, true, 0, 1), SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_command_handler_new(argv_bad_utf8, 2, NULL, false, true, 0, 1), SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_command_handler_new(argv_ok, 2, bad_utf8, false, true, 0, 1), SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_command_handler_new(argv_placeholder, 2, NULL, false, true, 0, 1), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_command_handler_new(argv_ok, 0, NULL, false, true, 0, 1), SAWMILL_ERR_INVALID_ARGUMENT);
        c = sawmill_command_handler_new(argv_ok, 2, "/tmp/{seq}", true, false, 100, 2);
        CHECK(c != NULL);
        CHECK(sawmill_command_handler_failed_count(NULL) == 0);
        CHECK(sawmill_command_handler_failed_count(c) == 0);
        CHECK(sawmill_command_handler_failed_count(h) == 0);
        sawmill_handler_release(c);
    }

    /* File handlers of every kind. */
    EXPECT_NULL_RESULT(sawmill_rotating_file_handler_new(NULL, "a", 100, 1, true), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_rotating_file_handler_new(bad_utf8, "a", 100, 1, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_rotating_file_handler_new("/nonexistent-dir/r.log", NULL, 100, 1, false), SAWMILL_ERR_IO);
    EXPECT_NULL_RESULT(sawmill_rotating_file_handler_new("/tmp/r.log", bad_utf8, 100, 1, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_rotating_file_handler_new("/tmp/r.log", "r", 100, 1, true), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_timed_rotating_file_handler_new(NULL, "H", 1, 1, true), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_timed_rotating_file_handler_new(bad_utf8, "H", 1, 1, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_timed_rotating_file_handler_new("/tmp/t.log", NULL, 1, 1, true), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_timed_rotating_file_handler_new("/tmp/t.log", bad_utf8, 1, 1, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_timed_rotating_file_handler_new("/tmp/t.log", "W9", 1, 1, true), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_watched_file_handler_new(NULL, "a", true), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_watched_file_handler_new(bad_utf8, "a", true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_watched_file_handler_new("/nonexistent-dir/w.log", NULL, false), SAWMILL_ERR_IO);
    EXPECT_NULL_RESULT(sawmill_watched_file_handler_new("/tmp/w.log", bad_utf8, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_watched_file_handler_new("/tmp/w.log", "r", true), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_file_handler_set_multiprocess(NULL, true));
    EXPECT_STATUS(sawmill_file_handler_set_multiprocess(h, true), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_file_handler_set_permissions(NULL, 0640));
    EXPECT_STATUS(sawmill_file_handler_set_permissions(h, 0640), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_file_handler_set_owner(NULL, "root", NULL));
    EXPECT_BAD_UTF8(sawmill_file_handler_set_owner(h, bad_utf8, NULL));
    {
        /* NULL options are all defaults (/dev/log, connected at the first record). */
        sawmill_handler *sh = sawmill_syslog_handler_new(NULL);
        sawmill_syslog_options so;
        sawmill_sd_param sp = {"ex@1", "a", "v"};
        CHECK(sh != NULL);
        sawmill_handler_release(sh);
        memset(&so, 0, sizeof so);
        so.path = bad_utf8;
        EXPECT_NULL_RESULT(sawmill_syslog_handler_new(&so), SAWMILL_ERR_INVALID_UTF8);
        memset(&so, 0, sizeof so);
        so.facility = bad_utf8;
        EXPECT_NULL_RESULT(sawmill_syslog_handler_new(&so), SAWMILL_ERR_INVALID_UTF8);
        so.facility = NULL;
        so.structured_data_len = 1;
        EXPECT_NULL_RESULT(sawmill_syslog_handler_new(&so), SAWMILL_ERR_NULL_ARGUMENT);
        sp.value = NULL;
        so.structured_data = &sp;
        EXPECT_NULL_RESULT(sawmill_syslog_handler_new(&so), SAWMILL_ERR_NULL_ARGUMENT);
        sp.value = bad_utf8;
        EXPECT_NULL_RESULT(sawmill_syslog_handler_new(&so), SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_ARG(sawmill_syslog_handler_map_level(NULL, "INFO", 6));
        EXPECT_NULL_ARG(sawmill_syslog_handler_map_level(h, NULL, 6));
        EXPECT_BAD_UTF8(sawmill_syslog_handler_map_level(h, bad_utf8, 6));
        EXPECT_STATUS(sawmill_syslog_handler_map_level(h, "INFO", 6), SAWMILL_ERR_INVALID_ARGUMENT);
        {
            sawmill_journal_options jo;
            sawmill_journal_field jf = {"NAME", "v"};
            sh = sawmill_journal_handler_new(NULL);
            CHECK(sh != NULL);
            sawmill_handler_release(sh);
            memset(&jo, 0, sizeof jo);
            jo.socket_path = bad_utf8;
            EXPECT_NULL_RESULT(sawmill_journal_handler_new(&jo), SAWMILL_ERR_INVALID_UTF8);
            memset(&jo, 0, sizeof jo);
            jo.fields_len = 1;
            EXPECT_NULL_RESULT(sawmill_journal_handler_new(&jo), SAWMILL_ERR_NULL_ARGUMENT);
            jo.fields = &jf;
            jf.name = "lower";
            EXPECT_NULL_RESULT(sawmill_journal_handler_new(&jo), SAWMILL_ERR_INVALID_ARGUMENT);
            jf.name = NULL;
            EXPECT_NULL_RESULT(sawmill_journal_handler_new(&jo), SAWMILL_ERR_NULL_ARGUMENT);
        }
        {
            /* ColorStreamHandler (issue 13). */
            sawmill_color_options co;
            sawmill_level_color lc = {"INFO", "32"};
            sh = sawmill_color_stream_handler_new(NULL);
            CHECK(sh != NULL);
            sawmill_handler_release(sh);
            memset(&co, 0, sizeof co);
            co.colors_len = 1;
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_NULL_ARGUMENT);
            co.colors = &lc;
            lc.code = NULL;
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_NULL_ARGUMENT);
            lc.code = bad_utf8;
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_INVALID_UTF8);
            lc.code = "red";
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_INVALID_ARGUMENT);
            lc.code = "32";
            co.mode = 7;
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_INVALID_ARGUMENT);
            co.mode = SAWMILL_COLOR_NEVER;
            co.fd = -1;
            EXPECT_NULL_RESULT(sawmill_color_stream_handler_new(&co), SAWMILL_ERR_INVALID_ARGUMENT);
            co.fd = 1;
            sh = sawmill_color_stream_handler_new(&co);
            CHECK(sh != NULL);
            sawmill_handler_release(sh);
        }
    }
    EXPECT_BAD_UTF8(sawmill_file_handler_set_owner(h, NULL, bad_utf8));
    EXPECT_STATUS(sawmill_file_handler_set_owner(h, NULL, NULL), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_timed_rotating_file_handler_set_at_time(NULL, 1, 2, 3));
    EXPECT_STATUS(sawmill_timed_rotating_file_handler_set_at_time(h, 25, 0, 0), SAWMILL_ERR_INVALID_ARGUMENT);
    sawmill_reopen_files();

    /* Formatters. */
    EXPECT_NULL_RESULT(sawmill_formatter_new(bad_utf8, NULL, '%'), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_formatter_new(NULL, bad_utf8, '%'), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_formatter_new("no fields", NULL, '%'), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_formatter_new("%(message)s", NULL, 'x'), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_formatter_set_utc(NULL, true));
    EXPECT_NULL_ARG(sawmill_formatter_set_one_line_exceptions(NULL, true));
    EXPECT_NULL_ARG(sawmill_log_exception(NULL, NULL, 0, NULL, "m", NULL));
    EXPECT_NULL_ARG(sawmill_log_stack(NULL, 40, NULL, 0, NULL, "m"));
    EXPECT_NULL_ARG(sawmill_log_stack(sawmill_get_logger("sweep"), 40, NULL, 0, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_log_exception(sawmill_get_logger("sweep"), NULL, 0, NULL, NULL, NULL));
    CHECK(sawmill_formatter_retain(NULL) == NULL);
    sawmill_formatter_release(NULL);
    EXPECT_NULL_RESULT(sawmill_callback_formatter_new(NULL, NULL, NULL), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_text_append(NULL, "x", 1));
    {
        sawmill_formatter *cf = sawmill_callback_formatter_new(format_sweep, NULL, NULL);
        sawmill_handler *ch = sawmill_callback_handler_new(emit_nothing, NULL, NULL, NULL);
        sawmill_logger *cl = sawmill_get_logger("sweep.format");
        CHECK(cf != NULL && ch != NULL);
        EXPECT_OK(sawmill_handler_set_formatter(ch, cf));
        EXPECT_OK(sawmill_logger_add_handler(cl, ch));
        EXPECT_OK(sawmill_log(cl, SAWMILL_LEVEL_CRITICAL, NULL, 0, NULL, "formatted"));
        CHECK(format_calls == 1);
        handle_self = sawmill_callback_handler_new(emit_handle, NULL, NULL, NULL);
        handle_other = sawmill_callback_handler_new(count_handled, NULL, NULL, NULL);
        EXPECT_OK(sawmill_logger_add_handler(cl, handle_self));
        EXPECT_OK(sawmill_log(cl, SAWMILL_LEVEL_CRITICAL, NULL, 0, NULL, "handled"));
        CHECK(handled == 1);
        EXPECT_OK(sawmill_logger_remove_handler(cl, handle_self));
        sawmill_handler_release(handle_self);
        sawmill_handler_release(handle_other);
        EXPECT_OK(sawmill_logger_remove_handler(cl, ch));
        sawmill_handler_release(ch);
        sawmill_formatter_release(cf);
    }

    /* Filters. */
    EXPECT_NULL_RESULT(sawmill_name_filter_new(NULL), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_name_filter_new(bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_callback_filter_new(NULL, NULL, NULL), SAWMILL_ERR_NULL_ARGUMENT);
    {
        sawmill_filter *ok = sawmill_callback_filter_new(keep, NULL, NULL);
        CHECK(ok != NULL);
        sawmill_filter_release(ok);
    }
    CHECK(sawmill_filter_retain(NULL) == NULL);
    sawmill_filter_release(NULL);

    /* Records (only valid inside callbacks; NULL is always refused). */
    CHECK(sawmill_record_name(NULL) == NULL);
    CHECK(sawmill_record_message(NULL) == NULL);
    CHECK(sawmill_record_levelname(NULL) == NULL);
    CHECK(sawmill_record_pathname(NULL) == NULL);
    CHECK(sawmill_record_filename(NULL) == NULL);
    CHECK(sawmill_record_func_name(NULL) == NULL);
    CHECK(sawmill_record_thread_name(NULL) == NULL);
    CHECK(sawmill_record_process_name(NULL) == NULL);
    CHECK(sawmill_record_levelno(NULL) == -1);
    CHECK(sawmill_record_lineno(NULL) == -1);
    CHECK(sawmill_record_created(NULL) == 0.0);
    CHECK(sawmill_record_msecs(NULL) == 0.0);
    CHECK(sawmill_record_thread(NULL) == 0);
    CHECK(sawmill_record_process(NULL) == 0);
    EXPECT_NULL_RESULT(sawmill_record_get_str(NULL, "k"), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_record_set_str(NULL, "k", "v"));
    EXPECT_NULL_ARG(sawmill_record_set_int(NULL, "k", 1));
    EXPECT_NULL_ARG(sawmill_record_set_float(NULL, "k", 1.0));
    EXPECT_NULL_ARG(sawmill_record_set_bool(NULL, "k", true));
    EXPECT_NULL_ARG(sawmill_record_set_null(NULL, "k"));

    /* basicConfig: invalid strings are refused before anything changes. */
    memset(&bad_cfg, 0, sizeof bad_cfg);
    bad_cfg.format = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_basic_config_apply(&bad_cfg));
    bad_cfg.format = "no fields";
    EXPECT_STATUS(sawmill_basic_config_apply(&bad_cfg), SAWMILL_ERR_CONFIG);
    bad_cfg.format = NULL;
    bad_cfg.datefmt = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_basic_config_apply(&bad_cfg));
    bad_cfg.datefmt = NULL;
    bad_cfg.filename = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_basic_config_apply(&bad_cfg));
    bad_cfg.filename = "/tmp/sawmill-sweep.log";
    bad_cfg.filemode = bad_utf8;
    EXPECT_BAD_UTF8(sawmill_basic_config_apply(&bad_cfg));
    bad_cfg.filemode = "r";
    EXPECT_STATUS(sawmill_basic_config_apply(&bad_cfg), SAWMILL_ERR_CONFIG);
    bad_cfg.filemode = NULL;
    bad_cfg.style = 'x';
    EXPECT_STATUS(sawmill_basic_config_apply(&bad_cfg), SAWMILL_ERR_CONFIG);
    bad_cfg.style = 0;
    bad_cfg.stream_fd = 1;
    EXPECT_STATUS(sawmill_basic_config_apply(&bad_cfg), SAWMILL_ERR_CONFIG);
    CHECK(!sawmill_logger_has_handlers(sawmill_get_logger(NULL)));
    /* NULL means all defaults: a stderr handler on the root. */
    EXPECT_OK(sawmill_basic_config_apply(NULL));
    CHECK(sawmill_logger_has_handlers(sawmill_get_logger(NULL)));
    CHECK(sawmill_logger_get_level(sawmill_get_logger(NULL)) == SAWMILL_LEVEL_WARNING);

    /* dictConfig, handler lookup and factories (issue 9). */
    {
        sawmill_formatter *fd = sawmill_formatter_new_with_defaults(NULL, NULL, 0, NULL);
        CHECK(fd != NULL);
        sawmill_formatter_release(fd);
    }
    EXPECT_NULL_RESULT(sawmill_formatter_new_with_defaults(bad_utf8, NULL, 0, NULL),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_formatter_new_with_defaults(NULL, bad_utf8, 0, NULL),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_formatter_new_with_defaults(NULL, NULL, 0, bad_utf8),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_formatter_new_with_defaults(NULL, NULL, 0, not_json),
                       SAWMILL_ERR_INVALID_ARGUMENT);
    /* LoggerAdapters (issue 13). */
    {
        sawmill_extra ax = {a_name, SAWMILL_VALUE_INT, NULL, 1, 0.0, false};
        sawmill_logger *al = sawmill_get_logger(a_name);
        sawmill_adapter *ad = sawmill_adapter_new(al, &ax, 1, adapter_noop, NULL, NULL);
        CHECK(ad != NULL);
        sawmill_adapter *bare = sawmill_adapter_new(al, NULL, 0, NULL, NULL, NULL);
        CHECK(bare != NULL);
        sawmill_adapter_release(bare);
        EXPECT_NULL_RESULT(sawmill_adapter_new(NULL, NULL, 0, NULL, NULL, NULL),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_adapter_new(al, NULL, 1, NULL, NULL, NULL),
                           SAWMILL_ERR_NULL_ARGUMENT);
        ax.key = bad_utf8;
        EXPECT_NULL_RESULT(sawmill_adapter_new(al, &ax, 1, NULL, NULL, NULL),
                           SAWMILL_ERR_INVALID_UTF8);
        CHECK(sawmill_adapter_logger(NULL) == NULL);
        CHECK(sawmill_adapter_logger(ad) == al);
        EXPECT_NULL_ARG(sawmill_adapter_log(NULL, 40, NULL, 0, NULL, a_name));
        EXPECT_NULL_ARG(sawmill_adapter_log(ad, 40, NULL, 0, NULL, NULL));
        EXPECT_OK(sawmill_adapter_log(ad, 40, bad_utf8, 0, bad_utf8, bad_utf8));
        EXPECT_NULL_ARG(sawmill_adapter_logf(NULL, 40, NULL, 0, NULL, a_name));
        EXPECT_NULL_ARG(sawmill_adapter_logf(ad, 40, NULL, 0, NULL, NULL));
        EXPECT_OK(sawmill_adapter_logf(ad, 40, bad_utf8, 0, bad_utf8, bad_utf8));
        EXPECT_NULL_ARG(adapter_vlogf_call(NULL, NULL, NULL, a_name));
        EXPECT_NULL_ARG(adapter_vlogf_call(ad, NULL, NULL, NULL));
        EXPECT_OK(adapter_vlogf_call(ad, bad_utf8, bad_utf8, bad_utf8));
        CHECK(sawmill_adapter_retain(NULL) == NULL);
        CHECK(sawmill_adapter_retain(ad) == ad);
        sawmill_adapter_release(ad);
        sawmill_adapter_release(ad);
        sawmill_adapter_release(NULL);
    }
    /* Thread context (issue 13). */
    {
        uint64_t tok = 0;
        sawmill_extra cx = {a_name, SAWMILL_VALUE_INT, NULL, 1, 0.0, false};
        EXPECT_NULL_ARG(sawmill_context_push(NULL, &tok));
        EXPECT_NULL_ARG(sawmill_context_push(&cx, NULL));
        EXPECT_NULL_ARG(sawmill_context_push_str(NULL, a_name, &tok));
        EXPECT_NULL_ARG(sawmill_context_push_str(a_name, NULL, &tok));
        EXPECT_NULL_ARG(sawmill_context_push_str(a_name, a_name, NULL));
        EXPECT_BAD_UTF8(sawmill_context_push_str(bad_utf8, a_name, &tok));
        EXPECT_OK(sawmill_context_push_str(a_name, bad_utf8, &tok));
        EXPECT_OK(sawmill_context_pop(tok));
        EXPECT_STATUS(sawmill_context_pop(tok), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_STATUS(sawmill_context_pop(0), SAWMILL_ERR_INVALID_ARGUMENT);
        EXPECT_OK(sawmill_context_push(&cx, &tok));
        CHECK(sawmill_context_len() == 1);
        EXPECT_OK(sawmill_context_clear());
        CHECK(sawmill_context_len() == 0);
    }
    /* Scoped logging context (issue 13, recipe 19). */
    {
        sawmill_logger *cl = sawmill_get_logger(a_name);
        sawmill_handler *ch = sawmill_callback_handler_new(emit_nothing, NULL, NULL, NULL);
        EXPECT_NULL_RESULT(sawmill_logging_context_begin(NULL, true, 10, NULL, false),
                           SAWMILL_ERR_NULL_ARGUMENT);
        sawmill_logging_context *c = sawmill_logging_context_begin(cl, false, 0, NULL, false);
        CHECK(c != NULL);
        EXPECT_OK(sawmill_logging_context_end(c));
        c = sawmill_logging_context_begin(cl, true, 10, ch, true);
        CHECK(c != NULL);
        EXPECT_OK(sawmill_logging_context_end(c));
        EXPECT_OK(sawmill_logging_context_end(NULL));
        sawmill_handler_release(ch);
    }
    /* sawmill.JSONFormatter (issue 13): NULL options are the defaults. */
    {
        sawmill_formatter *fj = sawmill_json_formatter_new(NULL);
        CHECK(fj != NULL);
        sawmill_formatter_release(fj);
    }
    EXPECT_NULL_RESULT(sawmill_json_formatter_new(bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_json_formatter_new(not_json), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_json_formatter_new(not_object), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_ARG(sawmill_dict_config_json(NULL));
    EXPECT_BAD_UTF8(sawmill_dict_config_json(bad_utf8));
    EXPECT_STATUS(sawmill_dict_config_json(not_json), SAWMILL_ERR_CONFIG);
    EXPECT_NULL_ARG(sawmill_dict_config_file(NULL));
    EXPECT_BAD_UTF8(sawmill_dict_config_file(bad_utf8));
    EXPECT_NULL_ARG(sawmill_file_config(NULL, true));
    EXPECT_BAD_UTF8(sawmill_file_config(bad_utf8, true));
    EXPECT_STATUS(sawmill_file_config(missing_ini, true), SAWMILL_ERR_CONFIG);
    /* the config server: NULL host/verify/bound_port are allowed */
    EXPECT_BAD_UTF8(sawmill_config_listen(bad_utf8, 0, NULL, NULL, NULL));
    EXPECT_STATUS(sawmill_config_listen(NULL, -1, NULL, NULL, NULL), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_OK(sawmill_config_listen(NULL, 0, NULL, NULL, NULL));
    EXPECT_STATUS(sawmill_config_listen(NULL, 0, NULL, NULL, NULL), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_OK(sawmill_config_stop_listening());
    EXPECT_OK(sawmill_config_stop_listening());
    EXPECT_OK(sawmill_config_listen_set_limits(0, 0));
    EXPECT_OK(sawmill_config_listener_stats(NULL, NULL, NULL));
    EXPECT_NULL_RESULT(sawmill_get_handler_by_name(NULL), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_get_handler_by_name(bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_ARG(sawmill_register_handler_factory(NULL, NULL, NULL, NULL));
    EXPECT_BAD_UTF8(sawmill_register_handler_factory(bad_utf8, NULL, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_register_handler_factory(a_name, NULL, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_register_filter_factory(NULL, NULL, NULL, NULL));
    EXPECT_BAD_UTF8(sawmill_register_filter_factory(bad_utf8, NULL, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_register_filter_factory(a_name, NULL, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_register_formatter_factory(NULL, NULL, NULL, NULL));
    EXPECT_BAD_UTF8(sawmill_register_formatter_factory(bad_utf8, NULL, NULL, NULL));
    EXPECT_NULL_ARG(sawmill_register_formatter_factory(a_name, NULL, NULL, NULL));
    EXPECT_OK(sawmill_register_handler_factory(sweep_name, sweep_factory, NULL, NULL));
    EXPECT_OK(sawmill_dict_config_json(sweep_config));
    EXPECT_NULL_RESULT(sawmill_options_get_str_at(NULL, a_name, 0), SAWMILL_ERR_NULL_ARGUMENT);
    CHECK(sawmill_options_json(NULL)[0] == '\0');
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_options_get_str(NULL, a_name), SAWMILL_ERR_NULL_ARGUMENT);
    CHECK(!sawmill_options_get_int(NULL, a_name, NULL));
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_NULL_ARGUMENT);

    /* Records over the network (issue 11). */
    EXPECT_NULL_RESULT(sawmill_socket_handler_new(NULL, 9020), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_socket_handler_new(bad_utf8, 9020), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_socket_handler_new("localhost", 0), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_socket_handler_new_ex(NULL, 9020, false, 0, 0, 0),
                       SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_socket_handler_new_ex(bad_utf8, 9020, true, 0, 0, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_datagram_handler_new(NULL, 9021), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_datagram_handler_new(bad_utf8, 9021), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_datagram_handler_new("localhost", 70000), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_datagram_handler_new_ex(NULL, 9021, false), SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_datagram_handler_new_ex(bad_utf8, 9021, true), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_receiver_start(NULL, NULL, NULL), SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_receiver_start(bad_utf8, NULL, NULL), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_receiver_start(NULL, bad_utf8, NULL), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_receiver_start("127.0.0.1:0", NULL, bad_utf8), SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_receiver_start("no-port", NULL, NULL), SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_receiver_port(NULL, false) == -1);
    CHECK(sawmill_receiver_rejected_count(NULL) == 0);
    CHECK(sawmill_receiver_received_count(NULL) == 0);
    EXPECT_NULL_ARG(sawmill_receiver_stop(NULL));
    EXPECT_NULL_RESULT(sawmill_http_handler_new(NULL, "/", "GET", false, NULL, NULL, false, 0),
                       SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", NULL, "GET", false, NULL, NULL, false, 0),
                       SAWMILL_ERR_NULL_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_http_handler_new(bad_utf8, "/", NULL, false, NULL, NULL, false, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", bad_utf8, NULL, false, NULL, NULL, false, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", "/", bad_utf8, false, NULL, NULL, false, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", "/", "PUT", false, NULL, NULL, false, 0),
                       SAWMILL_ERR_INVALID_ARGUMENT);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", "/", "GET", false, bad_utf8, NULL, false, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    EXPECT_NULL_RESULT(sawmill_http_handler_new("h", "/", "GET", false, "u", bad_utf8, false, 0),
                       SAWMILL_ERR_INVALID_UTF8);
    {
        sawmill_handler *hh = sawmill_http_handler_new("h", "/", "post", true, "u", NULL, true, 10);
        CHECK(hh != NULL);
        sawmill_handler_release(hh);
    }
    {
        const char *to[] = {"a@example.org", NULL};
        const char *bad_utf8_array[] = {bad_utf8};
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new(NULL, 25, "f@example.org", to, 1, "s", NULL,
                                                    NULL, false, false, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, NULL, to, 1, "s", NULL, NULL, false,
                                                    false, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", NULL, 1, "s", NULL,
                                                    NULL, false, false, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", to, 2, "s", NULL,
                                                    NULL, false, false, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", to, 1, NULL, NULL,
                                                    NULL, false, false, 0),
                           SAWMILL_ERR_NULL_ARGUMENT);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new(bad_utf8, 25, "f@example.org", to, 1, "s",
                                                    NULL, NULL, false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, bad_utf8, to, 1, "s", NULL, NULL,
                                                    false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", bad_utf8_array, 1, "s",
                                                    NULL, NULL, false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", to, 1, bad_utf8,
                                                    NULL, NULL, false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", to, 1, "s",
                                                    bad_utf8, NULL, false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "f@example.org", to, 1, "s", "u",
                                                    bad_utf8, false, false, 0),
                           SAWMILL_ERR_INVALID_UTF8);
        EXPECT_NULL_RESULT(sawmill_smtp_handler_new("h", 25, "no address", to, 1, "s", NULL,
                                                    NULL, false, false, 0),
                           SAWMILL_ERR_INVALID_ARGUMENT);
    }
    {
        sawmill_receiver *rcv = sawmill_receiver_start("127.0.0.1:0", "127.0.0.1:0", NULL);
        CHECK(rcv != NULL);
        CHECK(sawmill_receiver_port(rcv, false) > 0 && sawmill_receiver_port(rcv, true) > 0);
        EXPECT_OK(sawmill_receiver_stop(rcv));
    }

    sawmill_handler_release(h);
    sawmill_formatter_release(f);
    sawmill_filter_release(flt);
    sawmill_filter_release(rec_filter);
    sawmill_handler_release(cap);
    sawmill_shutdown();
    sawmill_shutdown();
    CHECK_DONE();
}
