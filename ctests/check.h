/* Minimal assertion helpers shared by the C tests. */
#ifndef SAWMILL_CHECK_H
#define SAWMILL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

#define CHECK_STR(actual, expected)                                                   \
    do {                                                                              \
        const char *check_a_ = (actual);                                              \
        const char *check_e_ = (expected);                                            \
        if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                    \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__,         \
                    __LINE__, check_e_, check_a_ ? check_a_ : "(null)");              \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

#define CHECK_DONE()                                                                  \
    do {                                                                              \
        if (check_failures) {                                                         \
            fprintf(stderr, "%d check(s) failed\n", check_failures);                  \
            return 1;                                                                 \
        }                                                                             \
        printf("ok\n");                                                               \
        return 0;                                                                     \
    } while (0)

/* A growable text buffer a callback handler appends records to. */
struct captured {
    char text[8192];
    size_t len;
    int records;
};

static inline int capture_emit(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    struct captured *c = (struct captured *)user_data;
    (void)r;
    if (c->len + len + 2 < sizeof c->text) {
        memcpy(c->text + c->len, text, len);
        c->len += len;
        c->text[c->len++] = '\n';
        c->text[c->len] = '\0';
    }
    c->records++;
    return 0;
}

static inline void capture_reset(struct captured *c) {
    c->len = 0;
    c->text[0] = '\0';
    c->records = 0;
}

/* A handler appending "<formatted>\n" for each record to *c. */
static inline sawmill_handler *capture_handler(struct captured *c, const char *fmt) {
    sawmill_handler *h = sawmill_callback_handler_new(capture_emit, NULL, c, NULL);
    if (fmt != NULL) {
        sawmill_formatter *f = sawmill_formatter_new(fmt, NULL, '%');
        sawmill_handler_set_formatter(h, f);
        sawmill_formatter_release(f);
    }
    capture_reset(c);
    return h;
}

#endif
