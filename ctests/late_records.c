/* Records logged after sawmill's exit shutdown still land: an atexit
 * function registered before sawmill's first use runs after that shutdown
 * and logs to a buffered "w" file handler. The program runs itself as a
 * child and then reads the child's log. */
#include <sys/wait.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"
#include "late_child.h"

static void log_late(void) {
    sawmill_logger *l = sawmill_get_logger("late");
    SAWMILL_INFO(l, "late %d from atexit", 1);
    SAWMILL_INFO(l, "late %d from atexit", 2);
}

static int child(const char *path) {
    /* Before any sawmill call, so it runs after sawmill's own exit work. */
    atexit(log_late);
    return late_child_setup(path, "w");
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        return child(argv[2]);
    }
    char dir[] = "/tmp/sawmill-late-XXXXXX";
    char path[300];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/late.log", dir);
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[0], argv[0], "child", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    char text[4096] = {0};
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f != NULL) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    CHECK_STR(text, "early\nlate 1 from atexit\nlate 2 from atexit\n");
    unlink(path);
    rmdir(dir);
    CHECK_DONE();
}
