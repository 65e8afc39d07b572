//! Loggers from C: `sawmill_logger *` is a borrowed `&'static Logger`.

use std::borrow::Cow;
use std::ffi::{c_char, c_int};

use super::filter::{filter_arc, sawmill_filter};
use super::handler::{handler_arc, sawmill_handler};
use super::record::{extras_into, sawmill_extra};
use super::{
    check_not_null, lossy_str, optional_str, pointer_call, sawmill_status, status_call, FfiResult,
};
use crate::logger::Logger;
use crate::record::Record;

/// A named logger. Borrowed: never freed, valid until the process ends.
pub struct sawmill_logger {
    _opaque: [u8; 0],
}

/// The boundary for status-returning calls on one logger.
fn on_logger(
    l: *const sawmill_logger,
    body: impl FnOnce(&'static Logger) -> FfiResult<()>,
) -> sawmill_status {
    // SAFETY: checked handle (every sawmill_logger is a `&'static Logger`).
    status_call(|| body(unsafe { logger_ref(l) }?))
}

pub(crate) unsafe fn logger_ref<'a>(l: *const sawmill_logger) -> FfiResult<&'a Logger> {
    check_not_null(l, "logger")?;
    // SAFETY: every sawmill_logger pointer handed out is a `&'static Logger`.
    Ok(unsafe { &*(l as *const Logger) })
}

/// Python's `logging.getLogger(name)`: the same logger for the same name;
/// NULL, `""` and `"root"` give the root logger. The result is borrowed and
/// lives until the process ends. Invalid UTF-8 → NULL and
/// SAWMILL_ERR_INVALID_UTF8 in `sawmill_last_error()`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_get_logger(name: *const c_char) -> *mut sawmill_logger {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated string or NULL.
        let name = unsafe { optional_str(name, "logger name") }?.unwrap_or("");
        let logger: &'static Logger = crate::manager::get_logger(name);
        Ok(logger as *const Logger as *mut sawmill_logger)
    })
}

/// The logger's dotted name (`root` for the root logger); valid for the
/// process lifetime. NULL logger → NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_name(l: *const sawmill_logger) -> *const c_char {
    pointer_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        Ok(super::record::static_c_text(logger.name()) as *mut c_char)
    })
}

/// Sets the logger's level (Python's setLevel); NOTSET inherits. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_set_level(
    l: *mut sawmill_logger,
    level: c_int,
) -> sawmill_status {
    on_logger(l, |logger| {
        logger.set_level(level);
        Ok(())
    })
}

/// The logger's own level (0 = NOTSET); -1 for a NULL logger. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_get_level(l: *const sawmill_logger) -> c_int {
    super::boundary(|_| -1, || Ok(unsafe { logger_ref(l) }?.level()))
}

/// The level of the nearest ancestor (self included) with a level set;
/// -1 for a NULL logger. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_get_effective_level(l: *const sawmill_logger) -> c_int {
    super::boundary(|_| -1, || Ok(unsafe { logger_ref(l) }?.effective_level()))
}

/// Whether a record at `level` would be processed (one atomic load);
/// false for a NULL logger. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_is_enabled_for(
    l: *const sawmill_logger,
    level: c_int,
) -> bool {
    // catch_unwind costs nothing unless something panics: the check stays
    // one inlined atomic load.
    super::boundary(
        |_| false,
        || {
            if l.is_null() {
                return Ok(false);
            }
            // SAFETY: non-null sawmill_logger pointers are `&'static Logger`s.
            Ok(unsafe { &*(l as *const Logger) }.is_enabled_for(level))
        },
    )
}

/// Whether records go on to the parent's handlers (default true). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_set_propagate(
    l: *mut sawmill_logger,
    propagate: bool,
) -> sawmill_status {
    on_logger(l, |logger| {
        logger.set_propagate(propagate);
        Ok(())
    })
}

/// The logger's propagate flag; false for a NULL logger. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_get_propagate(l: *const sawmill_logger) -> bool {
    super::boundary(|_| false, || Ok(unsafe { logger_ref(l) }?.propagate()))
}

/// Python's `logger.disabled`: a disabled logger drops every record.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_set_disabled(
    l: *mut sawmill_logger,
    disabled: bool,
) -> sawmill_status {
    on_logger(l, |logger| {
        logger.set_disabled(disabled);
        Ok(())
    })
}

/// Python's `hasHandlers()`: whether this logger or an ancestor reached
/// through propagation has a handler; false for a NULL logger. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_has_handlers(l: *const sawmill_logger) -> bool {
    super::boundary(|_| false, || Ok(unsafe { logger_ref(l) }?.has_handlers()))
}

/// Attaches `h` (the logger takes its own reference; adding the same handler
/// twice has no effect). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_add_handler(
    l: *mut sawmill_logger,
    h: *mut sawmill_handler,
) -> sawmill_status {
    on_logger(l, |logger| {
        // SAFETY: checked handle; the caller holds a reference.
        logger.add_handler(unsafe { handler_arc(h) }?);
        Ok(())
    })
}

/// Detaches `h` (drops the logger's reference); not attached → no effect.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_remove_handler(
    l: *mut sawmill_logger,
    h: *mut sawmill_handler,
) -> sawmill_status {
    on_logger(l, |logger| {
        // SAFETY: checked handle; the caller holds a reference.
        logger.remove_handler(&unsafe { handler_arc(h) }?);
        Ok(())
    })
}

/// Attaches a filter that sees only records logged on this very logger
/// (not those propagating from children). Takes its own reference.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_add_filter(
    l: *mut sawmill_logger,
    f: *mut sawmill_filter,
) -> sawmill_status {
    on_logger(l, |logger| {
        // SAFETY: checked handle; the caller holds a reference.
        logger.add_filter(unsafe { filter_arc(f) }?);
        Ok(())
    })
}

/// Detaches a filter; not attached → no effect. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logger_remove_filter(
    l: *mut sawmill_logger,
    f: *mut sawmill_filter,
) -> sawmill_status {
    on_logger(l, |logger| {
        // SAFETY: checked handle; the caller holds a reference.
        logger.remove_filter(&unsafe { filter_arc(f) }?);
        Ok(())
    })
}

pub(crate) fn line_number(line: c_int) -> u32 {
    u32::try_from(line).unwrap_or(0)
}

/// Logs `msg` as is (no %-interpolation) at `level`. `file`/`func` may be NULL
/// (printed as Python's `(unknown file)` / `(unknown function)`, line 0).
/// `msg` must not be NULL; invalid UTF-8 in it is repaired (U+FFFD), not
/// refused. Nothing is done, not even reading the clock, when the level is
/// not enabled. Handler failures never reach the caller (see
/// `sawmill_handler_error_count`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log(
    l: *mut sawmill_logger,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        check_not_null(msg, "msg")?;
        if !logger.is_enabled_for(level) {
            return Ok(());
        }
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let msg = unsafe { lossy_str(msg) }.unwrap_or(Cow::Borrowed(""));
        // SAFETY: as above.
        unsafe { log_text(logger, level, file, line, func, &msg) };
        Ok(())
    })
}

/// The shared tail of `sawmill_log` and the printf-style shim: `msg` is text
/// already, `file`/`func` are C strings or NULL.
unsafe fn log_text(
    logger: &Logger,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: &str,
) {
    // SAFETY: C contract: NUL-terminated strings or NULL.
    let (file, func) = unsafe { (lossy_str(file), lossy_str(func)) };
    logger.log_enabled(
        level,
        file.as_deref(),
        line_number(line),
        func.as_deref(),
        msg,
    );
}

/// For the printf-style shim only (deliberately absent from the header): logs
/// the `len` bytes at `msg` it has just formatted, so their length is not
/// measured again. The shim has checked the logger and the level.
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_log_formatted(
    l: *mut sawmill_logger,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
    len: usize,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        check_not_null(msg, "msg")?;
        // SAFETY: the shim passes `len` initialised bytes at `msg`.
        let bytes = unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), len) };
        let msg = super::lossy_bytes(bytes);
        // SAFETY: C contract: NUL-terminated strings or NULL.
        unsafe { log_text(logger, level, file, line, func, &msg) };
        Ok(())
    })
}

/// Python's `logger.exception(msg)` from C: `msg` at ERROR with `exc_text`
/// as the record's exception text (what CPython's `formatException`
/// prints: the traceback, or for a C caller e.g. "ZeroDivisionError:
/// division by zero"); NULL `exc_text` is Python's "NoneType: None" (the
/// text `logging.exception` prints outside an `except` block). `file` and
/// `func` may be NULL. NULL `l` or `msg` → SAWMILL_ERR_NULL_ARGUMENT.
/// Strings are used only during the call. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log_exception(
    l: *mut sawmill_logger,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
    exc_text: *const c_char,
) -> sawmill_status {
    const NO_EXCEPTION: &std::ffi::CStr = c"NoneType: None";
    let exc_text = if exc_text.is_null() {
        NO_EXCEPTION.as_ptr()
    } else {
        exc_text
    };
    let level = crate::level::ERROR;
    // SAFETY: forwarded C contract; `sawmill_log_ex` is inside the panic boundary.
    unsafe {
        sawmill_log_ex(
            l,
            level,
            file,
            line,
            func,
            msg,
            exc_text,
            std::ptr::null(),
            std::ptr::null(),
            0,
        )
    }
}

/// Python's `stack_info=True` from C: logs `msg` at `level` with the
/// calling thread's native stack as `stack_info`, "Stack (most recent call
/// first):" then one frame a line (`N: symbol`, and `at file:line` below it
/// where debug information allows), starting at the caller of this
/// function. Symbols need the caller's symbol table (not stripped); the
/// stack is captured only when `level` is enabled, and costs a symbolisation
/// (milliseconds; more on the first call, which loads debug information).
/// `file`/`func` may be NULL. NULL `l` or `msg` → SAWMILL_ERR_NULL_ARGUMENT.
/// Thread-safe.
#[no_mangle]
#[inline(never)]
pub unsafe extern "C" fn sawmill_log_stack(
    l: *mut sawmill_logger,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        check_not_null(msg, "msg")?;
        if !logger.is_enabled_for(level) {
            return Ok(());
        }
        let stack = native_stack("sawmill_log_stack");
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let (msg, file, func) = unsafe { (lossy_str(msg), lossy_str(file), lossy_str(func)) };
        let msg = msg.unwrap_or(Cow::Borrowed(""));
        let mut record = Record::new(
            logger.name(),
            level,
            file.as_deref(),
            line_number(line),
            func.as_deref(),
            Cow::Borrowed(&*msg),
        );
        record.stack_info = Some(Cow::Owned(stack));
        logger.handle(&mut record);
        Ok(())
    })
}

/// The calling thread's stack as text, without the frames up to and
/// including the one whose symbol is `entry` (sawmill's own).
fn native_stack(entry: &str) -> String {
    let text = std::backtrace::Backtrace::force_capture().to_string();
    // A frame is a "N: symbol" line and its indented "at file:line" lines.
    let mut frames: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let numbered = trimmed
            .split_once(": ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match frames.last_mut() {
            Some(frame) if !numbered => frame.push(trimmed),
            _ => frames.push(vec![trimmed]),
        }
    }
    let symbol = |frame: &Vec<&str>| frame[0].split_once(": ").map_or("", |(_, s)| s).to_owned();
    let skip = frames
        .iter()
        .rposition(|f| symbol(f) == entry)
        .map_or(0, |i| i + 1);
    let mut out = String::from("Stack (most recent call first):");
    for (n, frame) in frames[skip..].iter().enumerate() {
        out.push_str(&format!("\n  {n}: {}", symbol(frame)));
        for at in &frame[1..] {
            out.push_str("\n        ");
            out.push_str(at);
        }
    }
    out
}

/// Like `sawmill_log`, with Python's `exc_text` and `stack_info` (NULL for
/// none) and typed `extra` attributes (`extras` may be NULL when
/// `n_extras` is 0). Everything is copied or used only during the call.
/// An extra key must be valid UTF-8 (else SAWMILL_ERR_INVALID_UTF8, nothing
/// logged) and must not name a LogRecord attribute (`args`, `msg`,
/// `created`…, or `message`/`asctime`): such a key is refused as Python's
/// makeRecord refuses it (SAWMILL_ERR_INVALID_ARGUMENT, "Attempt to
/// overwrite 'args' in LogRecord", nothing logged). A key given twice keeps
/// its last value. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log_ex(
    l: *mut sawmill_logger,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
    exc_text: *const c_char,
    stack_info: *const c_char,
    extras: *const sawmill_extra,
    n_extras: usize,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        check_not_null(msg, "msg")?;
        if n_extras > 0 {
            check_not_null(extras, "extras")?;
        }
        if !logger.is_enabled_for(level) {
            return Ok(());
        }
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let (msg, file, func) = unsafe { (lossy_str(msg), lossy_str(file), lossy_str(func)) };
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let (exc_text, stack_info) = unsafe { (lossy_str(exc_text), lossy_str(stack_info)) };
        let mut call = LogEx {
            logger,
            level,
            file,
            line,
            func,
            msg: msg.unwrap_or(Cow::Borrowed("")),
            exc_text,
            stack_info,
            extras,
            n_extras,
            created: crate::clock::now(),
        };
        let call = &mut call;
        // The thread's names borrowed, as Logger::log_enabled does; the
        // extras in the thread's spare vector.
        crate::record::with_identity_and_spare(move |thread, thread_name, process_name, spare| {
            let reused = crate::record::recycle(std::mem::take(spare));
            // SAFETY: C contract: `extras` points at `n_extras` valid entries.
            let extras = unsafe { extras_into(call.extras, call.n_extras, reused) }?;
            let mut record = Record::stamped(
                call.created,
                call.logger.name(),
                call.level,
                call.file.as_deref(),
                line_number(call.line),
                call.func.as_deref(),
                Cow::Borrowed(&*call.msg),
                thread,
                thread_name,
                process_name,
            );
            record.exc_text = call.exc_text.take();
            record.stack_info = call.stack_info.take();
            record.extras = extras;
            call.logger.handle(&mut record);
            super::record::keep_spare_extras(spare, std::mem::take(&mut record.extras));
            Ok(())
        })
    })
}

/// A `sawmill_log_ex` call's parts, gathered so that the closure building
/// its record captures one reference (`with_identity_and_spare` moves its
/// closure twice).
struct LogEx<'c> {
    logger: &'c Logger,
    level: c_int,
    file: Option<Cow<'c, str>>,
    line: c_int,
    func: Option<Cow<'c, str>>,
    msg: Cow<'c, str>,
    exc_text: Option<Cow<'c, str>>,
    stack_info: Option<Cow<'c, str>>,
    extras: *const sawmill_extra,
    n_extras: usize,
    created: f64,
}
