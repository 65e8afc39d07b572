/* The child side shared by the late-record tests (C and C++): a buffered
 * file handler on logger "late" that nothing flushes before exit. */
#ifndef SAWMILL_LATE_CHILD_H
#define SAWMILL_LATE_CHILD_H

#include "sawmill.h"

static int late_child_setup(const char *path, const char *mode) {
    sawmill_logger *l = sawmill_get_logger("late");
    sawmill_handler *h = sawmill_file_handler_new(path, mode, false);
    if (h == NULL) {
        return 2;
    }
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);
    /* Buffered well past what is logged; nothing reaches the flush level. */
    sawmill_handler_set_buffering(h, 65536, SAWMILL_LEVEL_CRITICAL, 0);
    sawmill_logger_add_handler(l, h);
    sawmill_handler_release(h);
    SAWMILL_INFO(l, "early");
    return 0;
}

#endif
