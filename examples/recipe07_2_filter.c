/* Cookbook recipe 7.2: a filter that adds `ip` and `user` to every record.
 * The recipe's random.choice is a seeded LCG here, computed the same way by
 * the CPython run (examples/python/recipe07_2.py), so outputs are equal. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

static unsigned long state = 12345;

static unsigned long choice(unsigned long n) {
    state = (state * 1103515245UL + 12345UL) % 2147483648UL;
    return (state >> 16) % n;
}

static const char *const USERS[] = {"jim", "fred", "sheila"};
static const char *const IPS[] = {"123.231.231.123", "127.0.0.1", "192.168.0.1"};

static int context_filter(void *u, sawmill_record *r) {
    (void)u;
    sawmill_record_set_str(r, "ip", IPS[choice(3)]);
    sawmill_record_set_str(r, "user", USERS[choice(3)]);
    return 1;
}

int recipe07_2_run(const char *outdir) {
    (void)outdir;
    static const int levels[] = {SAWMILL_LEVEL_DEBUG, SAWMILL_LEVEL_INFO, SAWMILL_LEVEL_WARNING,
                                 SAWMILL_LEVEL_ERROR, SAWMILL_LEVEL_CRITICAL};
    sawmill_basic_config cfg = {SAWMILL_LEVEL_DEBUG,
                                "%(asctime)-15s %(name)-5s %(levelname)-8s IP: %(ip)-15s "
                                "User: %(user)-8s %(message)s",
                                NULL, '%', NULL, NULL, 2, false};
    sawmill_logger *a1 = sawmill_get_logger("a.b.c");
    sawmill_logger *a2 = sawmill_get_logger("d.e.f");
    sawmill_filter *f = sawmill_callback_filter_new(context_filter, NULL, NULL);
    int x;
    if (sawmill_basic_config_apply(&cfg) != SAWMILL_OK || f == NULL) {
        fprintf(stderr, "setup: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_logger_add_filter(a1, f);
    sawmill_logger_add_filter(a2, f);
    SAWMILL_DEBUG(a1, "A debug message");
    SAWMILL_INFO(a1, "An info message with %s", "some parameters");
    for (x = 0; x < 10; x++) {
        int lvl = levels[choice(5)];
        SAWMILL_LOG(a2, lvl, "A message at %s level with %d %s", sawmill_level_name(lvl), 2,
                    "parameters");
    }
    sawmill_filter_release(f);
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe07_2_run(argc > 1 ? argv[1] : ".");
}
#endif
