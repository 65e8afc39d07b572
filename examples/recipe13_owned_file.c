/* Cookbook recipe 13: a handler made by a factory the configuration names
 * with '()' (here registered from C): a file handler whose file is given
 * the owner the config lists. Run as root, it then prints the file's owner
 * and mode as stat reports them. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sawmill.h"

static sawmill_handler *owned_file_handler(void *u, const sawmill_options *o) {
    const char *filename = sawmill_options_get_str(o, "filename");
    const char *mode = sawmill_options_get_str(o, "mode");
    const char *user = sawmill_options_get_str_at(o, "owner", 0);
    const char *group = sawmill_options_get_str_at(o, "owner", 1);
    sawmill_handler *h;
    (void)u;
    if (filename == NULL) {
        return NULL;
    }
    h = sawmill_file_handler_new(filename, mode ? mode : "a", false);
    if (h != NULL && (user != NULL || group != NULL) &&
        sawmill_file_handler_set_owner(h, user, group) != SAWMILL_OK) {
        sawmill_handler_release(h);
        return NULL;
    }
    return h;
}

static const char *config =
    "{\"version\": 1, \"disable_existing_loggers\": false,"
    " \"formatters\": {\"default\": {\"format\":"
    " \"%%(asctime)s %%(levelname)s %%(name)s %%(message)s\"}},"
    " \"handlers\": {\"file\": {\"()\": \"ext://__main__.owned_file_handler\","
    " \"level\": \"DEBUG\", \"formatter\": \"default\","
    " \"owner\": [\"nobody\", \"nogroup\"], \"filename\": \"%s/chowntest.log\","
    " \"mode\": \"w\", \"encoding\": \"utf-8\"}},"
    " \"root\": {\"handlers\": [\"file\"], \"level\": \"DEBUG\"}}";

int main(int argc, char **argv) {
    const char *outdir = argc > 1 ? argv[1] : ".";
    char text[4096], path[4096];
    struct stat st;
    struct passwd *pw;
    struct group *gr;
    snprintf(text, sizeof text, config, outdir);
    if (sawmill_register_handler_factory("owned_file_handler", owned_file_handler, NULL, NULL) !=
            SAWMILL_OK ||
        sawmill_dict_config_json(text) != SAWMILL_OK) {
        fprintf(stderr, "config: %s\n", sawmill_last_error());
        return 1;
    }
    SAWMILL_DEBUG(sawmill_get_logger("mylogger"), "A debug message");
    snprintf(path, sizeof path, "%s/chowntest.log", outdir);
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    pw = getpwuid(st.st_uid);
    gr = getgrgid(st.st_gid);
    printf("chowntest.log owner %s:%s mode %o\n", pw ? pw->pw_name : "?", gr ? gr->gr_name : "?",
           (unsigned)(st.st_mode & 07777));
    return 0;
}
