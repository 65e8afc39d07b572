/* The config server from C: a verify callback with user data sees every
 * message and drops the ones it refuses; an accepted JSON document is
 * applied (its handler becomes findable by name); a refused or broken one
 * changes nothing; the counters say so; stop, then listen again. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

struct seen {
    int calls;
    size_t last_len;
};

static bool verify(void *user_data, const char *data, size_t len) {
    struct seen *seen = user_data;
    size_t i;
    seen->calls++;
    seen->last_len = len;
    for (i = 0; i + 4 <= len; i++) {
        if (memcmp(data + i, "DROP", 4) == 0) {
            return false;
        }
    }
    return true;
}

static int send_message(int port, const char *body) {
    struct sockaddr_in addr;
    unsigned char prefix[4];
    size_t len = strlen(body);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    prefix[0] = (unsigned char)(len >> 24);
    prefix[1] = (unsigned char)(len >> 16);
    prefix[2] = (unsigned char)(len >> 8);
    prefix[3] = (unsigned char)len;
    if (write(fd, prefix, 4) != 4 || write(fd, body, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Waits (at most 10 s) until applied + dropped + failed reaches total. */
static void wait_total(uint64_t total) {
    struct timespec tick = {0, 5 * 1000 * 1000};
    int i;
    for (i = 0; i < 2000; i++) {
        uint64_t a = 0, d = 0, f = 0;
        sawmill_config_listener_stats(&a, &d, &f);
        if (a + d + f >= total) {
            return;
        }
        nanosleep(&tick, NULL);
    }
}

int main(void) {
    struct seen seen = {0, 0};
    int port = 0, port2 = 0;
    uint64_t applied = 0, dropped = 0, failed = 0;
    sawmill_handler *h;
    const char *good =
        "{\"version\": 1, \"handlers\": {\"fromnet\": {\"class\": \"logging.NullHandler\"}},"
        " \"root\": {\"handlers\": [\"fromnet\"]}}";
    const char *refused =
        "{\"version\": 1, \"handlers\": {\"DROP\": {\"class\": \"logging.NullHandler\"}}}";
    const char *broken = "{\"version\": 1, \"handlers\": {\"x\": {\"class\": \"logging.Nope\"}}}";

    CHECK(sawmill_config_listen("127.0.0.1", 0, verify, &seen, &port) == SAWMILL_OK);
    CHECK(port > 0);
    CHECK(sawmill_config_listen(NULL, 0, NULL, NULL, NULL) == SAWMILL_ERR_INVALID_ARGUMENT);

    CHECK(send_message(port, refused) == 0);
    wait_total(1);
    CHECK(send_message(port, broken) == 0);
    wait_total(2);
    h = sawmill_get_handler_by_name("fromnet");
    CHECK(h == NULL);
    CHECK(send_message(port, good) == 0);
    wait_total(3);
    sawmill_config_listener_stats(&applied, &dropped, &failed);
    CHECK(applied == 1 && dropped == 1 && failed == 1);
    CHECK(seen.calls == 3);
    CHECK(seen.last_len == strlen(good));
    h = sawmill_get_handler_by_name("fromnet");
    CHECK(h != NULL);
    sawmill_handler_release(h);
    CHECK(sawmill_get_handler_by_name("DROP") == NULL);

    CHECK(sawmill_config_stop_listening() == SAWMILL_OK);
    CHECK(send_message(port, good) != 0);
    CHECK(sawmill_config_listen(NULL, 0, NULL, NULL, &port2) == SAWMILL_OK);
    CHECK(port2 > 0);
    CHECK(sawmill_config_stop_listening() == SAWMILL_OK);
    CHECK_DONE();
}
