//! A logger's handler list: replaced as a whole on every change (rare),
//! read on every record.
//!
//! Readers normally take an arc-swap snapshot. In a process that has a
//! single thread, a dispatch reads the list without one: nobody can free the
//! list it reads except its own callbacks (or threads they start), and those
//! retire what they replace until the dispatch ends. The snapshot cost more
//! than the rest of the walk up the hierarchy.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;

use arc_swap::ArcSwap;

use super::Handler;
use crate::sync::Lock;

type Handlers = Vec<Arc<Handler>>;

pub struct HandlerList {
    current: ArcSwap<Handlers>,
    /// The list `current` holds, for unsnapshotted reads. Changed only
    /// together with `current`, under `WRITERS`.
    unsnapshotted: AtomicPtr<Handlers>,
    /// How many handlers `current` holds: readers skip an empty list
    /// (most loggers of a hierarchy have none) before touching it.
    count: AtomicUsize,
}

/// Serialises changes of handler lists, so `unsnapshotted` always names the
/// list `current` holds.
static WRITERS: Lock<()> = Lock::new(());
/// Lists replaced while an unsnapshotted read runs, freed when it ends.
static RETIRED: Lock<Vec<Arc<Handlers>>> = Lock::new(Vec::new());
/// An unsnapshotted read is running.
static READING: AtomicBool = AtomicBool::new(false);
/// RETIRED may hold lists.
static ANY_RETIRED: AtomicBool = AtomicBool::new(false);

impl Default for HandlerList {
    fn default() -> Self {
        let empty = Arc::new(Vec::new());
        HandlerList {
            unsnapshotted: AtomicPtr::new(Arc::as_ptr(&empty).cast_mut()),
            current: ArcSwap::new(empty),
            count: AtomicUsize::new(0),
        }
    }
}

impl HandlerList {
    /// A snapshot of the list.
    pub fn snapshot(&self) -> Arc<Handlers> {
        self.current.load_full()
    }

    pub fn len(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the list with `next(current)` (`None`: no change) and returns
    /// the list it replaced. Handlers released by the change are dropped by
    /// the caller, outside every lock (a C destroy callback may call back in).
    pub fn replace(
        &self,
        next: impl FnOnce(&[Arc<Handler>]) -> Option<Handlers>,
    ) -> Option<Arc<Handlers>> {
        crate::logger::config_changed();
        let replaced = {
            let _writer = WRITERS.lock();
            let current = self.current.load_full();
            let next = Arc::new(next(&current)?);
            self.count.store(next.len(), Ordering::Release);
            self.unsnapshotted
                .store(Arc::as_ptr(&next).cast_mut(), Ordering::Release);
            self.current.store(next);
            current
        };
        retire_if_read(&replaced);
        Some(replaced)
    }

    /// Calls `f` on each handler: through a snapshot, or without one inside
    /// an `UnsnapshottedRead`.
    #[inline]
    pub fn for_each(&self, read: Option<&UnsnapshottedRead>, mut f: impl FnMut(&Arc<Handler>)) {
        if self.is_empty() {
            return;
        }
        if read.is_some() {
            // SAFETY: the list `current` holds, or one replaced during this
            // read and kept in RETIRED until the read ends.
            let list = unsafe { &*self.unsnapshotted.load(Ordering::Acquire) };
            list.iter().for_each(f);
        } else {
            self.current.load().iter().for_each(&mut f);
        }
    }
}

/// Keeps `replaced` alive while an unsnapshotted read may use it.
fn retire_if_read(replaced: &Arc<Handlers>) {
    let mut retired = RETIRED.lock();
    if !READING.load(Ordering::SeqCst) {
        return;
    }
    retired.push(Arc::clone(replaced));
    ANY_RETIRED.store(true, Ordering::SeqCst);
    // The reader may have ended (on a thread of its own, it then checks
    // ANY_RETIRED): one of the two sees the other's store, and frees.
    if !READING.load(Ordering::SeqCst) {
        let lists = std::mem::take(&mut *retired);
        ANY_RETIRED.store(false, Ordering::SeqCst);
        drop(retired);
        drop(lists);
    }
}

/// A dispatch reading handler lists without snapshots; when it ends (or
/// unwinds), the lists replaced meanwhile are freed. Costs two plain stores
/// and a load while the process stays single-threaded. Dispatches do not
/// nest (a record logged from a callback is dropped), so one flag serves.
pub struct UnsnapshottedRead(());

impl UnsnapshottedRead {
    /// Starts one if the process has a single thread.
    pub fn begin() -> Option<UnsnapshottedRead> {
        crate::sync::single_threaded().then(|| {
            // A thread started later sees this through pthread_create.
            READING.store(true, Ordering::Relaxed);
            UnsnapshottedRead(())
        })
    }
}

impl Drop for UnsnapshottedRead {
    fn drop(&mut self) {
        let order = if crate::sync::single_threaded() {
            // No other thread: what this thread's callbacks stored is seen.
            Ordering::Relaxed
        } else {
            Ordering::SeqCst
        };
        READING.store(false, order);
        if ANY_RETIRED.load(order) {
            let lists = {
                let mut retired = RETIRED.lock();
                ANY_RETIRED.store(false, Ordering::SeqCst);
                std::mem::take(&mut *retired)
            };
            // Outside the lock: dropping handlers may run C destroy callbacks.
            drop(lists);
        }
    }
}
