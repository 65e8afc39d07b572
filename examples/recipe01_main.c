/* Cookbook recipe 1: a parent logger configured in one module, children
 * created (not configured) in another. Writes its files into the given directory. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"
#include "recipe01_auxiliary.h"

int recipe01_run(const char *outdir) {
    char path[4096];
    sawmill_logger *logger;
    sawmill_handler *fh, *ch;
    sawmill_formatter *formatter;
    auxiliary *a;

    snprintf(path, sizeof path, "%s/spam.log", outdir);
    logger = sawmill_get_logger("spam_application");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_DEBUG);
    /* A file handler which logs even debug messages. */
    fh = sawmill_file_handler_new(path, "a", false);
    if (fh == NULL) {
        fprintf(stderr, "cannot log to %s: %s\n", path, sawmill_last_error());
        return 1;
    }
    sawmill_handler_set_level(fh, SAWMILL_LEVEL_DEBUG);
    /* A console handler with a higher level. */
    ch = sawmill_stream_handler_new(2);
    sawmill_handler_set_level(ch, SAWMILL_LEVEL_ERROR);
    formatter = sawmill_formatter_new("%(asctime)s - %(name)s - %(levelname)s - %(message)s", NULL, '%');
    sawmill_handler_set_formatter(fh, formatter);
    sawmill_handler_set_formatter(ch, formatter);
    sawmill_logger_add_handler(logger, fh);
    sawmill_logger_add_handler(logger, ch);
    /* The logger now holds its own references. */
    sawmill_formatter_release(formatter);
    sawmill_handler_release(fh);
    sawmill_handler_release(ch);

    SAWMILL_INFO(logger, "creating an instance of auxiliary_module.Auxiliary");
    a = auxiliary_new();
    SAWMILL_INFO(logger, "created an instance of auxiliary_module.Auxiliary");
    SAWMILL_INFO(logger, "calling auxiliary_module.Auxiliary.do_something");
    auxiliary_do_something(a);
    SAWMILL_INFO(logger, "finished auxiliary_module.Auxiliary.do_something");
    SAWMILL_INFO(logger, "calling auxiliary_module.some_function()");
    auxiliary_some_function();
    SAWMILL_INFO(logger, "done with auxiliary_module.some_function()");
    auxiliary_free(a);
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe01_run(argc > 1 ? argv[1] : ".");
}
#endif
