//! Handlers from C: `sawmill_handler *` is a raw `Arc<Handler>`.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::filter::{filter_arc, sawmill_filter};
use super::formatter::{formatter_arc, sawmill_formatter};
use super::record::{sawmill_record, RecordView};
use super::{
    check_not_null, optional_str, pointer_call, required_str, sawmill_status, status_call,
    FfiError, FfiResult,
};
use crate::handler::file::FileMode;
use crate::handler::{self, Buffering, CallbackSink, FileOptions, FlushFn, Handler};
use crate::sync::Lock;

/// A handler: level, filters, formatter and a destination. Reference-counted
/// (`sawmill_handler_retain` / `sawmill_handler_release`).
pub struct sawmill_handler {
    _opaque: [u8; 0],
}

/// Receives one formatted record: `text` is NUL-terminated, `len` bytes long
/// (without the NUL), no trailing newline. Return 0 on success; nonzero is
/// counted as a handler error. Called with the handler's lock held, from
/// whatever thread logged: a record logged from inside the callback on the
/// same thread is dropped and counted (`sawmill_reentrant_drop_count`).
/// Calls that need that lock (`sawmill_handler_flush`, `_close`,
/// `_set_buffering`, `sawmill_stream_handler_set_terminator`, the
/// `sawmill_file_handler_set_*` calls) made on the same handler from inside
/// its emit or flush callback, and `sawmill_shutdown` or a forcing
/// `sawmill_basic_config_apply` from inside any of them, return
/// SAWMILL_ERR_WOULD_DEADLOCK instead of waiting forever. So does such a call
/// on another handler when waiting for it would close a cycle (this thread
/// is in A's callback and B's lock is held by a thread in B's callback that
/// waits, directly or through other handlers, for A): one call of the cycle
/// is refused and the others go on once its callback returns.
pub type sawmill_emit_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        r: *const sawmill_record,
        text: *const c_char,
        len: usize,
    ) -> c_int,
>;
/// Flushes the callback's destination; 0 on success. Called with the
/// handler's lock held (the rules of `sawmill_emit_fn` apply).
pub type sawmill_flush_fn = Option<unsafe extern "C" fn(user_data: *mut c_void) -> c_int>;
/// Releases `user_data`; called exactly once, when the last reference to the
/// handler or filter holding it is gone.
pub type sawmill_destroy_fn = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

pub(crate) fn into_c(handler: Arc<Handler>) -> *mut sawmill_handler {
    Arc::into_raw(handler) as *mut sawmill_handler
}

pub(crate) unsafe fn handler_ref<'a>(h: *const sawmill_handler) -> FfiResult<&'a Handler> {
    check_not_null(h, "handler")?;
    // SAFETY: handler pointers come from `into_c` and the caller holds a reference.
    Ok(unsafe { &*(h as *const Handler) })
}

/// The thread running one of a callback handler's C callbacks (its
/// pthread_self), 0 when none. Written only under the handler's lock, which
/// the callback runs inside: a call that needs that lock, made from that
/// thread, would wait forever.
pub(crate) type RunningMark = Arc<AtomicUsize>;

/// The C API's callback handlers and their marks, read only by the calls
/// that check for such a deadlock (rare), so that marking a callback costs
/// two stores and no thread-local access. A Weak keeps the allocation: an
/// address in here is never another handler's.
static CALLBACK_MARKS: Lock<Vec<(Weak<Handler>, RunningMark)>> = Lock::new(Vec::new());

fn this_thread() -> usize {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as usize }
}

/// Runs `callback` with `mark` naming this thread.
fn in_callback<R>(mark: &AtomicUsize, callback: impl FnOnce() -> R) -> R {
    /// Unmarks on the way out, even if the callback's caller unwinds.
    struct Unmark<'a>(&'a AtomicUsize);
    impl Drop for Unmark<'_> {
        fn drop(&mut self) {
            self.0.store(0, Ordering::Relaxed);
        }
    }
    mark.store(this_thread(), Ordering::Relaxed);
    let _unmark = Unmark(mark);
    callback()
}

/// A new mark for a handler whose sink calls out (C callbacks, or a
/// memory handler delivering to its target) and the guard that sets it
/// around each call; `register_mark` adds it to the wait-for graph.
pub(crate) fn new_mark() -> (RunningMark, crate::handler::memory::DeliveryGuard) {
    let mark = RunningMark::default();
    let inner = mark.clone();
    (
        mark,
        Box::new(move |call: &mut dyn FnMut()| in_callback(&inner, call)),
    )
}

/// The mark `register_mark` gave `handler`, if any.
pub(crate) fn mark_of(handler: &Handler) -> Option<RunningMark> {
    CALLBACK_MARKS
        .lock()
        .iter()
        .find(|(h, _)| std::ptr::eq(h.as_ptr(), handler))
        .map(|(_, mark)| mark.clone())
}

/// Runs `call` with `mark` naming this thread (see `new_mark`).
pub(crate) fn marked<R>(mark: &AtomicUsize, call: impl FnOnce() -> R) -> R {
    in_callback(mark, call)
}

/// The delivery hook (see `handler::set_delivery_hook`): a memory or queue
/// handler's deliveries to its targets mark the delivering thread, so a
/// call needing its lock from inside a target's callback is refused
/// (SAWMILL_ERR_WOULD_DEADLOCK) instead of waiting forever.
pub(crate) fn mark_deliveries(handler: &Arc<Handler>) {
    let (mark, guard) = new_mark();
    handler.with_sink(|sink| sink.set_delivery_guard(guard));
    register_mark(handler, mark);
}

/// Puts `handler`'s mark into the wait-for graph (see `sawmill_emit_fn`).
pub(crate) fn register_mark(handler: &Arc<Handler>, mark: RunningMark) {
    let mut marks = CALLBACK_MARKS.lock();
    marks.retain(|(h, _)| h.strong_count() > 0);
    marks.push((Arc::downgrade(handler), mark));
}

/// Whether this thread runs a C callback of a handler `which` accepts.
fn running_callback_of(which: impl Fn(*const Handler) -> bool) -> bool {
    let me = this_thread();
    CALLBACK_MARKS
        .lock()
        .iter()
        .any(|(handler, mark)| which(handler.as_ptr()) && mark.load(Ordering::Relaxed) == me)
}

fn would_deadlock(what: &str, whose: &str) -> FfiError {
    FfiError::new(
        sawmill_status::SAWMILL_ERR_WOULD_DEADLOCK,
        format!(
            "{what} called from inside {whose} emit or flush callback: it needs the \
             handler lock this thread holds for the callback, so it would never return"
        ),
    )
}

/// Refuses a call that locks `handler` when this thread runs one of that
/// handler's callbacks (and so holds its non-reentrant lock).
pub(crate) fn refuse_in_own_callback(handler: &Handler, what: &str) -> FfiResult<()> {
    if running_callback_of(|h| std::ptr::eq(h, handler)) {
        Err(would_deadlock(what, "this handler's own"))
    } else {
        Ok(())
    }
}

/// Refuses a call that locks every handler (shutdown) when this thread
/// runs any handler's callback.
pub(crate) fn refuse_in_any_callback(what: &str) -> FfiResult<()> {
    if running_callback_of(|_| true) {
        Err(would_deadlock(what, "a handler's"))
    } else {
        Ok(())
    }
}

/// Threads that, from inside a callback (so holding that callback's
/// handler lock), wait for another handler's lock: (thread, handler waited
/// for). With the marks this is the wait-for graph of handler locks; only
/// threads inside callbacks can wait while holding one, so a cycle runs
/// through callbacks only. A thread's entries nest like its calls: an entry
/// stays until its call returns, so only a thread's LAST entry can be a
/// wait (once a thread makes another call, it holds what it waited for).
static WAITING: Lock<Vec<(usize, usize)>> = Lock::new(Vec::new());

/// The thread running a callback of the handler at `handler`, if any.
fn callback_holder(marks: &[(Weak<Handler>, RunningMark)], handler: usize) -> Option<usize> {
    marks
        .iter()
        .find(|(h, _)| h.as_ptr() as usize == handler)
        .map(|(_, mark)| mark.load(Ordering::Relaxed))
        .filter(|&thread| thread != 0)
}

/// This thread's entry in WAITING while it waits for a handler lock.
pub(crate) struct WaitRegistration(Option<usize>);

impl Drop for WaitRegistration {
    fn drop(&mut self) {
        if let Some(me) = self.0 {
            let mut waiting = WAITING.lock();
            if let Some(last) = waiting.iter().rposition(|&(thread, _)| thread == me) {
                waiting.remove(last);
            }
        }
    }
}

/// Before a call that takes `handler`'s lock: refused when this thread runs
/// one of that handler's callbacks (it holds the lock), or when waiting
/// would close a cycle — this thread is inside handler A's callback, B's
/// lock is held by a thread inside B's callback that waits (directly or
/// through others) for A. The check and the registration are one step under
/// WAITING, so of two threads closing a cycle the second always sees the
/// first; it is refused, returns from its callback and lets the others on.
pub(crate) fn enter_handler_lock(handler: &Handler, what: &str) -> FfiResult<WaitRegistration> {
    refuse_in_own_callback(handler, what)?;
    if handler.kind() == "QueueHandler" {
        // Its flush waits for the listener, which may wait for the lock of
        // the handler whose callback this thread runs: not in the graph.
        refuse_in_any_callback(what)?;
    }
    if !running_callback_of(|_| true) {
        // Holds no handler lock: cannot be part of a cycle.
        return Ok(WaitRegistration(None));
    }
    let me = this_thread();
    let mut waiting = WAITING.lock();
    let marks = CALLBACK_MARKS.lock();
    let mut target = handler as *const Handler as usize;
    // Each step follows one waiting thread, so the walk ends.
    for _ in 0..=waiting.len() {
        let Some(holder) = callback_holder(&marks, target) else {
            break;
        };
        if holder == me {
            return Err(would_deadlock(what, "a handler's"));
        }
        let Some(&(_, next)) = waiting.iter().rev().find(|&&(thread, _)| thread == holder) else {
            break;
        };
        target = next;
    }
    drop(marks);
    waiting.push((me, handler as *const Handler as usize));
    Ok(WaitRegistration(Some(me)))
}

/// A handler that is about to take its own lock, with this thread's wait
/// registered (see `enter_handler_lock`); refused if that would deadlock.
pub(crate) unsafe fn lockable_handler<'a>(
    h: *const sawmill_handler,
    what: &str,
) -> FfiResult<(&'a Handler, WaitRegistration)> {
    // SAFETY: forwarded C contract.
    let handler = unsafe { handler_ref(h) }?;
    let registration = enter_handler_lock(handler, what)?;
    Ok((handler, registration))
}

/// The boundary for status-returning calls on one handler.
fn on_handler(
    h: *const sawmill_handler,
    body: impl FnOnce(&Handler) -> FfiResult<()>,
) -> sawmill_status {
    // SAFETY: checked handle; the caller holds a reference.
    status_call(|| body(unsafe { handler_ref(h) }?))
}

/// A new owning `Arc` for a handle the caller keeps its own reference to.
pub(crate) unsafe fn handler_arc(h: *const sawmill_handler) -> FfiResult<Arc<Handler>> {
    check_not_null(h, "handler")?;
    let ptr = h as *const Handler;
    // SAFETY: `ptr` came from `Arc::into_raw` and is alive (caller's reference).
    unsafe {
        Arc::increment_strong_count(ptr);
        Ok(Arc::from_raw(ptr))
    }
}

/// C user data travels between threads; the C side promised thread safety by
/// registering the callback.
pub(crate) struct UserData {
    pub(crate) ptr: *mut c_void,
    pub(crate) destroy: sawmill_destroy_fn,
}

// SAFETY: callbacks are documented to be called from any thread.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

impl Drop for UserData {
    fn drop(&mut self) {
        if let Some(destroy) = self.destroy {
            // SAFETY: destroy runs once, when the last holder is dropped.
            unsafe { destroy(self.ptr) };
        }
    }
}

/// A StreamHandler on file descriptor `fd` (1 = stdout, 2 = stderr, any open
/// fd; never closed by sawmill), level NOTSET, default formatter
/// (`%(message)s`), write-through. The caller owns one reference.
/// A negative fd → NULL + SAWMILL_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_stream_handler_new(fd: c_int) -> *mut sawmill_handler {
    pointer_call(|| {
        if fd < 0 {
            return Err(FfiError::invalid(format!("invalid file descriptor {fd}")));
        }
        Ok(into_c(handler::stream_handler(fd)))
    })
}

/// A FileHandler appending (`mode` "a" or NULL) or truncating ("w") UTF-8
/// text to `path`; with `delay` the file is opened at the first record.
/// The path is made absolute now. Unopenable file (no `delay`) → NULL +
/// SAWMILL_ERR_IO; bad mode (CPython's `open` rules: `""` and `"+"` are
/// refused; so are `"r"` and `"x"`) → SAWMILL_ERR_INVALID_ARGUMENT. The caller owns
/// one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_file_handler_new(
    path: *const c_char,
    mode: *const c_char,
    delay: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings (mode may be NULL).
        let path = unsafe { required_str(path, "path") }?;
        let mode = unsafe { optional_str(mode, "mode") }?.unwrap_or("a");
        let mut options = FileOptions::new(path);
        options.mode = FileMode::parse(mode).map_err(FfiError::invalid)?;
        options.delay = delay;
        let handler = handler::file_handler(options).map_err(|e| FfiError::io(&e))?;
        Ok(into_c(handler))
    })
}

/// A NullHandler: accepts records and does nothing, not even format them or
/// run filters (Python's `NullHandler.handle` is a stub), so filters added
/// to it are ignored. The caller owns one reference. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_null_handler_new() -> *mut sawmill_handler {
    pointer_call(|| Ok(into_c(handler::null_handler())))
}

/// A handler whose output is `emit` (required); `flush` and `destroy` may be
/// NULL. `destroy(user_data)` runs exactly once, when the last reference is
/// released. The caller owns one reference. Thread-safe; the callbacks may
/// run on any thread that logs.
#[no_mangle]
pub extern "C" fn sawmill_callback_handler_new(
    emit: sawmill_emit_fn,
    flush: sawmill_flush_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> *mut sawmill_handler {
    pointer_call(|| {
        let data = Arc::new(UserData {
            ptr: user_data,
            destroy,
        });
        let Some(emit) = emit else {
            // `data` is dropped here: destroy still runs exactly once.
            return Err(FfiError::null("emit"));
        };
        let mark = RunningMark::default();
        let emit_mark = mark.clone();
        let emit_data = data.clone();
        let emit_fn = Box::new(move |record: &crate::record::Record<'_>, text: &str| {
            let view = RecordView::read_only(record);
            // SAFETY: CallbackSink guarantees a NUL byte right after `text`;
            // the view lives on this stack frame for the whole call.
            let rc = in_callback(&emit_mark, || unsafe {
                emit(emit_data.ptr, view.as_c(), text.as_ptr().cast(), text.len())
            });
            if rc == 0 {
                Ok(())
            } else {
                Err(format!("emit callback returned {rc}"))
            }
        });
        let flush_fn = flush.map(|flush| {
            let flush_data = data.clone();
            let flush_mark = mark.clone();
            Box::new(move || {
                // SAFETY: user data is alive while the handler is.
                let rc = in_callback(&flush_mark, || unsafe { flush(flush_data.ptr) });
                if rc == 0 {
                    Ok(())
                } else {
                    Err(format!("flush callback returned {rc}"))
                }
            }) as FlushFn
        });
        drop(data);
        let handler = Handler::new(Box::new(CallbackSink::new(emit_fn, flush_fn)));
        register_mark(&handler, mark);
        Ok(into_c(handler))
    })
}

/// Records below `level` are ignored by this handler. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_set_level(
    h: *mut sawmill_handler,
    level: c_int,
) -> sawmill_status {
    on_handler(h, |handler| {
        handler.set_level(level);
        Ok(())
    })
}

/// Uses `f` for this handler (takes its own reference); NULL `f` restores the
/// default `%(message)s` formatter. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_set_formatter(
    h: *mut sawmill_handler,
    f: *mut sawmill_formatter,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle; `f` may be NULL.
        let handler = unsafe { handler_ref(h) }?;
        let formatter = if f.is_null() {
            None
        } else {
            Some(unsafe { formatter_arc(f) }?)
        };
        handler.set_formatter(formatter);
        Ok(())
    })
}

/// Attaches a filter (takes its own reference; twice → no effect). A
/// NullHandler never runs its filters, as in Python. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_add_filter(
    h: *mut sawmill_handler,
    f: *mut sawmill_filter,
) -> sawmill_status {
    on_handler(h, |handler| {
        // SAFETY: checked handle; the caller holds a reference.
        let filter = unsafe { filter_arc(f) }?;
        handler.add_filter(filter);
        Ok(())
    })
}

/// Detaches a filter; not attached → no effect. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_remove_filter(
    h: *mut sawmill_handler,
    f: *mut sawmill_filter,
) -> sawmill_status {
    on_handler(h, |handler| {
        // SAFETY: checked handle; the caller holds a reference.
        handler.remove_filter(&unsafe { filter_arc(f) }?);
        Ok(())
    })
}

/// Names the handler (used in error reports and by configuration). `name`
/// is copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_set_name(
    h: *mut sawmill_handler,
    name: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle and NUL-terminated string.
        let handler = unsafe { handler_ref(h) }?;
        handler.set_name(unsafe { required_str(name, "name") }?);
        Ok(())
    })
}

/// Hands buffered records to the operating system. I/O failure →
/// SAWMILL_ERR_IO; from inside this handler's own emit or flush callback, or
/// from inside another handler's callback when waiting would close a cycle
/// (see `sawmill_emit_fn`) → SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_flush(h: *mut sawmill_handler) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) = unsafe { lockable_handler(h, "sawmill_handler_flush") }?;
        handler.flush().map_err(|e| FfiError::io(&e))
    })
}

/// Flushes and closes the destination (idempotent). Does not release the
/// caller's reference. From inside this handler's own emit or flush
/// callback, or when waiting would close a cycle of callbacks (see
/// `sawmill_emit_fn`) → SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_close(h: *mut sawmill_handler) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) = unsafe { lockable_handler(h, "sawmill_handler_close") }?;
        handler.close().map_err(|e| FfiError::io(&e))
    })
}

/// How many failures (format, I/O, callback) this handler has absorbed; the
/// first of each kind was also reported on stderr. 0 for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_error_count(h: *const sawmill_handler) -> u64 {
    super::boundary(|_| 0, || Ok(unsafe { handler_ref(h) }?.error_count()))
}

/// How many records this handler dropped because its destination kept
/// failing (disk full, /dev/full) while its buffer was full; each is counted
/// once and never written later (see `sawmill_handler_set_buffering`). 0 for
/// NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_dropped_count(h: *const sawmill_handler) -> u64 {
    super::boundary(|_| 0, || Ok(unsafe { handler_ref(h) }?.dropped_count()))
}

/// The durability policy of a stream or file handler. `capacity_bytes` 0 is
/// write-through (the default: each record reaches the kernel before the
/// logging call returns). Otherwise records collect in a buffer of that size,
/// handed to the kernel when it fills, when a record at or above
/// `flush_level` arrives, when `flush_interval_ms` (0 = no interval) has
/// passed, on `sawmill_handler_flush`, and at shutdown/exit.
///
/// When the destination fails (disk full): bytes the kernel took are never
/// written again; a record written only in part has its rest written first
/// once the destination accepts bytes again, so no line is torn or glued to
/// the next. The buffer never grows past `capacity_bytes` (write-through:
/// past the rest of one torn record): records already in it wait and are
/// written when the destination recovers; a record that finds it full while
/// the destination still fails is dropped, counted once in
/// `sawmill_handler_dropped_count`, and never written. Each failed write is
/// also an I/O error in `sawmill_handler_error_count` (reported once on
/// stderr); that count is of failures, not of lost records. Handlers without
/// an output buffer (callback, null) → SAWMILL_ERR_INVALID_ARGUMENT; from
/// inside this handler's own callback, or when waiting would close a cycle
/// of callbacks (see `sawmill_emit_fn`) → SAWMILL_ERR_WOULD_DEADLOCK.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_set_buffering(
    h: *mut sawmill_handler,
    capacity_bytes: usize,
    flush_level: c_int,
    flush_interval_ms: u32,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle.
        let (handler, _waiting) = unsafe { lockable_handler(h, "sawmill_handler_set_buffering") }?;
        handler
            .set_buffering(Buffering {
                capacity: capacity_bytes,
                flush_level,
                flush_interval: Duration::from_millis(flush_interval_ms.into()),
            })
            .map_err(FfiError::invalid)
    })
}

/// Sets the text written after each record by a stream handler (default
/// "\n"; Python's `terminator`). Copied. Other handlers →
/// SAWMILL_ERR_INVALID_ARGUMENT; from inside this handler's own callback, or
/// when waiting would close a cycle of callbacks (see `sawmill_emit_fn`) →
/// SAWMILL_ERR_WOULD_DEADLOCK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_stream_handler_set_terminator(
    h: *mut sawmill_handler,
    terminator: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle and NUL-terminated string.
        let (handler, _waiting) =
            unsafe { lockable_handler(h, "sawmill_stream_handler_set_terminator") }?;
        let terminator = unsafe { required_str(terminator, "terminator") }?;
        handler.with_sink(|sink| sink.set_terminator(terminator).map_err(FfiError::invalid))
    })
}

/// Adds a reference; returns `h` (NULL stays NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_retain(h: *mut sawmill_handler) -> *mut sawmill_handler {
    // SAFETY: forwarded C contract.
    unsafe { super::retain_arc::<Handler, sawmill_handler>(h) }
}

/// Gives back one reference; the handler is flushed, closed and freed when
/// the last one (including loggers' references) is gone. NULL is a no-op.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_release(h: *mut sawmill_handler) {
    // SAFETY: forwarded C contract.
    unsafe { super::release_arc::<Handler, sawmill_handler>(h) }
}
