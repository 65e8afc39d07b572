/* sawmill_log_stack (issue 13): the calling thread's native stack as the
 * record's stack_info, after the message as Python prints stack_info, its
 * first frame the caller (sawmill's own frames dropped), symbolised from
 * this program's symbol table; nothing captured for a disabled level. */
#include <sawmill.h>

#include "check.h"

static char text[1 << 16];
static int records;

static int keep(void *user_data, const sawmill_record *r, const char *t, size_t len) {
    (void)user_data;
    (void)r;
    if (len >= sizeof text) {
        len = sizeof text - 1;
    }
    memcpy(text, t, len);
    text[len] = '\0';
    records++;
    return 0;
}

/* Work after each call keeps the calls from becoming tail calls. */
static volatile int calls_returned;

/* Not static and not inlined: a frame with a name in the symbol table. */
__attribute__((noinline)) int stack_info_inner_caller(sawmill_logger *l) {
    int status = (int)sawmill_log_stack(l, SAWMILL_LEVEL_WARNING, __FILE__, __LINE__, __func__, "here");
    calls_returned++;
    return status;
}

__attribute__((noinline)) int stack_info_outer_caller(sawmill_logger *l) {
    int status = stack_info_inner_caller(l);
    calls_returned++;
    return status;
}

int main(void) {
    sawmill_logger *l = sawmill_get_logger("stack_info");
    sawmill_handler *h = sawmill_callback_handler_new(keep, NULL, NULL, NULL);
    sawmill_formatter *f = sawmill_formatter_new("%(levelname)s|%(funcName)s|%(message)s", NULL, '%');
    const char *first, *inner, *outer;
    CHECK(sawmill_handler_set_formatter(h, f) == SAWMILL_OK);
    CHECK(sawmill_logger_set_propagate(l, false) == SAWMILL_OK);
    CHECK(sawmill_logger_add_handler(l, h) == SAWMILL_OK);
    CHECK(stack_info_outer_caller(l) == SAWMILL_OK);
    CHECK(records == 1);
    CHECK(strncmp(text, "WARNING|stack_info_inner_caller|here\nStack (most recent call first):\n  0: ",
                  strlen("WARNING|stack_info_inner_caller|here\nStack (most recent call first):\n  0: ")) == 0);
    first = strstr(text, "\n  0: ");
    inner = strstr(text, "stack_info_inner_caller\n");
    outer = strstr(text, "stack_info_outer_caller\n");
    /* The caller is frame 0, its caller after it, then main. */
    CHECK(first != NULL && inner == first + strlen("\n  0: "));
    CHECK(outer != NULL && inner != NULL && outer > inner);
    CHECK(strstr(text, ": main\n") != NULL || strstr(text, ": main") != NULL);
    CHECK(strstr(text, "sawmill_log_stack") == NULL);
    if (check_failures) {
        fprintf(stderr, "%s\n", text);
    }
    /* Disabled: nothing captured, nothing logged. */
    CHECK(sawmill_logger_set_level(l, SAWMILL_LEVEL_ERROR) == SAWMILL_OK);
    CHECK(stack_info_outer_caller(l) == SAWMILL_OK);
    CHECK(records == 1);
    sawmill_formatter_release(f);
    sawmill_handler_release(h);
    CHECK_DONE();
}
