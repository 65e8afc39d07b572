// Cookbook recipe 12 in C++: structured logging. The recipe's
// StructuredMessage prints `message >>> {json of the keyword arguments}`;
// here the key/values are typed sawmill::Extra values of the call, and a
// JSONFormatter whose format is the `%(message)s >>> ` prefix prints them in
// the order given, as CPython's json.dumps does. Same output as the C version.
#include <sawmill.hpp>

int main() {
    sawmill::Logger root = sawmill::Logger::root();
    sawmill::Handler console = sawmill::Handler::stream(2);
    console.set_formatter(sawmill::Formatter::json("{\"format\": \"%(message)s >>> \", \"fields\": []}"));
    root.add_handler(console);
    root.set_level(SAWMILL_LEVEL_INFO);

    if (sawmill::log_extra(root, SAWMILL_LEVEL_INFO, "message 1",
                           {{"fnum", 123.456}, {"num", 123}, {"bar", "baz"}, {"foo", "bar"}}) != SAWMILL_OK ||
        sawmill::log_extra(root, SAWMILL_LEVEL_INFO, "message 1",
                           {{"snowman", "\xe2\x98\x83"}, sawmill::Extra::json("set_value", "[1, 2, 3]")}) !=
            SAWMILL_OK) {
        return 1;
    }
    return 0;
}
