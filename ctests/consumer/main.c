/* Links through sawmill::sawmill alone (include path and library). */
#include <string.h>

#include "sawmill.h"

static char seen[64];
static int keep(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u; (void)r;
    if (len < sizeof seen) {
        memcpy(seen, text, len + 1);
    }
    return 0;
}

int main(void) {
    sawmill_logger *l = sawmill_get_logger("consumer");
    sawmill_handler *h = sawmill_callback_handler_new(keep, NULL, NULL, NULL);
    sawmill_logger_add_handler(l, h);
    SAWMILL_WARNING(l, "bundled %d", 1);
    sawmill_handler_release(h);
    return strcmp(seen, "bundled 1") == 0 ? 0 : 1;
}
