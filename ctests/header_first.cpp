// sawmill.h included before the standard headers: nothing it declares may
// clash with theirs (g++ 12 rejected a leaked `extern void tzset(void);`).
#include "sawmill.h"
#include "sawmill.hpp"

#include <ctime>
#include <iostream>
#include <thread>

int main() {
    std::time_t now = std::time(nullptr);
    std::thread t([] { (void)sawmill_get_logger("header.first"); });
    t.join();
    std::cout << "ok " << (now > 0) << '\n';
    return sawmill_get_logger("header.first") != nullptr ? 0 : 1;
}
