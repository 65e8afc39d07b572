/* SysLogHandler from C: the options struct (zeroed = defaults), the wire
 * formats as a Unix datagram receiver sees them, the custom level map, and
 * clear errors for bad options. */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static int receiver(const char *path) {
    struct sockaddr_un addr;
    struct timeval tv = {5, 0};
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) return -1;
    memcpy(addr.sun_path, path, strlen(path) + 1);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Receives one datagram as a NUL-terminated string (its length in *len). */
static const char *receive(int fd, size_t *len) {
    static char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    if (n < 0) n = 0;
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

int main(void) {
    char dir[] = "/tmp/sawmill-syslog-XXXXXX";
    char path[100];
    size_t len;
    const char *got;
    int fd;
    sawmill_syslog_options opts;
    sawmill_handler *h;
    sawmill_logger *l = sawmill_get_logger("ctest.syslog");
    sawmill_sd_param sd[] = {{"ex@32473", "a", "q\"b]"}, {"ex@32473", "b", "2"}};
    sawmill_extra extra = {"origin ip", SAWMILL_VALUE_STR, "1.2.3.4", 0, 0.0, false};

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/log", dir);
    fd = receiver(path);
    CHECK(fd >= 0);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);

    /* Zeroed options but the path: CPython's legacy bytes, facility user. */
    memset(&opts, 0, sizeof opts);
    opts.path = path;
    h = sawmill_syslog_handler_new(&opts);
    CHECK(h != NULL);
    sawmill_logger_add_handler(l, h);
    sawmill_log(l, SAWMILL_LEVEL_WARNING, __FILE__, __LINE__, __func__, "héllo");
    got = receive(fd, &len);
    CHECK(len == strlen("<12>héllo") + 1 && memcmp(got, "<12>héllo", len) == 0);
    /* A custom level name mapped to a severity (Python's priority_map). */
    CHECK(sawmill_syslog_handler_map_level(h, "WARNING", 5) == SAWMILL_OK);
    sawmill_log(l, SAWMILL_LEVEL_WARNING, __FILE__, __LINE__, __func__, "notice");
    got = receive(fd, &len);
    CHECK_STR(got, "<13>notice");
    CHECK(sawmill_syslog_handler_map_level(h, "WARNING", 8) == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_handler_error_count(h) == 0);
    sawmill_logger_remove_handler(l, h);
    sawmill_handler_release(h);

    /* RFC 5424 with structured data from the options and from an extra. */
    memset(&opts, 0, sizeof opts);
    opts.path = path;
    opts.protocol = SAWMILL_SYSLOG_RFC5424;
    opts.facility = "local0";
    opts.hostname = "host";
    opts.app_name = "app";
    opts.procid = "7";
    opts.msgid = "ID";
    opts.structured_data = sd;
    opts.structured_data_len = 2;
    h = sawmill_syslog_handler_new(&opts);
    CHECK(h != NULL);
    sawmill_logger_add_handler(l, h);
    sawmill_log_ex(l, SAWMILL_LEVEL_ERROR, __FILE__, __LINE__, __func__, "ünï", NULL, NULL,
                   &extra, 1);
    got = receive(fd, &len);
    CHECK(strncmp(got, "<131>1 ", 7) == 0);
    CHECK(strstr(got, " host app 7 ID [ex@32473 a=\"q\\\"b\\]\" b=\"2\"][origin ip=\"1.2.3.4\"] "
                      "\xEF\xBB\xBFünï") != NULL);
    CHECK(sawmill_handler_error_count(h) == 0);
    sawmill_logger_remove_handler(l, h);
    sawmill_handler_release(h);

    /* A missing socket: the handler is built; records are counted errors. */
    memset(&opts, 0, sizeof opts);
    opts.path = "/nonexistent/sawmill/log";
    opts.timeout_ms = 100;
    h = sawmill_syslog_handler_new(&opts);
    CHECK(h != NULL);
    sawmill_logger_add_handler(l, h);
    sawmill_log(l, SAWMILL_LEVEL_ERROR, __FILE__, __LINE__, __func__, "lost");
    CHECK(sawmill_handler_error_count(h) == 1);
    sawmill_logger_remove_handler(l, h);
    sawmill_handler_release(h);

    /* Bad options: NULL and a clear error. */
    memset(&opts, 0, sizeof opts);
    opts.facility = "local9";
    CHECK(sawmill_syslog_handler_new(&opts) == NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_INVALID_ARGUMENT);
    memset(&opts, 0, sizeof opts);
    opts.protocol = 7;
    CHECK(sawmill_syslog_handler_new(&opts) == NULL);
    memset(&opts, 0, sizeof opts);
    opts.path = path;
    opts.host = "localhost";
    CHECK(sawmill_syslog_handler_new(&opts) == NULL);
    memset(&opts, 0, sizeof opts);
    sd[0].sd_id = "no-at-sign";
    opts.structured_data = sd;
    opts.structured_data_len = 1;
    CHECK(sawmill_syslog_handler_new(&opts) == NULL);
    CHECK(strstr(sawmill_last_error(), "SD-ID") != NULL);

    close(fd);
    unlink(path);
    rmdir(dir);
    CHECK_DONE();
}
