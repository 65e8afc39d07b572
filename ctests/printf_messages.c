/* printf-style messages: sawmill's fast path for the common conversions and
 * the vsnprintf fallback must both print exactly what snprintf prints. */
#include <limits.h>
#include <stdint.h>

#include "sawmill.h"
#include "check.h"

static struct captured out;
static sawmill_logger *l;
static sawmill_adapter *a;

#define SAME_AS_SNPRINTF(...)                                                         \
    do {                                                                              \
        char want[512];                                                               \
        snprintf(want, sizeof want - 1, __VA_ARGS__);                                 \
        strcat(want, "\n");                                                          \
        capture_reset(&out);                                                          \
        SAWMILL_ERROR(l, __VA_ARGS__);                                                \
        CHECK_STR(out.text, want);                                                    \
        /* The adapter's routine formats the same way (its own fast path). */        \
        capture_reset(&out);                                                          \
        SAWMILL_ADAPTER_ERROR(a, __VA_ARGS__);                                        \
        CHECK_STR(out.text, want);                                                    \
    } while (0)

int main(void) {
    sawmill_handler *h = capture_handler(&out, NULL);
    l = sawmill_get_logger("printf");
    sawmill_logger_add_handler(l, h);
    sawmill_logger_set_propagate(l, false);
    a = sawmill_adapter_new(l, NULL, 0, NULL, NULL, NULL);
    CHECK(a != NULL);

    SAME_AS_SNPRINTF("plain text, no conversions");
    SAME_AS_SNPRINTF("Hello logger: msg number %d", 42);
    SAME_AS_SNPRINTF("%d %d %d", 0, INT_MIN, INT_MAX);
    SAME_AS_SNPRINTF("%i|%u|%u", -7, 0u, UINT_MAX);
    SAME_AS_SNPRINTF("%ld %lu", LONG_MIN, ULONG_MAX);
    SAME_AS_SNPRINTF("%lld %llu", LLONG_MIN, ULLONG_MAX);
    SAME_AS_SNPRINTF("%zu %zd", (size_t)SIZE_MAX, (ptrdiff_t)-5);
    /* Every digit count, at both ends: the fast path counts digits first. */
    {
        unsigned long long power = 1;
        int digits;
        for (digits = 1; digits <= 19; digits++) {
            SAME_AS_SNPRINTF("%llu %llu %lld %lld", power, power * 10 - 1, -(long long)power,
                             -(long long)(power * 10 - 1));
            power *= 10;
        }
        SAME_AS_SNPRINTF("%llu", power);
    }
    SAME_AS_SNPRINTF("%s and %s", "one", "two");
    SAME_AS_SNPRINTF("%c%c%c", 'a', 'b', 'c');
    SAME_AS_SNPRINTF("100%% of %d", 3);
    /* Fallback: flags, widths, precisions, other conversions. */
    SAME_AS_SNPRINTF("%5d|%-5d|%05d", 42, 42, 42);
    SAME_AS_SNPRINTF("%.2f %e %g", 3.14159, 1e-9, 0.5);
    SAME_AS_SNPRINTF("%x %X %o %p", 255u, 255u, 8u, (void *)0x1234);
    SAME_AS_SNPRINTF("%s then %8.3s", "mixed", "fallback");
    /* Long messages leave the stack buffer. */
    {
        char big[2000];
        memset(big, 'y', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        capture_reset(&out);
        SAWMILL_ERROR(l, "%s %d", big, 7);
        CHECK(out.len == sizeof big - 1 + 3);
        capture_reset(&out);
        SAWMILL_ADAPTER_ERROR(a, "%s %5d", big, 7);
        CHECK(out.len == sizeof big - 1 + 7);
    }
    /* A message past 64 MiB is refused, never allocated (glibc's
     * vsnprintf still counts it: the bound's neighbours keep this short). */
    {
        capture_reset(&out);
        CHECK(sawmill_logf(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "%67108865d", 1) ==
              SAWMILL_ERR_INVALID_ARGUMENT);
        CHECK(strstr(sawmill_last_error(), "64 MiB") != NULL);
        CHECK(out.records == 0);
        CHECK(sawmill_logf(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "%67108864d", 1) == SAWMILL_OK);
        CHECK(out.records == 1);
        CHECK(sawmill_adapter_logf(a, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "%67108865d", 1) ==
              SAWMILL_ERR_INVALID_ARGUMENT);
        CHECK(out.records == 1);
    }
    sawmill_adapter_release(a);
    sawmill_handler_release(h);
    CHECK_DONE();
}
