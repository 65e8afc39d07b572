//! Python's `QueueHandler` with its `QueueListener` (3.12's `handlers` and
//! `respect_handler_level`): logging threads put an owned copy of each record
//! into a bounded lock-free ring; one background thread hands them, in
//! order, to the real handlers.
//!
//! Nothing is lost that is not counted: when the ring is full the policy
//! decides — `Block` (default) waits for room, `DropNewest` drops the new
//! record, `DropOldest` drops the oldest queued one, `Timeout` waits up to a
//! limit and then drops the new record; every dropped record is counted
//! (`Handler::dropped_count`). Records at or above `sync_level` are handled
//! on the logging thread after the queue is drained (an ERROR before a crash
//! reaches its handlers). Flush drains the queue and flushes the handlers;
//! so does the exit flush; after it, records are handled synchronously. A
//! fork child starts with an empty queue (the parent writes what it had
//! queued) and its own listener, started on first use. SIGKILL loses what
//! is queued.
//!
//! Each record's texts are copied into one buffer taken from a pool the
//! listener refills, so the steady state allocates nothing (extras and
//! custom level names excepted).
//!
//! The C printf macros take a shorter path when a logger's records can
//! only reach one QueueHandler (see `rings`): the call copies its raw
//! arguments into the thread's own ring and the listener formats the
//! message; such a thread's other records to the queue follow the same
//! ring, so its order is kept.
//!
//! Departures from Python: the ring is bounded (`maxsize` 0 means
//! `DEFAULT_MAXSIZE`, not unbounded); records are passed unchanged (Python's
//! `prepare` replaces the message with the queue handler's formatted text
//! and clears `exc_text`; with the default formatter the handlers print the
//! same).

use std::borrow::Cow;
use std::io;
use std::ops::Range;
use std::sync::atomic::{fence, AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use crossbeam_queue::ArrayQueue;

mod rings;
pub use rings::{
    deferred_decoder_installed, refresh_deferred, set_deferred_decoder, thread_renamed,
};
pub use rings::{Decoded, Port, RingHeader, ThreadRing};

use super::memory::DeliveryGuard;
use super::{CacheLine, EmitError, ErrorKind, Handler, Sink};
use crate::record::{Record, Value};

/// How long an idle listener keeps looking before it sleeps.
const LISTENER_SPIN: Duration = Duration::from_micros(50);

/// Pause instructions between two looks of the idle listener.
const LISTENER_SPIN_PAUSES: u32 = 256;

/// The first nap of a listener while per-thread rings exist; each nap that
/// finds nothing doubles the next, up to RING_NAP << RING_NAP_DOUBLINGS
/// (64 ms), so an idle process does not keep a core busy looking.
const RING_NAP: Duration = Duration::from_millis(1);
const RING_NAP_DOUBLINGS: u32 = 6;

/// The ring's size when none is given.
pub const DEFAULT_MAXSIZE: usize = 8192;

/// What a full queue does with a new record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    Block,
    DropNewest,
    DropOldest,
    /// Wait up to `QueueOptions::timeout` for room, then drop the new record.
    Timeout,
}

impl Overflow {
    /// The configuration's names: "block", "drop_newest", "drop_oldest",
    /// "timeout" (with `timeout_ms`).
    pub fn parse(name: &str) -> Result<Overflow, String> {
        Ok(match name {
            "block" => Overflow::Block,
            "drop_newest" => Overflow::DropNewest,
            "drop_oldest" => Overflow::DropOldest,
            "timeout" => Overflow::Timeout,
            other => {
                return Err(format!(
                    "unknown overflow policy '{other}' (block, drop_newest, drop_oldest, timeout)"
                ))
            }
        })
    }
}

/// Everything a QueueHandler is built from.
pub struct QueueOptions {
    /// The handlers the listener runs (Python 3.12's `handlers`).
    pub handlers: Vec<Arc<Handler>>,
    /// Whether the listener checks each handler's level.
    pub respect_handler_level: bool,
    /// Records the ring holds (`queue: {maxsize}`); 0 → DEFAULT_MAXSIZE.
    pub maxsize: usize,
    pub overflow: Overflow,
    /// How long `Overflow::Timeout` waits for room.
    pub timeout: Duration,
    /// Records at or above this level are handled on the logging thread
    /// (None: all go through the queue).
    pub sync_level: Option<i32>,
}

impl Default for QueueOptions {
    fn default() -> QueueOptions {
        QueueOptions {
            handlers: Vec::new(),
            respect_handler_level: false,
            maxsize: 0,
            overflow: Overflow::Block,
            timeout: Duration::ZERO,
            sync_level: None,
        }
    }
}

/// A record copied into one reused text buffer: the logging thread packs
/// it, the listener hands out a borrowed `Record` view of it, and the
/// buffer goes back to a pool, so the steady state allocates nothing.
#[derive(Default)]
struct Packed {
    text: String,
    name: Range<usize>,
    pathname: Option<Range<usize>>,
    func_name: Option<Range<usize>>,
    message: Range<usize>,
    thread_name: Range<usize>,
    process_name: Range<usize>,
    exc_text: Option<Range<usize>>,
    stack_info: Option<Range<usize>>,
    levelno: i32,
    levelname: Cow<'static, str>,
    lineno: u32,
    created: f64,
    msecs: f64,
    relative_created: f64,
    thread: u64,
    process: u32,
    extras: Vec<(Cow<'static, str>, Value<'static>)>,
}

/// Buffers the pool keeps beyond the ring's size (see `Ring::new`).
const POOL_HEADROOM: usize = 64;

/// A buffer larger than this is not kept for reuse.
const POOLED_TEXT_MAX: usize = 16 * 1024;

impl Packed {
    fn fill(&mut self, record: &Record<'_>) {
        fn put(text: &mut String, s: &str) -> Range<usize> {
            let start = text.len();
            text.push_str(s);
            start..text.len()
        }
        let text = &mut self.text;
        text.clear();
        // One reservation for all the texts: a fresh buffer costs one
        // allocation, not one per doubling.
        let sizes = [
            Some(&*record.name),
            record.pathname.as_deref(),
            record.func_name.as_deref(),
            Some(&*record.message),
            Some(&*record.thread_name),
            Some(&*record.process_name),
            record.exc_text.as_deref(),
            record.stack_info.as_deref(),
        ];
        text.reserve(sizes.iter().flatten().map(|s| s.len()).sum());
        self.name = put(text, &record.name);
        self.pathname = record.pathname.as_deref().map(|s| put(text, s));
        self.func_name = record.func_name.as_deref().map(|s| put(text, s));
        self.message = put(text, &record.message);
        self.thread_name = put(text, &record.thread_name);
        self.process_name = put(text, &record.process_name);
        self.exc_text = record.exc_text.as_deref().map(|s| put(text, s));
        self.stack_info = record.stack_info.as_deref().map(|s| put(text, s));
        self.levelno = record.levelno;
        self.levelname = record.levelname.clone();
        self.lineno = record.lineno;
        self.created = record.created;
        self.msecs = record.msecs;
        self.relative_created = record.relative_created;
        self.thread = record.thread;
        self.process = record.process;
        self.extras.clear();
        self.extras.extend(
            record
                .extras
                .iter()
                .map(|(k, v)| (Cow::Owned(k.to_string()), v.clone().into_owned())),
        );
    }

    fn record(&self) -> Record<'_> {
        let at = |r: &Range<usize>| Cow::Borrowed(&self.text[r.clone()]);
        Record {
            name: at(&self.name),
            levelno: self.levelno,
            levelname: self.levelname.clone(),
            pathname: self.pathname.as_ref().map(at),
            lineno: self.lineno,
            func_name: self.func_name.as_ref().map(at),
            message: at(&self.message),
            created: self.created,
            msecs: self.msecs,
            relative_created: self.relative_created,
            thread: self.thread,
            thread_name: at(&self.thread_name),
            process: self.process,
            process_name: at(&self.process_name),
            exc_text: self.exc_text.as_ref().map(at),
            stack_info: self.stack_info.as_ref().map(at),
            extras: self
                .extras
                .iter()
                .map(|(k, v)| (Cow::Borrowed(&**k), v.clone()))
                .collect(),
        }
    }
}

/// One queue and its listener. A fork child gets a fresh one.
struct Ring {
    queue: ArrayQueue<Box<Packed>>,
    /// Emptied buffers on their way back to the logging threads.
    pool: ArrayQueue<Box<Packed>>,
    /// Records put in the ring / taken out of it (handled or displaced),
    /// each on its own cache line: producers write one, the listener the
    /// other.
    enqueued: CacheLine<AtomicU64>,
    finished: CacheLine<AtomicU64>,
    /// Guards the sleeps below; never held on the fast path.
    signal: Mutex<()>,
    listener_wake: Condvar,
    space: Condvar,
    done: Condvar,
    listener_sleeping: AtomicBool,
    producers_waiting: AtomicUsize,
    drainers_waiting: AtomicUsize,
    stop: AtomicBool,
    running: AtomicBool,
    thread: Mutex<Option<JoinHandle<()>>>,
    listener_id: Mutex<Option<ThreadId>>,
}

impl Ring {
    fn new(capacity: usize) -> Ring {
        Ring {
            queue: ArrayQueue::new(capacity),
            // Room for every buffer in the ring, with the listener and
            // the logging threads: once warm, a buffer is always there.
            pool: ArrayQueue::new(capacity + POOL_HEADROOM),
            enqueued: CacheLine(AtomicU64::new(0)),
            finished: CacheLine(AtomicU64::new(0)),
            signal: Mutex::new(()),
            listener_wake: Condvar::new(),
            space: Condvar::new(),
            done: Condvar::new(),
            listener_sleeping: AtomicBool::new(false),
            producers_waiting: AtomicUsize::new(0),
            drainers_waiting: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            running: AtomicBool::new(false),
            thread: Mutex::new(None),
            listener_id: Mutex::new(None),
        }
    }

    fn signal(&self) -> MutexGuard<'_, ()> {
        self.signal.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes the listener if it sleeps (after a push).
    fn wake_listener(&self) {
        fence(Ordering::SeqCst);
        if self.listener_sleeping.load(Ordering::SeqCst) {
            let _g = self.signal();
            self.listener_wake.notify_one();
        }
    }

    /// After records left the ring: wakes blocked producers and drainers.
    fn wake_waiters(&self) {
        fence(Ordering::SeqCst);
        let producers = self.producers_waiting.load(Ordering::SeqCst) > 0;
        let drainers = self.drainers_waiting.load(Ordering::SeqCst) > 0;
        if producers || drainers {
            let _g = self.signal();
            if producers {
                self.space.notify_all();
            }
            if drainers {
                self.done.notify_all();
            }
        }
    }

    fn is_listener(&self) -> bool {
        *self.listener_id.lock().unwrap_or_else(|e| e.into_inner())
            == Some(std::thread::current().id())
    }
}

/// The part shared by the handler (producers) and the listener thread.
pub(crate) struct Shared {
    ring: ArcSwap<Ring>,
    maxsize: usize,
    handlers: Vec<Arc<Handler>>,
    respect_handler_level: bool,
    overflow: Overflow,
    timeout: Duration,
    sync_level: AtomicI32,
    dropped: Arc<AtomicU64>,
    /// Set once, by the C layer (see `handler::set_delivery_hook`).
    guard: crate::sync::ForkOnce<DeliveryGuard>,
    closed: AtomicBool,
    /// The C printf macros' per-thread rings (see `rings`).
    port: &'static Port,
}

impl Shared {
    /// One record to every handler (Python's `QueueListener.handle`).
    fn deliver(&self, record: &mut Record<'_>) {
        crate::logger::as_dispatch(|| {
            for handler in &self.handlers {
                if !self.respect_handler_level || record.levelno >= handler.level() {
                    handler.handle_unleveled(record);
                }
            }
        });
    }

    /// Hands a packed record to the handlers and its buffer back to the pool.
    fn deliver_packed(&self, ring: &Ring, packed: Box<Packed>, marked: bool) {
        let mut record = packed.record();
        if marked {
            self.deliver_marked(&mut record);
        } else {
            self.deliver(&mut record);
        }
        drop(record);
        if packed.text.capacity() <= POOLED_TEXT_MAX {
            let _ = ring.pool.push(packed);
        }
    }

    fn deliver_marked(&self, record: &mut Record<'_>) {
        match self.guard.get() {
            Some(guard) => guard(&mut || self.deliver(record)),
            None => self.deliver(record),
        }
    }

    /// Starts the ring's listener unless it runs.
    fn ensure_listener(self: &Arc<Shared>, ring: &Arc<Ring>) {
        if ring.running.load(Ordering::Acquire) {
            return;
        }
        let mut slot = ring.thread.lock().unwrap_or_else(|e| e.into_inner());
        if ring.running.load(Ordering::Acquire) || ring.stop.load(Ordering::Acquire) {
            return;
        }
        let shared = self.clone();
        let listener_ring = ring.clone();
        let spawned = std::thread::Builder::new()
            .name("sawmill-queue".into())
            .spawn(move || shared.listen(&listener_ring));
        match spawned {
            Ok(handle) => {
                *ring.listener_id.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(handle.thread().id());
                *slot = Some(handle);
                ring.running.store(true, Ordering::Release);
            }
            // No thread: records are then handled by whoever drains.
            Err(_) => ring.running.store(false, Ordering::Release),
        }
    }

    /// The listener's loop: records in order until stopped and empty.
    fn listen(&self, ring: &Ring) {
        // Naps in a row that found nothing (see RING_NAP).
        let mut empty_naps = 0u32;
        loop {
            if self.port.has_rings() && self.consume_rings(true) > 0 {
                empty_naps = 0;
                ring.wake_waiters();
                continue;
            }
            if let Some(packed) = ring.queue.pop() {
                empty_naps = 0;
                // A panicking handler must not end the listener: the
                // logging threads would then wait for it forever.
                let delivered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.deliver_packed(ring, packed, true)
                }));
                drop(delivered);
                ring.finished.fetch_add(1, Ordering::SeqCst);
                ring.wake_waiters();
                continue;
            }
            if ring.stop.load(Ordering::SeqCst) {
                break;
            }
            // Records come in bursts: look again for a short while before
            // sleeping, so a burst after a short pause needs no wake-up.
            // Looks every few microseconds, not in a tight loop: every look
            // reads the cache lines the logging threads write on each push
            // (with the C macros' rings, looking about once a microsecond
            // measured a 4-thread p99.9 of 250-297 ns, every ~5 us 127-151).
            // After a nap that found nothing there is no burst to wait for.
            let spin_until = Instant::now()
                + if empty_naps == 0 {
                    LISTENER_SPIN
                } else {
                    Duration::ZERO
                };
            while ring.queue.is_empty()
                && self.rings_empty()
                && !ring.stop.load(Ordering::Relaxed)
                && Instant::now() < spin_until
            {
                for _ in 0..LISTENER_SPIN_PAUSES {
                    std::hint::spin_loop();
                }
            }
            if !ring.queue.is_empty() || !self.rings_empty() {
                continue;
            }
            let g = ring.signal();
            ring.listener_sleeping.store(true, Ordering::SeqCst);
            self.port.sleeping.store(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            if ring.queue.is_empty() && self.rings_empty() && !ring.stop.load(Ordering::SeqCst) {
                // The timeout is only a safety net: producers notify. The
                // C shim checks `port.sleeping` without a fence, so with
                // rings the listener looks again within a millisecond.
                let nap = if self.port.has_rings() {
                    RING_NAP * (1 << empty_naps.min(RING_NAP_DOUBLINGS))
                } else {
                    Duration::from_secs(1)
                };
                let _ = ring.listener_wake.wait_timeout(g, nap);
                empty_naps = empty_naps.saturating_add(1);
            }
            self.port.sleeping.store(0, Ordering::SeqCst);
            ring.listener_sleeping.store(false, Ordering::SeqCst);
        }
    }

    fn accept(self: &Arc<Shared>, record: &Record<'_>) -> Result<(), EmitError> {
        if record.levelno >= self.sync_level.load(Ordering::Relaxed)
            || self.closed.load(Ordering::Relaxed)
            || crate::manager::exit_flushed()
        {
            self.drain()?;
            let mut record = record.clone();
            self.deliver(&mut record);
            return Ok(());
        }
        // A guard, not a clone: no reference count shared by every record.
        let ring = self.ring.load();
        self.ensure_listener(&ring);
        let mut owned = ring.pool.pop().unwrap_or_default();
        owned.fill(record);
        if self.port.has_rings() {
            match self.port.push_packed(self, owned) {
                Ok(()) => return Ok(()),
                Err(back) => owned = back,
            }
        }
        match self.overflow {
            Overflow::DropOldest => {
                if ring.queue.force_push(owned).is_some() {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    ring.finished.fetch_add(1, Ordering::SeqCst);
                }
                ring.enqueued.fetch_add(1, Ordering::SeqCst);
            }
            Overflow::DropNewest => match ring.queue.push(owned) {
                Ok(()) => {
                    ring.enqueued.fetch_add(1, Ordering::SeqCst);
                }
                Err(_) => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                }
            },
            Overflow::Block | Overflow::Timeout => {
                let deadline = match self.overflow {
                    Overflow::Timeout => Some(Instant::now() + self.timeout),
                    _ => None,
                };
                loop {
                    match ring.queue.push(owned) {
                        Ok(()) => {
                            ring.enqueued.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                        Err(back) => owned = back,
                    }
                    if ring.is_listener() || !ring.running.load(Ordering::Acquire) {
                        // Nobody else would make room: handle it here.
                        self.deliver_packed(&ring, owned, false);
                        break;
                    }
                    let wait = match deadline {
                        Some(d) => match d.checked_duration_since(Instant::now()) {
                            Some(left) if !left.is_zero() => left.min(Duration::from_millis(10)),
                            _ => {
                                self.dropped.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        },
                        None => Duration::from_millis(10),
                    };
                    let g = ring.signal();
                    ring.producers_waiting.fetch_add(1, Ordering::SeqCst);
                    fence(Ordering::SeqCst);
                    if ring.queue.is_full() {
                        let _ = ring.space.wait_timeout(g, wait);
                    }
                    ring.producers_waiting.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }
        ring.wake_listener();
        Ok(())
    }

    /// Waits until every record queued before the call has been handled.
    /// From the listener itself (a handler's callback flushing the queue)
    /// that would never end: refused.
    fn drain(&self) -> Result<(), EmitError> {
        let ring = self.ring.load_full();
        if ring.is_listener() {
            return Err(EmitError {
                kind: ErrorKind::Callback,
                detail: "the queue was flushed from its own listener (a handler's callback): \
                         it would wait for itself"
                    .into(),
            });
        }
        self.drain_queue_only();
        self.drain_rings(&ring);
        Ok(())
    }

    /// Waits until every record put in the shared ring before the call has
    /// been handled (the per-thread rings aside).
    fn drain_queue_only(&self) {
        let ring = self.ring.load_full();
        let target = ring.enqueued.load(Ordering::SeqCst);
        if !ring.running.load(Ordering::Acquire) {
            // No listener (never started, stopped, or no thread): drain here.
            while let Some(packed) = ring.queue.pop() {
                self.deliver_packed(&ring, packed, false);
                ring.finished.fetch_add(1, Ordering::SeqCst);
            }
            return;
        }
        while ring.finished.load(Ordering::SeqCst) < target {
            let g = ring.signal();
            ring.drainers_waiting.fetch_add(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            if ring.finished.load(Ordering::SeqCst) < target {
                let _ = ring.done.wait_timeout(g, Duration::from_millis(10));
            }
            ring.drainers_waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Waits until every per-thread ring's records published before the
    /// call have been handled (handles them here without a listener).
    fn drain_rings(&self, ring: &Ring) {
        let rings = self.port.rings();
        for thread_ring in rings.iter() {
            let target = thread_ring.header.write.load(Ordering::Acquire);
            while thread_ring.header.read.load(Ordering::Acquire) < target {
                if !ring.running.load(Ordering::Acquire) {
                    thread_ring.consume(self, false);
                    continue;
                }
                ring.wake_listener();
                let g = ring.signal();
                ring.drainers_waiting.fetch_add(1, Ordering::SeqCst);
                fence(Ordering::SeqCst);
                if thread_ring.header.read.load(Ordering::SeqCst) < target {
                    let _ = ring.done.wait_timeout(g, Duration::from_millis(1));
                }
                ring.drainers_waiting.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Hands every per-thread ring's published records to the handlers.
    fn consume_rings(&self, listener: bool) -> usize {
        self.port
            .rings()
            .iter()
            .map(|r| r.consume(self, listener))
            .sum()
    }

    fn rings_empty(&self) -> bool {
        self.port.rings().iter().all(|r| r.is_empty())
    }

    fn is_listener_thread(&self) -> bool {
        self.ring.load().is_listener()
    }

    /// A decoded deferred entry to the handlers.
    fn deliver_deferred(&self, identity: &rings::Identity, words: &[u64], listener: bool) {
        let Some(decode) = rings::decoder() else {
            return;
        };
        DEFERRED_TEXT.with(|text| {
            let mut text = text.borrow_mut();
            text.clear();
            let Some(d) = decode(words, &mut text) else {
                return;
            };
            let mut record = Record::stamped(
                d.created,
                d.name,
                d.level,
                d.pathname.as_deref(),
                d.lineno,
                d.func_name.as_deref(),
                Cow::Borrowed(&text),
                identity.thread,
                &identity.thread_name,
                &identity.process_name,
            );
            let delivered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if listener {
                    self.deliver_marked(&mut record);
                } else {
                    self.deliver(&mut record);
                }
            }));
            drop(delivered);
        });
    }

    /// A record the Rust path put in a thread's ring.
    fn deliver_packed_from_ring(&self, packed: Box<Packed>, listener: bool) {
        let ring = self.ring.load_full();
        let delivered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.deliver_packed(&ring, packed, listener)
        }));
        drop(delivered);
    }

    /// After a push into a thread's ring: wakes a sleeping listener.
    pub(crate) fn wake_for_ring(&self, port: &Port) {
        // One wake-up per sleep: the other producers that saw the flag
        // before the listener woke do not each make a system call.
        if port.sleeping.load(Ordering::Relaxed) != 0
            && port.sleeping.swap(0, Ordering::AcqRel) != 0
        {
            self.ring.load().wake_listener();
        }
    }

    /// A thread's ring is full: the overflow policy. True: try again;
    /// false: the record was dropped (and counted).
    pub(crate) fn ring_full(&self, thread_ring: &ThreadRing) -> bool {
        let ring = self.ring.load_full();
        if self.overflow == Overflow::DropNewest {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            // A napping listener would otherwise leave the ring full for
            // the rest of its nap, dropping what it could have taken.
            ring.wake_listener();
            return false;
        }
        if ring.is_listener() || !ring.running.load(Ordering::Acquire) {
            // Nobody else would make room: handle the ring here.
            thread_ring.consume(self, false);
            return true;
        }
        let deadline = (self.overflow == Overflow::Timeout).then(|| Instant::now() + self.timeout);
        // Room was made if the listener moved on since this look, or if it
        // emptied the ring: it may have published its last progress between
        // the producer's failed check and this look, and then moves no more
        // (waiting for a change alone waited for ever: a 4-thread block run
        // hung so).
        let seen = thread_ring.header.read.load(Ordering::Acquire);
        let room =
            || thread_ring.header.read.load(Ordering::SeqCst) != seen || thread_ring.is_empty();
        loop {
            ring.wake_listener();
            if room() {
                return true;
            }
            let wait = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left.min(Duration::from_millis(1)),
                    _ => {
                        self.dropped.fetch_add(1, Ordering::Relaxed);
                        return false;
                    }
                },
                None => Duration::from_millis(1),
            };
            let g = ring.signal();
            ring.producers_waiting.fetch_add(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            if !room() {
                let _ = ring.space.wait_timeout(g, wait);
            }
            ring.producers_waiting.fetch_sub(1, Ordering::SeqCst);
            if !ring.running.load(Ordering::Acquire) {
                return true;
            }
        }
    }

    /// Drains, stops and joins the listener.
    fn stop_listener(&self) {
        let ring = self.ring.load_full();
        if ring.is_listener() {
            return;
        }
        ring.stop.store(true, Ordering::SeqCst);
        {
            let _g = ring.signal();
            ring.listener_wake.notify_all();
        }
        let handle = ring.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
        ring.running.store(false, Ordering::Release);
        // Whatever raced in after the listener's last look.
        while let Some(packed) = ring.queue.pop() {
            self.deliver_packed(&ring, packed, false);
            ring.finished.fetch_add(1, Ordering::SeqCst);
        }
        self.consume_rings(false);
    }
}

pub struct QueueSink {
    shared: Arc<Shared>,
}

impl QueueSink {
    pub fn new(options: QueueOptions) -> QueueSink {
        let maxsize = if options.maxsize == 0 {
            DEFAULT_MAXSIZE
        } else {
            options.maxsize
        };
        let sync_level = options.sync_level.unwrap_or(i32::MAX);
        let sink = QueueSink {
            shared: Arc::new(Shared {
                ring: ArcSwap::from_pointee(Ring::new(maxsize)),
                maxsize,
                handlers: options.handlers,
                respect_handler_level: options.respect_handler_level,
                overflow: options.overflow,
                timeout: options.timeout,
                sync_level: AtomicI32::new(sync_level),
                dropped: Arc::default(),
                guard: crate::sync::ForkOnce::new(),
                closed: AtomicBool::new(false),
                port: Port::new(maxsize, sync_level),
            }),
        };
        sink.shared.port.attach(&sink.shared);
        // Started now, so the first record does not pay for the thread.
        sink.shared.ensure_listener(&sink.shared.ring.load_full());
        if rings::deferred_decoder_installed() {
            // The C macros' first call on a thread then finds its ring made.
            sink.shared.port.prefill();
        }
        sink
    }

    /// Records at or above `level` are handled on the logging thread.
    pub fn set_sync_level(&self, level: Option<i32>) {
        let level = level.unwrap_or(i32::MAX);
        self.shared.sync_level.store(level, Ordering::Relaxed);
        self.shared.port.sync_level.store(level, Ordering::Relaxed);
    }
}

impl Sink for QueueSink {
    fn kind(&self) -> &'static str {
        "QueueHandler"
    }

    fn takes_records(&self) -> bool {
        true
    }

    fn emit(&mut self, record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        self.shared.accept(record)
    }

    fn accept(&mut self, record: &Record<'_>) -> Result<(), EmitError> {
        self.shared.accept(record)
    }

    fn acceptor(&self) -> Option<Arc<dyn Accept>> {
        Some(Arc::new(Acceptor(self.shared.clone())))
    }

    /// Drains the queue, then flushes every handler.
    fn flush(&mut self) -> io::Result<()> {
        self.shared
            .drain()
            .map_err(|e| io::Error::other(e.detail))?;
        let mut first_error = None;
        for handler in &self.shared.handlers {
            if let Err(e) = handler.flush() {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Python's `QueueListener.stop` then `QueueHandler.close`: everything
    /// queued is handled, the listener ends; the handlers stay open (they
    /// are closed on their own, as in Python). Later records are handled on
    /// the logging thread.
    fn close(&mut self) -> io::Result<()> {
        self.shared.closed.store(true, Ordering::Relaxed);
        crate::logger::config_changed();
        self.shared.stop_listener();
        Ok(())
    }

    fn targets(&self) -> Vec<Arc<Handler>> {
        self.shared.handlers.clone()
    }

    fn dropped_counter(&self) -> Option<Arc<AtomicU64>> {
        Some(self.shared.dropped.clone())
    }

    fn as_queue(&mut self) -> Option<&mut QueueSink> {
        Some(self)
    }

    fn set_delivery_guard(&mut self, guard: DeliveryGuard) {
        let _ = self.shared.guard.set(guard);
    }

    /// In a fork child: a fresh, empty ring (the parent handles what it
    /// queued); the listener starts on first use. The parent's ring is
    /// abandoned, not freed: its lock may be held by a thread that does not
    /// exist here.
    fn after_fork(&mut self, _interrupted: bool) {
        let fresh = Arc::new(Ring::new(self.shared.maxsize));
        std::mem::forget(self.shared.ring.swap(fresh));
        self.shared.port.after_fork();
    }
}

impl Drop for QueueSink {
    fn drop(&mut self) {
        self.shared.stop_listener();
        self.shared.port.drop_spare();
    }
}

/// A sink that takes records without the handler's lock (the queue's
/// producers share no lock).
pub trait Accept: Send + Sync {
    fn accept(&self, record: &Record<'_>) -> Result<(), EmitError>;

    /// The port of the C macros' deferred path (QueueHandlers only, and
    /// not with drop_oldest, which needs the shared ring).
    fn port(&self) -> Option<&'static Port> {
        None
    }
}

struct Acceptor(Arc<Shared>);

impl Accept for Acceptor {
    fn accept(&self, record: &Record<'_>) -> Result<(), EmitError> {
        self.0.accept(record)
    }

    fn port(&self) -> Option<&'static Port> {
        let shared = &self.0;
        let usable = shared.overflow != Overflow::DropOldest
            && !shared.closed.load(Ordering::Relaxed)
            && shared.guard.get().is_some();
        usable.then_some(shared.port)
    }
}

thread_local! {
    /// The text a deferred record's message is formatted into.
    static DEFERRED_TEXT: std::cell::RefCell<String> =
        std::cell::RefCell::new(String::with_capacity(256));
}

/// Python's `QueueHandler` with a started `QueueListener`.
pub fn queue_handler(options: QueueOptions) -> Arc<Handler> {
    Handler::new(Box::new(QueueSink::new(options)))
}

/// Records at or above `level` (None: none) are handled on the logging
/// thread after the queue is drained.
pub fn set_sync_level(handler: &Handler, level: Option<i32>) -> Result<(), String> {
    handler.with_sink(|sink| match sink.as_queue() {
        Some(queue) => {
            queue.set_sync_level(level);
            Ok(())
        }
        None => Err(format!("{} is not a QueueHandler", sink.kind())),
    })
}

/// Records that took the C macros' deferred path through this QueueHandler
/// (None: not a QueueHandler).
pub fn deferred_count(handler: &Handler) -> Option<u64> {
    handler.with_sink(|sink| {
        sink.as_queue()
            .map(|queue| queue.shared.port.deferred.load(Ordering::Relaxed))
    })
}
