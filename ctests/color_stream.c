/* ColorStreamHandler driver for color_check.py: one record per level on
 * stdout through `%(levelname)-8s|%(message)s`.
 *   color_stream MODE dict   - built by dictConfig (`mode`: auto/always/never)
 *   color_stream MODE c      - built by sawmill_color_stream_handler_new
 * With a third argument "wait" it sleeps afterwards (for tmux to capture). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sawmill.h"

static const char *const messages[] = {"debug record", "info record", "warning record",
                                       "error record", "critical record"};
static const int levels[] = {SAWMILL_LEVEL_DEBUG, SAWMILL_LEVEL_INFO, SAWMILL_LEVEL_WARNING, SAWMILL_LEVEL_ERROR,
                             SAWMILL_LEVEL_CRITICAL};

static int by_dict(const char *mode) {
    char json[1024];
    snprintf(json, sizeof json,
             "{\"version\": 1,"
             " \"formatters\": {\"f\": {\"format\": \"%%(levelname)-8s|%%(message)s\"}},"
             " \"handlers\": {\"h\": {\"class\": \"sawmill.ColorStreamHandler\","
             "   \"stream\": \"ext://sys.stdout\", \"formatter\": \"f\", \"mode\": \"%s\","
             "   \"colors\": {\"DEBUG\": \"34\"}}},"
             " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"h\"]}}",
             mode);
    return sawmill_dict_config_json(json) == SAWMILL_OK ? 0 : -1;
}

static int by_c(const char *mode) {
    sawmill_color_options o;
    sawmill_level_color debug = {"DEBUG", "34"};
    sawmill_handler *h;
    sawmill_formatter *f;
    memset(&o, 0, sizeof o);
    o.fd = 1;
    o.mode = strcmp(mode, "always") == 0  ? SAWMILL_COLOR_ALWAYS
             : strcmp(mode, "never") == 0 ? SAWMILL_COLOR_NEVER
                                          : SAWMILL_COLOR_AUTO;
    o.colors = &debug;
    o.colors_len = 1;
    h = sawmill_color_stream_handler_new(&o);
    f = sawmill_formatter_new("%(levelname)-8s|%(message)s", NULL, '%');
    if (h == NULL || f == NULL) {
        return -1;
    }
    sawmill_handler_set_formatter(h, f);
    sawmill_formatter_release(f);
    sawmill_logger_add_handler(sawmill_get_logger(NULL), h);
    sawmill_handler_release(h);
    return sawmill_logger_set_level(sawmill_get_logger(NULL), SAWMILL_LEVEL_DEBUG) == SAWMILL_OK ? 0 : -1;
}

int main(int argc, char **argv) {
    int i;
    if (argc < 3 || (strcmp(argv[2], "dict") == 0 ? by_dict(argv[1]) : by_c(argv[1])) != 0) {
        fprintf(stderr, "color_stream: usage MODE dict|c [wait], or setup failed: %s\n",
                sawmill_last_error());
        return 2;
    }
    for (i = 0; i < 5; i++) {
        sawmill_log(sawmill_get_logger("app"), levels[i], __FILE__, __LINE__, __func__, messages[i]);
    }
    sawmill_shutdown();
    fflush(stdout);
    if (argc > 3 && strcmp(argv[3], "wait") == 0) {
        sleep(30);
    }
    return 0;
}
