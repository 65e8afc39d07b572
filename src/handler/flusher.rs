//! The interval flusher: one background thread, started the first time a
//! handler is given a flush interval, that hands due buffers to the kernel so
//! an idle buffered handler still reaches the disk within its interval.
//! After fork the thread does not exist in the child; it is restarted lazily
//! (the next time a record goes through a handler with an interval).

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

/// Pid of the process whose flusher thread is running (0: none).
static RUNNING_IN: AtomicU32 = AtomicU32::new(0);
/// The shortest interval asked for, in ms: the thread wakes twice per interval.
static SHORTEST_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Makes sure the flusher runs in this process and wakes often enough for
/// `interval`. Cheap when it already runs: two atomic loads.
pub fn ensure_running(interval: Duration) {
    let ms = interval.as_millis().clamp(1, u128::from(u32::MAX)) as u64;
    if SHORTEST_MS.load(Ordering::Relaxed) > ms {
        SHORTEST_MS.fetch_min(ms, Ordering::Relaxed);
    }
    let pid = crate::record::process_id();
    if RUNNING_IN.load(Ordering::Acquire) == pid {
        return;
    }
    if RUNNING_IN.swap(pid, Ordering::AcqRel) == pid {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("sawmill-flusher".into())
        .spawn(run);
    if spawned.is_err() {
        // No thread: buffers still flush when full, at the flush level, on
        // explicit flush and at exit. Try again next time.
        RUNNING_IN.store(0, Ordering::Release);
    }
}

fn run() {
    let me = crate::record::process_id();
    loop {
        let tick = (SHORTEST_MS.load(Ordering::Relaxed) / 2).clamp(5, 1000);
        std::thread::sleep(Duration::from_millis(tick));
        if RUNNING_IN.load(Ordering::Acquire) != me {
            return;
        }
        for handler in super::live_handlers() {
            handler.flush_if_due();
        }
    }
}

/// Called in a fork child: the thread is gone; let the next use restart it.
pub fn forget_after_fork() {
    RUNNING_IN.store(0, Ordering::Release);
}
