// Cookbook recipe 2 in C++: logging from the main thread and a std::thread
// with %(relativeCreated)6d %(threadName)s, as the C version does (the
// cookbook's 0.5 s / 0.75 s sleeps scaled down to 50 ms / 75 ms; main logs
// ten times, then stops the worker). basicConfig is the root's handler.
#include <sawmill.hpp>

#include <atomic>
#include <chrono>
#include <thread>

int main() {
    sawmill::Logger root = sawmill::Logger::root();
    sawmill::Handler console = sawmill::Handler::stream(2);
    console.set_formatter(sawmill::Formatter("%(relativeCreated)6d %(threadName)s %(message)s"));
    root.add_handler(console);
    root.set_level(SAWMILL_LEVEL_DEBUG);

    std::atomic<bool> stop(false);
    std::thread worker([&stop, root] {
        while (!stop.load()) {
            root.debug("Hi from myfunc");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    for (int i = 0; i < 10; i++) {
        root.debug("Hello from main");
        std::this_thread::sleep_for(std::chrono::milliseconds(75));
    }
    stop.store(true);
    worker.join();
    return 0;
}
