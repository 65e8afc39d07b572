/* The C macros' deferred path through a QueueHandler (issue 12): the call
 * copies its raw arguments into the thread's ring and the listener formats
 * the message. Differential: random printf formats and arguments, each
 * logged once through the deferred entry and once through sawmill_logf
 * (formatted on the calling thread by the synchronous path), give
 * byte-identical lines, in order. Also: 4 threads keep their order with
 * "block"; drop_newest counts exactly what it drops; records at or above
 * sync_level and records of an ineligible logger take the synchronous
 * path; a string longer than the copy bound falls back, in order; a fork
 * child's records arrive once and the parent's queued ones not twice;
 * the logging thread allocates nothing once its ring exists; threads that
 * come and go keep their identity on rings handed from ended threads. */
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

#define CASES 3000

#if defined(__SANITIZE_ADDRESS__)
/* (AddressSanitizer owns malloc: the allocation count is not taken.) */
#define COUNT_ALLOCATIONS 0
static int counting;
static __thread int counting_here;
static long allocations, allocations_here;
#else
#define COUNT_ALLOCATIONS 1
/* Every allocation of the process goes through these (the executable's
 * definitions interpose the library's calls), counted while `counting`. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
static int counting;
static __thread int counting_here;
static long allocations, allocations_here;

static void count(void) {
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED)) {
        __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
        if (counting_here) allocations_here++;
    }
}
void *malloc(size_t n) {
    count();
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
    count();
    return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
    count();
    return __libc_realloc(p, n);
}
#endif
#define LINE_MAX_ 4096

/* Every formatted line, in arrival order. */
static char **lines;
static size_t n_lines, cap_lines;
static pthread_mutex_t lines_lock = PTHREAD_MUTEX_INITIALIZER;

static int keep_line(void *u, const sawmill_record *r, const char *text, size_t len) {
    char *copy = (char *)malloc(len + 1);
    (void)u; (void)r;
    memcpy(copy, text, len);
    copy[len] = '\0';
    pthread_mutex_lock(&lines_lock);
    if (n_lines == cap_lines) {
        cap_lines = cap_lines ? cap_lines * 2 : 1024;
        lines = (char **)realloc(lines, cap_lines * sizeof *lines);
    }
    lines[n_lines++] = copy;
    pthread_mutex_unlock(&lines_lock);
    return 0;
}

static void forget_lines(void) {
    size_t i;
    for (i = 0; i < n_lines; i++) free(lines[i]);
    n_lines = 0;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static int pick(int n) { return (int)(rnd() % (uint64_t)n); }

static void append(char *fmt, size_t *len, const char *s) {
    size_t n = strlen(s);
    memcpy(fmt + *len, s, n);
    *len += n;
    fmt[*len] = '\0';
}

/* Random flags, width and precision (each possibly absent). */
static void spec_prefix(char *out, const char *flags, int precision) {
    size_t len = 1;
    int i;
    out[0] = '%';
    for (i = 0; flags[i] != '\0'; i++) {
        if (pick(4) == 0) out[len++] = flags[i];
    }
    if (pick(2)) len += (size_t)sprintf(out + len, "%d", pick(14));
    if (precision && pick(3) == 0) len += (size_t)sprintf(out + len, ".%d", pick(9));
    out[len] = '\0';
}

/* Slot k of the fixed argument list: a random conversion for its type. */
static void slot_spec(int k, char *out) {
    static const char *int_conv[] = {"d", "i", "x", "X", "o", "u", "hd", "hhx", "hu"};
    static const char *long_conv[] = {"ld", "li", "lx", "lX", "lo", "lu"};
    static const char *ll_conv[] = {"lld", "llx", "llu", "lli"};
    static const char *dbl_conv[] = {"f", "e", "E", "g", "G", "a", "F", "lf"};
    static const char *size_conv[] = {"zu", "zx", "zd"};
    static const char *uns_conv[] = {"u", "x", "X", "o"};
    switch (k) {
    case 0: spec_prefix(out, "-+ 0", 1); strcat(out, int_conv[pick(9)]); break;
    case 1: spec_prefix(out, "-+ 0", 1); strcat(out, long_conv[pick(6)]); break;
    case 2: spec_prefix(out, "-+ 0", 1); strcat(out, ll_conv[pick(4)]); break;
    case 3: spec_prefix(out, "-+ 0#", 1); strcat(out, dbl_conv[pick(8)]); break;
    case 4: spec_prefix(out, "-", 1); strcat(out, "s"); break;
    case 5: spec_prefix(out, "-0", 0); strcat(out, size_conv[pick(3)]); break;
    case 6: spec_prefix(out, "-", 0); strcat(out, "p"); break;
    case 7: spec_prefix(out, "-#0", 1); strcat(out, uns_conv[pick(4)]); break;
    default: spec_prefix(out, "-", 0); strcat(out, "c"); break;
    }
    if (pick(3) == 0) {
        /* The plain conversions, which take the formatters' fast paths. */
        static const char *plain[] = {"%d", "%ld", "%lld", "%f", "%s", "%zu", "%p", "%u", "%c"};
        strcpy(out, plain[k]);
    }
}

static const char *literals[] = {"", " ", "x=", " | ", "%%", "é ü ", "[", "] ", "\t", "∑ ", "100%% "};

static char long_text[1500];

static const char *random_string(void) {
    static char buf[64];
    int n, i;
    switch (pick(8)) {
    case 0: return NULL;
    case 1: return "";
    case 2: return long_text; /* longer than the copy bound */
    case 3: return "naïve ☃";
    default:
        n = pick(40);
        for (i = 0; i < n; i++) buf[i] = (char)(' ' + pick(95));
        buf[n] = '\0';
        return buf;
    }
}

static double random_double(void) {
    switch (pick(10)) {
    case 0: return 0.0;
    case 1: return -0.0;
    case 2: return 1e300 * 1e10; /* inf */
    case 3: return 1.0 / 3.0;
    case 4: return -123456789.125;
    default: return ((double)(int64_t)rnd() / 9.2e18) * (double)(1ULL << pick(60));
    }
}

static int differential(void) {
    static sawmill_site_ sites[CASES];
    sawmill_logger *l = sawmill_get_logger("deferred.diff");
    sawmill_handler *keep = sawmill_callback_handler_new(keep_line, NULL, NULL, NULL);
    sawmill_formatter *f = sawmill_formatter_new(
        "%(levelname)s|%(name)s|%(filename)s|%(funcName)s|%(threadName)s|%(process)d|%(message)s",
        NULL, '%');
    sawmill_handler *q = sawmill_queue_handler_new(&keep, 1, false, 1024, SAWMILL_OVERFLOW_BLOCK, 0);
    static char formats[CASES][512];
    int i, failures = 0, fallbacks = 0;
    size_t k;
    sawmill_handler_set_formatter(keep, f);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    memset(long_text, 'L', sizeof long_text - 1);
    for (i = 0; i < CASES; i++) {
        char *fmt = formats[i];
        size_t len = 0;
        int slots = 1 + pick(9), s;
        int a = (int)rnd();
        long b = (long)rnd();
        long long c = (long long)rnd() >> pick(60);
        double d = random_double();
        const char *str = random_string();
        size_t z = (size_t)rnd() >> pick(64);
        void *p = pick(4) ? (void *)(uintptr_t)(rnd() >> 16) : NULL;
        unsigned u = (unsigned)rnd();
        int ch = ' ' + pick(95);
        fmt[0] = '\0';
        for (s = 0; s < slots; s++) {
            char spec[48];
            append(fmt, &len, literals[pick(11)]);
            slot_spec(s, spec);
            append(fmt, &len, spec);
        }
        append(fmt, &len, literals[pick(11)]);
        if (slots >= 5 && str == long_text) fallbacks++;
        sites[i].file = __FILE__;
        sites[i].func = __func__;
        sites[i].line = __LINE__;
        sites[i].layout = NULL;
        sawmill_logf_site_(&sites[i], l, SAWMILL_LEVEL_INFO, fmt, a, b, c, d, str, z, p, u, ch);
        sawmill_logf(l, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, __func__, fmt, a, b, c, d, str, z, p,
                     u, ch);
    }
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(n_lines == 2 * CASES);
    for (k = 0; k + 1 < n_lines; k += 2) {
        if (strcmp(lines[k], lines[k + 1]) != 0) {
            if (failures++ < 5) {
                fprintf(stderr, "format \"%s\":\n deferred: %s\n synchronous: %s\n", formats[k / 2],
                        lines[k], lines[k + 1]);
            }
        }
    }
    CHECK(failures == 0);
    printf("differential: %d cases, %d differ, %llu deferred, %d fell back (long strings)\n", CASES,
           failures, (unsigned long long)sawmill_queue_handler_deferred_count(q), fallbacks);
    CHECK(sawmill_queue_handler_deferred_count(q) == (uint64_t)(CASES - fallbacks));
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(keep);
    sawmill_handler_release(q);
    sawmill_formatter_release(f);
    forget_lines();
    return failures;
}

/* ---- 4 threads, block: everything arrives, in per-thread order ---- */

#define THREADS 4
#define PER_THREAD 20000

static sawmill_logger *order_logger;

static void *produce(void *arg) {
    int t = (int)(intptr_t)arg, i;
    for (i = 0; i < PER_THREAD; i++) {
        SAWMILL_INFO(order_logger, "t%d %d", t, i);
        if (i % 5000 == 0) {
            /* The synchronous path from the same thread keeps its place. */
            sawmill_logf(order_logger, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "t%d %d", t, ++i);
        }
    }
    return NULL;
}

static int slowish(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)r;
    if ((++*(long *)u) % 64 == 0) {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
    return keep_line(NULL, NULL, text, len);
}

static void per_thread_order(int overflow) {
    long calls = 0;
    int next[THREADS] = {0}, t, bad = 0;
    size_t k;
    pthread_t th[THREADS];
    sawmill_handler *target = sawmill_callback_handler_new(slowish, NULL, &calls, NULL);
    sawmill_handler *q = sawmill_queue_handler_new(&target, 1, false, 64, overflow, 1);
    order_logger = sawmill_get_logger(overflow == SAWMILL_OVERFLOW_BLOCK         ? "deferred.block"
                                      : overflow == SAWMILL_OVERFLOW_DROP_NEWEST ? "deferred.dropnewest"
                                                                                 : "deferred.timeout");
    sawmill_logger_set_level(order_logger, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(order_logger, false);
    sawmill_logger_add_handler(order_logger, q);
    for (t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, produce, (void *)(intptr_t)t);
    for (t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    for (k = 0; k < n_lines; k++) {
        int tt, i;
        if (sscanf(lines[k], "t%d %d", &tt, &i) != 2 || tt < 0 || tt >= THREADS || i < next[tt]) {
            if (bad++ < 3) fprintf(stderr, "out of order: %s\n", lines[k]);
            continue;
        }
        if (overflow == SAWMILL_OVERFLOW_BLOCK && i != next[tt] && bad++ < 3) {
            fprintf(stderr, "thread %d: %d after %d\n", tt, i, next[tt] - 1);
        }
        next[tt] = i + 1;
    }
    CHECK(bad == 0);
    if (overflow == SAWMILL_OVERFLOW_BLOCK) {
        CHECK(n_lines == THREADS * PER_THREAD);
        CHECK(sawmill_handler_dropped_count(q) == 0);
    } else {
        printf("%s: %zu written + %llu dropped of %d\n",
               overflow == SAWMILL_OVERFLOW_TIMEOUT ? "timeout 1 ms" : "drop_newest", n_lines,
               (unsigned long long)sawmill_handler_dropped_count(q), THREADS * PER_THREAD);
        /* (A 1 ms timeout may drop nothing: only the sum is exact.) */
        CHECK(overflow == SAWMILL_OVERFLOW_TIMEOUT || sawmill_handler_dropped_count(q) > 0);
        CHECK(n_lines + sawmill_handler_dropped_count(q) == THREADS * PER_THREAD);
    }
    CHECK(sawmill_queue_handler_deferred_count(q) > 0);
    sawmill_logger_remove_handler(order_logger, q);
    sawmill_handler_release(target);
    sawmill_handler_release(q);
    forget_lines();
}

/* ---- what must not be deferred ---- */

static void synchronous_cases(void) {
    struct captured c;
    sawmill_logger *l = sawmill_get_logger("deferred.sync");
    sawmill_handler *cap = capture_handler(&c, "%(levelname)s %(message)s");
    sawmill_handler *q = sawmill_queue_handler_new(&cap, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_handler *other = sawmill_null_handler_new();
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    CHECK(sawmill_queue_handler_set_sync_level(q, SAWMILL_LEVEL_ERROR) == SAWMILL_OK);
    SAWMILL_INFO(l, "queued %d", 1);
    SAWMILL_ERROR(l, "sync %d", 2); /* after the queued one, on this thread */
    CHECK(c.records == 2);
    CHECK_STR(c.text, "INFO queued 1\nERROR sync 2\n");
    CHECK(sawmill_queue_handler_deferred_count(q) == 1);
    /* A second handler: the logger is no longer eligible. */
    sawmill_logger_add_handler(l, other);
    SAWMILL_INFO(l, "two handlers %d", 3);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(sawmill_queue_handler_deferred_count(q) == 1);
    CHECK(c.records == 3);
    sawmill_logger_remove_handler(l, other);
    /* A format the deferred path does not reproduce ('*' takes an argument). */
    SAWMILL_INFO(l, "%*d|", 5, 42);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(sawmill_queue_handler_deferred_count(q) == 1);
    SAWMILL_INFO(l, "%s", "back to deferred");
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(sawmill_queue_handler_deferred_count(q) == 2);
    CHECK_STR(c.text, "INFO queued 1\nERROR sync 2\nINFO two handlers 3\nINFO    42|\nINFO back to deferred\n");
    CHECK(sawmill_logf_site_(NULL, l, SAWMILL_LEVEL_INFO, "x") == SAWMILL_ERR_NULL_ARGUMENT);
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(cap);
    sawmill_handler_release(q);
    sawmill_handler_release(other);
}

/* ---- threads come and go: an ended thread's ring serves the next one,
 * each record keeps its own thread's identity ---- */

static sawmill_logger *churn_logger;

static void *churn_thread(void *arg) {
    int t = (int)(intptr_t)arg, i;
    for (i = 0; i < 50; i++) {
        SAWMILL_INFO(churn_logger, "c %d %d", t, i);
        sawmill_logf(churn_logger, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, "churn_thread", "c %d %d", t, i);
    }
    return NULL;
}

static int compare_lines(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void thread_churn(void) {
    int group, t, bad = 0;
    size_t k;
    sawmill_handler *keep = sawmill_callback_handler_new(keep_line, NULL, NULL, NULL);
    sawmill_formatter *f = sawmill_formatter_new("%(thread)d|%(threadName)s|%(message)s", NULL, '%');
    sawmill_handler *q = sawmill_queue_handler_new(&keep, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_handler_set_formatter(keep, f);
    churn_logger = sawmill_get_logger("deferred.churn");
    sawmill_logger_set_level(churn_logger, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(churn_logger, false);
    sawmill_logger_add_handler(churn_logger, q);
    for (group = 0; group < 10; group++) {
        pthread_t th[4];
        for (t = 0; t < 4; t++) pthread_create(&th[t], NULL, churn_thread, (void *)(intptr_t)(group * 4 + t));
        for (t = 0; t < 4; t++) pthread_join(th[t], NULL);
    }
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(n_lines == 40 * 50 * 2);
    qsort(lines, n_lines, sizeof *lines, compare_lines);
    for (k = 0; k + 1 < n_lines; k += 2) {
        /* The deferred and the synchronous record of one call pair. */
        if (strcmp(lines[k], lines[k + 1]) != 0 && bad++ < 3) {
            fprintf(stderr, "churn: %s | %s\n", lines[k], lines[k + 1]);
        }
    }
    CHECK(bad == 0);
    CHECK(sawmill_queue_handler_deferred_count(q) == 40 * 50);
    sawmill_logger_remove_handler(churn_logger, q);
    sawmill_handler_release(keep);
    sawmill_handler_release(q);
    sawmill_formatter_release(f);
    forget_lines();
}

/* ---- no allocation in steady state ---- */

static int ignore(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u; (void)r; (void)text; (void)len;
    return 0;
}

static void no_allocation(void) {
    int i;
    sawmill_logger *l = sawmill_get_logger("deferred.alloc");
    sawmill_handler *target = sawmill_callback_handler_new(ignore, NULL, NULL, NULL);
    sawmill_handler *q = sawmill_queue_handler_new(&target, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    for (i = 0; i < 21000; i++) {
        if (i == 1000) {
            /* Warm: the site's layout (one allocation a site) and the
             * thread's ring exist. */
            CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
            counting_here = 1;
            __atomic_store_n(&counting, 1, __ATOMIC_RELAXED);
        }
        SAWMILL_INFO(l, "steady %d %s %.3f", i, "state", i / 7.0);
    }
    while (sawmill_queue_handler_deferred_count(q) < 21000) {
        struct timespec t = {0, 100000};
        nanosleep(&t, NULL);
    }
    __atomic_store_n(&counting, 0, __ATOMIC_RELAXED);
    counting_here = 0;
    printf("allocations during 20,000 deferred records: %ld on the logging thread, %ld in all\n",
           allocations_here, allocations);
    if (COUNT_ALLOCATIONS) {
        CHECK(allocations_here == 0);
        CHECK(allocations <= 20);
    }
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(target);
    sawmill_handler_release(q);
}

/* ---- fork: the child's records arrive once, the parent's never twice ---- */

static int parent_seen, child_seen, child_next_ok = 1;

static int count_by_origin(void *u, const sawmill_record *r, const char *text, size_t len) {
    int i;
    (void)u; (void)r; (void)len;
    if (sscanf(text, "child %d", &i) == 1) {
        if (i != child_seen) child_next_ok = 0;
        __atomic_add_fetch(&child_seen, 1, __ATOMIC_RELAXED);
    } else {
        __atomic_add_fetch(&parent_seen, 1, __ATOMIC_RELAXED);
    }
    return 0;
}

static void fork_case(void) {
    int i, status = -1;
    pid_t pid;
    sawmill_logger *l = sawmill_get_logger("deferred.fork");
    sawmill_handler *target = sawmill_callback_handler_new(count_by_origin, NULL, NULL, NULL);
    sawmill_handler *q = sawmill_queue_handler_new(&target, 1, false, 1024, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    for (i = 0; i < 2000; i++) SAWMILL_INFO(l, "parent %d", i); /* some still queued at the fork */
    pid = fork();
    if (pid == 0) {
        int parent_at_fork = __atomic_load_n(&parent_seen, __ATOMIC_RELAXED);
        for (i = 0; i < 500; i++) SAWMILL_INFO(l, "child %d", i);
        if (sawmill_handler_flush(q) != SAWMILL_OK) _exit(2);
        if (child_seen != 500 || !child_next_ok) _exit(3);
        if (__atomic_load_n(&parent_seen, __ATOMIC_RELAXED) != parent_at_fork) _exit(4);
        if (sawmill_queue_handler_deferred_count(q) == 0) _exit(5);
        _exit(0);
    }
    CHECK(pid > 0);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fprintf(stderr, "fork child status %d\n", status);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK(parent_seen == 2000);
    CHECK(child_seen == 0);
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(target);
    sawmill_handler_release(q);
}

/* ---- a renamed thread: earlier records keep the old name ---- */

static void renamed_thread(void) {
    struct captured c;
    sawmill_logger *l = sawmill_get_logger("deferred.rename");
    sawmill_handler *cap = capture_handler(&c, "%(threadName)s %(message)s");
    sawmill_handler *q = sawmill_queue_handler_new(&cap, 1, false, 0, SAWMILL_OVERFLOW_BLOCK, 0);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    sawmill_logger_add_handler(l, q);
    SAWMILL_INFO(l, "before %d", 1);
    CHECK(sawmill_set_thread_name("worker-7") == SAWMILL_OK);
    SAWMILL_INFO(l, "after %d", 2);
    CHECK(sawmill_handler_flush(q) == SAWMILL_OK);
    CHECK_STR(c.text, "MainThread before 1\nworker-7 after 2\n");
    CHECK(sawmill_queue_handler_deferred_count(q) == 2);
    sawmill_logger_remove_handler(l, q);
    sawmill_handler_release(cap);
    sawmill_handler_release(q);
}

int main(void) {
    CHECK(differential() == 0);
    per_thread_order(SAWMILL_OVERFLOW_BLOCK);
    per_thread_order(SAWMILL_OVERFLOW_DROP_NEWEST);
    per_thread_order(SAWMILL_OVERFLOW_TIMEOUT);
    thread_churn();
    no_allocation();
    synchronous_cases();
    fork_case();
    renamed_thread(); /* last: it renames the main thread */
    CHECK_DONE();
}
