/* Built against an installed sawmill (find_package, pkg-config): logs one
 * record through a callback handler and checks that the header's version
 * macros match the library's sawmill_version(). */
#include <stdio.h>
#include <string.h>

#include <sawmill.h>

static char seen[64];
static int keep(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u; (void)r;
    if (len < sizeof seen) {
        memcpy(seen, text, len + 1);
    }
    return 0;
}

int main(void) {
    char expected[32];
    sawmill_logger *l = sawmill_get_logger("installed");
    sawmill_handler *h = sawmill_callback_handler_new(keep, NULL, NULL, NULL);
    snprintf(expected, sizeof expected, "%d.%d.%d", SAWMILL_VERSION_MAJOR,
             SAWMILL_VERSION_MINOR, SAWMILL_VERSION_PATCH);
    if (strcmp(expected, sawmill_version()) != 0) {
        fprintf(stderr, "header %s, library %s\n", expected, sawmill_version());
        return 1;
    }
    sawmill_logger_add_handler(l, h);
    SAWMILL_WARNING(l, "installed %d", 1);
    sawmill_handler_release(h);
    return strcmp(seen, "installed 1") == 0 ? 0 : 1;
}
