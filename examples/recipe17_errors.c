/* Cookbook recipe 17: buffer a function's records and write them only if
 * it logs an error. The recipe's decorator becomes a begin/end pair around
 * the call; an error code coming back plays the part of the exception
 * (`logger.exception('call failed')`). Output on stderr. */
#include <stdbool.h>
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

static sawmill_logger *logger;

static void write_line(const char *s) {
    fprintf(stderr, "%s\n", s);
}

/* Logs at every level up to WARNING, and ERROR and CRITICAL when `fail`. */
static bool foo(bool fail) {
    write_line("about to log at DEBUG ...");
    SAWMILL_DEBUG(logger, "Actually logged at DEBUG");
    write_line("about to log at INFO ...");
    SAWMILL_INFO(logger, "Actually logged at INFO");
    write_line("about to log at WARNING ...");
    SAWMILL_WARNING(logger, "Actually logged at WARNING");
    if (fail) {
        write_line("about to log at ERROR ...");
        SAWMILL_ERROR(logger, "Actually logged at ERROR");
        write_line("about to log at CRITICAL ...");
        SAWMILL_CRITICAL(logger, "Actually logged at CRITICAL");
    }
    return fail;
}

/* A call that can fail: returns -1 (with a description) instead of raising. */
static int call_foo(bool fail, bool *result, const char **why) {
    *result = foo(fail);
    *why = NULL;
    return 0;
}

/* The recipe's decorated foo: a MemoryHandler (capacity 100, flush at
 * ERROR, a StreamHandler on stderr as target) on the logger for the call. */
static bool decorated_foo(bool fail) {
    sawmill_errors_scope *scope = sawmill_log_if_errors_begin(logger, NULL, -1, 0);
    bool result = false;
    const char *why = NULL;
    if (call_foo(fail, &result, &why) != 0) {
        sawmill_log_if_errors_fail(scope, __FILE__, __LINE__, __func__, why);
    }
    sawmill_log_if_errors_end(scope);
    return result;
}

int recipe17_run(const char *outdir) {
    sawmill_handler *null_handler = sawmill_null_handler_new();
    (void)outdir;
    logger = sawmill_get_logger("__main__");
    sawmill_logger_add_handler(logger, null_handler);
    sawmill_handler_release(null_handler);

    sawmill_logger_set_level(logger, SAWMILL_LEVEL_DEBUG);
    write_line("Calling undecorated foo with False");
    if (foo(false)) return 1;
    write_line("Calling undecorated foo with True");
    if (!foo(true)) return 1;
    write_line("Calling decorated foo with False");
    if (decorated_foo(false)) return 1;
    write_line("Calling decorated foo with True");
    if (!decorated_foo(true)) return 1;
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe17_run(argc > 1 ? argv[1] : ".");
}
#endif
