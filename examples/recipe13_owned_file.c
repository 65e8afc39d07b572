/* Cookbook recipe 13: a handler made by a factory the configuration names
 * with '()' (here registered from C): a file handler whose file is given
 * the owner the config lists. Run as root, it then prints the file's owner
 * and mode as stat reports them. Not root (as in the tour, which needs no
 * root), the chown is left out with a line saying so. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sawmill.h"
#include "recipes.h"

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
    if (h != NULL && (user != NULL || group != NULL) && geteuid() != 0) {
        printf("not root: the file is not given to %s:%s (that needs root)\n",
               user ? user : "-", group ? group : "-");
        return h;
    }
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

int recipe13_run(const char *outdir) {
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

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe13_run(argc > 1 ? argv[1] : ".");
}
#endif
