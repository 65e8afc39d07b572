/* An adapter's inline level check (SAWMILL_ADAPTER_LOG reads a copy of its
 * logger's threshold kept in the adapter) must agree with the logger after
 * every kind of level change: the logger's own level, an ancestor's level
 * inherited through NOTSET, disable(), the `disabled` flag, a dictConfig,
 * for adapters made before and after the change, with others released in
 * between. */
#include "sawmill.h"
#include "check.h"

static struct captured out;

static const int levels[] = {SAWMILL_LEVEL_DEBUG, SAWMILL_LEVEL_INFO, SAWMILL_LEVEL_WARNING,
                             SAWMILL_LEVEL_ERROR, SAWMILL_LEVEL_CRITICAL, 45};

/* For every level: the macro logs (one record) exactly when the logger
 * is enabled for the level. */
static void agrees(sawmill_adapter *a, sawmill_logger *l, const char *when) {
    size_t i;
    for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        int want = sawmill_logger_is_enabled_for(l, levels[i]) ? 1 : 0;
        capture_reset(&out);
        SAWMILL_ADAPTER_LOG(a, levels[i], "%s at %d", when, levels[i]);
        if (out.records != want) {
            fprintf(stderr, "%s, level %d: %d records, want %d\n", when, levels[i], out.records,
                    want);
        }
        CHECK(out.records == want);
    }
}

int main(void) {
    sawmill_handler *h = capture_handler(&out, NULL);
    sawmill_logger *parent = sawmill_get_logger("adapt");
    sawmill_logger *l = sawmill_get_logger("adapt.child");
    sawmill_logger *other = sawmill_get_logger("other");
    sawmill_adapter *a = sawmill_adapter_new(l, NULL, 0, NULL, NULL, NULL);
    sawmill_adapter *b = sawmill_adapter_new(other, NULL, 0, NULL, NULL, NULL);
    sawmill_adapter *c;
    CHECK(a != NULL && b != NULL);
    sawmill_logger_add_handler(parent, h);
    sawmill_logger_add_handler(other, h);
    sawmill_logger_set_propagate(parent, false);
    sawmill_logger_set_propagate(other, false);

    agrees(a, l, "root's WARNING inherited");
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    agrees(a, l, "own DEBUG");
    sawmill_logger_set_level(l, SAWMILL_LEVEL_ERROR);
    agrees(a, l, "own ERROR");
    sawmill_logger_set_level(l, SAWMILL_LEVEL_NOTSET);
    sawmill_logger_set_level(parent, SAWMILL_LEVEL_INFO);
    agrees(a, l, "parent's INFO inherited");
    sawmill_disable(SAWMILL_LEVEL_WARNING);
    agrees(a, l, "disable(WARNING)");
    agrees(b, other, "other logger, disable(WARNING)");
    sawmill_disable(SAWMILL_LEVEL_NOTSET);
    agrees(a, l, "disable lifted");
    sawmill_logger_set_disabled(l, true);
    agrees(a, l, "logger disabled");
    sawmill_logger_set_disabled(l, false);
    agrees(a, l, "logger enabled again");

    /* A new adapter sees the current level; releasing one leaves the others
     * refreshed. */
    c = sawmill_adapter_new(l, NULL, 0, NULL, NULL, NULL);
    CHECK(c != NULL);
    agrees(c, l, "adapter made after the changes");
    sawmill_adapter_release(b);
    sawmill_logger_set_level(parent, SAWMILL_LEVEL_CRITICAL);
    agrees(a, l, "parent's CRITICAL after a release");
    agrees(c, l, "second adapter, parent's CRITICAL");
    sawmill_adapter_release(a);
    CHECK(sawmill_dict_config_json("{\"version\": 1, \"incremental\": true, "
                                   "\"loggers\": {\"adapt.child\": {\"level\": \"DEBUG\"}}}") ==
          SAWMILL_OK);
    agrees(c, l, "dictConfig DEBUG");
    sawmill_adapter_release(c);
    sawmill_handler_release(h);
    CHECK_DONE();
}
