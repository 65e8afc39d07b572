//! Python's `MemoryHandler`: records collect in a buffer and are handed, in
//! order, to a target handler when the buffer is full, when a record at or
//! above the flush level arrives, on flush, and on close (`flushOnClose`).
//!
//! The buffered records are owned copies: they keep the created time, thread
//! and location of the logging call, not of the flush. Memory is bounded: at
//! most `capacity` records (at least one) are held. Python's handler keeps
//! every record while it has no target; here the oldest is dropped instead
//! and counted (`Handler::dropped_count`).

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{EmitError, Handler, Sink};
use crate::record::Record;

/// Decides after each record is buffered whether to flush (a
/// BufferingHandler subclass's `shouldFlush`): the record just added, the
/// number of records buffered (including it) and the capacity.
pub type ShouldFlushFn = Box<dyn FnMut(&Record<'_>, usize, usize) -> bool + Send>;

/// Runs a delivery to the target (the C API marks the thread with it, so a
/// call that needs this handler's lock from inside the target is refused
/// instead of deadlocking).
pub type DeliveryGuard = Box<dyn Fn(&mut dyn FnMut()) + Send + Sync>;

/// Everything a MemoryHandler is built from (Python's keyword names).
pub struct MemoryOptions {
    /// Records held before a flush (`capacity`).
    pub capacity: usize,
    /// Records at or above this level flush the buffer (`flushLevel`).
    pub flush_level: i32,
    /// Where flushed records go (`target`); None keeps them.
    pub target: Option<Arc<Handler>>,
    /// Whether closing flushes (`flushOnClose`).
    pub flush_on_close: bool,
}

impl Default for MemoryOptions {
    fn default() -> MemoryOptions {
        MemoryOptions {
            capacity: 100,
            flush_level: crate::level::ERROR,
            target: None,
            flush_on_close: true,
        }
    }
}

pub struct MemorySink {
    options: MemoryOptions,
    buffer: Vec<Record<'static>>,
    should_flush: Option<ShouldFlushFn>,
    guard: Option<DeliveryGuard>,
    dropped: Arc<AtomicU64>,
}

impl MemorySink {
    pub fn new(options: MemoryOptions) -> MemorySink {
        MemorySink {
            buffer: Vec::with_capacity(options.capacity.clamp(1, 1024)),
            options,
            should_flush: None,
            guard: None,
            dropped: Arc::default(),
        }
    }

    /// Replaces the default test (full, or at/above the flush level);
    /// None restores it.
    pub fn set_should_flush(&mut self, test: Option<ShouldFlushFn>) {
        self.should_flush = test;
    }

    /// Python's `setTarget` (the caller has checked for cycles).
    pub fn set_target(&mut self, target: Option<Arc<Handler>>) {
        self.options.target = target;
    }

    /// Python's `BufferingHandler.flush`: forgets the buffered records
    /// without handing them to the target (recipe 17's ending).
    pub fn discard(&mut self) {
        self.buffer.clear();
    }

    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Python's `MemoryHandler.flush`: every buffered record, in order, to
    /// the target's `handle` (its filters run; its level does not, as in
    /// Python), then the buffer is cleared. Without a target: nothing.
    fn deliver(&mut self) {
        let Some(target) = self.options.target.clone() else {
            return;
        };
        let buffer = &mut self.buffer;
        let mut run = || {
            // Records the target's callbacks log are dropped as re-entrant,
            // not sent back into this handler, whose lock this thread holds.
            crate::logger::as_dispatch(|| {
                for record in buffer.iter_mut() {
                    target.handle_unleveled(record);
                }
            });
            buffer.clear();
        };
        match &self.guard {
            Some(guard) => guard(&mut run),
            None => run(),
        }
        if self.buffer.capacity() > 4 * self.options.capacity.max(1024) {
            self.buffer.shrink_to(self.options.capacity.clamp(1, 1024));
        }
    }
}

impl Sink for MemorySink {
    fn kind(&self) -> &'static str {
        "MemoryHandler"
    }

    fn takes_records(&self) -> bool {
        true
    }

    fn emit(&mut self, record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        self.accept(record)
    }

    fn accept(&mut self, record: &Record<'_>) -> Result<(), EmitError> {
        if self.options.target.is_none() && self.buffer.len() >= self.options.capacity.max(1) {
            self.buffer.remove(0);
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        self.buffer.push(record.clone().into_owned());
        let (len, capacity) = (self.buffer.len(), self.options.capacity);
        let flush = match self.should_flush.as_mut() {
            Some(test) => test(record, len, capacity),
            None => len >= capacity || record.levelno >= self.options.flush_level,
        };
        if flush {
            self.deliver();
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.deliver();
        Ok(())
    }

    /// Python's `close`: flushes if `flushOnClose`, then forgets the target
    /// and the buffer.
    fn close(&mut self) -> io::Result<()> {
        if self.options.flush_on_close {
            self.deliver();
        }
        self.options.target = None;
        self.buffer.clear();
        Ok(())
    }

    fn targets(&self) -> Vec<Arc<Handler>> {
        self.options.target.iter().cloned().collect()
    }

    fn dropped_counter(&self) -> Option<Arc<AtomicU64>> {
        Some(self.dropped.clone())
    }

    fn as_memory(&mut self) -> Option<&mut MemorySink> {
        Some(self)
    }

    fn set_delivery_guard(&mut self, guard: DeliveryGuard) {
        self.guard = Some(guard);
    }
}

/// Python's `MemoryHandler(capacity, flushLevel, target, flushOnClose)`.
pub fn memory_handler(options: MemoryOptions) -> Arc<Handler> {
    Handler::new(Box::new(MemorySink::new(options)))
}

/// Whether handing records from `handler` to `target` would reach `handler`
/// again (a cycle of memory or queue handlers, which would deadlock).
pub fn would_cycle(handler: &Handler, target: &Arc<Handler>) -> bool {
    let mut pending = vec![target.clone()];
    let mut seen: Vec<*const Handler> = Vec::new();
    while let Some(next) = pending.pop() {
        let ptr = Arc::as_ptr(&next);
        if std::ptr::eq(ptr, handler) {
            return true;
        }
        if seen.contains(&ptr) {
            continue;
        }
        seen.push(ptr);
        pending.extend(next.targets());
    }
    false
}

/// Runs `f` on the handler's memory sink (locked); other handlers refuse.
pub fn with_memory<R>(
    handler: &Handler,
    f: impl FnOnce(&mut MemorySink) -> R,
) -> Result<R, String> {
    handler.with_sink(|sink| match sink.as_memory() {
        Some(memory) => Ok(f(memory)),
        None => Err(format!("{} is not a MemoryHandler", sink.kind())),
    })
}

/// Python's `setTarget`; a target that would hand records back to this
/// handler is refused.
pub fn set_target(handler: &Handler, target: Option<Arc<Handler>>) -> Result<(), String> {
    if let Some(t) = &target {
        if would_cycle(handler, t) {
            return Err("the target hands records back to this handler (a cycle)".into());
        }
    }
    with_memory(handler, |memory| memory.set_target(target))
}
