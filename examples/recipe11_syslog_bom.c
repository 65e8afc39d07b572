/* Cookbook recipe 11: RFC 5424 messages with a BOM, "an optional pure-ASCII
 * sequence before it and arbitrary Unicode after it". The formatter's text
 * carries U+FEFF where the BOM goes ("ASCII section\ufeffUnicode section"):
 *  - with the RFC 5424 protocol, sawmill writes the header and the formatter
 *    writes MSG: the ASCII section, the BOM, the Unicode section;
 *  - with CPython's legacy bytes, the formatter writes the whole RFC 5424
 *    line after <PRI>, as the cookbook does in Python.
 * Usage: recipe11 UDP_PORT (a syslog daemon on 127.0.0.1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sawmill.h"

static sawmill_handler *syslog_to(unsigned short port, int protocol, const char *format) {
    sawmill_syslog_options opts;
    sawmill_handler *h;
    sawmill_formatter *f;
    memset(&opts, 0, sizeof opts); /* zeroed = defaults */
    opts.host = "127.0.0.1";
    opts.port = port;
    opts.facility = "local0";
    opts.protocol = protocol;
    opts.hostname = "recipehost";
    opts.app_name = "recipe11";
    opts.omit_nul = true; /* a daemon would show the NUL as #000 */
    h = sawmill_syslog_handler_new(&opts);
    if (h == NULL) {
        fprintf(stderr, "SysLogHandler: %s\n", sawmill_last_error());
        exit(1);
    }
    f = sawmill_formatter_new(format, NULL, '%');
    sawmill_handler_set_formatter(h, f);
    sawmill_formatter_release(f);
    return h;
}

int main(int argc, char **argv) {
    sawmill_logger *logger = sawmill_get_logger("recipe11");
    sawmill_handler *rfc5424, *legacy;
    unsigned short port;
    if (argc < 2) {
        fprintf(stderr, "usage: %s UDP_PORT\n", argv[0]);
        return 2;
    }
    port = (unsigned short)atoi(argv[1]);
    rfc5424 = syslog_to(port, SAWMILL_SYSLOG_RFC5424, "%(levelname)s %(name)s\xEF\xBB\xBF%(message)s");
    legacy = syslog_to(port, SAWMILL_SYSLOG_LEGACY,
                       "1 - recipehost legacy11 - - - \xEF\xBB\xBF%(message)s");
    sawmill_logger_set_level(logger, SAWMILL_LEVEL_INFO);
    sawmill_logger_add_handler(logger, rfc5424);
    SAWMILL_INFO(logger, "Unicode section: h\xC3\xA9llo \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC");
    sawmill_logger_remove_handler(logger, rfc5424);
    sawmill_logger_add_handler(logger, legacy);
    SAWMILL_WARNING(logger, "legacy Unicode section: \xC3\xBC\xC3\xB1\xC3\xAF");
    sawmill_logger_remove_handler(logger, legacy);
    if (sawmill_handler_error_count(rfc5424) != 0 || sawmill_handler_error_count(legacy) != 0) {
        fprintf(stderr, "handler errors\n");
        return 1;
    }
    sawmill_handler_release(rfc5424);
    sawmill_handler_release(legacy);
    return 0;
}
