//! LoggerAdapters from C: `sawmill_adapter *` is a raw `Arc<Adapter>`.

use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

use super::handler::{sawmill_destroy_fn, UserData};
use super::logger::{line_number, logger_ref, sawmill_logger};
use super::record::{extras_from_c, sawmill_extra, sawmill_record, RecordView};
use super::{check_not_null, lossy_str, pointer_call, sawmill_status, status_call, FfiResult};
use crate::adapter::{Adapter, Process};

/// A logger with key/values merged into every record it logs (Python's
/// `LoggerAdapter`). Reference-counted (`sawmill_adapter_retain` /
/// `sawmill_adapter_release`); immutable.
pub struct sawmill_adapter {
    _opaque: [u8; 0],
}

/// An adapter's `process` step: called with the record (the adapter's
/// extras already merged) before the logger's filters, on the logging
/// thread. It may rewrite the message (`sawmill_record_set_str(r, "msg",
/// ...)`), read (`sawmill_record_get_str`) and set extras — values computed
/// per record included.
pub type sawmill_adapter_process_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, r: *mut sawmill_record)>;

unsafe fn adapter_ref<'a>(a: *const sawmill_adapter) -> FfiResult<&'a Adapter> {
    check_not_null(a, "adapter")?;
    // SAFETY: every sawmill_adapter pointer came from `Arc::into_raw` and the
    // caller holds a reference.
    Ok(unsafe { &*(a as *const Adapter) })
}

/// A new adapter of logger `l` with `n_extras` typed extras (`extras` may
/// be NULL when `n_extras` is 0; keys and strings are copied; a key naming
/// a LogRecord attribute is refused as `sawmill_log_ex` refuses it) and an
/// optional `process` (NULL: none) called with `user_data`; `destroy` (may
/// be NULL) runs once with `user_data` when the last reference is gone
/// (at once when this call fails or `process` is NULL). NULL `l` → NULL + SAWMILL_ERR_NULL_ARGUMENT.
/// The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_adapter_new(
    l: *mut sawmill_logger,
    extras: *const sawmill_extra,
    n_extras: usize,
    process: sawmill_adapter_process_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> *mut sawmill_adapter {
    let data = UserData {
        ptr: user_data,
        destroy,
    };
    pointer_call(move || {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        if n_extras > 0 {
            check_not_null(extras, "extras")?;
        }
        // SAFETY: C contract: `extras` points at `n_extras` valid entries.
        let extras = unsafe { extras_from_c(extras, n_extras) }?
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let process: Option<Process> = process.map(|f| {
            Box::new(move |record: &mut crate::record::Record<'_>| {
                // The whole UserData (Send + Sync), not only its pointer.
                let data = &data;
                let view = RecordView::writable(record);
                // SAFETY: the view lives on this frame for the whole call.
                unsafe { f(data.ptr, view.as_c()) };
            }) as Process
        });
        let adapter = Adapter::shared(logger, extras, process);
        Ok(Arc::into_raw(adapter) as *mut sawmill_adapter)
    })
}

/// The adapter's logger (borrowed, lives until the process ends); NULL for
/// a NULL adapter. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_adapter_logger(a: *const sawmill_adapter) -> *mut sawmill_logger {
    pointer_call(|| {
        // SAFETY: checked handle.
        let adapter = unsafe { adapter_ref(a) }?;
        Ok(adapter.logger() as *const _ as *mut sawmill_logger)
    })
}

/// `sawmill_log` through the adapter: its extras merged, its `process`
/// run. `msg` must not be NULL (invalid UTF-8 repaired). Nothing is done
/// when the logger does not log `level`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_adapter_log(
    a: *mut sawmill_adapter,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let adapter = unsafe { adapter_ref(a) }?;
        check_not_null(msg, "msg")?;
        if !adapter.logger().is_enabled_for(level) {
            return Ok(());
        }
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let (msg, file, func) = unsafe { (lossy_str(msg), lossy_str(file), lossy_str(func)) };
        let msg = msg.unwrap_or(Cow::Borrowed(""));
        adapter.log(
            level,
            file.as_deref(),
            line_number(line),
            func.as_deref(),
            &msg,
            Vec::new(),
        );
        Ok(())
    })
}

/// For the printf-style shim only (absent from the header): logs the `len`
/// bytes at `msg` it has just formatted.
#[no_mangle]
pub unsafe extern "C" fn sawmill_internal_adapter_log_formatted(
    a: *mut sawmill_adapter,
    level: c_int,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    msg: *const c_char,
    len: usize,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let adapter = unsafe { adapter_ref(a) }?;
        check_not_null(msg, "msg")?;
        // SAFETY: the shim passes `len` initialised bytes at `msg`.
        let bytes = unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), len) };
        let msg = super::lossy_bytes(bytes);
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let (file, func) = unsafe { (lossy_str(file), lossy_str(func)) };
        adapter.log(
            level,
            file.as_deref(),
            line_number(line),
            func.as_deref(),
            &msg,
            Vec::new(),
        );
        Ok(())
    })
}

/// Adds a reference; returns `a` (NULL stays NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_adapter_retain(a: *mut sawmill_adapter) -> *mut sawmill_adapter {
    // SAFETY: forwarded C contract.
    unsafe { super::retain_arc::<Adapter, sawmill_adapter>(a) }
}

/// Gives back one reference; the last one frees the adapter (and runs its
/// `destroy`). NULL is a no-op. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_adapter_release(a: *mut sawmill_adapter) {
    // SAFETY: forwarded C contract.
    unsafe { super::release_arc::<Adapter, sawmill_adapter>(a) }
}
