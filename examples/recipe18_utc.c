/* Cookbook recipe 18: a UTC formatter made by a factory the configuration
 * names with '()' (UTCFormatter, registered from C), next to a local one.
 * With TZ set to a zone away from UTC the two hours differ. */
#include <stdio.h>

#include "sawmill.h"
#include "recipes.h"

static sawmill_formatter *utc_formatter(void *u, const sawmill_options *o) {
    sawmill_formatter *f = sawmill_formatter_new(sawmill_options_get_str(o, "format"),
                                                 sawmill_options_get_str(o, "datefmt"), '%');
    (void)u;
    if (f != NULL) {
        sawmill_formatter_set_utc(f, true);
    }
    return f;
}

static const char *config =
    "{\"version\": 1, \"disable_existing_loggers\": false,"
    " \"formatters\": {"
    "  \"utc\": {\"()\": \"UTCFormatter\", \"format\": \"%(asctime)s %(message)s\"},"
    "  \"local\": {\"format\": \"%(asctime)s %(message)s\"},"
    "  \"utc_hour\": {\"()\": \"UTCFormatter\", \"format\": \"UTC hour %(asctime)s\","
    " \"datefmt\": \"%H\"},"
    "  \"local_hour\": {\"format\": \"local hour %(asctime)s\", \"datefmt\": \"%H\"}},"
    " \"handlers\": {"
    "  \"console1\": {\"class\": \"logging.StreamHandler\", \"formatter\": \"utc\"},"
    "  \"console2\": {\"class\": \"logging.StreamHandler\", \"formatter\": \"local\"},"
    "  \"hours1\": {\"class\": \"logging.StreamHandler\", \"formatter\": \"utc_hour\","
    " \"stream\": \"ext://sys.stdout\"},"
    "  \"hours2\": {\"class\": \"logging.StreamHandler\", \"formatter\": \"local_hour\","
    " \"stream\": \"ext://sys.stdout\"}},"
    " \"root\": {\"handlers\": [\"console1\", \"console2\", \"hours1\", \"hours2\"]}}";

int recipe18_run(const char *outdir) {
    (void)outdir;
    if (sawmill_register_formatter_factory("UTCFormatter", utc_formatter, NULL, NULL) !=
            SAWMILL_OK ||
        sawmill_dict_config_json(config) != SAWMILL_OK) {
        fprintf(stderr, "config: %s\n", sawmill_last_error());
        return 1;
    }
    SAWMILL_WARNING(sawmill_get_logger(NULL), "The local time is shown first in UTC");
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe18_run(argc > 1 ? argv[1] : ".");
}
#endif
