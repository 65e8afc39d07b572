//! The C ABI: the only place with `extern "C"`, raw pointers and handle casts.
//!
//! Every export runs inside [`boundary`]: a panic becomes `SAWMILL_ERR_PANIC`
//! (or NULL) with text in `sawmill_last_error()`, never an unwind into C.
//! Ownership is stated on every function; the rules are:
//! - `sawmill_logger *` is borrowed and lives until the process ends;
//! - `sawmill_handler *`, `sawmill_formatter *`, `sawmill_filter *` are
//!   reference-counted: a `_new` or `_retain` gives the caller one reference,
//!   `_release` gives it back; attaching one to a logger or handler takes a
//!   reference of its own, so the caller may release right after attaching;
//! - `sawmill_record *` is borrowed and valid only inside the callback that
//!   received it.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

mod adapter;
mod color;
mod command;
mod config;
mod context;
pub(crate) mod deferred;
mod dict;
mod files;
mod filter;
mod formatter;
mod handler;
mod listener;
mod logger;
mod logging_context;
mod memory;
mod net;
mod queue;
mod record;
mod syslog;
mod variadic;

use crate::unchecked::is_ascii;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::sync::Lock;

/// Result of a sawmill call. `SAWMILL_OK` is 0; on any other value
/// `sawmill_last_error()` describes the failure.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sawmill_status {
    SAWMILL_OK = 0,
    /// A required pointer argument was NULL.
    SAWMILL_ERR_NULL_ARGUMENT = 1,
    /// A name, path, format or configuration string was not valid UTF-8.
    SAWMILL_ERR_INVALID_UTF8 = 2,
    /// An argument was out of range or malformed.
    SAWMILL_ERR_INVALID_ARGUMENT = 3,
    /// The operating system refused an I/O operation.
    SAWMILL_ERR_IO = 4,
    /// A configuration could not be applied; nothing was changed.
    SAWMILL_ERR_CONFIG = 5,
    /// sawmill hit an internal bug; the call had no effect or a partial one.
    SAWMILL_ERR_PANIC = 6,
    /// The call was made from inside a handler's emit or flush callback and
    /// would wait forever for a lock this thread holds; nothing was done.
    SAWMILL_ERR_WOULD_DEADLOCK = 7,
}

/// Standard levels. Levels are plain ints: any value is a valid level.
#[repr(C)]
pub enum sawmill_level {
    SAWMILL_LEVEL_NOTSET = 0,
    SAWMILL_LEVEL_DEBUG = 10,
    SAWMILL_LEVEL_INFO = 20,
    SAWMILL_LEVEL_WARNING = 30,
    SAWMILL_LEVEL_ERROR = 40,
    SAWMILL_LEVEL_CRITICAL = 50,
}

pub const SAWMILL_VERSION_MAJOR: u32 = 0;
pub const SAWMILL_VERSION_MINOR: u32 = 1;
pub const SAWMILL_VERSION_PATCH: u32 = 0;

/// A failure on its way to C: the status to return and the text for
/// `sawmill_last_error()`.
pub(crate) struct FfiError {
    status: sawmill_status,
    message: String,
}

impl FfiError {
    pub(crate) fn new(status: sawmill_status, message: impl Into<String>) -> FfiError {
        FfiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(what: &str) -> FfiError {
        FfiError::new(
            sawmill_status::SAWMILL_ERR_NULL_ARGUMENT,
            format!("{what} must not be NULL"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> FfiError {
        FfiError::new(sawmill_status::SAWMILL_ERR_INVALID_ARGUMENT, message)
    }

    pub(crate) fn io(err: &std::io::Error) -> FfiError {
        FfiError::new(sawmill_status::SAWMILL_ERR_IO, err.to_string())
    }
}

pub(crate) type FfiResult<T> = Result<T, FfiError>;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_STATUS: Cell<sawmill_status> = const { Cell::new(sawmill_status::SAWMILL_OK) };
}

/// At library load: the hooks the core calls into this layer through.
pub(crate) fn install() {
    crate::handler::set_delivery_hook(handler::mark_deliveries);
    deferred::install();
}

pub(crate) fn set_last_error(status: sawmill_status, message: &str) {
    let text = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = text);
    let _ = LAST_STATUS.try_with(|slot| slot.set(status));
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error (panic): {detail}")
}

/// Runs `body` inside the panic boundary. Errors and panics set the
/// thread's last-error text and turn into `on_error(status)`.
#[inline]
pub(crate) fn boundary<T>(
    on_error: impl FnOnce(sawmill_status) -> T,
    body: impl FnOnce() -> FfiResult<T>,
) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err(err)) => {
            set_last_error(err.status, &err.message);
            on_error(err.status)
        }
        Err(payload) => {
            set_last_error(
                sawmill_status::SAWMILL_ERR_PANIC,
                &panic_text(payload.as_ref()),
            );
            on_error(sawmill_status::SAWMILL_ERR_PANIC)
        }
    }
}

/// The boundary for functions returning a status.
#[inline]
pub(crate) fn status_call(body: impl FnOnce() -> FfiResult<()>) -> sawmill_status {
    boundary(
        |status| status,
        || body().map(|()| sawmill_status::SAWMILL_OK),
    )
}

/// The boundary for functions returning a pointer (NULL on failure).
#[inline]
pub(crate) fn pointer_call<T>(body: impl FnOnce() -> FfiResult<*mut T>) -> *mut T {
    boundary(|_| std::ptr::null_mut(), body)
}

/// A required string argument: NULL and invalid UTF-8 are errors. Inline
/// (the keys of a call's extras come through here): libc's strlen, the
/// ASCII check a word at a time, the UTF-8 check only for non-ASCII text
/// (out of line).
#[inline]
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, what: &str) -> FfiResult<&'a str> {
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call.
    let bytes = unsafe { c_bytes(ptr) };
    if is_ascii(bytes) {
        // SAFETY: ASCII is UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    non_ascii_str(bytes, what)
}

/// The bytes of a NUL-terminated C string, measured by libc's strlen
/// directly (CStr::from_ptr's wrapping of it showed in profiles of the
/// logging path, which measures file and function names on every record).
///
/// # Safety
/// `ptr` is a NUL-terminated string that outlives `'a`.
#[inline]
unsafe fn c_bytes<'a>(ptr: *const c_char) -> &'a [u8] {
    // SAFETY: the caller's contract; strlen reads up to the NUL.
    unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), libc::strlen(ptr)) }
}

/// The UTF-8 check of `required_str`'s non-ASCII text (out of line).
#[cold]
#[inline(never)]
fn non_ascii_str<'a>(bytes: &'a [u8], what: &str) -> FfiResult<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        FfiError::new(
            sawmill_status::SAWMILL_ERR_INVALID_UTF8,
            format!("{what} is not valid UTF-8 ({e})"),
        )
    })
}

/// An optional string argument: NULL is `None`, invalid UTF-8 an error.
pub(crate) unsafe fn optional_str<'a>(
    ptr: *const c_char,
    what: &str,
) -> FfiResult<Option<&'a str>> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract of the caller.
        unsafe { required_str(ptr, what) }.map(Some)
    }
}

/// Text that is logged, not interpreted (messages, file and function names):
/// invalid UTF-8 is repaired with U+FFFD rather than refused. Borrowed when
/// valid. Inline: strlen and the ASCII check in the caller (the logging path
/// measures its message, file and function names on every record).
#[inline]
pub(crate) unsafe fn lossy_str<'a>(ptr: *const c_char) -> Option<Cow<'a, str>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call.
    Some(lossy_bytes(unsafe { c_bytes(ptr) }))
}

/// `bytes` as text, invalid UTF-8 repaired (U+FFFD).
#[inline]
pub(crate) fn lossy_bytes(bytes: &[u8]) -> Cow<'_, str> {
    // ASCII (the common case) is checked word by word; the full UTF-8 check
    // and the lossy repair out of line, only for text that needs them.
    if is_ascii(bytes) {
        // SAFETY: ASCII is valid UTF-8.
        return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    non_ascii_lossy(bytes)
}

/// `lossy_bytes` of non-ASCII text.
#[cold]
#[inline(never)]
fn non_ascii_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `_retain` of a refcounted handle: one more reference; NULL stays NULL;
/// inside the panic boundary (a panic gives NULL).
#[inline]
pub(crate) unsafe fn retain_arc<T, H>(handle: *mut H) -> *mut H {
    pointer_call(|| {
        if !handle.is_null() {
            // SAFETY: the handle came from `Arc::<T>::into_raw` and the caller
            // holds a reference.
            unsafe { std::sync::Arc::increment_strong_count(handle as *const T) };
        }
        Ok(handle)
    })
}

/// `_release` of a refcounted handle: gives one reference back; NULL is a
/// no-op; a panic while dropping never reaches C.
pub(crate) unsafe fn release_arc<T, H>(handle: *mut H) {
    if handle.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: gives back the reference the caller owned.
        drop(unsafe { std::sync::Arc::from_raw(handle as *const T) });
    }));
}

pub(crate) fn check_not_null<T>(ptr: *const T, what: &str) -> FfiResult<()> {
    if ptr.is_null() {
        Err(FfiError::null(what))
    } else {
        Ok(())
    }
}

/// Text of the last failure of a sawmill call on the calling thread ("" if
/// none yet). Meaningful only right after a call reported a failure (a status
/// other than SAWMILL_OK, or NULL from a function that returns a handle):
/// like errno, a successful call does not clear it, so it may still describe
/// an older failure. The pointer stays valid until the next failing sawmill
/// call on this thread (a failure inside a filter or handler callback that
/// runs during a logging call counts); copy the text to keep it. Never NULL.
/// Thread-safe (per-thread state).
#[no_mangle]
pub extern "C" fn sawmill_last_error() -> *const c_char {
    static EMPTY: &CStr = c"";
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|slot| slot.borrow().as_ptr())
            .unwrap_or(EMPTY.as_ptr())
    })
    .unwrap_or(EMPTY.as_ptr())
}

/// The status of the last failure of a sawmill call on the calling thread
/// (SAWMILL_OK if none yet), the companion of `sawmill_last_error()`: it tells
/// why a constructor returned NULL. Like it, not cleared by successful calls:
/// meaningful only right after a failure. Thread-safe (per-thread state).
#[no_mangle]
pub extern "C" fn sawmill_last_error_status() -> sawmill_status {
    catch_unwind(|| {
        LAST_STATUS
            .try_with(Cell::get)
            .unwrap_or(sawmill_status::SAWMILL_OK)
    })
    .unwrap_or(sawmill_status::SAWMILL_ERR_PANIC)
}

/// The library version as "MAJOR.MINOR.PATCH". Static storage; never NULL.
#[no_mangle]
pub extern "C" fn sawmill_version() -> *const c_char {
    static VERSION: &CStr = c"0.1.0";
    catch_unwind(|| VERSION.as_ptr()).unwrap_or(VERSION.as_ptr())
}

/// Sets the thread's last-error text from the C shim (not part of the header).
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_set_error(
    status: sawmill_status,
    message: *const c_char,
) -> sawmill_status {
    boundary(
        |status| status,
        || {
            // SAFETY: the shim passes a static NUL-terminated string.
            let text = unsafe { lossy_str(message) }.unwrap_or(Cow::Borrowed("error"));
            Err(FfiError::new(status, text.into_owned()))
        },
    )
}

/// Associates `name` with `level` (Python's addLevelName). `name` is copied;
/// it may be empty (the level then prints as nothing, as in Python). Texts
/// returned earlier by `sawmill_level_name` stay valid.
/// NULL → SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_add_level_name(
    level: c_int,
    name: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?;
        crate::level::add_level_name(level, name);
        Ok(())
    })
}

/// How many distinct unregistered levels get an interned `Level n` text.
/// Each costs about 40 bytes, so the table stays under 200 KiB; real
/// programs use a handful of levels.
const LEVEL_TEXTS_MAX: usize = 4096;

/// `Level n` texts handed out by `sawmill_level_name`, never freed: a
/// returned pointer must not dangle. A fork-resettable lock, like the name
/// cache.
static LEVEL_TEXTS: Lock<Option<HashMap<c_int, &'static CStr>>> = Lock::new(None);

/// The text for an unregistered level once the table is full.
static LEVEL_TEXT_OVERFLOW: &CStr = c"Level ?";

fn interned_level_text(level: c_int) -> *const c_char {
    let mut table = LEVEL_TEXTS.lock();
    let table = table.get_or_insert_with(HashMap::new);
    if let Some(text) = table.get(&level) {
        return text.as_ptr();
    }
    if table.len() >= LEVEL_TEXTS_MAX {
        return LEVEL_TEXT_OVERFLOW.as_ptr();
    }
    let text = CString::new(format!("Level {level}")).unwrap_or_default();
    let text: &'static CStr = Box::leak(text.into_boxed_c_str());
    table.insert(level, text);
    text.as_ptr()
}

/// The name printed for `level` (Python's getLevelName): its registered name
/// (even an empty one), else `Level n`. The text lives for the process: a
/// registered name stays valid after the level is renamed, and `Level n`
/// texts are interned, one per level, for the first 4096 distinct
/// unregistered levels asked about (past that the text is `Level ?`).
/// Never NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_level_name(level: c_int) -> *const c_char {
    catch_unwind(|| match crate::level::registered_name(level) {
        Some(name) => record::static_c_text(name),
        None => interned_level_text(level),
    })
    .unwrap_or(LEVEL_TEXT_OVERFLOW.as_ptr())
}

/// Python's `logging.disable(level)`: records at or below `level` are dropped
/// everywhere; `sawmill_disable(SAWMILL_LEVEL_NOTSET)` lifts it. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_disable(level: c_int) {
    let _ = catch_unwind(|| crate::level::disable(level));
}

/// Names the calling thread for `%(threadName)s`. `name` is copied.
/// NULL → SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8.
#[no_mangle]
pub unsafe extern "C" fn sawmill_set_thread_name(name: *const c_char) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?;
        crate::record::set_current_thread_name(name);
        Ok(())
    })
}

/// Sets `%(processName)s` for records made from now on (default
/// `MainProcess`). `name` is copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_set_process_name(name: *const c_char) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?;
        crate::record::set_process_name(name);
        Ok(())
    })
}

/// How many records were dropped because they were logged from inside a
/// filter or handler callback on the same thread (logging there would
/// otherwise deadlock on the handler's lock). Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_reentrant_drop_count() -> u64 {
    catch_unwind(crate::logger::reentrant_drop_count).unwrap_or(0)
}

/// Python's `logging.shutdown()`: flushes and closes every handler, newest
/// first. Idempotent. At normal process exit sawmill flushes every handler
/// and switches it to write-through instead of closing it, so a record
/// logged later in the exit sequence (an atexit function registered before
/// sawmill's first use, a C++ static destructor) is written at once.
/// Handlers stay valid objects; a FileHandler in append mode reopens if used
/// again. Called from inside a handler's emit or flush callback it does
/// nothing and sets `sawmill_last_error()` (status
/// SAWMILL_ERR_WOULD_DEADLOCK): it would wait for the lock of the handler
/// running the callback. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_shutdown() {
    status_call(|| {
        handler::refuse_in_any_callback("sawmill_shutdown")?;
        crate::manager::shutdown();
        Ok(())
    });
}

#[cfg(test)]
mod ascii_tests {
    #[test]
    fn matches_the_standard_check_at_every_length_and_position() {
        for len in 0..40 {
            let clean = vec![b'a'; len];
            assert!(super::is_ascii(&clean), "len {len}");
            for at in 0..len {
                let mut dirty = clean.clone();
                dirty[at] = 0xC3;
                assert!(!super::is_ascii(&dirty), "len {len} at {at}");
                assert_eq!(super::is_ascii(&dirty), dirty.is_ascii());
            }
        }
    }
}
