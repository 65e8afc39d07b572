/* The printf-style entry points of sawmill's C ABI. They live in C because
 * stable Rust cannot define variadic functions. The level is checked first:
 * a disabled call never touches its arguments. Messages up to the stack
 * buffer's size are formatted without touching the heap. */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sawmill.h"

/* Exported by the Rust side, deliberately absent from the public header. */
sawmill_status sawmill_internal_set_error(sawmill_status status, const char *message);
sawmill_status sawmill_internal_log_formatted(sawmill_logger *l, int level, const char *file,
                                              int line, const char *func, const char *msg,
                                              size_t len);
sawmill_status sawmill_internal_adapter_log_formatted(sawmill_adapter *a, int level,
                                                      const char *file, int line,
                                                      const char *func, const char *msg,
                                                      size_t len);

/* The implementations are hidden: the exported sawmill_logf/sawmill_vlogf are
 * Rust trampolines (src/ffi/variadic.rs) that jump here, because the shared
 * library exports only what the Rust crate defines. */
#define SAWMILL_SHIM_HIDDEN __attribute__((visibility("hidden")))
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_vlogf_enabled(sawmill_logger *l, int level,
                                                          const char *file, int line,
                                                          const char *func, const char *fmt,
                                                          va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_vlogf(sawmill_logger *l, int level, const char *file,
                                                      int line, const char *func, const char *fmt,
                                                      va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_adapter_vlogf(sawmill_adapter *a, int level,
                                                              const char *file, int line,
                                                              const char *func, const char *fmt,
                                                              va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_logf_site_plain(sawmill_site_ *site,
                                                                sawmill_logger *l, int level,
                                                                const char *fmt, ...);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_adapter_logf(sawmill_adapter *a, int level,
                                                             const char *file, int line,
                                                             const char *func, const char *fmt,
                                                             ...);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_logf(sawmill_logger *l, int level, const char *file,
                                                     int line, const char *func, const char *fmt, ...);

enum { SAWMILL_STACK_MESSAGE = 1024 };
/* The longest message a printf-style call may produce: a larger one (a
 * `%2147483647d`) is refused rather than allocated. The same bound as the
 * formatter's MAX_RECORD_LEN (src/format/mod.rs). */
#define SAWMILL_MAX_MESSAGE ((size_t)64 << 20)

/* The number of decimal digits of v: comparisons, not divisions, so that
 * the digits below can be written in place from the last one back. */
static size_t decimal_digits(unsigned long long v) {
    size_t n = 1;
    while (v >= 100000000ULL) {
        v /= 100000000ULL;
        n += 8;
    }
    if (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Appends the decimal digits of v (with a '-' if negative): two digits per
 * division, written straight into place (a per-digit loop and a copy from a
 * scratch buffer showed in profiles). */
static size_t put_unsigned(char *out, unsigned long long v, int negative) {
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    size_t len = decimal_digits(v) + (negative ? 1 : 0);
    char *end = out + len;
    if (negative) {
        out[0] = '-';
    }
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100) * 2;
        v /= 100;
        *--end = pairs[pair + 1];
        *--end = pairs[pair];
    }
    if (v >= 10) {
        *--end = pairs[v * 2 + 1];
        *--end = pairs[v * 2];
    } else {
        *--end = (char)('0' + (int)v);
    }
    return len;
}

/* The conversions log messages mostly use (%d %i %u %s %c %% with optional
 * l/ll/z), formatted without glibc's general printf machinery, which was the
 * largest cost of a record in profiles. Returns the length, or -1 when the
 * format needs anything else (flags, widths, other types) or does not fit:
 * the caller then uses vsnprintf on its own copy of the arguments. */
static inline __attribute__((always_inline)) int fast_vformat(char *out, size_t cap, const char *fmt, va_list ap) {
    size_t len = 0;
    const char *p;
    for (p = fmt; *p != '\0'; p++) {
        int longs = 0, size_t_arg = 0;
        const char *percent = strchr(p, '%');
        size_t literal = percent != NULL ? (size_t)(percent - p) : strlen(p);
        /* Copy the literal text up to the next conversion in one go. */
        if (len + literal + 24 >= cap) {
            return -1;
        }
        memcpy(out + len, p, literal);
        len += literal;
        if (percent == NULL) {
            break;
        }
        p = percent + 1;
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            size_t_arg = 1;
            p++;
        }
        switch (*p) {
        case '%':
            out[len++] = '%';
            break;
        case 'd':
        case 'i': {
            long long v = size_t_arg ? (long long)va_arg(ap, ptrdiff_t)
                          : longs >= 2 ? va_arg(ap, long long)
                          : longs == 1 ? (long long)va_arg(ap, long)
                                       : (long long)va_arg(ap, int);
            unsigned long long magnitude = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            len += put_unsigned(out + len, magnitude, v < 0);
            break;
        }
        case 'u': {
            unsigned long long v = size_t_arg ? (unsigned long long)va_arg(ap, size_t)
                                   : longs >= 2 ? va_arg(ap, unsigned long long)
                                   : longs == 1 ? (unsigned long long)va_arg(ap, unsigned long)
                                                : (unsigned long long)va_arg(ap, unsigned int);
            len += put_unsigned(out + len, v, 0);
            break;
        }
        case 'c':
            if (longs || size_t_arg) {
                return -1;
            }
            out[len++] = (char)va_arg(ap, int);
            break;
        case 's': {
            const char *text = va_arg(ap, const char *);
            size_t n;
            if (longs || size_t_arg) {
                return -1;
            }
            if (text == NULL) {
                text = "(null)";
            }
            n = strlen(text);
            if (len + n + 24 >= cap) {
                return -1;
            }
            memcpy(out + len, text, n);
            len += n;
            break;
        }
        default:
            return -1;
        }
    }
    out[len] = '\0';
    return (int)len;
}

/* Delivers a formatted message to the adapter `a`, or to the logger `l`
 * when `a` is NULL. */
static sawmill_status
deliver(sawmill_logger *l, sawmill_adapter *a, int level, const char *file, int line,
        const char *func, const char *msg, size_t len) {
    if (a != NULL) {
        return sawmill_internal_adapter_log_formatted(a, level, file, line, func, msg, len);
    }
    return sawmill_internal_log_formatted(l, level, file, line, func, msg, len);
}

/* The messages fast_vformat does not take (other conversions, or longer
 * than the stack buffer): vsnprintf, then the heap beyond the buffer. Out of
 * line and shared by the logger and adapter routines. */
__attribute__((noinline, cold)) static sawmill_status
format_slow(sawmill_logger *l, sawmill_adapter *a, int level, const char *file, int line,
            const char *func, const char *fmt, va_list ap) {
    char stack[SAWMILL_STACK_MESSAGE];
    char *heap;
    va_list again;
    int n;
    sawmill_status status;

    va_copy(again, ap);
    n = vsnprintf(stack, sizeof stack, fmt, ap);
    if (n < 0) {
        va_end(again);
        return sawmill_internal_set_error(SAWMILL_ERR_INVALID_ARGUMENT,
                                          "vsnprintf failed on the format string");
    }
    if ((size_t)n < sizeof stack) {
        va_end(again);
        return deliver(l, a, level, file, line, func, stack, (size_t)n);
    }
    if ((size_t)n > SAWMILL_MAX_MESSAGE) {
        va_end(again);
        return sawmill_internal_set_error(SAWMILL_ERR_INVALID_ARGUMENT,
                                          "message longer than 64 MiB: refused");
    }
    heap = (char *)malloc((size_t)n + 1);
    if (heap == NULL) {
        va_end(again);
        return sawmill_internal_set_error(SAWMILL_ERR_IO, "out of memory formatting a message");
    }
    vsnprintf(heap, (size_t)n + 1, fmt, again);
    va_end(again);
    status = deliver(l, a, level, file, line, func, heap, (size_t)n);
    free(heap);
    return status;
}

/* The logger's routine and the adapter's each have their own fast path (the
 * level test, fast_vformat into the stack buffer, one call to deliver), so a
 * plain logger call carries no adapter test; the rest is format_slow. */
sawmill_status sawmill_shim_vlogf(sawmill_logger *l, int level, const char *file, int line,
                                  const char *func, const char *fmt, va_list ap) {
    if (l == NULL || fmt == NULL) {
        /* sawmill_log reports which argument was NULL. */
        return sawmill_log(l, level, file, line, func, fmt);
    }
    /* The header's inline read, as SAWMILL_LOG does: no call to ask. */
    if ((long long)level < sawmill_logger_threshold_(l)) {
        return SAWMILL_OK;
    }
    return sawmill_shim_vlogf_enabled(l, level, file, line, func, fmt, ap);
}

/* sawmill_shim_vlogf past its argument and level tests, for callers that
 * made them already (the deferred path's fallback). */
sawmill_status sawmill_shim_vlogf_enabled(sawmill_logger *l, int level, const char *file, int line,
                                          const char *func, const char *fmt, va_list ap) {
    char stack[SAWMILL_STACK_MESSAGE];
    va_list fast;
    int n;

    va_copy(fast, ap);
    n = fast_vformat(stack, sizeof stack, fmt, fast);
    va_end(fast);
    if (n >= 0) {
        return sawmill_internal_log_formatted(l, level, file, line, func, stack, (size_t)n);
    }
    return format_slow(l, NULL, level, file, line, func, fmt, ap);
}

/* The SAWMILL_LOG macro's call on a settled logger without a queue, its
 * arguments and level tested by the sawmill_logf_site_ trampoline
 * (src/ffi/variadic.rs): sawmill_shim_vlogf_enabled's work done in the
 * variadic function itself, one call level fewer than the site's general
 * routine (src/ffi/deferred.c). */
sawmill_status sawmill_shim_logf_site_plain(sawmill_site_ *site, sawmill_logger *l, int level,
                                            const char *fmt, ...) {
    char stack[SAWMILL_STACK_MESSAGE];
    va_list ap;
    sawmill_status status;
    int n;
    va_start(ap, fmt);
    n = fast_vformat(stack, sizeof stack, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        return sawmill_internal_log_formatted(l, level, site->file, site->line, site->func, stack,
                                              (size_t)n);
    }
    /* The arguments again from the start, for the general formatter. */
    va_start(ap, fmt);
    status = format_slow(l, NULL, level, site->file, site->line, site->func, fmt, ap);
    va_end(ap);
    return status;
}

sawmill_status sawmill_shim_adapter_vlogf(sawmill_adapter *a, int level, const char *file,
                                          int line, const char *func, const char *fmt,
                                          va_list ap) {
    char stack[SAWMILL_STACK_MESSAGE];
    va_list fast;
    int n;

    if (a == NULL || fmt == NULL) {
        /* sawmill_adapter_log reports which argument was NULL. */
        return sawmill_adapter_log(a, level, file, line, func, fmt);
    }
    if ((long long)level < sawmill_adapter_threshold_(a)) {
        return SAWMILL_OK;
    }
    va_copy(fast, ap);
    n = fast_vformat(stack, sizeof stack, fmt, fast);
    va_end(fast);
    if (n >= 0) {
        return sawmill_internal_adapter_log_formatted(a, level, file, line, func, stack,
                                                      (size_t)n);
    }
    return format_slow(NULL, a, level, file, line, func, fmt, ap);
}

sawmill_status sawmill_shim_adapter_logf(sawmill_adapter *a, int level, const char *file,
                                         int line, const char *func, const char *fmt, ...) {
    va_list ap;
    sawmill_status status;
    va_start(ap, fmt);
    status = sawmill_shim_adapter_vlogf(a, level, file, line, func, fmt, ap);
    va_end(ap);
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
