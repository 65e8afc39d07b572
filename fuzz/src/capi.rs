//! The part of the C API the targets call, declared here as C code sees it
//! (the `sawmill` crate keeps its `ffi` module private; the exported symbols
//! are linked from it). Handles are opaque; statuses are C ints.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void};

pub const OK: c_int = 0;
/// SAWMILL_ERR_PANIC: an internal bug caught at the boundary. Never allowed.
pub const ERR_PANIC: c_int = 6;

pub type FilterFn = extern "C" fn(*mut c_void, *mut c_void) -> c_int;
pub type EmitFn = extern "C" fn(*mut c_void, *const c_void, *const c_char, usize) -> c_int;

extern "C" {
    pub fn sawmill_get_logger(name: *const c_char) -> *mut c_void;
    pub fn sawmill_logger_set_level(l: *mut c_void, level: c_int) -> c_int;
    pub fn sawmill_logger_set_propagate(l: *mut c_void, propagate: bool) -> c_int;
    pub fn sawmill_logger_add_handler(l: *mut c_void, h: *mut c_void) -> c_int;
    pub fn sawmill_logger_remove_handler(l: *mut c_void, h: *mut c_void) -> c_int;
    pub fn sawmill_callback_handler_new(
        emit: EmitFn,
        flush: *const c_void,
        user_data: *mut c_void,
        destroy: *const c_void,
    ) -> *mut c_void;
    pub fn sawmill_handler_add_filter(h: *mut c_void, f: *mut c_void) -> c_int;
    pub fn sawmill_handler_set_formatter(h: *mut c_void, f: *mut c_void) -> c_int;
    pub fn sawmill_handler_error_count(h: *const c_void) -> u64;
    pub fn sawmill_handler_release(h: *mut c_void);
    pub fn sawmill_callback_filter_new(
        filter: FilterFn,
        user_data: *mut c_void,
        destroy: *const c_void,
    ) -> *mut c_void;
    pub fn sawmill_filter_release(f: *mut c_void);
    pub fn sawmill_formatter_new(
        fmt: *const c_char,
        datefmt: *const c_char,
        style: c_char,
    ) -> *mut c_void;
    pub fn sawmill_formatter_release(f: *mut c_void);
    pub fn sawmill_log(
        l: *mut c_void,
        level: c_int,
        file: *const c_char,
        line: c_int,
        func: *const c_char,
        msg: *const c_char,
    ) -> c_int;
    pub fn sawmill_logf(
        l: *mut c_void,
        level: c_int,
        file: *const c_char,
        line: c_int,
        func: *const c_char,
        fmt: *const c_char,
        ...
    ) -> c_int;
    pub fn sawmill_record_get_str(r: *const c_void, key: *const c_char) -> *const c_char;
    pub fn sawmill_record_set_str(r: *mut c_void, key: *const c_char, v: *const c_char) -> c_int;
    pub fn sawmill_record_set_int(r: *mut c_void, key: *const c_char, v: i64) -> c_int;
    pub fn sawmill_record_set_float(r: *mut c_void, key: *const c_char, v: f64) -> c_int;
    pub fn sawmill_record_set_bool(r: *mut c_void, key: *const c_char, v: bool) -> c_int;
    pub fn sawmill_record_set_null(r: *mut c_void, key: *const c_char) -> c_int;
    pub fn sawmill_record_message(r: *const c_void) -> *const c_char;
    pub fn sawmill_record_name(r: *const c_void) -> *const c_char;
    pub fn sawmill_record_levelname(r: *const c_void) -> *const c_char;
    pub fn sawmill_record_created(r: *const c_void) -> f64;
}

thread_local! {
    /// What the capturing handler received: one entry per emitted record.
    static EMITTED: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// The capturing handler's emit: checks the documented NUL after the text
/// and keeps a copy.
extern "C" fn capture(_: *mut c_void, r: *const c_void, text: *const c_char, len: usize) -> c_int {
    assert!(!r.is_null() && !text.is_null());
    // SAFETY: the emit contract: `len` bytes of text, then a NUL byte.
    let bytes = unsafe { std::slice::from_raw_parts(text.cast::<u8>(), len + 1) };
    assert_eq!(bytes[len], 0, "emitted text is not NUL-terminated");
    assert!(
        std::str::from_utf8(&bytes[..len]).is_ok(),
        "emitted text is not UTF-8"
    );
    EMITTED.with(|e| e.borrow_mut().push(bytes[..len].to_vec()));
    0
}

/// Takes what the capturing handler received since the last call.
pub fn take_emitted() -> Vec<Vec<u8>> {
    EMITTED.with(|e| std::mem::take(&mut *e.borrow_mut()))
}

/// A callback handler that captures each formatted record (see
/// `take_emitted`), formatted with `format` (`%` style). The caller owns
/// the reference.
pub fn capturing_handler(format: &std::ffi::CStr) -> *mut c_void {
    // SAFETY: valid function pointer; NULL flush, user data and destroy are allowed.
    let h = unsafe {
        sawmill_callback_handler_new(
            capture,
            std::ptr::null(),
            std::ptr::null_mut(),
            std::ptr::null(),
        )
    };
    assert!(!h.is_null());
    // SAFETY: NUL-terminated format; NULL datefmt is the default.
    let f = unsafe { sawmill_formatter_new(format.as_ptr(), std::ptr::null(), b'%' as c_char) };
    assert!(!f.is_null(), "the harness's format is valid");
    // SAFETY: live handles; the handler keeps its own reference to f.
    unsafe {
        assert_eq!(sawmill_handler_set_formatter(h, f), OK);
        sawmill_formatter_release(f);
    }
    h
}

/// A logger of its own for one target: level 1 (every real level passes),
/// not propagating (records never reach the root's last-resort handler).
pub fn private_logger(name: &std::ffi::CStr) -> *mut c_void {
    // SAFETY: NUL-terminated name; loggers live for the process.
    unsafe {
        let l = sawmill_get_logger(name.as_ptr());
        assert!(!l.is_null());
        assert_eq!(sawmill_logger_set_level(l, 1), OK);
        assert_eq!(sawmill_logger_set_propagate(l, false), OK);
        l
    }
}
