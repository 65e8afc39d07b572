/* Cookbook recipe 19: a scoped logging context. Between begin and end the
 * logger's level is changed and/or a handler attached; end restores the
 * level, detaches the handler and (close = true) closes it. */
#include "sawmill.h"
#include "recipes.h"

int recipe19_run(const char *outdir) {
    (void)outdir;
    sawmill_logger *logger = sawmill_get_logger("foo");
    sawmill_handler *console = sawmill_stream_handler_new(2);
    sawmill_logger_add_handler(logger, console);
    sawmill_handler_release(console);
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    SAWMILL_INFO(logger, "1. This should appear just once on stderr.");
    SAWMILL_DEBUG(logger, "2. This should not appear.");

    sawmill_logging_context *ctx =
        sawmill_logging_context_begin(logger, true, SAWMILL_LEVEL_DEBUG, NULL, true);
    SAWMILL_DEBUG(logger, "3. This should appear once on stderr.");
    sawmill_logging_context_end(ctx);
    SAWMILL_DEBUG(logger, "4. This should not appear.");

    sawmill_handler *h = sawmill_stream_handler_new(1);
    ctx = sawmill_logging_context_begin(logger, true, SAWMILL_LEVEL_DEBUG, h, true);
    SAWMILL_DEBUG(logger, "5. This should appear twice - once on stderr and once on stdout.");
    sawmill_logging_context_end(ctx);
    sawmill_handler_release(h);
    SAWMILL_INFO(logger, "6. This should appear just once on stderr.");
    SAWMILL_DEBUG(logger, "7. This should not appear.");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe19_run(argc > 1 ? argv[1] : ".");
}
#endif
