/* Cookbook recipe 4: basicConfig to a file with timestamps, plus a console
 * handler without them on the root logger. Writes its files into the given directory. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

int recipe04_run(const char *outdir) {
    char path[4096];
    sawmill_basic_config config = {0};
    sawmill_handler *console;
    sawmill_formatter *formatter;
    sawmill_logger *logger1, *logger2;

    snprintf(path, sizeof path, "%s/myapp.log", outdir);
    /* Logging to a file: DEBUG and up, with a short date. */
    config.level = SAWMILL_LEVEL_DEBUG;
    config.format = "%(asctime)s %(name)-12s %(levelname)-8s %(message)s";
    config.datefmt = "%m-%d %H:%M";
    config.filename = path;
    config.filemode = "w";
    if (sawmill_basic_config_apply(&config) != SAWMILL_OK) {
        fprintf(stderr, "basicConfig: %s\n", sawmill_last_error());
        return 1;
    }
    /* INFO and up also to stderr, in a simpler format. */
    console = sawmill_stream_handler_new(2);
    sawmill_handler_set_level(console, SAWMILL_LEVEL_INFO);
    formatter = sawmill_formatter_new("%(name)-12s: %(levelname)-8s %(message)s", NULL, '%');
    sawmill_handler_set_formatter(console, formatter);
    sawmill_logger_add_handler(sawmill_get_logger(""), console);
    sawmill_formatter_release(formatter);
    sawmill_handler_release(console);

    SAWMILL_INFO(sawmill_get_logger(NULL), "Jackdaws love my big sphinx of quartz.");
    logger1 = sawmill_get_logger("myapp.area1");
    logger2 = sawmill_get_logger("myapp.area2");
    SAWMILL_DEBUG(logger1, "Quick zephyrs blow, vexing daft Jim.");
    SAWMILL_INFO(logger1, "How quickly daft jumping zebras vex.");
    SAWMILL_WARNING(logger2, "Jail zesty vixen who grabbed pay from quack.");
    SAWMILL_ERROR(logger2, "The five boxing wizards jump quickly.");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe04_run(argc > 1 ? argv[1] : ".");
}
#endif
