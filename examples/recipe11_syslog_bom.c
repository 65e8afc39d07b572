/* Cookbook recipe 11: RFC 5424 messages with a BOM, "an optional pure-ASCII
 * sequence before it and arbitrary Unicode after it". The formatter's text
 * carries U+FEFF where the BOM goes ("ASCII section\ufeffUnicode section"):
 *  - with the RFC 5424 protocol, sawmill writes the header and the formatter
 *    writes MSG: the ASCII section, the BOM, the Unicode section;
 *  - with CPython's legacy bytes, the formatter writes the whole RFC 5424
 *    line after <PRI>, as the cookbook does in Python.
 * recipe11 UDP_PORT sends to a syslog daemon already on 127.0.0.1:UDP_PORT.
 * recipe11 DIR (and the tour) starts a real rsyslogd on loopback (no root:
 * its own configuration, no pid file), sends, and writes what rsyslog parsed
 * (JSON, one record a line) to DIR/rsyslog.json; without rsyslogd it says so
 * and writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "recipes.h"

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

static int send_records(unsigned short port) {
    sawmill_logger *logger = sawmill_get_logger("recipe11");
    sawmill_handler *rfc5424, *legacy;
    int status = 0;
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
        status = 1;
    }
    sawmill_handler_release(rfc5424);
    sawmill_handler_release(legacy);
    return status;
}

/* rsyslog's configuration: UDP on loopback, each message's parsed fields as
 * one JSON object a line in OUT. */
static const char *const RSYSLOG_CONF =
    "global(workDirectory=\"%s\" parser.escapeControlCharactersOnReceive=\"off\")\n"
    "module(load=\"imudp\")\n"
    "template(name=\"j\" type=\"list\" option.jsonf=\"on\") {\n"
    "  property(outname=\"pri\" name=\"pri\" format=\"jsonf\")\n"
    "  property(outname=\"version\" name=\"protocol-version\" format=\"jsonf\")\n"
    "  property(outname=\"hostname\" name=\"hostname\" format=\"jsonf\")\n"
    "  property(outname=\"app_name\" name=\"app-name\" format=\"jsonf\")\n"
    "  property(outname=\"msg\" name=\"msg\" format=\"jsonf\")\n"
    "}\n"
    "ruleset(name=\"r\") { action(type=\"omfile\" file=\"%s\" template=\"j\") }\n"
    "input(type=\"imudp\" address=\"127.0.0.1\" port=\"%d\" ruleset=\"r\")\n";

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* A free UDP port on loopback (0 if none), or whether `port` is taken. */
static int udp_port(int port) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_DGRAM, 0), result;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) {
        return 0;
    }
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        result = errno == EADDRINUSE;
    } else {
        getsockname(fd, (struct sockaddr *)&a, &len);
        result = port == 0 ? ntohs(a.sin_port) : 0;
    }
    close(fd);
    return result;
}

static int count_lines(const char *path) {
    FILE *f = fopen(path, "r");
    int c, n = 0;
    while (f != NULL && (c = fgetc(f)) != EOF) {
        n += c == '\n';
    }
    if (f != NULL) {
        fclose(f);
    }
    return n;
}

int recipe11_run(const char *outdir) {
    extern char **environ;
    char work[4096], conf[4200], out[4200];
    char *argv[] = {"rsyslogd", "-n", "-C", "-iNONE", "-f", conf, NULL};
    int port = udp_port(0), i, status;
    pid_t daemon;
    FILE *f;
    if (!recipes_have_program("rsyslogd")) {
        printf("rsyslogd is not installed: recipe 11 skipped (scripts/setup.sh installs it)\n");
        return 0;
    }
    snprintf(work, sizeof work, "%s/rsyslog.work", outdir);
    snprintf(conf, sizeof conf, "%s/rsyslog.conf", work);
    snprintf(out, sizeof out, "%s/rsyslog.json", outdir);
    mkdir(work, 0700);
    f = fopen(conf, "w");
    if (f == NULL || port == 0) {
        perror(conf);
        return 1;
    }
    fprintf(f, RSYSLOG_CONF, work, out, port);
    fclose(f);
    if (posix_spawnp(&daemon, "rsyslogd", NULL, NULL, argv, environ) != 0) {
        perror("rsyslogd");
        return 1;
    }
    for (i = 0; i < 500 && !udp_port(port); i++) {
        sleep_ms(10); /* until rsyslogd has bound the port */
    }
    status = send_records((unsigned short)port);
    for (i = 0; i < 500 && count_lines(out) < 2; i++) {
        sleep_ms(10);
    }
    kill(daemon, SIGTERM);
    waitpid(daemon, NULL, 0);
    unlink(conf);
    rmdir(work);
    if (count_lines(out) != 2) {
        fprintf(stderr, "rsyslog wrote %d records, expected 2\n", count_lines(out));
        return 1;
    }
    return status;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s UDP_PORT | DIR\n", argv[0]);
        return 2;
    }
    if (strspn(argv[1], "0123456789") == strlen(argv[1])) {
        return send_records((unsigned short)atoi(argv[1]));
    }
    return recipe11_run(argv[1]);
}
#endif
