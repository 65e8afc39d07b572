/* Cookbook recipe 7.1: LoggerAdapters. A `process` step prepends
 * ' [connid]' to the message (the recipe's CustomAdapter); a plain adapter
 * merges its key/values into every record; a `process` step with state
 * computes a value per record (the recipe's dict-like object). */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

/* CustomAdapter.process: ' [%s] %s' % (self.extra['connid'], msg). */
static void prepend_connid(void *user_data, sawmill_record *r) {
    char text[512];
    (void)user_data;
    snprintf(text, sizeof text, " [%s] %s", sawmill_record_get_str(r, "connid"),
             sawmill_record_get_str(r, "msg"));
    sawmill_record_set_str(r, "msg", text);
}

/* Sequence.__getitem__: a new value for every record. */
static void next_sequence(void *user_data, sawmill_record *r) {
    int *n = (int *)user_data;
    char text[32];
    snprintf(text, sizeof text, "seq-%d", ++*n);
    sawmill_record_set_str(r, "connid", text);
}

static sawmill_handler *stderr_handler(const char *format) {
    sawmill_handler *h = sawmill_stream_handler_new(2);
    sawmill_formatter *f = sawmill_formatter_new(format, NULL, '%');
    sawmill_handler_set_formatter(h, f);
    sawmill_formatter_release(f);
    return h;
}

int recipe07_run(const char *outdir) {
    (void)outdir;
    int sequence = 0;
    sawmill_extra conn42 = {"connid", SAWMILL_VALUE_STR, "conn-42", 0, 0.0, false};
    sawmill_extra conn7 = {"connid", SAWMILL_VALUE_STR, "conn-7", 0, 0.0, false};
    sawmill_logger *root = sawmill_get_logger(NULL);
    sawmill_logger *logger = sawmill_get_logger("recipe07");
    sawmill_logger *other = sawmill_get_logger("recipe07.ctx");
    sawmill_handler *h1 = stderr_handler("%(levelname)-8s %(name)s%(message)s");
    sawmill_handler *h2 = stderr_handler("%(levelname)-8s %(name)s %(connid)s: %(message)s");
    sawmill_adapter *adapter, *plain, *dynamic;

    sawmill_logger_add_handler(root, h1);
    sawmill_logger_set_level(root, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(other, false);
    sawmill_logger_add_handler(other, h2);
    adapter = sawmill_adapter_new(logger, &conn42, 1, prepend_connid, NULL, NULL);
    plain = sawmill_adapter_new(other, &conn7, 1, NULL, NULL, NULL);
    dynamic = sawmill_adapter_new(other, NULL, 0, next_sequence, &sequence, NULL);
    if (adapter == NULL || plain == NULL || dynamic == NULL) {
        fprintf(stderr, "adapter: %s\n", sawmill_last_error());
        return 1;
    }

    SAWMILL_ADAPTER_INFO(adapter, "connected from %s", "10.0.0.1");
    SAWMILL_ADAPTER_DEBUG(adapter, "received %d bytes", 512);
    SAWMILL_ADAPTER_WARNING(plain, "closing %s", "now");
    SAWMILL_ADAPTER_ERROR(dynamic, "first event");
    SAWMILL_ADAPTER_ERROR(dynamic, "second event");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    SAWMILL_ADAPTER_DEBUG(adapter, "not shown: %d", 1);
    sawmill_adapter_log(adapter, SAWMILL_LEVEL_INFO, __FILE__, __LINE__, __func__, "done");

    sawmill_adapter_release(dynamic);
    sawmill_adapter_release(plain);
    sawmill_adapter_release(adapter);
    sawmill_handler_release(h2);
    sawmill_handler_release(h1);
    return sequence == 2 ? 0 : 1;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe07_run(argc > 1 ? argv[1] : ".");
}
#endif
