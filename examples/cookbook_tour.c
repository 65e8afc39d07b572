/* The cookbook tour: every recipe of the logging cookbook, in order, each
 * headed by its title. Each runs in a fresh process (this program again,
 * run as `cookbook_tour --recipe INDEX DIR`), so every recipe starts from a
 * new logging configuration, as its own program would;
 * the tour shows what it printed, then the files it wrote. A recipe that
 * needs an external program (rsyslogd, espeak-ng) says so in one line when
 * the program is missing. Exit status 0 when every recipe succeeded. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "recipes.h"

struct recipe {
    const char *title;
    int (*run)(const char *outdir); /* NULL: a heading for the next ones */
};

static const struct recipe recipes[] = {
    {"1 Using logging in multiple modules", recipe01_run},
    {"2 Logging from multiple threads", recipe02_run},
    {"3 Multiple handlers and formatters", recipe03_run},
    {"4 Logging to multiple destinations", recipe04_run},
    {"5 Configuration server example", recipe05_run},
    {"6 Sending and receiving logging events across a network", recipe06_run},
    {"7 Adding contextual information to your logging output", NULL},
    {"7.1 Using LoggerAdapters to impart contextual information", recipe07_run},
    {"7.2 Using Filters to impart contextual information", recipe07_2_run},
    {"8 Logging to a single file from multiple processes", recipe08_run},
    {"9 Using file rotation", recipe09_run},
    {"10 An example dictionary-based configuration", recipe10_run},
    {"11 Inserting a BOM into messages sent to a SysLogHandler", recipe11_run},
    {"12 Implementing structured logging", recipe12_run},
    {"13 Customizing handlers with dictConfig()", recipe13_run},
    {"14 Configuring filters with dictConfig()", recipe14_run},
    {"15 Customized exception formatting", recipe15_run},
    {"16 Speaking logging messages", recipe16_run},
    {"17 Buffering logging messages and outputting them conditionally", recipe17_run},
    {"18 Formatting times using UTC (GMT) via configuration", recipe18_run},
    {"19 Using a context manager for selective logging", recipe19_run},
};

enum { SHOWN_LINES = 12 }; /* per file; the rest is counted */

static void show_file(const char *dir, const char *name) {
    char path[4096], line[1024];
    struct stat st;
    int lines = 0;
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return;
    }
    printf("--- file %s:\n", name);
    if (strstr(name, ".wav") != NULL) {
        /* Recipe 16's speech: audio, not text. */
        printf("(audio, %lld bytes)\n", (long long)st.st_size);
    } else if ((f = fopen(path, "r")) != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (lines++ < SHOWN_LINES) {
                fputs(line, stdout);
            }
        }
        if (lines > SHOWN_LINES) {
            printf("... (%d lines in all)\n", lines);
        }
        fclose(f);
    }
    unlink(path);
}

static void show_files(const char *dir) {
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), i;
    for (i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            show_file(dir, names[i]->d_name);
        }
        free(names[i]);
    }
    if (n >= 0) {
        free(names);
    }
}

/* In the fresh process: one recipe, its console output in order on stdout. */
static int run_one(const char *index, const char *dir) {
    int status;
    size_t i = (size_t)atoi(index);
    if (i >= sizeof recipes / sizeof recipes[0] || recipes[i].run == NULL) {
        return 2;
    }
    /* Console handlers write to stderr; show them in order here. */
    dup2(1, 2);
    alarm(30); /* a recipe that hangs fails instead */
    status = recipes[i].run(dir);
    fflush(stdout);
    return status;
}

int main(int argc, char **argv) {
    size_t i;
    int failures = 0;
    if (argc == 4 && strcmp(argv[1], "--recipe") == 0) {
        return run_one(argv[2], argv[3]);
    }
    for (i = 0; i < sizeof recipes / sizeof recipes[0]; i++) {
        char dir[] = "/tmp/sawmill-tour-XXXXXX";
        pid_t child;
        int status = 0;
        if (recipes[i].run == NULL) {
            printf("\n=== Recipe %s ===\n", recipes[i].title);
            continue;
        }
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            return 1;
        }
        printf("\n=== Recipe %s ===\n--- console:\n", recipes[i].title);
        fflush(stdout);
        child = fork();
        if (child == 0) {
            char index[16];
            snprintf(index, sizeof index, "%d", (int)i);
            execl("/proc/self/exe", argv[0], "--recipe", index, dir, (char *)NULL);
            perror("exec");
            _exit(127);
        }
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("recipe %s failed\n", recipes[i].title);
            failures++;
        }
        show_files(dir);
        rmdir(dir);
    }
    printf("\n%d of %d recipes failed\n", failures, (int)(sizeof recipes / sizeof recipes[0]) - 1);
    return failures == 0 ? 0 : 1;
}
