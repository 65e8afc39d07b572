// Cookbook recipe 7.1 in C++: sawmill::Adapter is the LoggerAdapter. A
// process step prepends ' [connid]' to the message (the recipe's
// CustomAdapter); a plain adapter merges its key/values into every record;
// a process step with state computes a value per record (the recipe's
// dict-like object). Same output as the C version and CPython.
#include <sawmill.hpp>

#include <string>

static sawmill::Handler stderr_handler(const char *format) {
    sawmill::Handler h = sawmill::Handler::stream(2);
    h.set_formatter(sawmill::Formatter(format));
    return h;
}

int main() {
    int sequence = 0;
    sawmill::Logger root = sawmill::Logger::root();
    sawmill::Logger logger = sawmill::Logger::get("recipe07");
    sawmill::Logger other = sawmill::Logger::get("recipe07.ctx");
    root.add_handler(stderr_handler("%(levelname)-8s %(name)s%(message)s"));
    root.set_level(SAWMILL_LEVEL_DEBUG);
    other.set_propagate(false);
    other.add_handler(stderr_handler("%(levelname)-8s %(name)s %(connid)s: %(message)s"));

    // CustomAdapter.process: ' [%s] %s' % (self.extra['connid'], msg).
    sawmill::Adapter adapter(logger, {{"connid", "conn-42"}}, [](sawmill_record *r) {
        std::string text = std::string(" [") + sawmill_record_get_str(r, "connid") + "] " +
                           sawmill_record_get_str(r, "msg");
        sawmill_record_set_str(r, "msg", text.c_str());
    });
    sawmill::Adapter plain(other, {{"connid", "conn-7"}});
    // Sequence.__getitem__: a new value for every record.
    sawmill::Adapter dynamic(other, {}, [&sequence](sawmill_record *r) {
        sawmill_record_set_str(r, "connid", ("seq-" + std::to_string(++sequence)).c_str());
    });

    adapter.info(sawmill::format("connected from {}", "10.0.0.1"));
    adapter.debug(sawmill::format("received {} bytes", 512));
    plain.warning(sawmill::format("closing {}", "now"));
    dynamic.error("first event");
    dynamic.error("second event");
    logger.set_level(SAWMILL_LEVEL_INFO);
    adapter.debug("not shown: 1");
    adapter.log(SAWMILL_LEVEL_INFO, "done");
    return sequence == 2 ? 0 : 1;
}
