/* The deferred path of the printf-style macros (SAWMILL_LOG and friends):
 * when a logger's records can only reach one QueueHandler and nothing needs
 * the message on the calling thread, the call copies its level, time stamp,
 * call site and raw arguments into the calling thread's ring (strings
 * copied, up to SAWMILL_DEFERRED_STR_MAX bytes) and returns; the queue's
 * listener formats the message (sawmill_deferred_format) with printf's
 * own semantics, conversion by conversion. The argument layout is found by
 * walking the format once per call site and cached in the site. Anything
 * else (a format with %n, %m, '*', positional arguments, long double, wide
 * characters, a longer string, a logger that is not eligible, a level at
 * or above the queue's sync_level) takes the synchronous path. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "sawmill.h"

/* The library side (src/ffi/deferred.rs), absent from the public header. */
sawmill_status sawmill_internal_set_error(sawmill_status status, const char *message);
void *sawmill_internal_deferred_refresh(sawmill_logger *l);
const uint64_t *sawmill_internal_config_epoch_address(void);
void *sawmill_internal_deferred_ring(const void *port, uint64_t owner);
int sawmill_internal_deferred_full(const void *ring);

#define SAWMILL_SHIM_HIDDEN __attribute__((visibility("hidden")))
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_vlogf(sawmill_logger *l, int level, const char *file,
                                                      int line, const char *func, const char *fmt,
                                                      va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_vlogf_enabled(sawmill_logger *l, int level,
                                                          const char *file, int line,
                                                          const char *func, const char *fmt,
                                                          va_list ap);
SAWMILL_SHIM_HIDDEN sawmill_status sawmill_shim_logf_site(sawmill_site_ *site, sawmill_logger *l,
                                                          int level, const char *fmt, ...);
SAWMILL_SHIM_HIDDEN long sawmill_deferred_format(const void *layout, const uint64_t *args,
                                                 size_t n_words, char *out, size_t cap);

/* The longest string argument copied into a ring. */
#define SAWMILL_DEFERRED_STR_MAX 1024
#define MAX_CONVERSIONS 32
#define MAX_SPEC 30

/* Argument classes: how the caller's argument is read and passed again. */
enum { ARG_NONE, ARG_INT, ARG_LONG, ARG_DOUBLE, ARG_STR, ARG_PTR };

struct conversion {
    unsigned short literal_off, literal_len; /* text before the conversion */
    unsigned short spec_off, spec_len;       /* "%...x" */
    unsigned char arg;                       /* ARG_* */
    unsigned char plain;                     /* no flags/width/precision */
    char conv;                               /* the conversion character */
    char length;                             /* 0, 'h', 'H' (hh), 'l', 'q' (ll), 'j', 'z', 't' */
};

struct layout {
    const char *fmt; /* the format this layout was made for */
    int ok;          /* 0: the format needs the synchronous path */
    int n;           /* conversions */
    int has_strings;
    unsigned short tail_off, tail_len;
    struct conversion c[MAX_CONVERSIONS];
};

/* Mirrors of the library's structs (src/handler/queue/rings.rs). */
struct port {
    int32_t sync_level;
    int32_t handler_level;
    uint64_t generation;
    uint32_t sleeping;
};

/* The logger's answer (Logger::deferred_epoch/deferred_port), after its
 * 64-bit threshold: a sequence lock, epoch 0 while it is being written. */
struct logger_head {
    int64_t threshold;
    uint64_t deferred_epoch;
    const struct port *deferred_port;
};

struct ring {
    uint64_t write;
    uint64_t read_seen;
    uint64_t *base;
    uint64_t mask;
    uint64_t generation;
    const struct port *port;
    uint64_t owner;
    char pad_[128 - 56];
    uint64_t read;
};

enum { KIND_PAD = 0, KIND_DEFERRED = 1 };
enum { HEADER_WORDS = 5 };

/* The deferred call's steps are inlined into one function (its
 * prologue, epilogue and argument shuffles were a tenth of the call). */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Walks `fmt` once: the layout, or ok = 0 for anything the deferred path
 * does not reproduce exactly. */
static void parse(const char *fmt, struct layout *out) {
    const char *p = fmt, *literal = fmt;
    size_t total = strlen(fmt);
    memset(out, 0, sizeof *out);
    out->fmt = fmt;
    if (total > 0xffff || sizeof(long) != 8 || sizeof(void *) != 8) {
        return;
    }
    while ((p = strchr(p, '%')) != NULL) {
        struct conversion *c;
        const char *spec = p;
        int plain = 1;
        char length = 0;
        if (out->n == MAX_CONVERSIONS) return;
        c = &out->c[out->n];
        c->literal_off = (unsigned short)(literal - fmt);
        c->literal_len = (unsigned short)(spec - literal);
        p++;
        while (*p != '\0' && strchr("-+ #0'I", *p) != NULL) {
            plain = 0;
            p++;
        }
        if (*p == '*') return;
        while (*p >= '0' && *p <= '9') {
            plain = 0;
            p++;
        }
        if (*p == '$') return;
        if (*p == '.') {
            plain = 0;
            p++;
            if (*p == '*') return;
            while (*p >= '0' && *p <= '9') p++;
        }
        switch (*p) {
        case 'h':
            p++;
            length = 'h';
            if (*p == 'h') {
                length = 'H';
                p++;
            }
            break;
        case 'l':
            p++;
            length = 'l';
            if (*p == 'l') {
                length = 'q';
                p++;
            }
            break;
        case 'q': case 'j': case 'z': case 't': case 'L':
            length = *p++;
            break;
        default:
            break;
        }
        c->conv = *p;
        c->length = length;
        switch (*p) {
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
            if (length == 'L') return;
            c->arg = (length == 0 || length == 'h' || length == 'H') ? ARG_INT : ARG_LONG;
            break;
        case 'c':
            if (length != 0) return;
            c->arg = ARG_INT;
            break;
        case 's':
            if (length != 0) return;
            c->arg = ARG_STR;
            out->has_strings = 1;
            break;
        case 'p':
            if (length != 0) return;
            c->arg = ARG_PTR;
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
            if (length != 0 && length != 'l') return;
            c->arg = ARG_DOUBLE;
            break;
        case '%':
            if (p != spec + 1) return;
            c->arg = ARG_NONE;
            break;
        default: /* %n, %m, %C, %S, unknown or truncated */
            return;
        }
        p++;
        if (p - spec > MAX_SPEC) return;
        c->spec_off = (unsigned short)(spec - fmt);
        c->spec_len = (unsigned short)(p - spec);
        c->plain = (unsigned char)plain;
        out->n++;
        literal = p;
    }
    out->tail_off = (unsigned short)(literal - fmt);
    out->tail_len = (unsigned short)(total - (size_t)(literal - fmt));
    out->ok = 1;
}

/* The site's layout for `fmt`: parsed on the first call and kept (a site
 * whose format changes keeps its first layout and takes the synchronous
 * path for other formats). */
__attribute__((noinline)) static const struct layout *site_layout_first(sawmill_site_ *site,
                                                                         const char *fmt) {
    struct layout *mine;
    void *expected = NULL;
    mine = (struct layout *)malloc(sizeof *mine);
    if (mine == NULL) return NULL;
    parse(fmt, mine);
    if (!__atomic_compare_exchange_n(&site->layout, &expected, (void *)mine, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        free(mine);
        return (const struct layout *)expected;
    }
    return mine;
}

ALWAYS_INLINE const struct layout *site_layout(sawmill_site_ *site, const char *fmt) {
    const struct layout *lay = (const struct layout *)__atomic_load_n(&site->layout, __ATOMIC_ACQUIRE);
    return lay != NULL ? lay : site_layout_first(site, fmt);
}

static const uint64_t *epoch_address(void) {
    static const uint64_t *address;
    const uint64_t *a = __atomic_load_n(&address, __ATOMIC_ACQUIRE);
    if (a == NULL) {
        a = sawmill_internal_config_epoch_address();
        __atomic_store_n(&address, a, __ATOMIC_RELEASE);
    }
    return a;
}

/* This thread's ring (one cached; initial-exec: no call to find it). */
static __thread struct ring *my_ring __attribute__((tls_model("initial-exec")));

ALWAYS_INLINE struct ring *ring_for(const struct port *port) {
    struct ring *r = my_ring;
    /* The thread's token: the address of its own thread-local pointer. */
    uint64_t me = (uint64_t)(uintptr_t)&my_ring;
    if (r != NULL && r->port == port &&
        r->generation == __atomic_load_n(&port->generation, __ATOMIC_RELAXED) &&
        __atomic_load_n(&r->owner, __ATOMIC_RELAXED) == me) {
        return r;
    }
    r = (struct ring *)sawmill_internal_deferred_ring(port, me);
    if (r != NULL) my_ring = r;
    return r;
}

ALWAYS_INLINE uint64_t stamp(uint64_t *kind) {
#if defined(__x86_64__)
    *kind = 1;
    return __rdtsc();
#else
    struct timespec t;
    *kind = 0;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
#endif
}

/* Asks for a cache line in the exclusive state (PREFETCHW: a no-op on
 * x86-64 CPUs without it). */
static inline void prefetch_for_write(const uint64_t *p) {
#if defined(__x86_64__)
    __asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
#else
    __builtin_prefetch(p, 1, 3);
#endif
}

/* Words an entry for these arguments needs; 0 when a string is too long. */
static size_t entry_words(const struct layout *lay, va_list ap) {
    size_t words = HEADER_WORDS;
    int i;
    for (i = 0; i < lay->n; i++) {
        switch (lay->c[i].arg) {
        case ARG_INT: (void)va_arg(ap, int); words++; break;
        case ARG_LONG: (void)va_arg(ap, long long); words++; break;
        case ARG_DOUBLE: (void)va_arg(ap, double); words++; break;
        case ARG_PTR: (void)va_arg(ap, void *); words++; break;
        case ARG_STR: {
            const char *s = va_arg(ap, const char *);
            size_t n = s != NULL ? strnlen(s, SAWMILL_DEFERRED_STR_MAX + 1) : 0;
            if (n > SAWMILL_DEFERRED_STR_MAX) return 0;
            words += 1 + (n + 7) / 8;
            break;
        }
        default: break;
        }
    }
    return words;
}

/* entry_words on a copy of `ap` (out of line: a function that copies a
 * va_list is never inlined). */
__attribute__((noinline)) static size_t string_entry_words(const struct layout *lay, va_list ap) {
    va_list sizing;
    size_t words;
    va_copy(sizing, ap);
    words = entry_words(lay, sizing);
    va_end(sizing);
    return words;
}

/* Copies the arguments after the entry's header. */
ALWAYS_INLINE void put_args(const struct layout *lay, uint64_t *w, va_list ap) {
    int i;
    for (i = 0; i < lay->n; i++) {
        switch (lay->c[i].arg) {
        case ARG_INT: *w++ = (uint64_t)(int64_t)va_arg(ap, int); break;
        case ARG_LONG: *w++ = (uint64_t)va_arg(ap, long long); break;
        case ARG_DOUBLE: {
            double d = va_arg(ap, double);
            memcpy(w++, &d, sizeof d);
            break;
        }
        case ARG_PTR: *w++ = (uint64_t)(uintptr_t)va_arg(ap, void *); break;
        case ARG_STR: {
            const char *s = va_arg(ap, const char *);
            size_t n = s != NULL ? strnlen(s, SAWMILL_DEFERRED_STR_MAX) : 0;
            *w++ = (uint64_t)n | (s == NULL ? (1ULL << 32) : 0);
            if (n > 0) {
                w[(n - 1) / 8] = 0;
                memcpy(w, s, n);
                w += (n + 7) / 8;
            }
            break;
        }
        default: break;
        }
    }
}

/* The logger's queue port (NULL: not eligible), recomputed when its
 * answer is not for the current configuration epoch (a sequence lock: the
 * answer is used only when its epoch reads the same on both sides). */
static inline const struct port *logger_port(sawmill_logger *l) {
    const struct logger_head *head = (const struct logger_head *)(const void *)l;
    const struct port *port;
    uint64_t epoch = __atomic_load_n(epoch_address(), __ATOMIC_ACQUIRE);
    uint64_t seen = __atomic_load_n(&head->deferred_epoch, __ATOMIC_ACQUIRE);
    port = __atomic_load_n(&head->deferred_port, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (seen != epoch || __atomic_load_n(&head->deferred_epoch, __ATOMIC_RELAXED) != seen) {
        port = (const struct port *)sawmill_internal_deferred_refresh(l);
    }
    return port;
}

/* 1: queued (or dropped by the overflow policy); 0: take the synchronous path. */
ALWAYS_INLINE int try_defer(sawmill_site_ *site, sawmill_logger *l, int level,
                            const struct layout *lay, const struct port *port, va_list ap) {
    struct ring *r;
    uint64_t write, cap, pos, kind, *w;
    size_t words;
    if (level >= __atomic_load_n(&port->sync_level, __ATOMIC_RELAXED)) return 0;
    if (level < __atomic_load_n(&port->handler_level, __ATOMIC_RELAXED)) return 1;
    r = ring_for(port);
    if (r == NULL) return 0;
    if (lay->has_strings) {
        words = string_entry_words(lay, ap);
        if (words == 0) return 0;
    } else {
        words = HEADER_WORDS + (size_t)lay->n;
    }
    cap = r->mask + 1;
    if (words > cap / 4) return 0;
    for (;;) {
        uint64_t need;
        write = r->write;
        pos = write & r->mask;
        need = (cap - pos < words) ? (cap - pos) + words : words;
        if (write + need - r->read_seen <= cap) break;
        r->read_seen = __atomic_load_n(&r->read, __ATOMIC_ACQUIRE);
        if (write + need - r->read_seen <= cap) break;
        if (!sawmill_internal_deferred_full(r)) return 1;
    }
    if (cap - pos < words) {
        /* No entry wraps: pad to the end. */
        r->base[pos] = (cap - pos) | ((uint64_t)KIND_PAD << 32);
        write += cap - pos;
        pos = 0;
    }
    w = r->base + pos;
    w[0] = (uint64_t)words | ((uint64_t)KIND_DEFERRED << 32);
    w[1] = (uint64_t)(uintptr_t)site;
    w[2] = (uint64_t)(uintptr_t)l;
    w[4] = stamp(&kind);
    w[3] = (uint64_t)(uint32_t)level | (kind << 32);
    put_args(lay, w + HEADER_WORDS, ap);
    __atomic_store_n(&r->write, write + words, __ATOMIC_RELEASE);
    /* Asks for ownership of the lines the next entries will take now, so
     * their stores do not wait for the listener's copies to be invalidated. */
    prefetch_for_write(r->base + ((write + words + 16) & r->mask));
    /* No wake-up call: a sleeping listener looks again within RING_NAP
     * (rings.rs), and a system call here was the cost of the tail. */
    return 1;
}

/* The general routine of sawmill_logf_site_ (the trampoline in
 * src/ffi/variadic.rs sends a settled plain logger's call to
 * sawmill_shim_logf_site_plain in shim.c instead): NULL arguments, a level below the
 * threshold (the macro tested it, but a direct call may not), loggers that
 * may defer and loggers whose answer is stale. */
sawmill_status sawmill_shim_logf_site(sawmill_site_ *site, sawmill_logger *l, int level,
                                      const char *fmt, ...) {
    va_list ap;
    sawmill_status status = SAWMILL_OK;
    const struct port *port;
    const struct layout *lay;
    if (site == NULL) {
        return sawmill_internal_set_error(SAWMILL_ERR_NULL_ARGUMENT, "site is NULL");
    }
    va_start(ap, fmt);
    if (l == NULL || fmt == NULL) {
        status = sawmill_shim_vlogf(l, level, site->file, site->line, site->func, fmt, ap);
    } else if ((long long)level >= sawmill_logger_threshold_(l)) {
        port = logger_port(l);
        if (port == NULL || (lay = site_layout(site, fmt)) == NULL || !lay->ok || lay->fmt != fmt ||
            !try_defer(site, l, level, lay, port, ap)) {
            status = sawmill_shim_vlogf_enabled(l, level, site->file, site->line, site->func, fmt,
                                                ap);
        }
    }
    va_end(ap);
    return status;
}

/* ---- The listener side ---- */

/* Appends the `n` bytes at `s` (as much as fits; the length counts all). */
static void put(char *out, size_t cap, size_t *len, const char *s, size_t n) {
    if (*len < cap) {
        size_t room = cap - *len;
        memcpy(out + *len, s, n < room ? n : room);
    }
    *len += n;
}

/* One conversion with its argument, through snprintf: the same text the
 * conversion gives inside vsnprintf. */
static int format_one(char *out, size_t room, const struct conversion *c, const char *spec_text,
                      const uint64_t *arg, const char *str) {
    char spec[MAX_SPEC + 2];
    int is_unsigned = c->conv != 'd' && c->conv != 'i';
    memcpy(spec, spec_text, c->spec_len);
    spec[c->spec_len] = '\0';
    switch (c->arg) {
    case ARG_INT:
        if (c->conv == 'c' || !is_unsigned) return snprintf(out, room, spec, (int)(int64_t)*arg);
        return snprintf(out, room, spec, (unsigned)*arg);
    case ARG_LONG:
        /* LP64 (checked when parsing): long, long long, size_t, ptrdiff_t
         * and intmax_t are all passed as one 64-bit integer register. */
        switch (c->length) {
        case 'l':
            if (is_unsigned) return snprintf(out, room, spec, (unsigned long)*arg);
            return snprintf(out, room, spec, (long)*arg);
        case 'z':
            if (is_unsigned) return snprintf(out, room, spec, (size_t)*arg);
            return snprintf(out, room, spec, (ptrdiff_t)*arg);
        case 't':
            return snprintf(out, room, spec, (ptrdiff_t)*arg);
        case 'j':
            if (is_unsigned) return snprintf(out, room, spec, (uintmax_t)*arg);
            return snprintf(out, room, spec, (intmax_t)*arg);
        default:
            if (is_unsigned) return snprintf(out, room, spec, (unsigned long long)*arg);
            return snprintf(out, room, spec, (long long)*arg);
        }
    case ARG_DOUBLE: {
        double d;
        memcpy(&d, arg, sizeof d);
        return snprintf(out, room, spec, d);
    }
    case ARG_PTR:
        return snprintf(out, room, spec, (void *)(uintptr_t)*arg);
    case ARG_STR:
        return snprintf(out, room, spec, str);
    default:
        return snprintf(out, room, "%%");
    }
}

long sawmill_deferred_format(const void *layout, const uint64_t *args, size_t n_words, char *out,
                             size_t cap) {
    const struct layout *lay = (const struct layout *)layout;
    const uint64_t *w = args, *end = args + n_words;
    size_t len = 0;
    int i;
    if (lay == NULL || cap == 0) return -1;
    for (i = 0; i < lay->n; i++) {
        const struct conversion *c = &lay->c[i];
        char scratch[SAWMILL_DEFERRED_STR_MAX + 1];
        const char *str = NULL;
        const uint64_t *arg = w;
        char small[64];
        int n;
        size_t room;
        put(out, cap, &len, lay->fmt + c->literal_off, c->literal_len);
        if (c->arg != ARG_NONE) {
            if (w >= end) return -1;
            w++;
        }
        if (c->arg == ARG_STR) {
            size_t slen = (size_t)(*arg & 0xffffffffu);
            if (slen > SAWMILL_DEFERRED_STR_MAX || w + (slen + 7) / 8 > end) return -1;
            memcpy(scratch, w, slen);
            scratch[slen] = '\0';
            str = (*arg >> 32) != 0 ? NULL : scratch;
            w += (slen + 7) / 8;
            if (c->plain && str != NULL) {
                put(out, cap, &len, str, slen);
                continue;
            }
        }
        /* Straight into the output when it fits, else through `small` or a
         * count-only call (the caller retries with the size returned). */
        room = len < cap ? cap - len : 0;
        if (room > 0) {
            n = format_one(out + len, room, c, lay->fmt + c->spec_off, arg, str);
        } else {
            n = format_one(small, sizeof small, c, lay->fmt + c->spec_off, arg, str);
        }
        if (n < 0) return -1;
        len += (size_t)n;
    }
    put(out, cap, &len, lay->fmt + lay->tail_off, lay->tail_len);
    if (len < cap) {
        out[len] = '\0';
    } else {
        out[cap - 1] = '\0';
    }
    return (long)len;
}
