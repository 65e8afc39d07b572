//! Handlers: a `HandlerCore` (level, filters, formatter, error policy) in front
//! of one `Sink` (where the text goes). Formatting happens outside the sink's
//! lock into a reused thread-local buffer, so threads only serialise on the write.

mod callback;
pub mod color;
pub mod command;
pub mod datagram;
pub mod file;
pub mod flusher;
pub mod http;
pub mod journal;
pub(crate) mod list;
pub mod memory;
mod null;
pub mod output;
pub mod queue;
mod rotating;
pub mod smtp;
pub mod socket;
mod stream;
pub mod syslog;
pub mod syslog_format;
pub mod timed;

pub use callback::{CallbackSink, EmitFn, FlushFn};
pub use file::{request_reopen, FileMode, FileOptions, FileSink, Owner, Rotation};
pub use null::NullSink;
pub use output::Buffering;
pub use socket::NetOptions;
pub use stream::{StreamOptions, StreamSink};

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use crate::sync::Lock;

use crate::filter::{Filter, FilterList};
use crate::format::Formatter;
use crate::record::Record;

/// Where formatted records go. Called with the handler's lock held.
pub trait Sink: Send {
    /// Short kind name used in error reports (`StreamHandler`, `FileHandler`…).
    fn kind(&self) -> &'static str;

    /// Writes one record. `text` is the formatted record without a terminator;
    /// it is the handler's scratch buffer,
    /// so the sink may append its terminator to it and write it in one go.
    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError>;

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Flushes and releases resources. A closed sink may reopen on the next
    /// emit where Python's handler would (FileHandler in append mode).
    fn close(&mut self) -> io::Result<()> {
        self.flush()
    }

    /// False for sinks that never read `emit`'s text (they send the record
    /// itself: socket, datagram, HTTP): the handler then does not format
    /// records for them. Read once, when the handler is built.
    fn needs_text(&self) -> bool {
        true
    }

    /// True for Python's NullHandler, whose `handle` is a stub: the handler
    /// then runs no filter, formats nothing and never calls `emit`.
    fn is_stub(&self) -> bool {
        false
    }

    /// Flushes buffered bytes whose flush interval has passed (the interval
    /// flusher calls this); sinks without a buffer have nothing to do.
    fn flush_if_due(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Python's `StreamHandler.terminator`; sinks that are not streams refuse.
    fn set_terminator(&mut self, _terminator: &str) -> Result<(), String> {
        Err(format!(
            "{} has no terminator (not a stream handler)",
            self.kind()
        ))
    }

    /// The file sink behind file, rotating and watched handlers.
    fn as_file(&mut self) -> Option<&mut FileSink> {
        None
    }

    /// The syslog sink behind a `SysLogHandler`.
    fn as_syslog(&mut self) -> Option<&mut syslog::SyslogSink> {
        None
    }

    /// In a fork child: drops buffered bytes inherited from the parent. When
    /// `interrupted`, another thread of the parent was inside this sink at
    /// the fork, so its state may be half-updated (a descriptor closed but
    /// still recorded, whose number a later open reuses): the sink must
    /// forget its OS handles, without closing them, and reopen on next use.
    fn after_fork(&mut self, _interrupted: bool) {}

    /// The count of records the sink dropped because its destination kept
    /// failing while its buffer was full (see `output::FdOutput`); None for
    /// sinks that never drop. Read once, when the handler is built.
    fn dropped_counter(&self) -> Option<Arc<AtomicU64>> {
        None
    }

    /// True for sinks that keep or forward whole records (memory, queue):
    /// the handler hands them to `accept` without formatting them.
    fn takes_records(&self) -> bool {
        false
    }

    /// Takes one record (sinks whose `takes_records` is true).
    fn accept(&mut self, _record: &Record<'_>) -> Result<(), EmitError> {
        Ok(())
    }

    /// The handlers this sink hands records to (for cycle checks).
    fn targets(&self) -> Vec<Arc<Handler>> {
        Vec::new()
    }

    /// The memory sink behind a MemoryHandler.
    fn as_memory(&mut self) -> Option<&mut memory::MemorySink> {
        None
    }

    /// The command sink behind a CommandHandler.
    fn as_command(&mut self) -> Option<&mut command::CommandSink> {
        None
    }

    /// The queue sink behind a QueueHandler.
    fn as_queue(&mut self) -> Option<&mut queue::QueueSink> {
        None
    }

    /// A way to hand records over without the handler's lock (the queue's
    /// producers share none); read once, when the handler is built.
    fn acceptor(&self) -> Option<Arc<dyn queue::Accept>> {
        None
    }

    /// Runs each hand-over to other handlers inside `guard` (memory and
    /// queue sinks; see `set_delivery_hook`).
    fn set_delivery_guard(&mut self, _guard: memory::DeliveryGuard) {}

    /// Changes the durability policy; sinks without an output buffer refuse.
    fn set_buffering(&mut self, _policy: Buffering) -> Result<(), String> {
        Err(format!("{} has no output buffer to configure", self.kind()))
    }
}

/// The kinds of failure a handler counts and reports once each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The formatter failed (e.g. a field missing from the record).
    Format = 0,
    /// The sink's write, flush or open failed.
    Io = 1,
    /// A user callback reported failure.
    Callback = 2,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Format => "format",
            ErrorKind::Io => "I/O",
            ErrorKind::Callback => "callback",
        })
    }
}

const ERROR_KINDS: usize = 3;

/// Why a sink could not deliver a record.
#[derive(Debug)]
pub struct EmitError {
    pub kind: ErrorKind,
    pub detail: String,
}

impl From<io::Error> for EmitError {
    fn from(e: io::Error) -> EmitError {
        EmitError {
            kind: ErrorKind::Io,
            detail: e.to_string(),
        }
    }
}

/// Python's `handleError` in the spirit of `raiseExceptions`: the logging call
/// never sees the failure; the first one of each kind is printed to stderr and
/// every one is counted.
#[derive(Default)]
struct ErrorLedger {
    counts: [AtomicU64; ERROR_KINDS],
    reported: AtomicU32,
}

impl ErrorLedger {
    fn record(&self, handler: &str, kind: ErrorKind, detail: &dyn fmt::Display) {
        self.counts[kind as usize].fetch_add(1, Ordering::Relaxed);
        let bit = 1u32 << (kind as u32);
        if self.reported.fetch_or(bit, Ordering::Relaxed) & bit == 0 {
            let text = format!(
                "--- sawmill: {handler} {kind} error: {detail} \
                 (reported once; later {kind} errors of this handler are only counted)\n"
            );
            // A raw write(2): std's stderr lock could be held by a thread that
            // no longer exists after fork. A failure here is ignored on purpose:
            // stderr may itself be gone, and that must not reach the caller.
            let _ = output::write_all(2, text.as_bytes());
        }
    }

    fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

/// The handler's formatter, read with one atomic load per record (see
/// `KeptSlot`); a handler's formatter is set a handful of times.
type FormatterSlot = crate::sync::KeptSlot<Formatter>;

/// Level, filters, formatter, name and error policy: what every handler shares.
pub struct HandlerCore {
    level: AtomicI32,
    filters: FilterList,
    formatter: FormatterSlot,
    name: Lock<Option<String>>,
    errors: ErrorLedger,
    closed: AtomicBool,
}

pub struct Handler {
    core: HandlerCore,
    /// Read once from the sink: whether records must be formatted at all.
    /// The sink is a stub (see `Sink::is_stub`).
    stub: bool,
    /// Read once from the sink: it takes whole records, unformatted.
    records: bool,
    /// Read once from the sink: `emit` reads the formatted text.
    text: bool,
    /// Read once from the sink: takes records without the lock.
    acceptor: Option<Arc<dyn queue::Accept>>,
    /// The sink's kind, for error reports.
    kind: &'static str,
    /// The sink's dropped-record count (see `Sink::dropped_counter`).
    dropped: Option<Arc<AtomicU64>>,
    sink: CacheLine<Lock<Box<dyn Sink>>>,
}

/// Keeps a lock written by every record off the cache line of the fields
/// that are only read (level, filters, formatter): two logging threads
/// otherwise invalidate each other's copy of those on every record.
#[repr(align(128))]
pub(crate) struct CacheLine<T>(pub(crate) T);

impl<T> std::ops::Deref for CacheLine<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for CacheLine<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

thread_local! {
    /// The reused text buffer records are formatted into.
    static FORMAT_BUFFER: RefCell<String> = RefCell::new(String::with_capacity(512));
}

impl Handler {
    /// Wraps `sink` in a handler at level NOTSET with the default formatter,
    /// registered for `shutdown`.
    pub fn new(sink: Box<dyn Sink>) -> Arc<Handler> {
        let handler = Arc::new(Handler {
            stub: sink.is_stub(),
            records: sink.takes_records(),
            text: sink.needs_text(),
            acceptor: sink.acceptor(),
            kind: sink.kind(),
            dropped: sink.dropped_counter(),
            core: HandlerCore {
                level: AtomicI32::new(crate::level::NOTSET),
                filters: FilterList::default(),
                formatter: FormatterSlot::default(),
                name: Lock::new(None),
                errors: ErrorLedger::default(),
                closed: AtomicBool::new(false),
            },
            sink: CacheLine(Lock::new(sink)),
        });
        register(&handler);
        if handler.records {
            if let Some(hook) = DELIVERY_HOOK.get() {
                hook(&handler);
            }
        }
        handler
    }

    pub fn level(&self) -> i32 {
        self.core.level.load(Ordering::Relaxed)
    }

    pub fn set_level(&self, level: i32) {
        self.core.level.store(level, Ordering::Relaxed);
        crate::logger::config_changed();
    }

    pub fn set_formatter(&self, formatter: Option<Arc<Formatter>>) {
        self.core.formatter.set(formatter);
    }

    pub fn formatter(&self) -> Option<Arc<Formatter>> {
        self.core.formatter.get_arc()
    }

    pub fn add_filter(&self, filter: Arc<dyn Filter>) {
        self.core.filters.add(filter);
    }

    pub fn remove_filter(&self, filter: &Arc<dyn Filter>) {
        self.core.filters.remove(filter);
    }

    pub fn set_name(&self, name: &str) {
        *self.core.name.lock() = Some(name.to_owned());
    }

    /// The deferred path's port when records may skip this handler's
    /// `handle` and go straight into its queue: a QueueHandler without filters.
    pub(crate) fn deferred_port(&self) -> Option<&'static queue::Port> {
        if self.stub || !self.core.filters.is_empty() {
            return None;
        }
        self.acceptor.as_ref()?.port()
    }

    /// Python's class name of the handler ("StreamHandler", "FileHandler", …).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub fn name(&self) -> Option<String> {
        self.core.name.lock().clone()
    }

    /// How many errors this handler has absorbed (all kinds).
    pub fn error_count(&self) -> u64 {
        self.core.errors.total()
    }

    /// How many errors of one kind this handler has absorbed.
    pub fn error_count_of(&self, kind: ErrorKind) -> u64 {
        self.core.errors.counts[kind as usize].load(Ordering::Relaxed)
    }

    /// Records dropped, never to be written, because the destination kept
    /// failing while the output buffer was full.
    pub fn dropped_count(&self) -> u64 {
        // Without the sink's lock: callable from the handler's own callback.
        self.dropped
            .as_ref()
            .map_or(0, |count| count.load(Ordering::Relaxed))
    }

    fn describe(&self) -> String {
        match self.name() {
            Some(name) => format!("{} '{name}'", self.kind),
            None => self.kind.to_owned(),
        }
    }

    /// Counts a failure and reports the first of its kind (Python's handleError).
    pub fn handle_error(&self, kind: ErrorKind, detail: &dyn fmt::Display) {
        let who = self.describe();
        self.core.errors.record(&who, kind, detail);
    }

    /// Python's `Handler.handle` after the level check the logger makes:
    /// filters, then format and emit (nothing at all for a stub sink).
    /// Returns whether the record was emitted.
    pub fn handle(&self, record: &mut Record<'_>) -> bool {
        if record.levelno < self.level() {
            return false;
        }
        self.handle_unleveled(record)
    }

    /// Python's `Handler.handle` itself, without the level check (what a
    /// MemoryHandler or a queue listener calls on its targets).
    pub fn handle_unleveled(&self, record: &mut Record<'_>) -> bool {
        if self.stub || !self.core.filters.passes(record) {
            return false;
        }
        if let Some(acceptor) = &self.acceptor {
            let result = acceptor.accept(record);
            self.report(result);
            return true;
        }
        if self.records {
            let result = self.sink.lock().accept(record);
            self.report(result);
            return true;
        }
        let emitted = FORMAT_BUFFER.try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffer) => self.format_and_emit(record, &mut buffer),
            // Only reachable if a sink formats through another handler on this
            // thread; a fresh buffer keeps that correct.
            Err(_) => self.format_and_emit(record, &mut String::new()),
        });
        match emitted {
            Ok(()) => true,
            // Thread-local storage is gone (thread or process exit): use the heap.
            Err(_) => {
                self.format_and_emit(record, &mut String::new());
                true
            }
        }
    }

    fn format_and_emit(&self, record: &Record<'_>, buffer: &mut String) {
        // (The buffer is scratch: sinks append their terminator to it.)
        buffer.clear();
        let formatted = match self.core.formatter.get() {
            // The sink sends the record, not this text (`Sink::needs_text`).
            _ if !self.text => Ok(()),
            Some(f) => f.format(record, buffer),
            None => Formatter::default_formatter().format(record, buffer),
        };
        if let Err(e) = formatted {
            self.handle_error(ErrorKind::Format, &e);
            return;
        }
        let result = self.sink.lock().emit(record, buffer);
        self.report(result);
        // A huge record must not pin its buffer for the life of the thread.
        if buffer.capacity() > 64 * 1024 {
            *buffer = String::with_capacity(512);
        }
    }

    fn report(&self, result: Result<(), EmitError>) {
        if let Err(e) = result {
            self.handle_error(e.kind, &e.detail);
        }
    }

    /// Flushes the sink; a failed write is returned and also counted (and
    /// reported once) like a failed emit: every failed write is an error.
    pub fn flush(&self) -> io::Result<()> {
        let result = self.sink.lock().flush();
        self.count_failure(&result);
        result
    }

    fn count_failure(&self, result: &io::Result<()>) {
        if let Err(e) = result {
            self.handle_error(ErrorKind::Io, e);
        }
    }

    /// Flushes a buffered sink whose interval has passed; errors are counted.
    pub fn flush_if_due(&self) {
        let result = self.sink.lock().flush_if_due();
        self.report(result.map_err(EmitError::from));
    }

    /// Flushes and closes the sink. Idempotent.
    pub fn close(&self) -> io::Result<()> {
        self.core.closed.store(true, Ordering::Relaxed);
        let result = self.sink.lock().close();
        self.count_failure(&result);
        result
    }

    pub fn is_closed(&self) -> bool {
        self.core.closed.load(Ordering::Relaxed)
    }

    pub fn set_buffering(&self, policy: Buffering) -> Result<(), String> {
        // Past the exit flush nothing would flush a buffer again.
        let policy = if crate::manager::exit_flushed() {
            Buffering::WRITE_THROUGH
        } else {
            policy
        };
        self.sink.lock().set_buffering(policy)?;
        if !policy.is_write_through() && !policy.flush_interval.is_zero() {
            flusher::ensure_running(policy.flush_interval);
        }
        Ok(())
    }

    /// The handlers this one hands records to (memory and queue handlers).
    pub fn targets(&self) -> Vec<Arc<Handler>> {
        self.sink.lock().targets()
    }

    /// Runs `f` with the sink locked (for handler-specific settings).
    pub fn with_sink<R>(&self, f: impl FnOnce(&mut dyn Sink) -> R) -> R {
        f(&mut **self.sink.lock())
    }
}

impl Drop for Handler {
    /// The last reference is gone: nothing buffered may be lost.
    fn drop(&mut self) {
        let _ = self.sink.get_mut().flush();
    }
}

/// Called with each new handler that hands records to other handlers
/// (memory, queue): the C layer gives it a delivery guard that marks the
/// delivering thread in its wait-for graph of handler locks.
static DELIVERY_HOOK: crate::sync::ForkOnce<fn(&Arc<Handler>)> = crate::sync::ForkOnce::new();

/// Sets the hook (once; later calls are ignored).
pub fn set_delivery_hook(hook: fn(&Arc<Handler>)) {
    let _ = DELIVERY_HOOK.set(hook);
}

// ---- every live handler, for shutdown ---------------------------------------

static REGISTRY: Lock<Vec<Weak<Handler>>> = Lock::new(Vec::new());

fn register(handler: &Arc<Handler>) {
    let mut all = REGISTRY.lock();
    all.retain(|w| w.strong_count() > 0);
    all.push(Arc::downgrade(handler));
    drop(all);
    crate::manager::ensure_shutdown_at_exit();
}

/// In a fork child: every handler drops the buffered bytes inherited from
/// the parent (the parent writes those) and re-checks its descriptors; one
/// whose lock a vanished thread held (taken over here, see `sync::Lock`) was
/// interrupted mid-update.
pub(crate) fn after_fork() {
    for handler in live_handlers() {
        let interrupted = handler.sink.held_at_fork();
        handler.sink.lock().after_fork(interrupted);
    }
}

/// Every live handler, newest first (Python's shutdown order).
pub fn live_handlers() -> Vec<Arc<Handler>> {
    REGISTRY
        .lock()
        .iter()
        .rev()
        .filter_map(Weak::upgrade)
        .collect()
}

/// Python's `logging.shutdown`: flush and close every live handler, newest
/// first, absorbing errors. Idempotent.
pub fn shutdown_all() {
    for handler in live_handlers() {
        let _ = handler.flush();
        let _ = handler.close();
    }
}

/// At process exit: flush every live handler and make it write-through
/// (see `manager::shutdown_at_exit`). Sinks without a buffer refuse the
/// policy, which is harmless.
pub(crate) fn flush_for_exit() {
    for handler in live_handlers() {
        // A closed handler has no descriptor left to write to.
        if handler.is_closed() {
            continue;
        }
        let mut sink = handler.sink.lock();
        let flushed = sink.flush();
        let _ = sink.set_buffering(Buffering::WRITE_THROUGH);
        drop(sink);
        handler.report(flushed.map_err(EmitError::from));
    }
}

// ---- constructors for the built-in handlers --------------------------------

/// Python's `StreamHandler` writing to a file descriptor (not closed by us).
pub fn stream_handler(fd: i32) -> Arc<Handler> {
    Handler::new(Box::new(StreamSink::new(fd)))
}

/// Python's `StreamHandler` from its options (terminator, buffering).
pub fn stream_handler_with(options: StreamOptions) -> Result<Arc<Handler>, String> {
    let buffered = !options.buffering.is_write_through();
    let interval = options.buffering.flush_interval;
    let sink = StreamSink::with_options(options).map_err(|e| e.to_string())?;
    if buffered && !interval.is_zero() {
        flusher::ensure_running(interval);
    }
    Ok(Handler::new(Box::new(sink)))
}

/// Python's `FileHandler`.
pub fn file_handler(options: FileOptions) -> io::Result<Arc<Handler>> {
    Ok(Handler::new(Box::new(FileSink::open(options)?)))
}

/// Python's `SysLogHandler` (see `syslog::SyslogOptions`).
pub fn syslog_handler(options: syslog::SyslogOptions) -> Result<Arc<Handler>, String> {
    Ok(Handler::new(Box::new(syslog::SyslogSink::new(options)?)))
}

/// `sawmill.JournalHandler` (see `journal::JournalOptions`).
pub fn journal_handler(options: journal::JournalOptions) -> Result<Arc<Handler>, String> {
    Ok(Handler::new(Box::new(journal::JournalSink::new(options)?)))
}

/// Python's `NullHandler`.
pub fn null_handler() -> Arc<Handler> {
    Handler::new(Box::new(NullSink))
}

/// Python's `SocketHandler` (TCP, CPython's frames; see `socket.rs`).
pub fn socket_handler(options: NetOptions) -> Arc<Handler> {
    let batching = options.batching;
    let handler = Handler::new(Box::new(socket::SocketSink::new(options)));
    if let Some(policy) = batching {
        // A socket sink takes every policy.
        let _ = handler.set_buffering(policy);
    }
    handler
}

/// Python's `DatagramHandler` (UDP, one frame per datagram).
pub fn datagram_handler(options: NetOptions) -> Arc<Handler> {
    Handler::new(Box::new(datagram::DatagramSink::new(options)))
}

/// Python's `HTTPHandler` (see `http.rs`); a bad `ca_file` is refused here.
pub fn http_handler(options: http::HttpOptions) -> Result<Arc<Handler>, String> {
    Ok(Handler::new(Box::new(http::HttpSink::new(options)?)))
}

/// Python's `SMTPHandler` (see `smtp.rs`); bad addresses are refused here.
pub fn smtp_handler(options: smtp::SmtpOptions) -> Result<Arc<Handler>, String> {
    Ok(Handler::new(Box::new(smtp::SmtpSink::new(options)?)))
}
