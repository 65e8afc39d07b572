// The C++ wrapper's handle kinds: every handler constructor, adoption of a
// C-made handler (owning and retaining), empty default handles, the status
// an exception carries, and a throwing filter/handler callback that drops
// the record (filter) or counts a handler error (handler). Built as C++11
// and C++20.
#include <sawmill.hpp>

#include <cstdio>
#include <string>
#include <unistd.h>

#define CHECK(c)                                                     \
    do {                                                             \
        if (!(c)) {                                                  \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); \
            return 1;                                                \
        }                                                            \
    } while (0)

int main() {
    char dir[] = "/tmp/sawmill_cxx_XXXXXX";
    CHECK(mkdtemp(dir) != nullptr);
    std::string d(dir);

    sawmill::Handler empty;
    CHECK(empty.get() == nullptr);
    sawmill::Filter empty_filter;
    CHECK(empty_filter.get() == nullptr);

    // Every kind constructs (daemons connect lazily).
    sawmill::Handler rot = sawmill::Handler::rotating_file((d + "/r.log").c_str(), 1000, 2);
    sawmill::Handler timed = sawmill::Handler::timed_rotating_file((d + "/t.log").c_str(), "D");
    sawmill::Handler watched = sawmill::Handler::watched_file((d + "/w.log").c_str());
    sawmill::Handler sys = sawmill::Handler::syslog();
    sawmill::Handler journal = sawmill::Handler::journal();
    sawmill::Handler sock = sawmill::Handler::socket("127.0.0.1", 9);
    sawmill::Handler dgram = sawmill::Handler::datagram("127.0.0.1", 9);
    sawmill::Handler mem = sawmill::Handler::memory(10, SAWMILL_LEVEL_ERROR, &rot);
    sawmill::Handler q = sawmill::Handler::queue(&watched, 1);
    const char *argv[] = {"true"};
    sawmill::Handler cmd = sawmill::Handler::command(argv, 1);
    sawmill::Handler http = sawmill::Handler::http("127.0.0.1:9", "/log", "POST");
    const char *to[] = {"ops@example.com"};
    sawmill::Handler smtp = sawmill::Handler::smtp("127.0.0.1", 9, "app@example.com", to, 1, "subject");
    const sawmill::Handler all[] = {rot, timed, watched, sys, journal, sock, dgram, mem, q, cmd, http, smtp};
    for (const sawmill::Handler &h : all) {
        CHECK(h.get() != nullptr);
    }

    // Adoption: the owning constructor takes the C reference; retain adds one.
    sawmill_handler *raw = sawmill_null_handler_new();
    CHECK(raw != nullptr);
    {
        sawmill::Handler shared = sawmill::Handler::retain(raw);
        CHECK(shared.get() == raw);
    }
    sawmill::Handler adopted(raw);  // releases the C reference at scope end
    CHECK(adopted.get() == raw);

    // Exceptions carry the status.
    bool thrown = false;
    try {
        sawmill::Handler::timed_rotating_file((d + "/x.log").c_str(), "bogus");
    } catch (const sawmill::Error &e) {
        thrown = e.status() == SAWMILL_ERR_INVALID_ARGUMENT;
    }
    CHECK(thrown);

    // A throwing filter drops the record; a throwing handler counts an error.
    int seen = 0;
    sawmill::Handler counting = sawmill::Handler::callback(
        [&seen](const sawmill_record *, const char *, std::size_t) { return ++seen, 0; });
    sawmill::Handler throwing = sawmill::Handler::callback(
        [](const sawmill_record *, const char *, std::size_t) -> int { throw std::runtime_error("x"); });
    sawmill::Logger l = sawmill::Logger::get("cxx_wrapper");
    l.set_propagate(false);
    l.add_handler(counting);
    l.add_handler(throwing);
    l.warning("passes");
    CHECK(seen == 1);
    CHECK(throwing.error_count() == 1);
    sawmill::Filter bad = sawmill::Filter::callback([](sawmill_record *) -> bool { throw 1; });
    l.add_filter(bad);
    l.warning("dropped");
    CHECK(seen == 1);
    CHECK(throwing.error_count() == 1);
    l.remove_filter(bad);
    l.remove_handler(counting);
    l.remove_handler(throwing);

    // The `{}` front end (std::format in C++20 where available).
    CHECK(sawmill::format("a={} b={} {{x}}", 1, "two") == "a=1 b=two {x}");
    std::string last;
    sawmill::Handler keep = sawmill::Handler::callback(
        [&last](const sawmill_record *, const char *text, std::size_t len) { return last.assign(text, len), 0; });
    l.add_handler(keep);
    sawmill::logf(l, SAWMILL_LEVEL_WARNING, "n={}", 42);
    CHECK(last == "n=42");
    l.remove_handler(keep);

    // Thread context: a ContextScope's key/value is on every record until
    // the scope ends (issue 13).
    keep.set_formatter(sawmill::Formatter("%(user)s|%(n)s|%(message)s"));
    l.add_handler(keep);
    {
        sawmill::ContextScope user("user", "alice");
        sawmill::ContextScope n("n", 7);
        CHECK(sawmill_context_len() == 2);
        l.warning("in");
        CHECK(last == "alice|7|in");
        sawmill::ContextScope n64("n", static_cast<int64_t>(-8));
        sawmill::ContextScope nll("user", 9LL);
        l.warning("in");
        CHECK(last == "9|-8|in");
    }
    CHECK(sawmill_context_len() == 0);
    l.remove_handler(keep);

    // Logger::exception: the exception being handled, "<type>: <what()>", as
    // exc_text; Python's "NoneType: None" outside a catch block; recipe 15's
    // one-line style (issue 13).
    sawmill::Formatter exc_format("%(levelname)s|%(message)s");
    keep.set_formatter(exc_format);
    l.add_handler(keep);
    l.exception("none");
    CHECK(last == "ERROR|none\nNoneType: None");
    try {
        throw std::out_of_range("idx 3");
    } catch (...) {
        l.exception("caught");
    }
    CHECK(last == "ERROR|caught\nstd::out_of_range: idx 3");
    try {
        throw 7;
    } catch (...) {
        CHECK(sawmill::current_exception_text() == "unknown exception");
    }
    exc_format.set_one_line_exceptions(true);
    l.exception("x\ny", "T\nE: v\n");
    CHECK(last == "ERROR|x y 'T\\nE: v'|");
    l.stack(SAWMILL_LEVEL_WARNING, "where");
    CHECK(last.compare(0, 45, "WARNING|where\nStack (most recent call first):") == 0);
    l.remove_handler(keep);

    for (const char *f : {"/r.log", "/t.log", "/w.log"}) {
        (void)unlink((d + f).c_str());
    }
    (void)rmdir(dir);
    std::puts("cxx_wrapper ok");
    return 0;
}
