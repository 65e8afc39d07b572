//! The deferred path of the C printf macros (`SAWMILL_LOG` and friends):
//! each logging thread has its own single-producer ring of 64-bit words per
//! QueueHandler, into which the C shim (src/ffi/deferred.c) copies the
//! call's level, location, format and raw arguments; the listener formats
//! the message (see `set_deferred_decoder`). No lock and no atomic
//! read-modify-write is shared between producers: a thread writes its ring
//! and publishes the new end with one release store.
//!
//! An entry is one header word (size in words | kind << 32) and its body.
//! An entry never wraps: the producer pads to the end of the ring first.
//! A thread that has a ring sends its other records to the same queue
//! (the Rust path, or a C call that falls back) through the ring as well,
//! as a marker word whose record waits in a side list: the thread's order
//! is kept.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use arc_swap::ArcSwap;

use super::{Packed, Shared};
use crate::handler::CacheLine;
use crate::sync::{ForkOnce, Lock};

/// Padding to the end of the ring.
const KIND_PAD: u64 = 0;
/// A printf-style call written by the C shim.
const KIND_DEFERRED: u64 = 1;
/// A record packed by the Rust path, waiting in the ring's side list.
const KIND_PACKED: u64 = 2;
/// The thread was renamed: later entries take the identity waiting in
/// the ring's side list.
const KIND_IDENTITY: u64 = 3;

/// Words the listener consumes before it tells the producer (one store to
/// the `read` line per step, not per entry).
const PUBLISH_STEP: u64 = 512;

/// Words of a thread's ring (a power of two).
pub fn ring_words(maxsize: usize) -> usize {
    // About eight words a record (a short message's entry is six): 512
    // bytes to 512 KiB a thread (a larger ring measured a longer latency
    // tail: its lines fall out of the caches between two passes).
    (maxsize.saturating_mul(8))
        .clamp(1 << 6, 1 << 16)
        .next_power_of_two()
}

/// The part of a ring the C shim reads and writes (the layout is mirrored
/// in src/ffi/deferred.c).
#[repr(C)]
pub struct RingHeader {
    /// Words published by the producer (only ever grows).
    pub write: AtomicU64,
    /// The producer's last look at `read`.
    pub read_seen: AtomicU64,
    /// Address of the first word.
    pub base: usize,
    /// Words - 1.
    pub mask: u64,
    /// The port's generation the ring belongs to (a fork child's rings are new).
    pub generation: u64,
    /// Address of the ring's `Port`.
    pub port: usize,
    /// The producer thread's token (the address of its C thread-local
    /// ring pointer); 0 once that thread has ended. The shim uses the ring
    /// only while this is its own token, so a ring handed to a new thread
    /// is never written by the old one.
    pub owner: AtomicU64,
    /// Words consumed by the listener, on its own cache line.
    pub(crate) read: CacheLine<AtomicU64>,
}

/// One thread's ring for one QueueHandler. Never freed (the C shim keeps
/// its address in thread-local storage).
#[repr(C)]
pub struct ThreadRing {
    pub header: RingHeader,
    words: Box<[AtomicU64]>,
    /// Held by whoever consumes (the listener, or a drainer without one).
    consumer: Mutex<Vec<u64>>,
    /// Records of KIND_PACKED markers, in order.
    packed: Mutex<VecDeque<Box<Packed>>>,
    port: Option<&'static Port>,
    /// The producer thread's identity (changes when a drained ring of an
    /// ended thread is handed to a new one).
    identity: Mutex<Identity>,
    /// Identities of KIND_IDENTITY markers, in order.
    renames: Mutex<VecDeque<Identity>>,
    /// Set when the producer thread has ended.
    retired: AtomicBool,
}

/// What a record takes from its thread.
pub struct Identity {
    pub thread: u64,
    pub thread_name: String,
    pub process_name: String,
}

impl Identity {
    fn of_this_thread() -> Identity {
        crate::record::with_identity(|thread, name, process| Identity {
            thread,
            thread_name: name.to_owned(),
            process_name: process.to_owned(),
        })
    }
}

const _: () = assert!(std::mem::offset_of!(RingHeader, write) == 0);
const _: () = assert!(std::mem::offset_of!(RingHeader, read_seen) == 8);
const _: () = assert!(std::mem::offset_of!(RingHeader, base) == 16);
const _: () = assert!(std::mem::offset_of!(RingHeader, mask) == 24);
const _: () = assert!(std::mem::offset_of!(RingHeader, generation) == 32);
const _: () = assert!(std::mem::offset_of!(RingHeader, port) == 40);
const _: () = assert!(std::mem::offset_of!(RingHeader, owner) == 48);
const _: () = assert!(std::mem::offset_of!(RingHeader, read) == 128);
const _: () = assert!(std::mem::offset_of!(ThreadRing, header) == 0);

impl ThreadRing {
    fn new(port: &'static Port, words: usize, owner: u64) -> ThreadRing {
        let words: Box<[AtomicU64]> = (0..words).map(|_| AtomicU64::new(0)).collect();
        ThreadRing {
            header: RingHeader {
                write: AtomicU64::new(0),
                read_seen: AtomicU64::new(0),
                base: words.as_ptr() as usize,
                mask: words.len() as u64 - 1,
                generation: port.generation.load(Ordering::Acquire),
                port: port as *const Port as usize,
                owner: AtomicU64::new(owner),
                read: CacheLine(AtomicU64::new(0)),
            },
            words,
            consumer: Mutex::new(Vec::new()),
            packed: Mutex::new(VecDeque::new()),
            port: Some(port),
            identity: Mutex::new(Identity::of_this_thread()),
            renames: Mutex::new(VecDeque::new()),
            retired: AtomicBool::new(false),
        }
    }

    fn port(&self) -> Option<&'static Port> {
        self.port
    }

    /// Whether everything published has been consumed.
    pub fn is_empty(&self) -> bool {
        self.header.read.load(Ordering::Acquire) >= self.header.write.load(Ordering::Acquire)
    }

    /// Publishes a one-word marker of `kind` after `side` has put what
    /// it announces in its side list (the producer thread only). False
    /// when the ring is full (nothing is done).
    fn try_push_marker(&self, kind: u64, side: impl FnOnce()) -> bool {
        let h = &self.header;
        let write = h.write.load(Ordering::Relaxed);
        let cap = self.words.len() as u64;
        if write + 1 - h.read.load(Ordering::Acquire) > cap {
            return false;
        }
        side();
        self.words[(write & h.mask) as usize].store(1 | (kind << 32), Ordering::Relaxed);
        h.write.store(write + 1, Ordering::Release);
        true
    }

    fn try_push_packed(&self, packed: Box<Packed>) -> Result<(), Box<Packed>> {
        let mut packed = Some(packed);
        let pushed = self.try_push_marker(KIND_PACKED, || {
            if let Some(p) = packed.take() {
                self.packed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_back(p);
            }
        });
        match packed {
            Some(p) if !pushed => Err(p),
            _ => Ok(()),
        }
    }

    /// Hands every published entry to the queue's handlers, in order.
    /// Returns how many entries were handled.
    pub(crate) fn consume(&self, shared: &Shared, listener: bool) -> usize {
        let mut scratch = self.consumer.lock().unwrap_or_else(|e| e.into_inner());
        let mut identity = self.identity.lock().unwrap_or_else(|e| e.into_inner());
        let h = &self.header;
        let end = h.write.load(Ordering::Acquire);
        let mut read = h.read.load(Ordering::Relaxed);
        let mut published = read;
        let mut handled = 0;
        let mut deferred = 0;
        while read < end {
            let at = (read & h.mask) as usize;
            let head = self.words[at].load(Ordering::Relaxed);
            let size = u64::from(head as u32).max(1);
            match head >> 32 {
                KIND_DEFERRED => {
                    scratch.clear();
                    scratch.extend(
                        self.words[at..at + size as usize]
                            .iter()
                            .map(|w| w.load(Ordering::Relaxed)),
                    );
                    shared.deliver_deferred(&identity, &scratch, listener);
                    handled += 1;
                    deferred += 1;
                }
                KIND_PACKED => {
                    let packed = self
                        .packed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .pop_front();
                    if let Some(packed) = packed {
                        shared.deliver_packed_from_ring(packed, listener);
                    }
                    handled += 1;
                }
                KIND_IDENTITY => {
                    let renamed = self
                        .renames
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .pop_front();
                    if let Some(renamed) = renamed {
                        *identity = renamed;
                    }
                }
                KIND_PAD => {}
                _ => {}
            }
            read += size;
            // Progress is published in steps (and at the end): the
            // producer reads it only when its ring looks full.
            if read - published >= PUBLISH_STEP {
                h.read.store(read, Ordering::Release);
                published = read;
            }
        }
        if read != published {
            h.read.store(read, Ordering::Release);
        }
        if deferred > 0 {
            if let Some(port) = self.port() {
                port.deferred.fetch_add(deferred, Ordering::Relaxed);
            }
        }
        handled
    }
}

/// What the C shim reads of a QueueHandler (layout mirrored in
/// src/ffi/deferred.c), plus the per-thread rings. Never freed: a logging
/// thread may still hold its address after the handler is gone.
#[repr(C)]
pub struct Port {
    /// Records at or above this level take the synchronous path.
    pub sync_level: AtomicI32,
    /// The QueueHandler's own level (records below it are not queued).
    pub handler_level: AtomicI32,
    /// Changes in a fork child: every ring is then replaced.
    pub generation: AtomicU64,
    /// Set while the listener sleeps (read without a fence by the shim:
    /// the listener never sleeps long while rings exist).
    pub sleeping: AtomicU32,
    rings: ArcSwap<Vec<&'static ThreadRing>>,
    /// A `sync::Lock`: a fork child takes it over from a vanished holder.
    register: Lock<()>,
    shared: ForkOnce<Weak<Shared>>,
    /// Records that took the deferred path.
    pub(crate) deferred: CacheLine<AtomicU64>,
    ring_words: AtomicUsize,
    /// A ring made with the handler for the first thread that needs one
    /// (see `prefill`); freed with the handler if no thread took it.
    spare: Lock<Option<Box<ThreadRing>>>,
}

const _: () = assert!(std::mem::offset_of!(Port, sync_level) == 0);
const _: () = assert!(std::mem::offset_of!(Port, handler_level) == 4);
const _: () = assert!(std::mem::offset_of!(Port, generation) == 8);
const _: () = assert!(std::mem::offset_of!(Port, sleeping) == 16);

/// This thread's rings: (port address, generation, ring). When the thread
/// ends they are retired: drained by the listener, then handed to the next
/// thread that needs one (memory stays bounded by the threads alive at once).
#[derive(Default)]
struct MyRings(std::cell::RefCell<Vec<(usize, u64, &'static ThreadRing)>>);

impl Drop for MyRings {
    fn drop(&mut self) {
        for (_, _, ring) in self.0.borrow().iter() {
            ring.header.owner.store(0, Ordering::Release);
            ring.retired.store(true, Ordering::Release);
        }
    }
}

thread_local! {
    static MY_RINGS: MyRings = MyRings::default();
}

/// Every port made (see `Port::new`).
static PORTS: Lock<Vec<&'static Port>> = Lock::new(Vec::new());

impl Port {
    pub fn new(maxsize: usize, sync_level: i32) -> &'static Port {
        let port: &'static Port = Box::leak(Box::new(Port {
            sync_level: AtomicI32::new(sync_level),
            handler_level: AtomicI32::new(0),
            generation: AtomicU64::new(0),
            sleeping: AtomicU32::new(0),
            rings: ArcSwap::from_pointee(Vec::new()),
            register: Lock::new(()),
            shared: ForkOnce::new(),
            deferred: CacheLine(AtomicU64::new(0)),
            ring_words: AtomicUsize::new(ring_words(maxsize)),
            spare: Lock::new(None),
        }));
        // Kept reachable for the life of the process: a logging thread may
        // still hold the address of one of its rings after the QueueHandler
        // is gone (so neither is freed).
        PORTS.lock().push(port);
        port
    }

    pub(super) fn attach(&self, shared: &Arc<Shared>) {
        let _ = self.shared.set(Arc::downgrade(shared));
    }

    pub(crate) fn shared(&self) -> Option<Arc<Shared>> {
        self.shared.get().and_then(Weak::upgrade)
    }

    /// The rings of the current generation.
    pub fn rings(&self) -> Arc<Vec<&'static ThreadRing>> {
        self.rings.load_full()
    }

    pub fn has_rings(&self) -> bool {
        !self.rings.load().is_empty()
    }

    /// This thread's ring, if it has one in this generation.
    pub fn my_ring(&self) -> Option<&'static ThreadRing> {
        if !self.has_rings() {
            return None;
        }
        let me = self as *const Port as usize;
        let generation = self.generation.load(Ordering::Acquire);
        MY_RINGS
            .try_with(|rings| {
                rings
                    .0
                    .borrow()
                    .iter()
                    .find(|(p, g, _)| *p == me && *g == generation)
                    .map(|(_, _, r)| *r)
            })
            .ok()
            .flatten()
    }

    /// This thread's ring, made on first use. None when the thread must
    /// not use one (the listener itself, or thread-local storage gone).
    pub fn ring_for_this_thread(&'static self, owner: u64) -> Option<&'static ThreadRing> {
        if let Some(ring) = self.my_ring() {
            ring.header.owner.store(owner, Ordering::Release);
            return Some(ring);
        }
        let shared = self.shared()?;
        if shared.is_listener_thread() {
            return None;
        }
        // Records this thread queued before are ahead of the ring's.
        shared.drain_queue_only();
        // (A fork child's listener starts on first use.)
        shared.ensure_listener(&shared.ring.load_full());
        let me = self as *const Port as usize;
        // Registered first: a thread whose thread-local storage is gone
        // (exiting) takes the synchronous path instead.
        MY_RINGS.try_with(|_| ()).ok()?;
        let _g = self.register.lock();
        let reused = self.rings.load().iter().copied().find(|r| {
            r.is_empty()
                && r.retired
                    .compare_exchange(true, false, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
        });
        let ring = match reused {
            Some(ring) => {
                *ring.identity.lock().unwrap_or_else(|e| e.into_inner()) =
                    Identity::of_this_thread();
                ring.header.owner.store(owner, Ordering::Release);
                ring
            }
            None => {
                let generation = self.generation.load(Ordering::Acquire);
                // A ring left by a parent process is not this port's spare
                // (the child takes the lock over if a parent thread held it).
                let spare = self
                    .spare
                    .lock()
                    .take()
                    .filter(|r| r.header.generation == generation);
                let ring: &'static ThreadRing = match spare {
                    Some(spare) => {
                        let ring = Box::leak(spare);
                        *ring.identity.lock().unwrap_or_else(|e| e.into_inner()) =
                            Identity::of_this_thread();
                        ring.header.owner.store(owner, Ordering::Release);
                        ring
                    }
                    None => Box::leak(Box::new(ThreadRing::new(
                        self,
                        self.ring_words.load(Ordering::Relaxed),
                        owner,
                    ))),
                };
                let mut next = Vec::clone(&self.rings.load());
                next.push(ring);
                self.rings.store(Arc::new(next));
                ring
            }
        };
        MY_RINGS
            .try_with(|rings| {
                rings
                    .0
                    .borrow_mut()
                    .push((me, ring.header.generation, ring));
            })
            .ok()?;
        Some(ring)
    }

    /// Makes one ring ahead of need: the first thread that needs a ring
    /// takes it instead of allocating and zeroing its ring inside its
    /// first call.
    pub(super) fn prefill(&'static self) {
        let ring = Box::new(ThreadRing::new(
            self,
            self.ring_words.load(Ordering::Relaxed),
            0,
        ));
        *self.spare.lock() = Some(ring);
    }

    /// The handler is gone: a spare ring no thread took is freed (no
    /// thread holds its address).
    pub(super) fn drop_spare(&self) {
        let spare = self.spare.lock().take();
        drop(spare);
    }

    /// In a fork child: the parent's rings belong to the parent.
    pub fn after_fork(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        // A fresh list without them (the register lock, if a thread that is
        // gone held it, is taken over by the next registration).
        self.rings.store(Arc::new(Vec::new()));
        self.sleeping.store(0, Ordering::Relaxed);
    }

    /// The Rust path on a thread with a ring: the record goes through the
    /// ring, behind the thread's deferred records. Gives it back when the
    /// thread has no ring.
    pub(super) fn push_packed(
        &self,
        shared: &Shared,
        packed: Box<Packed>,
    ) -> Result<(), Box<Packed>> {
        let Some(ring) = self.my_ring() else {
            return Err(packed);
        };
        let mut packed = packed;
        loop {
            match ring.try_push_packed(packed) {
                Ok(()) => {
                    shared.wake_for_ring(self);
                    return Ok(());
                }
                Err(back) => packed = back,
            }
            if !shared.ring_full(ring) {
                return Ok(());
            }
        }
    }
}

/// The calling thread was renamed (`record::set_current_thread_name`):
/// its rings' later entries carry the new name, earlier ones the old.
pub fn thread_renamed() {
    let _ = MY_RINGS.try_with(|rings| {
        for (_, _, ring) in rings.0.borrow().iter() {
            if ring.retired.load(Ordering::Acquire) {
                continue;
            }
            let mut identity = Some(Identity::of_this_thread());
            loop {
                let pushed = ring.try_push_marker(KIND_IDENTITY, || {
                    if let Some(i) = identity.take() {
                        ring.renames
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push_back(i);
                    }
                });
                if pushed {
                    break;
                }
                // Full: make room here, whatever the policy (a rename is
                // not a record to drop or count).
                match ring.port.and_then(Port::shared) {
                    Some(shared) => {
                        ring.consume(&shared, false);
                    }
                    None => break,
                }
            }
        }
    });
}

/// A deferred entry decoded by the C layer: everything of the record but
/// the thread's identity (the ring's) and the message (written to the
/// text given to the decoder).
pub struct Decoded {
    pub name: &'static str,
    pub level: i32,
    pub pathname: Option<std::borrow::Cow<'static, str>>,
    pub lineno: u32,
    pub func_name: Option<std::borrow::Cow<'static, str>>,
    pub created: f64,
}

/// Turns an entry's words into a record's fields and its message text.
pub type DeferredDecoder = fn(&[u64], &mut String) -> Option<Decoded>;

static DECODER: ForkOnce<DeferredDecoder> = ForkOnce::new();

/// Set once, by the C layer, which alone knows the entries' layout.
pub fn set_deferred_decoder(decoder: DeferredDecoder) {
    let _ = DECODER.set(decoder);
}

pub fn deferred_decoder_installed() -> bool {
    DECODER.get().is_some()
}

pub(super) fn decoder() -> Option<DeferredDecoder> {
    DECODER.get().copied()
}

/// Recomputes `logger`'s answer to "may the C macros defer this logger's
/// records, and to which queue?" (the address of the queue's `Port`, 0:
/// no), stores it in the logger with the epoch it holds for, and returns
/// it. Eligible when the
/// only handler a record of it reaches is a QueueHandler without filters,
/// the logger has no filters, no thread context (MDC) is in use and the
/// process is not past its exit flush. Anything else keeps the
/// synchronous path, which formats on the calling thread.
pub fn refresh_deferred(logger: &'static crate::logger::Logger) -> usize {
    let epoch = crate::logger::config_epoch();
    let port = deferred_port(logger).map_or(0, |p| p as *const Port as usize);
    logger.set_deferred(epoch, port);
    port
}

fn deferred_port(logger: &'static crate::logger::Logger) -> Option<&'static Port> {
    if crate::manager::exit_flushed()
        || crate::context::ever_used()
        || logger.disabled()
        || logger.has_filters()
        || !deferred_decoder_installed()
    {
        return None;
    }
    let mut only = None;
    let mut count = 0usize;
    let mut at = Some(logger);
    while let Some(l) = at {
        for handler in l.handlers().iter() {
            count += 1;
            only = Some(handler.clone());
        }
        at = if l.propagate() { l.parent() } else { None };
    }
    if count != 1 {
        return None;
    }
    let handler = only?;
    let port = handler.deferred_port()?;
    port.handler_level.store(handler.level(), Ordering::Relaxed);
    Some(port)
}
