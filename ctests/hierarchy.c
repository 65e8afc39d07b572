/* The logger tree: identity, placeholders, inheritance, propagation, logger
 * filters, the last resort and disable(). */
#include <fcntl.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static int reject_all(void *user_data, sawmill_record *r) {
    (void)user_data;
    (void)r;
    return 0;
}

int main(void) {
    struct captured top_out, mid_out;
    sawmill_logger *root = sawmill_get_logger(NULL);

    /* Same object for the same name; NULL, "" and "root" are the root. */
    CHECK(sawmill_get_logger("h.a") == sawmill_get_logger("h.a"));
    CHECK(root == sawmill_get_logger(""));
    CHECK(root == sawmill_get_logger("root"));
    CHECK_STR(sawmill_logger_name(root), "root");
    CHECK(sawmill_logger_get_effective_level(root) == SAWMILL_LEVEL_WARNING);

    /* Placeholders: a.b.c made first, then a; records from a.b.c reach a. */
    {
        sawmill_logger *leaf = sawmill_get_logger("p.b.c");
        sawmill_logger *top = sawmill_get_logger("p");
        sawmill_handler *h = capture_handler(&top_out, "%(name)s:%(message)s");
        sawmill_logger_add_handler(top, h);
        sawmill_logger_set_level(top, SAWMILL_LEVEL_DEBUG);
        CHECK(sawmill_logger_get_level(leaf) == SAWMILL_LEVEL_NOTSET);
        CHECK(sawmill_logger_get_effective_level(leaf) == SAWMILL_LEVEL_DEBUG);
        sawmill_log(leaf, SAWMILL_LEVEL_DEBUG, NULL, 0, NULL, "from leaf");
        CHECK_STR(top_out.text, "p.b.c:from leaf\n");

        /* The middle logger appears later and slots in between. */
        {
            sawmill_logger *mid = sawmill_get_logger("p.b");
            sawmill_handler *hm = capture_handler(&mid_out, "mid %(message)s");
            capture_reset(&top_out);
            sawmill_logger_add_handler(mid, hm);
            sawmill_logger_set_level(mid, SAWMILL_LEVEL_ERROR);
            /* NOTSET inherits the nearest set level: now ERROR from p.b. */
            CHECK(sawmill_logger_get_effective_level(leaf) == SAWMILL_LEVEL_ERROR);
            CHECK(!sawmill_logger_is_enabled_for(leaf, SAWMILL_LEVEL_WARNING));
            sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "e1");
            CHECK_STR(mid_out.text, "mid e1\n");
            CHECK_STR(top_out.text, "p.b.c:e1\n");

            /* propagate=false stops at p.b. */
            capture_reset(&top_out);
            capture_reset(&mid_out);
            sawmill_logger_set_propagate(mid, false);
            sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "e2");
            CHECK_STR(mid_out.text, "mid e2\n");
            CHECK(top_out.records == 0);
            sawmill_logger_set_propagate(mid, true);

            /* A logger filter applies to records logged on that logger only,
             * not to records propagating through it. */
            {
                sawmill_filter *f = sawmill_callback_filter_new(reject_all, NULL, NULL);
                capture_reset(&top_out);
                capture_reset(&mid_out);
                sawmill_logger_add_filter(mid, f);
                sawmill_log(mid, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "own");
                sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "child");
                CHECK_STR(mid_out.text, "mid child\n");
                CHECK_STR(top_out.text, "p.b.c:child\n");
                /* A handler filter applies to everything reaching the handler. */
                sawmill_logger_remove_filter(mid, f);
                capture_reset(&mid_out);
                sawmill_handler_add_filter(hm, f);
                sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "x");
                CHECK(mid_out.records == 0);
                sawmill_handler_remove_filter(hm, f);
                sawmill_filter_release(f);
            }
            /* Name filters pass a name and its descendants only. */
            {
                sawmill_filter *nf = sawmill_name_filter_new("p.b.c");
                capture_reset(&mid_out);
                sawmill_handler_add_filter(hm, nf);
                sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "kept");
                sawmill_log(mid, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "dropped");
                CHECK_STR(mid_out.text, "mid kept\n");
                sawmill_handler_remove_filter(hm, nf);
                sawmill_filter_release(nf);
            }
            /* Handler level: below it, the handler is skipped. */
            capture_reset(&mid_out);
            sawmill_handler_set_level(hm, SAWMILL_LEVEL_CRITICAL);
            sawmill_log(leaf, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "low");
            CHECK(mid_out.records == 0);
            sawmill_logger_remove_handler(mid, hm);
            sawmill_handler_release(hm);
        }
        sawmill_logger_remove_handler(top, h);
        sawmill_handler_release(h);
    }

    /* Last resort: no handler anywhere → WARNING and up to stderr, message only. */
    {
        char path[] = "/tmp/sawmill-lastresort-XXXXXX";
        int fd = mkstemp(path);
        int saved = dup(2);
        char got[256] = {0};
        sawmill_logger *lonely = sawmill_get_logger("lonely.child");
        dup2(fd, 2);
        sawmill_log(lonely, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "not shown");
        sawmill_log(lonely, SAWMILL_LEVEL_WARNING, NULL, 0, NULL, "shown %s as is");
        dup2(saved, 2);
        close(saved);
        CHECK(pread(fd, got, sizeof got - 1, 0) >= 0);
        CHECK_STR(got, "shown %s as is\n");
        close(fd);
        unlink(path);
    }

    /* disable(): everything at or below the level is dropped everywhere. */
    {
        sawmill_logger *l = sawmill_get_logger("d");
        sawmill_handler *h = capture_handler(&top_out, NULL);
        sawmill_logger_add_handler(l, h);
        sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
        sawmill_disable(SAWMILL_LEVEL_ERROR);
        CHECK(!sawmill_logger_is_enabled_for(l, SAWMILL_LEVEL_ERROR));
        sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "gone");
        sawmill_log(l, SAWMILL_LEVEL_CRITICAL, NULL, 0, NULL, "kept");
        sawmill_disable(SAWMILL_LEVEL_NOTSET);
        sawmill_log(l, SAWMILL_LEVEL_DEBUG, NULL, 0, NULL, "back");
        CHECK_STR(top_out.text, "kept\nback\n");
        /* A disabled logger drops everything. */
        sawmill_logger_set_disabled(l, true);
        sawmill_log(l, SAWMILL_LEVEL_CRITICAL, NULL, 0, NULL, "no");
        CHECK(top_out.records == 2);
        sawmill_logger_set_disabled(l, false);
        sawmill_handler_release(h);
    }
    CHECK_DONE();
}
