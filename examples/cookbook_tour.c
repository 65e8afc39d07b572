/* The cookbook tour: runs each recipe in its own child process (so every
 * recipe starts from a fresh logging configuration, as its own program
 * would), shows what it printed, then the files it wrote. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "recipes.h"

struct recipe {
    const char *title;
    int (*run)(const char *outdir);
};

static const struct recipe recipes[] = {
    {"1 Using logging in multiple modules", recipe01_run},
    {"2 Logging from multiple threads", recipe02_run},
    {"3 Multiple handlers and formatters", recipe03_run},
    {"4 Logging to multiple destinations", recipe04_run},
    {"9 Using file rotation", recipe09_run},
    {"16 Speaking logging messages", recipe16_run},
    {"17 Buffering and output only if errors", recipe17_run},
};

static void show_files(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096], line[1024];
    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        FILE *f;
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        printf("--- file %s:\n", e->d_name);
        if (strstr(e->d_name, ".wav") != NULL) {
            /* Recipe 16's speech: audio, not text. */
            printf("(audio)\n");
            unlink(path);
            continue;
        }
        f = fopen(path, "r");
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            fputs(line, stdout);
        }
        if (f != NULL) {
            fclose(f);
        }
        unlink(path);
    }
    closedir(d);
}

int main(void) {
    size_t i;
    int failures = 0;
    for (i = 0; i < sizeof recipes / sizeof recipes[0]; i++) {
        char dir[] = "/tmp/sawmill-tour-XXXXXX";
        pid_t child;
        int status = 0;
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            return 1;
        }
        printf("\n=== Recipe %s ===\n--- console:\n", recipes[i].title);
        fflush(stdout);
        child = fork();
        if (child == 0) {
            /* Console handlers write to stderr; show them in order here. */
            dup2(1, 2);
            _exit(recipes[i].run(dir));
        }
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("recipe failed\n");
            failures++;
        }
        show_files(dir);
        rmdir(dir);
    }
    return failures == 0 ? 0 : 1;
}
