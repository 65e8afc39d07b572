// Records logged from a C++ static destructor land: the object is built
// before sawmill's first use, so its destructor runs after sawmill's exit
// shutdown. The program runs itself as a child and reads the child's log.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sawmill.h"
#include "late_child.h"

namespace {

struct LogsWhenDestroyed {
    ~LogsWhenDestroyed() {
        sawmill_logger *l = sawmill_get_logger("late");
        SAWMILL_INFO(l, "late from a static destructor");
    }
};

LogsWhenDestroyed logs_when_destroyed;

int child(const char *path) { return late_child_setup(path, "a"); }

}  // namespace

int main(int argc, char **argv) {
    if (argc == 3 && std::strcmp(argv[1], "child") == 0) {
        return child(argv[2]);
    }
    char dir[] = "/tmp/sawmill-late-cxx-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    std::string path = std::string(dir) + "/late.log";
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[0], argv[0], "child", path.c_str(), static_cast<char *>(NULL));
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "child failed (status %d)\n", status);
        return 1;
    }
    std::string text;
    if (FILE *f = std::fopen(path.c_str(), "r")) {
        char chunk[512];
        size_t n;
        while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
            text.append(chunk, n);
        }
        std::fclose(f);
    }
    unlink(path.c_str());
    rmdir(dir);
    if (text != "early\nlate from a static destructor\n") {
        std::fprintf(stderr, "log was \"%s\"\n", text.c_str());
        return 1;
    }
    std::printf("ok\n");
    return 0;
}
