/* A failing handler never fails the logging call: the first error of each
 * kind of each handler is printed to stderr, exactly once, and every error
 * is counted (Python's handleError with raiseExceptions). fd 2 is redirected
 * to a file to see what was printed. */
#include <stdio.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static int failing_emit(void *u, const sawmill_record *r, const char *t, size_t n) {
    (void)u; (void)r; (void)t; (void)n;
    return 7;
}

static int count(const char *text, const char *needle) {
    int n = 0;
    const char *p = text;
    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

int main(void) {
    char path[] = "/tmp/sawmill-error-reports-XXXXXX";
    char err[8192];
    size_t len;
    int i, fd, saved;
    FILE *f;
    sawmill_logger *l = sawmill_get_logger("error.reports");
    sawmill_handler *a = sawmill_callback_handler_new(failing_emit, NULL, NULL, NULL);
    sawmill_handler *b = sawmill_callback_handler_new(failing_emit, NULL, NULL, NULL);
    sawmill_formatter *missing = sawmill_formatter_new("%(no_such_field)s", NULL, '%');

    CHECK(a && b && missing);
    sawmill_handler_set_name(a, "A");
    sawmill_handler_set_name(b, "B");
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, a);
    sawmill_logger_add_handler(l, b);

    fd = mkstemp(path);
    CHECK(fd >= 0);
    fflush(stderr);
    saved = dup(2);
    dup2(fd, 2);

    for (i = 0; i < 3; i++) {
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "emit fails") == SAWMILL_OK);
        CHECK(sawmill_handler_error_count(a) == (uint64_t)(i + 1));
    }
    /* A second kind of error on A: its formatter now fails. */
    sawmill_handler_set_formatter(a, missing);
    for (i = 0; i < 3; i++) {
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "format fails") == SAWMILL_OK);
        CHECK(sawmill_handler_error_count(a) == (uint64_t)(4 + i));
    }
    CHECK(sawmill_handler_error_count(b) == 6);

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    f = fdopen(fd, "r");
    CHECK(f != NULL);
    rewind(f);
    len = fread(err, 1, sizeof err - 1, f);
    err[len] = '\0';
    fclose(f);
    unlink(path);

    CHECK(count(err, "--- sawmill:") == 3);
    CHECK(count(err, "CallbackHandler 'A' callback error") == 1);
    CHECK(count(err, "CallbackHandler 'A' format error") == 1);
    CHECK(count(err, "CallbackHandler 'B' callback error") == 1);
    CHECK(count(err, "emit callback returned 7") == 2);
    if (check_failures) {
        fprintf(stderr, "stderr was:\n%s", err);
    }
    sawmill_logger_remove_handler(l, a);
    sawmill_logger_remove_handler(l, b);
    sawmill_handler_release(a);
    sawmill_handler_release(b);
    sawmill_formatter_release(missing);
    CHECK_DONE();
}
