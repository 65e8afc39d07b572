//! Fork safety. A child of `fork` has one thread; any lock another thread of
//! the parent held at that moment would stay locked forever in the child.
//! Instead of taking every lock around fork (which deadlocked CPython), the
//! child handler bumps the fork generation, forgets the cached pid and lets
//! worker threads restart on first use.
//!
//! Locks (`sync::Lock`) held by a thread of the parent at the fork, and
//! one-time set-ups (`sync::ForkOnce`) it was running, are marked with the
//! parent's generation: the child's first use takes them over instead of
//! waiting. No list of locks or cells is kept. What stays below resets
//! data, not locks: the pid cache, the flusher thread, each handler's
//! inherited buffer and descriptors, the resolver's running lookups.
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
    // First: locks held and one-time set-ups run by another thread at the
    // fork are taken over by the child's first use (see `sync::Lock`,
    // `sync::ForkOnce`), the ones used below included.
    crate::sync::after_fork_in_child();
    crate::record::reset_process_id();
    crate::handler::flusher::forget_after_fork();
    crate::handler::after_fork();
    crate::net::resolve::reset_after_fork();
}

/// Registers the child handler once per process (at library load and at the
/// first handler's creation, whichever comes first).
pub fn install() {
    static INSTALL: ForkOnce<()> = ForkOnce::new();
    INSTALL.get_or_init(|| {
        crate::sync::find_single_threaded_flag();
        // SAFETY: registers a plain extern "C" function with no captured state.
        unsafe {
            libc::pthread_atfork(Some(before_fork), None, Some(in_child));
        }
    });
}
