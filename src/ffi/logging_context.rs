//! Recipe 19's scoped logging context from C: a begin/end pair owning a
//! `LoggingContext`.

use std::ffi::c_int;

use super::handler::{enter_handler_lock, handler_arc, sawmill_handler};
use super::logger::{logger_ref, sawmill_logger};
use super::{pointer_call, sawmill_status, status_call, FfiError};
use crate::logging_context::LoggingContext;

/// An open scoped logging context (cookbook recipe 19), owned by the caller
/// from `sawmill_logging_context_begin` until `sawmill_logging_context_end`.
pub struct sawmill_logging_context {
    _opaque: [u8; 0],
}

/// Enters recipe 19's `LoggingContext` on `l`: when `set_level` is true,
/// `l`'s level becomes `level` (its own level, NOTSET included, is put back
/// at the end); when `h` is not NULL it is attached to `l` (the context
/// takes its own reference). `close`: `sawmill_logging_context_end` also
/// closes `h`. Returns the context, owned by the caller; NULL `l` → NULL +
/// SAWMILL_ERR_NULL_ARGUMENT. Thread-safe; contexts on one logger must end
/// in reverse order of their beginnings for the level to be restored as
/// Python's `with` blocks restore it.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logging_context_begin(
    l: *mut sawmill_logger,
    set_level: bool,
    level: c_int,
    h: *mut sawmill_handler,
    close: bool,
) -> *mut sawmill_logging_context {
    pointer_call(|| {
        // SAFETY: checked handle.
        let logger = unsafe { logger_ref(l) }?;
        let handler = if h.is_null() {
            None
        } else {
            // SAFETY: non-NULL handle the caller holds a reference to.
            Some(unsafe { handler_arc(h) }?)
        };
        let context = LoggingContext::begin(logger, set_level.then_some(level), handler, close);
        Ok(Box::into_raw(Box::new(context)).cast())
    })
}

/// Leaves the context: the level put back, the handler detached and, when
/// asked, closed (a close failure is returned as SAWMILL_ERR_IO after the
/// context is freed). NULL is a no-op. From inside the handler's own
/// callbacks while it must close → SAWMILL_ERR_WOULD_DEADLOCK and the
/// context stays open (call again later). End it once, from one thread.
#[no_mangle]
pub unsafe extern "C" fn sawmill_logging_context_end(
    c: *mut sawmill_logging_context,
) -> sawmill_status {
    status_call(|| {
        if c.is_null() {
            return Ok(());
        }
        {
            // SAFETY: a live context from `_begin` (C contract).
            let context = unsafe { &*(c as *const LoggingContext) };
            if let Some(h) = context.handler_to_close() {
                drop(enter_handler_lock(h, "sawmill_logging_context_end")?);
            }
        }
        // SAFETY: ownership comes back from the caller exactly once.
        let context = unsafe { Box::from_raw(c.cast::<LoggingContext>()) };
        context.end().map_err(|e| FfiError::io(&e))
    })
}
