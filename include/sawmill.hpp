// sawmill.hpp: header-only C++11 wrapper over sawmill.h.
//
// Handles own one reference each (copying retains, destruction releases);
// constructors throw sawmill::Error carrying the status and
// sawmill_last_error() text. Logging calls never throw: handler failures are
// counted by the library, as in the C API. A C++ callback never unwinds into
// the library: a throwing Filter::callback drops the record, a throwing
// Handler::callback counts a handler error (error_count()) and writes nothing.
// Default-constructed handles are empty (get() == nullptr); a handle made
// through the C API is adopted with the pointer constructor (takes its
// reference) or shared with retain() (takes a new one).
#ifndef SAWMILL_HPP
#define SAWMILL_HPP

#include <cstddef>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "sawmill.h"

#if defined(__GNUG__) || defined(__clang__)
#include <cxxabi.h>

#include <cstdlib>
#endif

namespace sawmill {

class Error : public std::runtime_error {
public:
    Error(sawmill_status status, const std::string &what) : std::runtime_error(what), status_(status) {}
    sawmill_status status() const { return status_; }

private:
    sawmill_status status_;
};

namespace detail {
inline void check(sawmill_status status) {
    if (status != SAWMILL_OK) {
        throw Error(status, sawmill_last_error());
    }
}
// A NULL result: the status is the one the failing call recorded.
template <typename T>
T *check_ptr(T *p) {
    if (p == nullptr) {
        throw Error(sawmill_last_error_status(), sawmill_last_error());
    }
    return p;
}
}  // namespace detail

// A reference-counted handle: Retain/Release are the C functions.
template <typename T, T *(*Retain)(T *), void (*Release)(T *)>
class Handle {
public:
    Handle() : p_(nullptr) {}
    explicit Handle(T *owned) : p_(owned) {}
    Handle(const Handle &other) : p_(Retain(other.p_)) {}
    Handle(Handle &&other) noexcept : p_(other.p_) { other.p_ = nullptr; }
    Handle &operator=(Handle other) noexcept {
        std::swap(p_, other.p_);
        return *this;
    }
    ~Handle() { Release(p_); }
    T *get() const { return p_; }

private:
    T *p_;
};

class Formatter : public Handle<sawmill_formatter, sawmill_formatter_retain, sawmill_formatter_release> {
public:
    explicit Formatter(const char *fmt = nullptr, const char *datefmt = nullptr, char style = '%')
        : Handle(detail::check_ptr(sawmill_formatter_new(fmt, datefmt, style))) {}
    void set_utc(bool utc) { detail::check(sawmill_formatter_set_utc(get(), utc)); }
    void set_one_line_exceptions(bool on) { detail::check(sawmill_formatter_set_one_line_exceptions(get(), on)); }
    // sawmill.JSONFormatter (sawmill_json_formatter_new): `options_json` as there.
    static Formatter json(const char *options_json = nullptr) {
        return Formatter(Owned(), detail::check_ptr(sawmill_json_formatter_new(options_json)));
    }

private:
    struct Owned {};
    Formatter(Owned, sawmill_formatter *owned) : Handle(owned) {}
};

class Filter : public Handle<sawmill_filter, sawmill_filter_retain, sawmill_filter_release> {
public:
    Filter() = default;  // empty
    // Adopts a filter made through the C API: takes over its reference.
    explicit Filter(sawmill_filter *owned) : Handle(owned) {}
    // Shares a filter made through the C API: takes a new reference.
    static Filter retain(sawmill_filter *borrowed) { return Filter(sawmill_filter_retain(borrowed)); }
    using Fn = std::function<bool(sawmill_record *)>;
    static Filter name(const char *logger_name) {
        return Filter(detail::check_ptr(sawmill_name_filter_new(logger_name)));
    }
    static Filter callback(Fn fn) {
        Fn *boxed = new Fn(std::move(fn));
        return Filter(detail::check_ptr(sawmill_callback_filter_new(&call, boxed, &destroy)));
    }

private:
    static int call(void *user_data, sawmill_record *r) {
        try {
            return (*static_cast<Fn *>(user_data))(r) ? 1 : 0;
        } catch (...) {
            return 0;  // a throwing filter drops the record (never unwinds into C)
        }
    }
    static void destroy(void *user_data) { delete static_cast<Fn *>(user_data); }
};

class Handler : public Handle<sawmill_handler, sawmill_handler_retain, sawmill_handler_release> {
public:
    Handler() = default;  // empty
    // Adopts a handler made through the C API: takes over its reference.
    explicit Handler(sawmill_handler *owned) : Handle(owned) {}
    // Shares a handler made through the C API: takes a new reference.
    static Handler retain(sawmill_handler *borrowed) { return Handler(sawmill_handler_retain(borrowed)); }

    // --- install helper (issue 14 item 2): every handler kind of the C API ---
    static Handler rotating_file(const char *path, uint64_t max_bytes, uint32_t backup_count,
                                 const char *mode = "a", bool delay = false) {
        return Handler(
            detail::check_ptr(sawmill_rotating_file_handler_new(path, mode, max_bytes, backup_count, delay)));
    }
    static Handler timed_rotating_file(const char *path, const char *when = "H", uint32_t interval = 1,
                                       uint32_t backup_count = 0, bool utc = false) {
        return Handler(detail::check_ptr(
            sawmill_timed_rotating_file_handler_new(path, when, interval, backup_count, utc)));
    }
    static Handler watched_file(const char *path, const char *mode = "a", bool delay = false) {
        return Handler(detail::check_ptr(sawmill_watched_file_handler_new(path, mode, delay)));
    }
    static Handler syslog(const sawmill_syslog_options *opts = nullptr) {
        return Handler(detail::check_ptr(sawmill_syslog_handler_new(opts)));
    }
    static Handler journal(const sawmill_journal_options *opts = nullptr) {
        return Handler(detail::check_ptr(sawmill_journal_handler_new(opts)));
    }
    static Handler socket(const char *host, int port) {
        return Handler(detail::check_ptr(sawmill_socket_handler_new(host, port)));
    }
    static Handler datagram(const char *host, int port) {
        return Handler(detail::check_ptr(sawmill_datagram_handler_new(host, port)));
    }
    // Python's QueueHandler + started QueueListener over `handlers`.
    static Handler queue(const Handler *handlers, std::size_t n, bool respect_handler_level = false,
                         std::size_t maxsize = 0, int overflow = 0, uint32_t timeout_ms = 0) {
        std::vector<sawmill_handler *> raw;
        for (std::size_t i = 0; i < n; i++) {
            raw.push_back(handlers[i].get());
        }
        return Handler(detail::check_ptr(sawmill_queue_handler_new(raw.data(), raw.size(), respect_handler_level,
                                                                   maxsize, overflow, timeout_ms)));
    }
    static Handler command(const char *const *argv, std::size_t argc, const char *path = nullptr,
                           bool message_on_stdin = true, bool wait = true, uint32_t timeout_ms = 0,
                           std::size_t max_concurrent = 0) {
        return Handler(detail::check_ptr(sawmill_command_handler_new(argv, argc, path, message_on_stdin, wait,
                                                                     timeout_ms, max_concurrent)));
    }
    static Handler http(const char *host, const char *url, const char *method = "GET", bool secure = false,
                        const char *username = nullptr, const char *password = nullptr, bool json = false,
                        uint32_t timeout_ms = 0) {
        return Handler(detail::check_ptr(
            sawmill_http_handler_new(host, url, method, secure, username, password, json, timeout_ms)));
    }
    static Handler smtp(const char *mailhost, int port, const char *fromaddr, const char *const *toaddrs,
                        std::size_t n_toaddrs, const char *subject, const char *username = nullptr,
                        const char *password = nullptr, bool secure = false, bool ssl = false,
                        uint32_t timeout_ms = 0) {
        return Handler(detail::check_ptr(sawmill_smtp_handler_new(mailhost, port, fromaddr, toaddrs, n_toaddrs,
                                                                  subject, username, password, secure, ssl,
                                                                  timeout_ms)));
    }
    // --- end install helper block ---
    using EmitFn = std::function<int(const sawmill_record *, const char *, std::size_t)>;
    static Handler stream(int fd = 2) { return Handler(detail::check_ptr(sawmill_stream_handler_new(fd))); }
    static Handler file(const char *path, const char *mode = "a", bool delay = false) {
        return Handler(detail::check_ptr(sawmill_file_handler_new(path, mode, delay)));
    }
    static Handler null() { return Handler(detail::check_ptr(sawmill_null_handler_new())); }
    // Python's MemoryHandler(capacity, flushLevel, target, flushOnClose).
    static Handler memory(std::size_t capacity, int flush_level = SAWMILL_LEVEL_ERROR,
                          const Handler *target = nullptr, bool flush_on_close = true) {
        return Handler(detail::check_ptr(sawmill_memory_handler_new(
            capacity, flush_level, target ? target->get() : nullptr, flush_on_close)));
    }
    static Handler callback(EmitFn emit) {
        EmitFn *boxed = new EmitFn(std::move(emit));
        return Handler(detail::check_ptr(sawmill_callback_handler_new(&call, nullptr, boxed, &destroy)));
    }
    void set_level(int level) { detail::check(sawmill_handler_set_level(get(), level)); }
    void set_formatter(const Formatter &f) { detail::check(sawmill_handler_set_formatter(get(), f.get())); }
    void add_filter(const Filter &f) { detail::check(sawmill_handler_add_filter(get(), f.get())); }
    void set_buffering(std::size_t capacity, int flush_level = SAWMILL_LEVEL_ERROR, uint32_t interval_ms = 0) {
        detail::check(sawmill_handler_set_buffering(get(), capacity, flush_level, interval_ms));
    }
    void flush() { detail::check(sawmill_handler_flush(get())); }
    void close() { detail::check(sawmill_handler_close(get())); }
    uint64_t error_count() const { return sawmill_handler_error_count(get()); }
    uint64_t dropped_count() const { return sawmill_handler_dropped_count(get()); }

private:
    static int call(void *user_data, const sawmill_record *r, const char *text, std::size_t len) {
        try {
            return (*static_cast<EmitFn *>(user_data))(r, text, len);
        } catch (...) {
            return -1;  // counted as a handler error
        }
    }
    static void destroy(void *user_data) { delete static_cast<EmitFn *>(user_data); }
};

// The exception being handled (inside a catch block) as the last line of a
// Python traceback: "<type>: <what()>" (just "<type>" when what() is
// empty), the type demangled where the compiler allows ("std::out_of_range").
// An exception not derived from std::exception is "unknown exception"; with
// none being handled it is Python's "NoneType: None". Never throws.
inline std::string current_exception_text() {
    std::exception_ptr current = std::current_exception();
    if (!current) return "NoneType: None";
    try {
        std::rethrow_exception(current);
    } catch (const std::exception &e) {
        try {
            std::string type = typeid(e).name();
#if defined(__GNUG__) || defined(__clang__)
            int status = 0;
            char *readable = abi::__cxa_demangle(type.c_str(), nullptr, nullptr, &status);
            if (status == 0 && readable) type = readable;
            std::free(readable);
#endif
            const char *what = e.what();
            return what && *what ? type + ": " + what : type;
        } catch (...) {
            return "unknown exception";
        }
    } catch (...) {
        return "unknown exception";
    }
}

// A logger: borrowed, lives as long as the process; cheap to copy.
class Logger {
public:
    static Logger get(const char *name = nullptr) { return Logger(detail::check_ptr(sawmill_get_logger(name))); }
    static Logger root() { return get(nullptr); }
    // The C handle, for the SAWMILL_INFO(logger.handle(), fmt, ...) macros.
    sawmill_logger *handle() const { return l_; }
    const char *name() const { return sawmill_logger_name(l_); }
    void set_level(int level) { detail::check(sawmill_logger_set_level(l_, level)); }
    int effective_level() const { return sawmill_logger_get_effective_level(l_); }
    bool enabled_for(int level) const { return sawmill_logger_is_enabled_for(l_, level); }
    void set_propagate(bool on) { detail::check(sawmill_logger_set_propagate(l_, on)); }
    void add_handler(const Handler &h) { detail::check(sawmill_logger_add_handler(l_, h.get())); }
    void remove_handler(const Handler &h) { detail::check(sawmill_logger_remove_handler(l_, h.get())); }
    void add_filter(const Filter &f) { detail::check(sawmill_logger_add_filter(l_, f.get())); }
    void remove_filter(const Filter &f) { detail::check(sawmill_logger_remove_filter(l_, f.get())); }

    // Logs `msg` as is (use SAWMILL_INFO(logger.handle(), fmt, ...) for printf
    // formatting with the caller's file and line).
    void log(int level, const char *msg) const {
        if (enabled_for(level)) {
            (void)sawmill_log(l_, level, nullptr, 0, nullptr, msg);
        }
    }
    void log(int level, const std::string &msg) const { log(level, msg.c_str()); }
    void debug(const std::string &msg) const { log(SAWMILL_LEVEL_DEBUG, msg); }
    void info(const std::string &msg) const { log(SAWMILL_LEVEL_INFO, msg); }
    void warning(const std::string &msg) const { log(SAWMILL_LEVEL_WARNING, msg); }
    void error(const std::string &msg) const { log(SAWMILL_LEVEL_ERROR, msg); }
    void critical(const std::string &msg) const { log(SAWMILL_LEVEL_CRITICAL, msg); }
    // Python's logger.exception(msg): `msg` at ERROR with the exception being
    // handled (call it in a catch block) as exc_text, or with `exc_text`
    // given (sawmill_log_exception). Never throws.
    void exception(const std::string &msg) const {
        if (enabled_for(SAWMILL_LEVEL_ERROR)) {
            exception(msg, current_exception_text());
        }
    }
    void exception(const std::string &msg, const std::string &exc_text) const {
        (void)sawmill_log_exception(l_, nullptr, 0, nullptr, msg.c_str(), exc_text.c_str());
    }
    // Python's stack_info=True: `msg` with the calling thread's native stack
    // as stack_info (sawmill_log_stack). Never throws.
    void stack(int level, const std::string &msg) const {
        (void)sawmill_log_stack(l_, level, nullptr, 0, nullptr, msg.c_str());
    }

private:
    explicit Logger(sawmill_logger *l) : l_(l) {}
    sawmill_logger *l_;
};

// Recipe 17's "log only if errors" as an RAII guard: while it lives, the
// logger's records are buffered and written (to `target`, by default a new
// StreamHandler on stderr) only once one at or above `flush_level` arrives;
// the rest are discarded when the guard ends. `fail()` is the recipe's
// logger.exception('call failed'); `run()` calls a function and does that
// for an exception escaping it (its what() as the exception text) before
// rethrowing.
class LogIfErrors {
public:
    explicit LogIfErrors(const Logger &logger, const Handler *target = nullptr, int flush_level = -1,
                         std::size_t capacity = 0)
        : scope_(detail::check_ptr(sawmill_log_if_errors_begin(
              logger.handle(), target ? target->get() : nullptr, flush_level, capacity))) {}
    LogIfErrors(const LogIfErrors &) = delete;
    LogIfErrors &operator=(const LogIfErrors &) = delete;
    ~LogIfErrors() { (void)sawmill_log_if_errors_end(scope_); }

    void fail(const char *exc_text = nullptr, const char *file = nullptr, int line = 0,
              const char *func = nullptr) {
        (void)sawmill_log_if_errors_fail(scope_, file, line, func, exc_text);
    }

    template <typename F>
    auto run(F &&fn) -> decltype(fn()) {
        try {
            return fn();
        } catch (const std::exception &e) {
            fail(e.what());
            throw;
        } catch (...) {
            fail("unknown exception");
            throw;
        }
    }

private:
    sawmill_errors_scope *scope_;
};

inline void shutdown() { sawmill_shutdown(); }

}  // namespace sawmill

// --- install helper (issue 14 item 2): `{}`-style front end ---
// sawmill::format("x={} y={}", x, y): C++20 std::format where the standard
// library has it; otherwise each `{}` is replaced by the next argument
// written with operator<< (`{{` and `}}` are literal braces; no format
// specs). Logger::logf and the info_f/... helpers format only when enabled.
#if defined(__has_include)
#if __has_include(<version>)
#include <version>
#endif
#endif
#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
#include <format>
namespace sawmill {
template <typename... Args>
std::string format(const char *fmt, Args &&...args) {
    return std::vformat(fmt, std::make_format_args(args...));
}
}  // namespace sawmill
#else
#include <sstream>
namespace sawmill {
namespace detail {
inline void format_rest(std::ostringstream &out, const char *p) {
    for (; *p != '\0'; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
        }
        out << *p;
    }
}
template <typename T, typename... Rest>
void format_rest(std::ostringstream &out, const char *p, const T &first, const Rest &...rest) {
    for (; *p != '\0'; p++) {
        if (p[0] == '{' && p[1] == '}') {
            out << first;
            format_rest(out, p + 2, rest...);
            return;
        }
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
        }
        out << *p;
    }
}
}  // namespace detail
template <typename... Args>
std::string format(const char *fmt, const Args &...args) {
    std::ostringstream out;
    detail::format_rest(out, fmt, args...);
    return out.str();
}
}  // namespace sawmill
#endif
namespace sawmill {
template <typename... Args>
void logf(const Logger &l, int level, const char *fmt, const Args &...args) {
    if (l.enabled_for(level)) {
        l.log(level, sawmill::format(fmt, args...));
    }
}
}  // namespace sawmill
// --- end install helper block ---

// --- thread context (issue 13 item 2) ---
// sawmill::ContextScope pushes a key/value on the calling thread's context
// and pops it when the scope ends: every record this thread logs meanwhile
// carries it as an extra (a key given on the call wins). Not copyable, not
// movable: it belongs to the thread and scope that made it.
#include <type_traits>
namespace sawmill {
class ContextScope {
public:
    ContextScope(const char *key, const char *value) {
        detail::check(sawmill_context_push_str(key, value, &token_));
    }
    ContextScope(const std::string &key, const std::string &value)
        : ContextScope(key.c_str(), value.c_str()) {}
    // Any integer type but bool (which has its own constructor).
    template <typename Int, typename std::enable_if<std::is_integral<Int>::value &&
                                                        !std::is_same<Int, bool>::value,
                                                    int>::type = 0>
    ContextScope(const char *key, Int value) {
        sawmill_extra e = {key, SAWMILL_VALUE_INT, nullptr, static_cast<int64_t>(value), 0.0, false};
        detail::check(sawmill_context_push(&e, &token_));
    }
    ContextScope(const char *key, double value) {
        sawmill_extra e = {key, SAWMILL_VALUE_FLOAT, nullptr, 0, value, false};
        detail::check(sawmill_context_push(&e, &token_));
    }
    ContextScope(const char *key, bool value) {
        sawmill_extra e = {key, SAWMILL_VALUE_BOOL, nullptr, 0, 0.0, value};
        detail::check(sawmill_context_push(&e, &token_));
    }
    ~ContextScope() { (void)sawmill_context_pop(token_); }
    ContextScope(const ContextScope &) = delete;
    ContextScope &operator=(const ContextScope &) = delete;
    uint64_t token() const { return token_; }

private:
    uint64_t token_ = 0;
};
}  // namespace sawmill
// --- end thread context block ---

// --- scoped logging context (issue 13 item 5, cookbook recipe 19) ---
// sawmill::LoggingContext sets a logger's level and/or attaches a handler
// for the lifetime of the object; its destructor puts the level back,
// detaches the handler and, when `close` is true, closes it.
namespace sawmill {
class LoggingContext {
public:
    static constexpr int keep_level = -1;  // `level` meaning: leave it alone
    explicit LoggingContext(const Logger &l, int level = keep_level, const Handler *h = nullptr,
                            bool close = true)
        : c_(detail::check_ptr(sawmill_logging_context_begin(
              l.handle(), level != keep_level, level, h != nullptr ? h->get() : nullptr, close))) {}
    ~LoggingContext() { (void)sawmill_logging_context_end(c_); }
    LoggingContext(const LoggingContext &) = delete;
    LoggingContext &operator=(const LoggingContext &) = delete;

private:
    sawmill_logging_context *c_;
};
}  // namespace sawmill
// --- end scoped logging context block ---

// --- LoggerAdapter (issue 13, recipe 7.1 in C++) ---
// sawmill::Adapter is Python's LoggerAdapter over a Logger: its string
// `extras` are merged into every record it logs (a key the call gives wins)
// and its optional `process` runs on each record before the logger's
// filters, where it may rewrite the message or extras
// (sawmill_record_get_str / sawmill_record_set_str) or compute values per
// record. A `process` that throws leaves the record as it was (the
// exception never unwinds into the library). Reference-counted like the
// other handles; logging calls never throw.
namespace sawmill {
class Adapter : public Handle<sawmill_adapter, sawmill_adapter_retain, sawmill_adapter_release> {
public:
    using Process = std::function<void(sawmill_record *)>;
    using Extras = std::vector<std::pair<std::string, std::string>>;
    Adapter() = default;  // empty
    // Adopts an adapter made through the C API: takes over its reference.
    explicit Adapter(sawmill_adapter *owned) : Handle(owned) {}
    explicit Adapter(const Logger &logger, const Extras &extras = Extras(), Process process = nullptr)
        : Handle(make(logger, extras, std::move(process))) {}

    bool enabled_for(int level) const {
        return sawmill_logger_is_enabled_for(sawmill_adapter_logger(get()), level);
    }
    void log(int level, const std::string &msg) const {
        if (enabled_for(level)) {
            (void)sawmill_adapter_log(get(), level, nullptr, 0, nullptr, msg.c_str());
        }
    }
    void debug(const std::string &msg) const { log(SAWMILL_LEVEL_DEBUG, msg); }
    void info(const std::string &msg) const { log(SAWMILL_LEVEL_INFO, msg); }
    void warning(const std::string &msg) const { log(SAWMILL_LEVEL_WARNING, msg); }
    void error(const std::string &msg) const { log(SAWMILL_LEVEL_ERROR, msg); }
    void critical(const std::string &msg) const { log(SAWMILL_LEVEL_CRITICAL, msg); }

private:
    static sawmill_adapter *make(const Logger &logger, const Extras &extras, Process process) {
        std::vector<sawmill_extra> c_extras;
        for (const auto &kv : extras) {
            sawmill_extra e = {kv.first.c_str(), SAWMILL_VALUE_STR, kv.second.c_str(), 0, 0.0, false};
            c_extras.push_back(e);
        }
        const sawmill_extra *data = c_extras.empty() ? nullptr : c_extras.data();
        if (!process) {
            return detail::check_ptr(
                sawmill_adapter_new(logger.handle(), data, c_extras.size(), nullptr, nullptr, nullptr));
        }
        // The library runs `destroy` on the box, also when this call fails.
        Process *boxed = new Process(std::move(process));
        return detail::check_ptr(
            sawmill_adapter_new(logger.handle(), data, c_extras.size(), &call, boxed, &destroy));
    }
    static void call(void *user_data, sawmill_record *r) {
        try {
            (*static_cast<Process *>(user_data))(r);
        } catch (...) {
            // the record goes on as it was (never unwinds into C)
        }
    }
    static void destroy(void *user_data) { delete static_cast<Process *>(user_data); }
};
}  // namespace sawmill
// --- end LoggerAdapter block ---

// --- typed extras (issue 14, recipe 12 in C++) ---
// sawmill::Extra is one typed `extra=` attribute (a string, an integer, a
// float, a bool, or raw JSON text with Extra::json); sawmill::log_extra logs
// a message with them (sawmill_log_ex: copied at the call; a key naming a
// LogRecord attribute is refused). Never throws: returns the status.
namespace sawmill {
class Extra {
public:
    Extra(std::string key, const char *value) : Extra(std::move(key), Kind{SAWMILL_VALUE_STR}) { str_ = value; }
    Extra(std::string key, std::string value) : Extra(std::move(key), Kind{SAWMILL_VALUE_STR}) {
        str_ = std::move(value);
    }
    template <typename Int, typename std::enable_if<std::is_integral<Int>::value &&
                                                        !std::is_same<Int, bool>::value,
                                                    int>::type = 0>
    Extra(std::string key, Int value) : Extra(std::move(key), Kind{SAWMILL_VALUE_INT}) {
        int_ = static_cast<int64_t>(value);
    }
    Extra(std::string key, double value) : Extra(std::move(key), Kind{SAWMILL_VALUE_FLOAT}) { float_ = value; }
    Extra(std::string key, bool value) : Extra(std::move(key), Kind{SAWMILL_VALUE_BOOL}) { bool_ = value; }
    // A value written as it is, JSON text (validated at the call).
    static Extra json(std::string key, std::string text) {
        Extra e(std::move(key), Kind{SAWMILL_VALUE_JSON});
        e.str_ = std::move(text);
        return e;
    }
    // The C view; valid while this Extra lives.
    sawmill_extra c() const {
        bool text = kind_ == SAWMILL_VALUE_STR || kind_ == SAWMILL_VALUE_JSON;
        sawmill_extra e = {key_.c_str(), kind_, text ? str_.c_str() : nullptr, int_, float_, bool_};
        return e;
    }

private:
    struct Kind {
        int value;
    };
    Extra(std::string key, Kind kind)
        : key_(std::move(key)), kind_(kind.value), int_(0), float_(0.0), bool_(false) {}
    std::string key_;
    int kind_;
    std::string str_;
    int64_t int_;
    double float_;
    bool bool_;
};

inline sawmill_status log_extra(const Logger &l, int level, const std::string &msg,
                                const std::vector<Extra> &extras) {
    if (!l.enabled_for(level)) {
        return SAWMILL_OK;
    }
    std::vector<sawmill_extra> c_extras;
    for (const Extra &e : extras) {
        c_extras.push_back(e.c());
    }
    return sawmill_log_ex(l.handle(), level, nullptr, 0, nullptr, msg.c_str(), nullptr, nullptr,
                          c_extras.empty() ? nullptr : c_extras.data(), c_extras.size());
}
}  // namespace sawmill
// --- end typed extras block ---

#endif  // SAWMILL_HPP
