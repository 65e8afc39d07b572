/* Cookbook recipe 12: structured logging. The recipe's StructuredMessage
 * prints `message >>> {json of the keyword arguments}`; here the key/values
 * are typed extras of the log call and a sawmill.JSONFormatter whose format
 * is the `%(message)s >>> ` prefix prints them, in the order given, as
 * CPython's json.dumps does (ensure_ascii on: the snowman is \u2603). */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

static sawmill_extra str_extra(const char *key, const char *value) {
    sawmill_extra e = {key, SAWMILL_VALUE_STR, value, 0, 0.0, false};
    return e;
}

int recipe12_run(const char *outdir) {
    (void)outdir;
    sawmill_logger *root = sawmill_get_logger(NULL);
    sawmill_formatter *f =
        sawmill_json_formatter_new("{\"format\": \"%(message)s >>> \", \"fields\": []}");
    sawmill_handler *h = sawmill_stream_handler_new(2);
    if (f == NULL || h == NULL) {
        fprintf(stderr, "setup: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_handler_set_formatter(h, f);
    sawmill_logger_add_handler(root, h);
    sawmill_logger_set_level(root, SAWMILL_LEVEL_INFO);

    sawmill_extra first[4] = {
        {"fnum", SAWMILL_VALUE_FLOAT, NULL, 0, 123.456, false},
        {"num", SAWMILL_VALUE_INT, NULL, 123, 0.0, false},
        str_extra("bar", "baz"),
        str_extra("foo", "bar"),
    };
    sawmill_extra second[2] = {
        str_extra("snowman", "\xe2\x98\x83"),
        {"set_value", SAWMILL_VALUE_JSON, "[1, 2, 3]", 0, 0.0, false},
    };
    if (sawmill_log_ex(root, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, __func__, "message 1", NULL,
                       NULL, first, 4) != SAWMILL_OK ||
        sawmill_log_ex(root, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, __func__, "message 1", NULL,
                       NULL, second, 2) != SAWMILL_OK) {
        fprintf(stderr, "log: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_handler_release(h);
    sawmill_formatter_release(f);
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe12_run(argc > 1 ? argv[1] : ".");
}
#endif
