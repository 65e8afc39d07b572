/* dictConfig from C: a config file written before its factories exist is
 * refused (and changes nothing), then applied once they are registered;
 * factories read their options; a factory returning NULL refuses the
 * config; handlers are found by name; a formatter's defaults from C. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sawmill.h"
#include "check.h"

static char captured[4096];

static int capture(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u;
    (void)r;
    strncat(captured, text, len < sizeof captured - strlen(captured) - 2 ? len : 0);
    strcat(captured, "\n");
    return 0;
}

static int factory_calls;
static int destroyed;

static void count_destroy(void *u) {
    (void)u;
    destroyed++;
}

/* A handler factory: the config's `prefix` and `times` reach it. */
static sawmill_handler *capture_factory(void *u, const sawmill_options *o) {
    int64_t times = 0;
    factory_calls++;
    CHECK(u == (void *)&factory_calls);
    CHECK_STR(sawmill_options_get_str(o, "prefix"), "cap");
    CHECK(sawmill_options_get_str(o, "times") == NULL); /* not a string */
    CHECK(sawmill_options_get_int(o, "times", &times) && times == 3);
    CHECK(!sawmill_options_get_int(o, "prefix", &times));
    CHECK(sawmill_options_get_str(o, "absent") == NULL);
    CHECK_STR(sawmill_options_get_str_at(o, "owner", 1), "grp");
    CHECK(sawmill_options_get_str_at(o, "owner", 2) == NULL);
    CHECK(strstr(sawmill_options_json(o), "\"prefix\":\"cap\"") != NULL);
    /* The handler keys are not the factory's. */
    CHECK(strstr(sawmill_options_json(o), "formatter") == NULL);
    return sawmill_callback_handler_new(capture, NULL, NULL, NULL);
}

static sawmill_handler *refusing_factory(void *u, const sawmill_options *o) {
    (void)u;
    (void)o;
    return NULL;
}

/* Recipe 14's MyFilter: drops messages containing `param`. */
struct my_filter {
    char param[64];
};
static struct my_filter the_filter;

static int my_filter_fn(void *u, sawmill_record *r) {
    const struct my_filter *f = u;
    return strstr(sawmill_record_message(r), f->param) == NULL;
}

static sawmill_filter *my_filter_factory(void *u, const sawmill_options *o) {
    const char *param = sawmill_options_get_str(o, "param");
    (void)u;
    snprintf(the_filter.param, sizeof the_filter.param, "%s", param ? param : "");
    return sawmill_callback_filter_new(my_filter_fn, &the_filter, NULL);
}

static sawmill_formatter *utc_formatter_factory(void *u, const sawmill_options *o) {
    sawmill_formatter *f =
        sawmill_formatter_new(sawmill_options_get_str(o, "format"), NULL, '%');
    (void)u;
    if (f != NULL) {
        sawmill_formatter_set_utc(f, true);
    }
    return f;
}

static const char *config =
    "{\"version\": 1, \"disable_existing_loggers\": false,\n"
    " \"formatters\": {\"u\": {\"()\": \"ext://app.UTCFormatter\","
    " \"format\": \"%(levelname)s:%(name)s:%(message)s\"}},\n"
    " \"filters\": {\"f\": {\"()\": \"__main__.MyFilter\", \"param\": \"noshow\"}},\n"
    " \"handlers\": {\"cap\": {\"()\": \"myapp.handlers.capture\", \"prefix\": \"cap\","
    " \"times\": 3, \"owner\": [\"usr\", \"grp\"], \"formatter\": \"u\", \"filters\": [\"f\"],"
    " \"level\": \"INFO\"}},\n"
    " \"loggers\": {\"app\": {\"handlers\": [\"cap\"], \"level\": \"DEBUG\","
    " \"propagate\": false}}}\n";

int main(void) {
    const char *path = "/tmp/sawmill-ctest-dict-config.json";
    sawmill_logger *app = sawmill_get_logger("app");
    sawmill_handler *h;
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return 1;
    }
    fputs(config, f);
    fclose(f);

    /* Written before the factories exist: refused, naming the spot. */
    CHECK(sawmill_dict_config_file(path) == SAWMILL_ERR_CONFIG);
    CHECK(strstr(sawmill_last_error(), "formatter 'u'") != NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_CONFIG);

    CHECK(sawmill_register_handler_factory("capture", capture_factory, &factory_calls,
                                           count_destroy) == SAWMILL_OK);
    CHECK(sawmill_register_filter_factory("MyFilter", my_filter_factory, NULL, NULL) ==
          SAWMILL_OK);
    CHECK(sawmill_register_formatter_factory("UTCFormatter", utc_formatter_factory, NULL,
                                             NULL) == SAWMILL_OK);
    CHECK(sawmill_dict_config_file(path) == SAWMILL_OK);
    CHECK(factory_calls == 1);

    SAWMILL_DEBUG(app, "below the handler's level");
    SAWMILL_INFO(app, "hello");
    SAWMILL_INFO(app, "hello - noshow");
    SAWMILL_ERROR(app, "answer %d", 42);
    CHECK_STR(captured, "INFO:app:hello\nERROR:app:answer 42\n");

    h = sawmill_get_handler_by_name("cap");
    CHECK(h != NULL);
    sawmill_handler_release(h);
    CHECK(sawmill_get_handler_by_name("nope") == NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_INVALID_ARGUMENT);

    /* A factory that returns NULL refuses the whole config; the old one logs on. */
    CHECK(sawmill_register_handler_factory("refusing", refusing_factory, NULL, NULL) ==
          SAWMILL_OK);
    CHECK(sawmill_dict_config_json("{\"version\": 1, \"handlers\": {\"r\": {\"()\": \"refusing\"}},"
                                   " \"loggers\": {\"app\": {\"handlers\": [\"r\"]}}}") ==
          SAWMILL_ERR_CONFIG);
    CHECK(strstr(sawmill_last_error(), "handler 'r': (): factory 'refusing' returned NULL") !=
          NULL);
    captured[0] = '\0';
    SAWMILL_WARNING(app, "still here");
    CHECK_STR(captured, "WARNING:app:still here\n");

    /* Other refusals. */
    CHECK(sawmill_dict_config_json("{\"version\": 1,") == SAWMILL_ERR_CONFIG);
    CHECK(sawmill_dict_config_json("{\"version\": 1, \"handlers\": {\"file\": {\"class\":"
                                   " \"logging.handlers.RotatingFileHandler\", \"filename\":"
                                   " \"/tmp/x.log\", \"maxbytes\": 1}}}") == SAWMILL_ERR_CONFIG);
    CHECK_STR(sawmill_last_error(),
              "handler 'file': unknown option 'maxbytes' (did you mean 'maxBytes'?)");
    CHECK(sawmill_dict_config_file("/nonexistent/config.json") == SAWMILL_ERR_CONFIG);

    /* Re-registering replaces the factory and destroys the old user data. */
    CHECK(sawmill_register_handler_factory("capture", capture_factory, &factory_calls, NULL) ==
          SAWMILL_OK);
    CHECK(destroyed == 1);

    /* A formatter's defaults, from C. */
    {
        sawmill_formatter *fd = sawmill_formatter_new_with_defaults(
            "%(ip)s %(user)s %(message)s", NULL, '%', "{\"ip\": \"0.0.0.0\", \"user\": 7}");
        sawmill_handler *ch = sawmill_callback_handler_new(capture, NULL, NULL, NULL);
        sawmill_logger *d = sawmill_get_logger("defaults");
        CHECK(fd != NULL && ch != NULL);
        sawmill_handler_set_formatter(ch, fd);
        sawmill_logger_add_handler(d, ch);
        captured[0] = '\0';
        SAWMILL_WARNING(d, "with defaults");
        CHECK_STR(captured, "0.0.0.0 7 with defaults\n");
        sawmill_formatter_release(fd);
        sawmill_handler_release(ch);
        CHECK(sawmill_formatter_new_with_defaults(NULL, NULL, '%', "[1]") == NULL);
        CHECK(sawmill_last_error_status() == SAWMILL_ERR_INVALID_ARGUMENT);
    }
    remove(path);
    CHECK_DONE();
}
