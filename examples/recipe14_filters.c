/* Cookbook recipe 14: a filter made by a factory the configuration names
 * with '()' (MyFilter, registered from C), its `param` passed as an option. */
#include <stdio.h>
#include <string.h>

#include "sawmill.h"
#include "recipes.h"

struct my_filter {
    char param[64];
    int has_param;
};
static struct my_filter my_filter;

static int my_filter_fn(void *u, sawmill_record *r) {
    const struct my_filter *f = u;
    char changed[1024];
    int allow = !f->has_param || strstr(sawmill_record_message(r), f->param) == NULL;
    if (allow) {
        snprintf(changed, sizeof changed, "changed: %s", sawmill_record_message(r));
        sawmill_record_set_str(r, "msg", changed);
    }
    return allow;
}

static sawmill_filter *my_filter_factory(void *u, const sawmill_options *o) {
    const char *param = sawmill_options_get_str(o, "param");
    (void)u;
    my_filter.has_param = param != NULL;
    snprintf(my_filter.param, sizeof my_filter.param, "%s", param ? param : "");
    return sawmill_callback_filter_new(my_filter_fn, &my_filter, NULL);
}

static const char *config =
    "{\"version\": 1,"
    " \"filters\": {\"myfilter\": {\"()\": \"MyFilter\", \"param\": \"noshow\"}},"
    " \"handlers\": {\"console\": {\"class\": \"logging.StreamHandler\","
    " \"filters\": [\"myfilter\"]}},"
    " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"console\"]}}";

int recipe14_run(const char *outdir) {
    (void)outdir;
    sawmill_logger *root = sawmill_get_logger(NULL);
    if (sawmill_register_filter_factory("MyFilter", my_filter_factory, NULL, NULL) !=
            SAWMILL_OK ||
        sawmill_dict_config_json(config) != SAWMILL_OK) {
        fprintf(stderr, "config: %s\n", sawmill_last_error());
        return 1;
    }
    SAWMILL_DEBUG(root, "hello");
    SAWMILL_DEBUG(root, "hello - noshow");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe14_run(argc > 1 ? argv[1] : ".");
}
#endif
