//! QueueHandler (the async queue and its listener thread) from C.

use std::ffi::c_int;
use std::time::Duration;

use super::handler::{handler_arc, handler_ref, into_c, lockable_handler, sawmill_handler};
use super::{check_not_null, pointer_call, sawmill_status, status_call, FfiError};
use crate::handler::queue::{self, Overflow, QueueOptions};

/// What a full QueueHandler does with a new record (see
/// `sawmill_queue_handler_new`).
#[repr(C)]
#[allow(dead_code)] // constants for C: the value is passed as an int
pub enum sawmill_overflow {
    /// Wait for room: nothing is lost (the default).
    SAWMILL_OVERFLOW_BLOCK = 0,
    /// Drop the new record.
    SAWMILL_OVERFLOW_DROP_NEWEST = 1,
    /// Drop the oldest queued record to make room.
    SAWMILL_OVERFLOW_DROP_OLDEST = 2,
    /// Wait up to `timeout_ms`, then drop the new record.
    SAWMILL_OVERFLOW_TIMEOUT = 3,
}

/// Python's `QueueHandler` with a started `QueueListener` (3.12's
/// `handlers` and `respect_handler_level`): logging calls copy the record
/// (its created time, thread and location kept) into a ring of `maxsize`
/// records (0 → 8192; never unbounded) and return; one background thread
/// hands the records, in order, to the `n_handlers` handlers of `handlers`
/// (the queue takes its own references; the array is only read during the
/// call), checking each handler's level only when `respect_handler_level`.
/// SAWMILL_LOG and the other printf macros go further when a logger's only
/// handler is this queue (no filters, no thread context): the call copies
/// the raw arguments into the calling thread's own ring and the listener
/// formats the message (`sawmill_queue_handler_deferred_count`); a thread
/// renamed with `sawmill_set_thread_name` is followed, but such records
/// keep the `processName` their thread saw at its first such call.
/// A full ring follows `overflow` (a `sawmill_overflow` value; with
/// SAWMILL_OVERFLOW_TIMEOUT, `timeout_ms`); every record dropped is counted
/// in `sawmill_handler_dropped_count`, so written + dropped == logged.
/// `sawmill_handler_flush` waits until everything queued before it is
/// handled, then flushes the handlers; normal process exit (return from
/// main, or exit() from any thread) does the same, and later records are
/// handled on the logging thread. `sawmill_handler_close` drains and stops
/// the listener (the handlers stay open); later records are handled on the
/// logging thread. A fork child starts with an empty queue (the parent
/// writes what it queued) and its own listener. SIGKILL loses what is
/// queued. Flushing, closing or changing the queue handler from inside any
/// handler's callback → SAWMILL_ERR_WOULD_DEADLOCK (the listener may be
/// waiting for that callback's handler). NULL `handlers` with `n_handlers` >
/// 0, or a NULL entry → NULL + SAWMILL_ERR_NULL_ARGUMENT; an unknown
/// `overflow` → NULL + SAWMILL_ERR_INVALID_ARGUMENT. The caller owns one
/// reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_queue_handler_new(
    handlers: *const *mut sawmill_handler,
    n_handlers: usize,
    respect_handler_level: bool,
    maxsize: usize,
    overflow: c_int,
    timeout_ms: u32,
) -> *mut sawmill_handler {
    pointer_call(|| {
        if n_handlers > 0 {
            check_not_null(handlers, "handlers")?;
        }
        let mut targets = Vec::with_capacity(n_handlers);
        for i in 0..n_handlers {
            // SAFETY: C contract: `handlers` points at `n_handlers` entries.
            let h = unsafe { *handlers.add(i) };
            // SAFETY: each entry is a live handle of the caller's.
            targets.push(unsafe { handler_arc(h) }?);
        }
        let overflow = match overflow {
            0 => Overflow::Block,
            1 => Overflow::DropNewest,
            2 => Overflow::DropOldest,
            3 => Overflow::Timeout,
            other => {
                return Err(FfiError::invalid(format!(
                    "unknown overflow policy {other}"
                )))
            }
        };
        let options = QueueOptions {
            handlers: targets,
            respect_handler_level,
            maxsize,
            overflow,
            timeout: Duration::from_millis(timeout_ms.into()),
            sync_level: None,
        };
        // (The delivery hook marks its listener in the wait-for graph.)
        Ok(into_c(queue::queue_handler(options)))
    })
}

/// Records at or above `level` are handled on the logging thread, after
/// everything queued before them (so an ERROR before a crash reaches its
/// handlers); a negative level turns this off (the default). Not a
/// QueueHandler → SAWMILL_ERR_INVALID_ARGUMENT; from inside a handler's
/// callback → SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_queue_handler_set_sync_level(
    h: *mut sawmill_handler,
    level: c_int,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) =
            unsafe { lockable_handler(h, "sawmill_queue_handler_set_sync_level") }?;
        let level = (level >= 0).then_some(level);
        queue::set_sync_level(handler, level).map_err(FfiError::invalid)
    })
}

/// How many records reached QueueHandler `h` through the C macros' deferred
/// path (SAWMILL_LOG and friends, formatted on the listener thread) and
/// have been handled. 0 for NULL or a handler that is not a QueueHandler.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_queue_handler_deferred_count(h: *const sawmill_handler) -> u64 {
    super::boundary(
        |_| 0,
        || {
            // SAFETY: checked handle.
            let handler = unsafe { handler_ref(h) }?;
            Ok(queue::deferred_count(handler).unwrap_or(0))
        },
    )
}
