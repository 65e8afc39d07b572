/* Cookbook recipe 9: a RotatingFileHandler with maxBytes 20 and 5 backups,
 * twenty small records, then the names of the files it left (sorted). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sawmill.h"
#include "recipes.h"

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int recipe09_run(const char *outdir) {
    char path[4096];
    char *names[64];
    size_t count = 0, i;
    const char *base = "logging_rotatingfile_example.out";
    sawmill_logger *my_logger = sawmill_get_logger("MyLogger");
    sawmill_handler *handler;
    DIR *dir;
    struct dirent *entry;

    snprintf(path, sizeof path, "%s/%s", outdir, base);
    sawmill_logger_set_level(my_logger, SAWMILL_LEVEL_DEBUG);
    handler = sawmill_rotating_file_handler_new(path, "a", 20, 5, false);
    if (handler == NULL) {
        fprintf(stderr, "recipe 9: %s\n", sawmill_last_error());
        return 1;
    }
    sawmill_logger_add_handler(my_logger, handler);
    sawmill_handler_release(handler);
    for (i = 0; i < 20; i++) {
        SAWMILL_DEBUG(my_logger, "i = %d", (int)i);
    }

    /* See what files were created. */
    dir = opendir(outdir);
    while (dir != NULL && (entry = readdir(dir)) != NULL && count < 64) {
        if (strncmp(entry->d_name, base, strlen(base)) == 0) {
            names[count++] = strdup(entry->d_name);
        }
    }
    if (dir != NULL) {
        closedir(dir);
    }
    qsort(names, count, sizeof names[0], by_name);
    for (i = 0; i < count; i++) {
        printf("%s\n", names[i]);
        free(names[i]);
    }
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe09_run(argc > 1 ? argv[1] : ".");
}
#endif
