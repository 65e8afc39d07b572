/* The printf-style entry points of sawmill's C ABI. They live in C because
 * stable Rust cannot define variadic functions. The level is checked first:
 * a disabled call never touches its arguments. Messages up to the stack
 * buffer's size are formatted without touching the heap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sawmill.h"

/* Exported by the Rust side, deliberately absent from the public header. */
sawmill_status sawmill_internal_set_error(sawmill_status status, const char *message);

/* The implementations are hidden: the exported sawmill_logf/sawmill_vlogf are
 * Rust trampolines (src/ffi/variadic.rs) that jump here, because the shared
 * library exports only what the Rust crate defines. */
#define SAWMILL_SHIM_HIDDEN __attribute__((visibility("hidden")))
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_vlogf(sawmill_logger *l, int level, const char *file,
                                                      int line, const char *func, const char *fmt,
                                                      va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_logf(sawmill_logger *l, int level, const char *file,
                                                     int line, const char *func, const char *fmt, ...);

enum { SAWMILL_STACK_MESSAGE = 1024 };

sawmill_status sawmill_shim_vlogf(sawmill_logger *l, int level, const char *file, int line,
                                  const char *func, const char *fmt, va_list ap) {
    char stack[SAWMILL_STACK_MESSAGE];
    char *heap;
    va_list again;
    int n;
    sawmill_status status;

    if (l == NULL || fmt == NULL) {
        /* sawmill_log reports which argument was NULL. */
        return sawmill_log(l, level, file, line, func, fmt);
    }
    if (!sawmill_logger_is_enabled_for(l, level)) {
        return SAWMILL_OK;
    }
    va_copy(again, ap);
    n = vsnprintf(stack, sizeof stack, fmt, ap);
    if (n < 0) {
        va_end(again);
        return sawmill_internal_set_error(SAWMILL_ERR_INVALID_ARGUMENT,
                                          "vsnprintf failed on the format string");
    }
    if ((size_t)n < sizeof stack) {
        va_end(again);
        return sawmill_log(l, level, file, line, func, stack);
    }
    heap = (char *)malloc((size_t)n + 1);
    if (heap == NULL) {
        va_end(again);
        return sawmill_internal_set_error(SAWMILL_ERR_IO, "out of memory formatting a message");
    }
    vsnprintf(heap, (size_t)n + 1, fmt, again);
    va_end(again);
    status = sawmill_log(l, level, file, line, func, heap);
    free(heap);
    return status;
}

sawmill_status sawmill_shim_logf(sawmill_logger *l, int level, const char *file, int line,
                                 const char *func, const char *fmt, ...) {
    va_list ap;
    sawmill_status status;
    va_start(ap, fmt);
    status = sawmill_shim_vlogf(l, level, file, line, func, fmt, ap);
    va_end(ap);
    return status;
}
