/* File handlers and bad destinations: clear errors at construction, counted
 * handler errors at run time, never a crash; buffering and write-through. */
#include <sys/stat.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

static unsigned file_mode(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0u;
}

/* 1 if path is owned by uid:gid. */
static int owned_by(const char *path, unsigned uid, unsigned gid) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_uid == uid && st.st_gid == gid;
}

static size_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

int main(void) {
    char dir[] = "/tmp/sawmill-files-XXXXXX";
    char path[600], locked[300];
    sawmill_logger *l = sawmill_get_logger("files");
    CHECK(mkdtemp(dir) != NULL);
    sawmill_logger_set_level(l, SAWMILL_LEVEL_DEBUG);
    sawmill_logger_set_propagate(l, false);

    /* A directory is not a log file. */
    CHECK(sawmill_file_handler_new(dir, "a", false) == NULL);
    CHECK(strstr(sawmill_last_error(), "directory") != NULL || strstr(sawmill_last_error(), "Is a") != NULL);

    /* A mode without "a" or "w" ("" too) is refused, as CPython's open does. */
    snprintf(path, sizeof path, "%s/mode.log", dir);
    CHECK(sawmill_file_handler_new(path, "", false) == NULL);
    CHECK(sawmill_last_error_status() == SAWMILL_ERR_INVALID_ARGUMENT);
    CHECK(sawmill_file_handler_new(path, "+", true) == NULL);
    CHECK(access(path, F_OK) != 0);

    /* A missing directory: error now, or (delay) a counted error later. */
    snprintf(path, sizeof path, "%s/missing/x.log", dir);
    CHECK(sawmill_file_handler_new(path, "a", false) == NULL);
    CHECK(sawmill_last_error()[0] != '\0');
    {
        sawmill_handler *h = sawmill_file_handler_new(path, "a", true);
        CHECK(h != NULL);
        sawmill_logger_add_handler(l, h);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "lost") == SAWMILL_OK);
        CHECK(sawmill_handler_error_count(h) == 1);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* An unwritable directory (skipped when running as root, who may write anyway). */
    snprintf(locked, sizeof locked, "%s/locked", dir);
    CHECK(mkdir(locked, 0500) == 0);
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/x.log", locked);
        CHECK(sawmill_file_handler_new(path, "a", false) == NULL);
    }

    /* A full disk: the call returns OK, the handler counts the failure. */
    {
        sawmill_handler *h = sawmill_file_handler_new("/dev/full", "a", false);
        CHECK(h != NULL);
        sawmill_logger_add_handler(l, h);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "no room") == SAWMILL_OK);
        CHECK(sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "no room") == SAWMILL_OK);
        CHECK(sawmill_handler_error_count(h) == 2);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }

    /* Write-through: each record is in the file when the call returns.
     * Mode "w" truncates; "a" appends. */
    snprintf(path, sizeof path, "%s/out.log", dir);
    {
        sawmill_handler *h = sawmill_file_handler_new(path, "w", false);
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "one");
        CHECK(file_size(path) == 4);
        /* Buffered: held until flush level, flush, or release. */
        CHECK(sawmill_handler_set_buffering(h, 4096, SAWMILL_LEVEL_ERROR, 0) == SAWMILL_OK);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "two");
        CHECK(file_size(path) == 4);
        sawmill_log(l, SAWMILL_LEVEL_ERROR, NULL, 0, NULL, "three");
        CHECK(file_size(path) == 14);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "four");
        CHECK(sawmill_handler_flush(h) == SAWMILL_OK);
        CHECK(file_size(path) == 19);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "five");
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
        CHECK(file_size(path) == 24);
    }
    {
        sawmill_handler *h = sawmill_file_handler_new(path, NULL, false);
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "six");
        CHECK(file_size(path) == 28);
        /* Closed in append mode: reopens on the next record, as Python does. */
        CHECK(sawmill_handler_close(h) == SAWMILL_OK);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "seven");
        CHECK(file_size(path) == 34);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
    }
    unlink(path);

    /* Rotating handlers with extreme sizes: max_bytes "negative" (-1 wraps
     * to the largest value: never reached) and a huge backup count. */
    snprintf(path, sizeof path, "%s/rot.log", dir);
    {
        char backup[700];
        sawmill_handler *h = sawmill_rotating_file_handler_new(path, "a", (uint64_t)-1, 4000000000u, false);
        CHECK(h != NULL);
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "kept in one file");
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
        h = sawmill_rotating_file_handler_new(path, "a", 10, 4000000000u, false);
        CHECK(h != NULL);
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "rolls the file");
        CHECK(sawmill_handler_error_count(h) == 0);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);
        snprintf(backup, sizeof backup, "%s.1", path);
        CHECK(file_size(backup) == 17);
        CHECK(file_size(path) == 15);
        unlink(backup);
        unlink(path);
    }
    /* Mode and owner set after a _new constructor created the file apply to
     * that file too (it could not get them any other way), and to the
     * multi-process lock file; a file that existed before is left alone. */
    {
        char lock[700], rolled[700];
        int root = geteuid() == 0;
        snprintf(path, sizeof path, "%s/own.log", dir);
        snprintf(lock, sizeof lock, "%s.lock", path);
        snprintf(rolled, sizeof rolled, "%s.1", path);
        sawmill_handler *h = sawmill_rotating_file_handler_new(path, "a", 30, 2, false);
        CHECK(h != NULL);
        CHECK(sawmill_file_handler_set_multiprocess(h, true) == SAWMILL_OK);
        sawmill_logger_add_handler(l, h);
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "creates the lock file");
        CHECK(file_size(lock) == 0 && file_mode(lock) != 0);
        CHECK(sawmill_file_handler_set_permissions(h, 0604) == SAWMILL_OK);
        CHECK(file_mode(path) == 0604);
        CHECK(file_mode(lock) == 0604);
        if (root) {
            CHECK(sawmill_file_handler_set_owner(h, "1234", "1234") == SAWMILL_OK);
            CHECK(owned_by(path, 1234, 1234));
            CHECK(owned_by(lock, 1234, 1234));
        }
        /* The rotation's new file is created with them. */
        sawmill_log(l, SAWMILL_LEVEL_INFO, NULL, 0, NULL, "rolls over");
        CHECK(file_size(rolled) > 0);
        CHECK(file_mode(path) == 0604);
        CHECK(!root || owned_by(path, 1234, 1234));
        CHECK(sawmill_handler_error_count(h) == 0);
        sawmill_logger_remove_handler(l, h);
        sawmill_handler_release(h);

        /* The timed constructor has no delay: same for its first file. */
        unlink(path);
        h = sawmill_timed_rotating_file_handler_new(path, "midnight", 1, 0, false);
        CHECK(h != NULL);
        CHECK(sawmill_file_handler_set_permissions(h, 0640) == SAWMILL_OK);
        CHECK(file_mode(path) == 0640);
        if (root) {
            CHECK(sawmill_file_handler_set_owner(h, NULL, "1234") == SAWMILL_OK);
            CHECK(owned_by(path, 0, 1234));
        }
        sawmill_handler_release(h);

        /* Opened, not created: left as it is. */
        CHECK(chmod(path, 0600) == 0);
        h = sawmill_file_handler_new(path, "a", false);
        CHECK(h != NULL);
        CHECK(sawmill_file_handler_set_permissions(h, 0644) == SAWMILL_OK);
        CHECK(file_mode(path) == 0600);
        sawmill_handler_release(h);
        unlink(path);
        unlink(lock);
        unlink(rolled);
    }
    rmdir(locked);
    rmdir(dir);
    CHECK_DONE();
}
