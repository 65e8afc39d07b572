//! MemoryHandler and recipe 17's "log only if errors" scope from C.

use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

use super::handler::{
    enter_handler_lock, handler_arc, into_c, lockable_handler, mark_of, marked, sawmill_destroy_fn,
    sawmill_handler, UserData,
};
use super::logger::{logger_ref, sawmill_logger};
use super::record::{sawmill_record, RecordView};
use super::{pointer_call, sawmill_status, status_call, FfiError};
use crate::handler::memory::{self, MemoryOptions, MemorySink};
use crate::handler::{self, Handler};
use crate::logger::Logger;

/// Decides, after a record was added to a MemoryHandler's buffer, whether
/// to flush it to the target now (a BufferingHandler subclass's
/// `shouldFlush`): `r` is the record just added (valid only during the
/// call), `buffered` the number of records held including it, `capacity` the
/// handler's. Called with the handler's lock held, on the thread that
/// logged; the rules of `sawmill_emit_fn` apply (calls needing this
/// handler's lock return SAWMILL_ERR_WOULD_DEADLOCK).
pub type sawmill_should_flush_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        r: *const sawmill_record,
        buffered: usize,
        capacity: usize,
    ) -> bool,
>;

/// Python's `MemoryHandler(capacity, flushLevel, target, flushOnClose)`:
/// records are buffered (owned copies keeping their created time, thread
/// and location) and handed in order to `target`'s filters and output —
/// not its level, as in Python — when `capacity` records are held, when a
/// record at or above `flush_level` arrives, on `sawmill_handler_flush`, at
/// process exit, and on close when `flush_on_close`. `target` may be NULL
/// (records are kept until one is set; set later with
/// `sawmill_memory_handler_set_target`); the handler takes its own reference
/// to it. Memory is bounded: at most `capacity` records (at least one) are
/// held; without a target the oldest is dropped for a new one and counted in
/// `sawmill_handler_dropped_count` (Python keeps them all). A call needing
/// this handler's lock made from inside the target's callbacks during a
/// flush returns SAWMILL_ERR_WOULD_DEADLOCK, and records logged there are
/// dropped as re-entrant. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_memory_handler_new(
    capacity: usize,
    flush_level: c_int,
    target: *mut sawmill_handler,
    flush_on_close: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        let target = optional_handler(target)?;
        let options = MemoryOptions {
            capacity,
            flush_level,
            target,
            flush_on_close,
        };
        Ok(into_c(new_memory_handler(options)))
    })
}

fn optional_handler(h: *mut sawmill_handler) -> Result<Option<Arc<Handler>>, FfiError> {
    if h.is_null() {
        Ok(None)
    } else {
        // SAFETY: a live handle of the caller's.
        Ok(Some(unsafe { handler_arc(h) }?))
    }
}

/// A memory handler (its deliveries marked in the wait-for graph by the
/// delivery hook, see `handler::mark_deliveries`).
fn new_memory_handler(options: MemoryOptions) -> Arc<Handler> {
    memory::memory_handler(options)
}

/// Python's `setTarget`: later flushes go to `target` (NULL: none; records
/// are then kept, see `sawmill_memory_handler_new`). The handler takes its
/// own reference. A target that hands records back to `h` (directly or
/// through other memory or queue handlers) → SAWMILL_ERR_INVALID_ARGUMENT;
/// `h` not a MemoryHandler → SAWMILL_ERR_INVALID_ARGUMENT; from inside the
/// target's callbacks during a flush → SAWMILL_ERR_WOULD_DEADLOCK.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_memory_handler_set_target(
    h: *mut sawmill_handler,
    target: *mut sawmill_handler,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handles.
        let (handler, _waiting) =
            unsafe { lockable_handler(h, "sawmill_memory_handler_set_target") }?;
        let target = optional_handler(target)?;
        memory::set_target(handler, target).map_err(FfiError::invalid)
    })
}

/// Replaces the flush test (full, or at/above the flush level) with `test`
/// (see `sawmill_should_flush_fn`); NULL restores the default. `destroy`
/// (may be NULL) releases `user_data` once, when the test is replaced or the
/// handler freed. Not a MemoryHandler → SAWMILL_ERR_INVALID_ARGUMENT (and
/// `destroy` runs); from inside the target's callbacks during a flush →
/// SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe; `test` may run on any thread
/// that logs.
#[no_mangle]
pub unsafe extern "C" fn sawmill_memory_handler_set_should_flush(
    h: *mut sawmill_handler,
    test: sawmill_should_flush_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> sawmill_status {
    let data = UserData {
        ptr: user_data,
        destroy,
    };
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) =
            unsafe { lockable_handler(h, "sawmill_memory_handler_set_should_flush") }?;
        let mark = mark_of(handler).unwrap_or_default();
        let test = test.map(|test| {
            Box::new(
                move |record: &crate::record::Record<'_>, buffered, capacity| {
                    let data = &data;
                    let view = RecordView::read_only(record);
                    // SAFETY: the view lives on this frame for the whole call;
                    // user data lives as long as the closure.
                    marked(&mark, || unsafe {
                        test(data.ptr, view.as_c(), buffered, capacity)
                    })
                },
            ) as memory::ShouldFlushFn
        });
        memory::with_memory(handler, |memory| memory.set_should_flush(test))
            .map_err(FfiError::invalid)
    })
}

/// Python's `BufferingHandler.flush` (recipe 17's
/// `super(MemoryHandler, handler).flush()`): forgets the buffered records
/// without handing them to the target. Not a MemoryHandler →
/// SAWMILL_ERR_INVALID_ARGUMENT; from inside the target's callbacks during a
/// flush → SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_memory_handler_discard(h: *mut sawmill_handler) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) = unsafe { lockable_handler(h, "sawmill_memory_handler_discard") }?;
        discard(handler)
    })
}

fn discard(handler: &Handler) -> Result<(), FfiError> {
    memory::with_memory(handler, MemorySink::discard).map_err(FfiError::invalid)
}

/// Recipe 17's "log only if errors" scope on one logger: a MemoryHandler
/// attached to the logger between `sawmill_log_if_errors_begin` and
/// `sawmill_log_if_errors_end`. Owned by the caller until `_end`.
pub struct sawmill_errors_scope {
    _opaque: [u8; 0],
}

struct ErrorsScope {
    logger: &'static Logger,
    handler: Arc<Handler>,
}

/// Starts buffering `l`'s records (recipe 17's decorator, on entry): a
/// MemoryHandler with `capacity` (0 → the recipe's 100) and `flush_level`
/// (negative → ERROR) handing records to `target` (NULL → a new
/// StreamHandler on stderr; otherwise the scope takes its own reference) is
/// added to `l`. Records below the flush level are written only if one at or
/// above it follows before `sawmill_log_if_errors_end`, which discards the
/// rest. Returns the scope, owned by the caller and freed by `_end`; NULL
/// `l` → NULL + SAWMILL_ERR_NULL_ARGUMENT. Scopes on one logger may nest or
/// overlap (each has its own handler). Thread-safe, though records of every
/// thread logging to `l` meanwhile are buffered too, as in the recipe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log_if_errors_begin(
    l: *mut sawmill_logger,
    target: *mut sawmill_handler,
    flush_level: c_int,
    capacity: usize,
) -> *mut sawmill_errors_scope {
    pointer_call(|| {
        // SAFETY: checked handle.
        let logger: &'static Logger = unsafe { logger_ref(l) }?;
        let target = match optional_handler(target)? {
            Some(target) => target,
            None => handler::stream_handler(2),
        };
        let defaults = MemoryOptions::default();
        let options = MemoryOptions {
            capacity: if capacity == 0 {
                defaults.capacity
            } else {
                capacity
            },
            flush_level: if flush_level < 0 {
                defaults.flush_level
            } else {
                flush_level
            },
            target: Some(target),
            flush_on_close: true,
        };
        let handler = new_memory_handler(options);
        logger.add_handler(handler.clone());
        let scope = Box::new(ErrorsScope { logger, handler });
        Ok(Box::into_raw(scope).cast())
    })
}

/// Recipe 17's `logger.exception('call failed')`: logs "call failed" at
/// ERROR on the scope's logger with `exc_text` (NULL for none) as the
/// exception text and the given location (NULL file/func allowed), which
/// flushes the buffered records before it. NULL `s` →
/// SAWMILL_ERR_NULL_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log_if_errors_fail(
    s: *mut sawmill_errors_scope,
    file: *const c_char,
    line: c_int,
    func: *const c_char,
    exc_text: *const c_char,
) -> sawmill_status {
    status_call(|| {
        super::check_not_null(s, "scope")?;
        // SAFETY: a live scope from `_begin` (C contract).
        let scope = unsafe { &*(s as *const ErrorsScope) };
        let logger = scope.logger as *const Logger as *mut sawmill_logger;
        // SAFETY: the logger is alive for the process; strings per C contract.
        let status = unsafe {
            super::logger::sawmill_log_ex(
                logger,
                crate::level::ERROR,
                file,
                line,
                func,
                c"call failed".as_ptr(),
                exc_text,
                std::ptr::null(),
                std::ptr::null(),
                0,
            )
        };
        match status {
            sawmill_status::SAWMILL_OK => Ok(()),
            status => Err(FfiError::new(status, "logging 'call failed' failed")),
        }
    })
}

/// Ends the scope (recipe 17's `finally:`): the records still buffered are
/// discarded, the handler is removed from the logger and the scope freed
/// (even when the status is not OK). NULL is a no-op. From inside the
/// target's callbacks during a flush → SAWMILL_ERR_WOULD_DEADLOCK and the
/// scope stays alive (call again later). Not thread-safe for one scope: end
/// it once, after every other call on it has returned.
#[no_mangle]
pub unsafe extern "C" fn sawmill_log_if_errors_end(s: *mut sawmill_errors_scope) -> sawmill_status {
    status_call(|| {
        if s.is_null() {
            return Ok(());
        }
        {
            // SAFETY: a live scope from `_begin` (C contract).
            let scope = unsafe { &*(s as *const ErrorsScope) };
            let _waiting = enter_handler_lock(&scope.handler, "sawmill_log_if_errors_end")?;
            discard(&scope.handler)?;
        }
        // SAFETY: ownership comes back from the caller exactly once.
        let scope = unsafe { Box::from_raw(s.cast::<ErrorsScope>()) };
        scope.logger.remove_handler(&scope.handler);
        Ok(())
    })
}
