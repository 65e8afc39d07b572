//! Logger: a named node of the hierarchy with a level, filters and handlers.
//!
//! Loggers are never freed (as in Python, where the manager keeps them), so the
//! hierarchy is made of `&'static Logger` links read without locks.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use crate::filter::{Filter, FilterList};
use crate::handler::list::{HandlerList, UnsnapshottedRead};
use crate::handler::Handler;
use crate::level;
use crate::record::Record;

/// `repr(C)` with `threshold` first: the C header's SAWMILL_LOG macro reads
/// it at offset 0 of a `sawmill_logger *` without calling into the library.
#[repr(C)]
pub struct Logger {
    /// Lowest level this logger emits: effective level, `disable` and the
    /// `disabled` flag folded into one number so `is_enabled_for` is one load.
    /// 64 bits wide so that "nothing" (`i32::MAX + 1`: after `disable(INT_MAX)`
    /// or on a disabled logger) is a value an `int` level never reaches.
    threshold: AtomicI64,
    /// The C macros' deferred-path answer, read by the C shim: the
    /// configuration epoch it is valid for (0 while being written, a
    /// sequence lock) at offset 8, the QueueHandler's port address (0: not
    /// eligible) at offset 16. See `queue::refresh_deferred`. The offsets
    /// are also written in src/ffi/variadic.rs's trampoline.
    deferred_epoch: AtomicU64,
    deferred_port: std::sync::atomic::AtomicUsize,
    name: &'static str,
    level: AtomicI32,
    parent: crate::sync::StaticRef<Logger>,
    propagate: AtomicBool,
    disabled: AtomicBool,
    handlers: HandlerList,
    filters: FilterList,
}

const _: () = assert!(std::mem::offset_of!(Logger, threshold) == 0);
const _: () = assert!(std::mem::offset_of!(Logger, deferred_epoch) == 8);
const _: () = assert!(std::mem::offset_of!(Logger, deferred_port) == 16);

/// Bumped by every change that may change where a logger's records go
/// (handlers, filters, propagate, parents, levels of handlers, disabled,
/// a queue closed, the thread context's first use, the exit flush): the
/// C macros' per-logger answer is then recomputed. (Read by name by the
/// `sawmill_logf_site_` trampoline, src/ffi/variadic.rs.)
pub(crate) static CONFIG_EPOCH: AtomicU64 = AtomicU64::new(1);

pub(crate) fn config_changed() {
    CONFIG_EPOCH.fetch_add(1, Ordering::AcqRel);
}

pub fn config_epoch() -> u64 {
    CONFIG_EPOCH.load(Ordering::Acquire)
}

/// The address of the epoch, for the C shim's one-load check.
pub fn config_epoch_address() -> usize {
    &CONFIG_EPOCH as *const AtomicU64 as usize
}

/// A threshold above every `i32` level.
const NOTHING_ENABLED: i64 = i32::MAX as i64 + 1;

/// `STATE` bit: set while this thread runs filters and handlers, so a
/// record logged from inside one of them is dropped (and counted) instead of
/// deadlocking on the handler lock the thread already holds.
const IN_DISPATCH: u8 = 1;
/// `STATE` bit: set while this thread's context (`crate::context`) holds
/// entries, so `handle` merges them.
const HAS_CONTEXT: u8 = 2;

thread_local! {
    /// This thread's IN_DISPATCH and HAS_CONTEXT bits: one read tells a
    /// plain record (0) from one needing either, which goes out of line.
    static STATE: Cell<u8> = const { Cell::new(0) };
}

/// Clears this thread's IN_DISPATCH bit when dropped.
struct DispatchGuard<'a>(&'a Cell<u8>);

impl Drop for DispatchGuard<'_> {
    fn drop(&mut self) {
        // Only that bit: a filter or handler may have changed the context.
        self.0.set(self.0.get() & !IN_DISPATCH);
    }
}

/// Runs `f` as if inside a logging call's dispatch: records logged on this
/// thread meanwhile are dropped as re-entrant (a handler delivering records
/// to its targets outside a logging call, e.g. a MemoryHandler's flush).
pub(crate) fn as_dispatch<R>(f: impl FnOnce() -> R) -> R {
    let mut f = Some(f);
    let mut result = None;
    let done = STATE.try_with(|state| {
        let was = state.get() & IN_DISPATCH;
        state.set(state.get() | IN_DISPATCH);
        let _restore = RestoreDispatch(state, was);
        result = f.take().map(|f| f());
    });
    match (done, result) {
        (Ok(()), Some(r)) => r,
        _ => (f.take().expect("not yet run"))(),
    }
}

/// Puts this thread's IN_DISPATCH bit back as it was when dropped.
struct RestoreDispatch<'a>(&'a Cell<u8>, u8);

impl Drop for RestoreDispatch<'_> {
    fn drop(&mut self) {
        self.0.set((self.0.get() & !IN_DISPATCH) | self.1);
    }
}

/// Records whether this thread's context holds entries (called by
/// `crate::context` when it becomes non-empty or empty).
pub(crate) fn set_thread_has_context(on: bool) {
    let _ = STATE.try_with(|state| {
        let rest = state.get() & !HAS_CONTEXT;
        state.set(if on { rest | HAS_CONTEXT } else { rest });
    });
}

static REENTRANT_DROPS: AtomicU64 = AtomicU64::new(0);

/// Records dropped because they were logged from inside a filter or handler
/// of the same thread.
pub fn reentrant_drop_count() -> u64 {
    REENTRANT_DROPS.load(Ordering::Relaxed)
}

impl Logger {
    pub(crate) fn new(name: &'static str, level: i32) -> Logger {
        Logger {
            name,
            level: AtomicI32::new(level),
            threshold: AtomicI64::new(i64::from(level)),
            deferred_epoch: AtomicU64::new(0),
            deferred_port: std::sync::atomic::AtomicUsize::new(0),
            parent: crate::sync::StaticRef::new(None),
            propagate: AtomicBool::new(true),
            disabled: AtomicBool::new(false),
            handlers: HandlerList::default(),
            filters: FilterList::default(),
        }
    }

    /// The dotted name; the root logger is `root`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn parent(&self) -> Option<&'static Logger> {
        self.parent.get()
    }

    pub(crate) fn set_parent(&self, parent: Option<&'static Logger>) {
        self.parent.set(parent);
        config_changed();
    }

    pub fn level(&self) -> i32 {
        self.level.load(Ordering::Relaxed)
    }

    /// Python's `setLevel`; every logger's cached effective level is refreshed.
    pub fn set_level(&self, level: i32) {
        self.level.store(level, Ordering::Relaxed);
        crate::manager::refresh_effective_levels();
    }

    /// The level of the nearest ancestor (self included) whose level is set.
    pub fn effective_level(&self) -> i32 {
        let mut logger = Some(self);
        while let Some(l) = logger {
            let level = l.level();
            if level != level::NOTSET {
                return level;
            }
            logger = l.parent();
        }
        level::NOTSET
    }

    /// Recomputes the threshold, and the copies the C adapter handles of
    /// this logger keep.
    pub(crate) fn refresh_threshold(&self) {
        self.store_threshold();
        crate::adapter::refresh_thresholds(Some(self));
    }

    /// The threshold alone (for callers refreshing every adapter after).
    pub(crate) fn store_threshold(&self) {
        let threshold = if self.disabled.load(Ordering::Relaxed) {
            NOTHING_ENABLED
        } else {
            i64::from(self.effective_level()).max(i64::from(level::disabled_at_or_below()) + 1)
        };
        self.threshold.store(threshold, Ordering::Relaxed);
    }

    /// The lowest level this logger emits (see the field).
    pub(crate) fn threshold(&self) -> i64 {
        self.threshold.load(Ordering::Relaxed)
    }

    /// Python's `isEnabledFor`: one atomic load.
    #[inline]
    pub fn is_enabled_for(&self, level: i32) -> bool {
        i64::from(level) >= self.threshold.load(Ordering::Relaxed)
    }

    pub fn propagate(&self) -> bool {
        self.propagate.load(Ordering::Relaxed)
    }

    pub fn set_propagate(&self, propagate: bool) {
        self.propagate.store(propagate, Ordering::Relaxed);
        config_changed();
    }

    pub fn disabled(&self) -> bool {
        self.disabled.load(Ordering::Relaxed)
    }

    /// Python's `logger.disabled` (set by dictConfig's disable_existing_loggers).
    pub fn set_disabled(&self, disabled: bool) {
        self.disabled.store(disabled, Ordering::Relaxed);
        self.refresh_threshold();
        config_changed();
    }

    pub(crate) fn has_filters(&self) -> bool {
        !self.filters.is_empty()
    }

    /// Stores the deferred-path answer `port` for configuration `epoch`
    /// (the writer side of the sequence lock the C shim reads).
    pub(crate) fn set_deferred(&self, epoch: u64, port: usize) {
        self.deferred_epoch.store(0, Ordering::Relaxed);
        std::sync::atomic::fence(Ordering::Release);
        self.deferred_port.store(port, Ordering::Relaxed);
        self.deferred_epoch.store(epoch, Ordering::Release);
    }

    /// Adds `handler` unless already present (Python's addHandler).
    pub fn add_handler(&self, handler: Arc<Handler>) {
        self.handlers.replace(|current| {
            (!current.iter().any(|h| Arc::ptr_eq(h, &handler))).then(|| {
                let mut next = current.to_vec();
                next.push(handler.clone());
                next
            })
        });
    }

    pub fn remove_handler(&self, handler: &Arc<Handler>) {
        self.handlers.replace(|current| {
            current.iter().any(|h| Arc::ptr_eq(h, handler)).then(|| {
                let mut next = current.to_vec();
                next.retain(|h| !Arc::ptr_eq(h, handler));
                next
            })
        });
    }

    /// A snapshot of this logger's own handlers.
    pub fn handlers(&self) -> Arc<Vec<Arc<Handler>>> {
        self.handlers.snapshot()
    }

    /// Removes every handler and returns them (basicConfig(force), dictConfig).
    pub fn take_handlers(&self) -> Vec<Arc<Handler>> {
        self.handlers
            .replace(|current| (!current.is_empty()).then(Vec::new))
            .map(|taken| Vec::clone(&taken))
            .unwrap_or_default()
    }

    /// Replaces the handler list in one step (dictConfig): a record logged
    /// meanwhile sees the old list or the new one, never none. Returns the
    /// replaced list.
    pub fn set_handlers(&self, handlers: Vec<Arc<Handler>>) -> Arc<Vec<Arc<Handler>>> {
        self.handlers
            .replace(|_| Some(handlers))
            .unwrap_or_default()
    }

    pub fn has_handlers(&self) -> bool {
        let mut logger = Some(self);
        while let Some(l) = logger {
            if !l.handlers.is_empty() {
                return true;
            }
            logger = if l.propagate() { l.parent() } else { None };
        }
        false
    }

    pub fn add_filter(&self, filter: Arc<dyn Filter>) {
        self.filters.add(filter);
    }

    pub fn remove_filter(&self, filter: &Arc<dyn Filter>) {
        self.filters.remove(filter);
    }

    pub fn clear_filters(&self) {
        self.filters.clear();
    }

    /// Logs `message` at `level` with the caller's location. Does nothing
    /// (not even read the clock) when the level is not enabled.
    #[inline]
    pub fn log(
        &self,
        level: i32,
        pathname: Option<&str>,
        lineno: u32,
        func_name: Option<&str>,
        message: &str,
    ) {
        if self.is_enabled_for(level) {
            self.log_enabled(level, pathname, lineno, func_name, message);
        }
    }

    /// `log` for a caller that has just checked `is_enabled_for(level)`.
    pub fn log_enabled(
        &self,
        level: i32,
        pathname: Option<&str>,
        lineno: u32,
        func_name: Option<&str>,
        message: &str,
    ) {
        let created = crate::clock::now();
        // Inlined at both of with_identity's calls, as LLVM chose to do
        // until `handle` grew its out-of-line call for a thread context.
        crate::record::with_identity(
            #[inline(always)]
            |thread, thread_name, process_name| {
                let mut record = Record::stamped(
                    created,
                    self.name,
                    level,
                    pathname,
                    lineno,
                    func_name,
                    Cow::Borrowed(message),
                    thread,
                    thread_name,
                    process_name,
                );
                self.handle(&mut record);
            },
        );
    }

    /// Python's `Logger.handle`: this logger's filters, then every handler up
    /// the hierarchy until a logger with propagate off; the last-resort handler
    /// if none was found. Records logged from inside a filter or handler on the
    /// same thread are dropped and counted (see `reentrant_drop_count`).
    pub fn handle(&self, record: &mut Record<'_>) {
        if self.disabled() {
            return;
        }
        let dispatched = STATE.try_with(|state| {
            if state.get() != 0 {
                // Re-entrant, or this thread has a context: out of line, so
                // a plain record pays this one test for both.
                self.handle_flagged(state, record);
                return;
            }
            state.set(IN_DISPATCH);
            // Cleared on the way out even if a filter or handler panics (the
            // C boundary catches it), or every later record of this thread
            // would be dropped as re-entrant.
            let _dispatching = DispatchGuard(state);
            self.dispatch(record);
        });
        if dispatched.is_err() {
            // Thread-local storage already torn down (exit): no guard.
            self.dispatch(record);
        }
    }

    /// `handle` for a thread whose STATE is not 0: a re-entrant record is
    /// dropped and counted; otherwise the thread's context is merged as
    /// extras (before the filters, so they see it) and the record dispatched.
    #[cold]
    #[inline(never)]
    fn handle_flagged(&self, state: &Cell<u8>, record: &mut Record<'_>) {
        let before = state.get();
        if before & IN_DISPATCH != 0 {
            REENTRANT_DROPS.fetch_add(1, Ordering::Relaxed);
            return;
        }
        state.set(before | IN_DISPATCH);
        let _dispatching = DispatchGuard(state);
        crate::context::apply(record);
        self.dispatch(record);
    }

    #[inline(never)]
    fn dispatch(&self, record: &mut Record<'_>) {
        if !self.filters.passes(record) {
            return;
        }
        let unsnapshotted = UnsnapshottedRead::begin();
        let mut found = 0usize;
        let mut logger = Some(self);
        while let Some(l) = logger {
            l.handlers.for_each(unsnapshotted.as_ref(), |handler| {
                found += 1;
                if record.levelno >= handler.level() {
                    handler.handle(record);
                }
            });
            logger = if l.propagate() { l.parent() } else { None };
        }
        if found == 0 {
            let last = crate::manager::last_resort();
            if record.levelno >= last.level() {
                last.handle(record);
            }
        }
    }
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<Logger {} ({})>",
            self.name,
            level::level_name(self.level())
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use crate::handler::CallbackSink;
    use crate::handler::Handler;

    #[test]
    fn a_panicking_handler_does_not_silence_the_thread() {
        static DELIVERED: AtomicUsize = AtomicUsize::new(0);
        let logger = crate::manager::get_logger("tests.logger.panicking");
        logger.set_propagate(false);
        let handler = Handler::new(Box::new(CallbackSink::new(
            Box::new(|record, _text| {
                if &*record.message == "boom" {
                    panic!("handler fails");
                }
                DELIVERED.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }),
            None,
        )));
        logger.add_handler(Arc::clone(&handler));
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            logger.log(40, None, 0, None, "boom")
        }));
        assert!(caught.is_err());
        let drops_before = super::reentrant_drop_count();
        logger.log(40, None, 0, None, "after");
        assert_eq!(DELIVERED.load(Ordering::Relaxed), 1);
        assert_eq!(super::reentrant_drop_count(), drops_before);
        logger.remove_handler(&handler);
    }

    #[test]
    fn context_pushed_inside_a_handler_outlives_the_dispatch() {
        use crate::record::Value;
        use std::sync::Mutex;
        static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let logger = crate::manager::get_logger("tests.logger.context_in_handler");
        logger.set_propagate(false);
        let handler = Handler::new(Box::new(CallbackSink::new(
            Box::new(|record, _text| {
                let user = match record.extra("user") {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => "-".to_owned(),
                };
                SEEN.lock()
                    .unwrap()
                    .push(format!("{}:{user}", record.message));
                if &*record.message == "push" {
                    let _ = crate::context::push("user", Value::Str("u".into()));
                    // Re-entrant, with this thread's context set: dropped.
                    crate::manager::get_logger("tests.logger.context_in_handler")
                        .log(40, None, 0, None, "nested");
                }
                Ok(())
            }),
            None,
        )));
        logger.add_handler(Arc::clone(&handler));
        let drops_before = super::reentrant_drop_count();
        logger.log(40, None, 0, None, "push");
        logger.log(40, None, 0, None, "after");
        crate::context::clear();
        logger.log(40, None, 0, None, "cleared");
        assert_eq!(*SEEN.lock().unwrap(), ["push:-", "after:u", "cleared:-"]);
        assert!(super::reentrant_drop_count() > drops_before);
        logger.remove_handler(&handler);
    }
}

#[cfg(test)]
mod handler_count_tests {
    use std::sync::Arc;

    use crate::handler::{CallbackSink, Handler};

    fn counting_handler(hits: &Arc<std::sync::atomic::AtomicUsize>) -> Arc<Handler> {
        let hits = Arc::clone(hits);
        Handler::new(Box::new(CallbackSink::new(
            Box::new(move |_, _| {
                hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }),
            None,
        )))
    }

    #[test]
    fn the_count_follows_adds_removes_and_takes() {
        let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let logger = crate::manager::get_logger("tests.logger.count");
        logger.set_propagate(false);
        let (a, b) = (counting_handler(&hits), counting_handler(&hits));
        logger.add_handler(a.clone());
        logger.add_handler(a.clone()); // already there: no change
        logger.add_handler(b.clone());
        logger.log(40, None, 0, None, "two handlers");
        assert_eq!(hits.load(std::sync::atomic::Ordering::Relaxed), 2);
        logger.remove_handler(&a);
        logger.remove_handler(&a); // already gone: no change
        logger.log(40, None, 0, None, "one handler");
        assert_eq!(hits.load(std::sync::atomic::Ordering::Relaxed), 3);
        assert_eq!(logger.take_handlers().len(), 1);
        logger.add_handler(a.clone());
        logger.log(40, None, 0, None, "one again");
        assert_eq!(hits.load(std::sync::atomic::Ordering::Relaxed), 4);
        logger.remove_handler(&a);
        assert_eq!(logger.handlers.len(), 0);
    }

    #[test]
    fn concurrent_changes_keep_the_count_exact() {
        let logger = crate::manager::get_logger("tests.logger.count.concurrent");
        let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let handlers: Vec<_> = (0..8).map(|_| counting_handler(&hits)).collect();
        std::thread::scope(|s| {
            for h in &handlers {
                s.spawn(move || {
                    for _ in 0..200 {
                        logger.add_handler(h.clone());
                        logger.remove_handler(h);
                    }
                    logger.add_handler(h.clone());
                });
            }
        });
        let count = logger.handlers.len();
        assert_eq!(count, logger.handlers().len());
        assert_eq!(count, 8);
    }
}
