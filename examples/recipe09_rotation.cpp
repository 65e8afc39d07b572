// Cookbook recipe 9 in C++: a RotatingFileHandler with maxBytes 20 and 5
// backups, twenty small records, then the names of the files it left
// (sorted) in argv[1].
#include <sawmill.hpp>

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    const std::string dir = argc > 1 ? argv[1] : ".";
    const std::string base = "logging_rotatingfile_example.out";
    // Set up a specific logger with our desired output level
    sawmill::Logger my_logger = sawmill::Logger::get("MyLogger");
    my_logger.set_level(SAWMILL_LEVEL_DEBUG);
    // Add the log message handler to the logger
    my_logger.add_handler(sawmill::Handler::rotating_file((dir + "/" + base).c_str(), 20, 5));
    // Log some messages
    for (int i = 0; i < 20; i++) {
        sawmill::logf(my_logger, SAWMILL_LEVEL_DEBUG, "i = {}", i);
    }
    // See what files are created
    std::vector<std::string> names;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            if (std::string(e->d_name).compare(0, base.size(), base) == 0) {
                names.push_back(e->d_name);
            }
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    for (const std::string &name : names) {
        std::printf("%s\n", name.c_str());
    }
    return 0;
}
