/* Cookbook recipe 3: one logger, a file handler at DEBUG and a console
 * handler at ERROR sharing a formatter. Writes its files into the given directory. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

int recipe03_run(const char *outdir) {
    char path[4096];
    sawmill_logger *logger = sawmill_get_logger("simple_example");
    sawmill_handler *fh, *ch;
    sawmill_formatter *formatter;

    snprintf(path, sizeof path, "%s/spam.log", outdir);
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_DEBUG);
    fh = sawmill_file_handler_new(path, "a", false);
    if (fh == NULL) {
        fprintf(stderr, "cannot log to %s: %s\n", path, sawmill_last_error());
        return 1;
    }
    sawmill_handler_set_level(fh, SAWMILL_LEVEL_DEBUG);
    ch = sawmill_stream_handler_new(2);
    sawmill_handler_set_level(ch, SAWMILL_LEVEL_ERROR);
    formatter = sawmill_formatter_new("%(asctime)s - %(name)s - %(levelname)s - %(message)s", NULL, '%');
    sawmill_handler_set_formatter(ch, formatter);
    sawmill_handler_set_formatter(fh, formatter);
    sawmill_logger_add_handler(logger, ch);
    sawmill_logger_add_handler(logger, fh);
    sawmill_formatter_release(formatter);
    sawmill_handler_release(fh);
    sawmill_handler_release(ch);

    /* 'application' code */
    SAWMILL_DEBUG(logger, "debug message");
    SAWMILL_INFO(logger, "info message");
    SAWMILL_WARNING(logger, "warn message");
    SAWMILL_ERROR(logger, "error message");
    SAWMILL_CRITICAL(logger, "critical message");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe03_run(argc > 1 ? argv[1] : ".");
}
#endif
