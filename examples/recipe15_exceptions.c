/* Cookbook recipe 15: one line per logged event even with an exception,
 * through the formatter's one-line exception style. C has no traceback: the
 * failing division reports its error and the program logs, as Python's
 * logging.exception would, a traceback text naming this file, line and
 * function (sawmill_log_exception). Writes output.txt into argv[1]. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

/* Python's a / b: the quotient, or -1 and the error text. */
static int divide(int a, int b, int *quotient, char *error, size_t size) {
    if (b == 0) {
        snprintf(error, size, "division by zero");
        return -1;
    }
    *quotient = a / b;
    return 0;
}

static int configure_logging(const char *outdir) {
    char path[4096];
    sawmill_handler *fh;
    sawmill_formatter *f;
    snprintf(path, sizeof path, "%s/output.txt", outdir);
    fh = sawmill_file_handler_new(path, "w", false);
    f = sawmill_formatter_new("%(asctime)s|%(levelname)s|%(message)s|", "%d/%m/%Y %H:%M:%S", '%');
    if (fh == NULL || f == NULL || sawmill_formatter_set_one_line_exceptions(f, true) != SAWMILL_OK ||
        sawmill_handler_set_formatter(fh, f) != SAWMILL_OK ||
        sawmill_logger_set_level(sawmill_get_logger(NULL), SAWMILL_LEVEL_DEBUG) != SAWMILL_OK ||
        sawmill_logger_add_handler(sawmill_get_logger(NULL), fh) != SAWMILL_OK) {
        fprintf(stderr, "configure: %s\n", sawmill_last_error());
        return -1;
    }
    sawmill_formatter_release(f);
    sawmill_handler_release(fh);
    return 0;
}

int recipe15_run(const char *outdir) {
    sawmill_logger *root = sawmill_get_logger(NULL);
    char error[128], msg[256], traceback[1024];
    int x = 0, line = 0;
    if (configure_logging(outdir) != 0) {
        return 1;
    }
    SAWMILL_INFO(root, "Sample message");
    line = __LINE__ + 1;
    if (divide(1, 0, &x, error, sizeof error) != 0) {
        snprintf(msg, sizeof msg, "ZeroDivisionError: %s", error);
        snprintf(traceback, sizeof traceback,
                 "Traceback (most recent call last):\n  File \"%s\", line %d, in %s\n"
                 "    x = 1 / 0\n        ~~^~~\nZeroDivisionError: %s",
                 __FILE__, line, __func__, error);
        (void)sawmill_log_exception(root, __FILE__, __LINE__, __func__, msg, traceback);
    }
    return x;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe15_run(argc > 1 ? argv[1] : ".");
}
#endif
