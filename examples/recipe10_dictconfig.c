/* Cookbook recipe 10: the Django project's example dictionary, as JSON.
 * Django-only classes are swapped for real ones: django.utils.log.NullHandler
 * is logging.NullHandler, AdminEmailHandler a FileHandler writing
 * mail_admins.log; project.logging.SpecialFilter is a factory registered
 * from C (it drops records whose message contains `foo`). */
#include <stdio.h>
#include <string.h>

#include "sawmill.h"
#include "recipes.h"

struct special {
    char foo[64];
};
static struct special special;

static int special_filter(void *u, sawmill_record *r) {
    const struct special *s = u;
    return s->foo[0] == '\0' || strstr(sawmill_record_message(r), s->foo) == NULL;
}

static sawmill_filter *special_factory(void *u, const sawmill_options *o) {
    const char *foo = sawmill_options_get_str(o, "foo");
    (void)u;
    snprintf(special.foo, sizeof special.foo, "%s", foo ? foo : "");
    return sawmill_callback_filter_new(special_filter, &special, NULL);
}

static const char *config =
    "{\"version\": 1, \"disable_existing_loggers\": true,"
    " \"formatters\": {"
    "  \"verbose\": {\"format\": \"%%(levelname)s %%(asctime)s %%(module)s %%(process)d"
    " %%(thread)d %%(message)s\"},"
    "  \"simple\": {\"format\": \"%%(levelname)s %%(message)s\"}},"
    " \"filters\": {\"special\": {\"()\": \"project.logging.SpecialFilter\", \"foo\": \"bar\"}},"
    " \"handlers\": {"
    "  \"null\": {\"level\": \"DEBUG\", \"class\": \"logging.NullHandler\"},"
    "  \"console\": {\"level\": \"DEBUG\", \"class\": \"logging.StreamHandler\","
    " \"formatter\": \"simple\"},"
    "  \"mail_admins\": {\"level\": \"ERROR\", \"class\": \"logging.FileHandler\","
    " \"filename\": \"%s/mail_admins.log\", \"filters\": [\"special\"]}},"
    " \"loggers\": {"
    "  \"django\": {\"handlers\": [\"null\"], \"propagate\": true, \"level\": \"INFO\"},"
    "  \"django.request\": {\"handlers\": [\"mail_admins\"], \"level\": \"ERROR\","
    " \"propagate\": false},"
    "  \"myproject.custom\": {\"handlers\": [\"console\", \"mail_admins\"], \"level\": \"INFO\","
    " \"filters\": [\"special\"]}}}";

int recipe10_run(const char *outdir) {
    char text[4096];
    sawmill_logger *custom, *request, *django;
    snprintf(text, sizeof text, config, outdir);
    if (sawmill_register_filter_factory("SpecialFilter", special_factory, NULL, NULL) !=
            SAWMILL_OK ||
        sawmill_dict_config_json(text) != SAWMILL_OK) {
        fprintf(stderr, "config: %s\n", sawmill_last_error());
        return 1;
    }
    custom = sawmill_get_logger("myproject.custom");
    request = sawmill_get_logger("django.request");
    django = sawmill_get_logger("django");
    SAWMILL_DEBUG(custom, "custom debug");
    SAWMILL_INFO(custom, "custom info");
    SAWMILL_INFO(custom, "custom info about bar");
    SAWMILL_ERROR(custom, "custom error");
    SAWMILL_INFO(request, "request info");
    SAWMILL_ERROR(request, "request error");
    SAWMILL_CRITICAL(request, "request critical at the bar");
    SAWMILL_WARNING(django, "django warning");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe10_run(argc > 1 ? argv[1] : ".");
}
#endif
