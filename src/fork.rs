//! Fork safety. A child of `fork` has one thread; any lock another thread of
//! the parent held at that moment stays locked forever in the child. Instead
//! of taking every lock around fork (which deadlocked CPython), the child
//! handler re-initialises the library's locks, forgets the cached pid and
//! lets worker threads restart on first use.
//!
//! One-time set-ups (`sync::ForkOnce`) that another thread was running at
//! the fork are run again by the child's first use instead of being waited
//! for.
//!
//! The formatter's date cache needs nothing: it is per thread, and the
//! child's one thread keeps its own copy. Handlers that were in use at the
//! fork also re-check their file descriptors (see `Sink::after_fork`).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::sync::ForkOnce;

/// Set just before the first fork: from then on parent and children may
/// share rotating files, so rollovers take the file's lock (see
/// `FileSink::roll_over_shared`).
static FORKED: AtomicBool = AtomicBool::new(false);

/// Whether this process has forked or is a fork child.
pub fn has_forked() -> bool {
    FORKED.load(Ordering::Relaxed)
}

extern "C" fn before_fork() {
    FORKED.store(true, Ordering::Relaxed);
}

extern "C" fn in_child() {
    // First: one-time set-ups another thread was running at the fork are
    // taken over by the child's first use (see `sync::ForkOnce`), the
    // handlers below included.
    crate::sync::after_fork_in_child();
    crate::record::reset_process_id();
    crate::handler::flusher::forget_after_fork();
    crate::manager::reset_locks_after_fork();
    crate::level::reset_locks_after_fork();
    crate::handler::list::reset_locks_after_fork();
    crate::config::reset_locks_after_fork();
    crate::record::reset_locks_after_fork();
    crate::ffi::reset_locks_after_fork();
    crate::handler::reset_locks_after_fork();
    crate::net::resolve::reset_after_fork();
}

/// Registers the child handler once per process (at library load and at the
/// first handler's creation, whichever comes first).
pub fn install() {
    static INSTALL: ForkOnce<()> = ForkOnce::new();
    INSTALL.get_or_init(|| {
        // SAFETY: registers a plain extern "C" function with no captured state.
        unsafe {
            libc::pthread_atfork(Some(before_fork), None, Some(in_child));
        }
    });
}
