//! Fork safety. A child of `fork` has one thread; any lock another thread of
//! the parent held at that moment stays locked forever in the child. Instead
//! of taking every lock around fork (which deadlocked CPython), the child
//! handler re-initialises the library's locks, forgets the cached pid and
//! lets worker threads restart on first use.
//!
//! The formatter's date cache needs nothing: it is per thread, and the
//! child's one thread keeps its own copy. Handlers that were in use at the
//! fork also re-check their file descriptors (see `Sink::after_fork`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

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
    // A one-time set-up (OnceLock) that another thread is running at the
    // fork stays "running" forever in the child, and the child's first use
    // of it waits for ever (recipe 8 hung so in `level::names`, called by
    // the child handler below). The forking thread finishes the ones the
    // child handler and the logging path use, before the fork.
    crate::level::settle_before_fork();
    crate::manager::settle_before_fork();
    crate::clock::start_time();
    crate::format::Formatter::default_formatter();
    crate::ffi::deferred::settle_before_fork();
}

extern "C" fn in_child() {
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
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: registers a plain extern "C" function with no captured state.
        unsafe {
            libc::pthread_atfork(Some(before_fork), None, Some(in_child));
        }
    });
}
