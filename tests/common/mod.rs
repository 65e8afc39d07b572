//! Helpers shared by the integration tests that fork.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Forks `forks` times while two threads log `parent <thread> <n>` through
/// `logger`. Each child logs `child <i>` at ERROR and leaves with _exit; it
/// must exit within 5 s.
pub fn fork_while_two_threads_log(logger: &'static sawmill::Logger, forks: usize, what: &str) {
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..2)
        .map(|t| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    logger.log(sawmill::INFO, None, 0, None, &format!("parent {t} {n}"));
                    n += 1;
                }
            })
        })
        .collect();
    for i in 0..forks {
        // SAFETY: the child only logs through sawmill (whose locks the
        // at-fork handler re-initialised) and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            logger.log(sawmill::ERROR, None, 0, None, &format!("child {i}"));
            // SAFETY: ends the child without the parent's exit-time work.
            unsafe { libc::_exit(0) };
        }
        wait_exit_ok(pid, Duration::from_secs(5), &format!("{what} fork {i}"));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
}

/// Waits for `pid` up to `limit`; kills it and fails if it does not exit.
pub fn wait_exit_ok(pid: libc::pid_t, limit: Duration, what: &str) {
    let deadline = Instant::now() + limit;
    let mut status = 0;
    loop {
        // SAFETY: waiting for our own child.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if Instant::now() > deadline {
            // SAFETY: killing our own hung child before failing.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // SAFETY: reaping it.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            panic!("{what}: child did not exit within {limit:?} (deadlock)");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{what}: child failed (status {status})"
    );
}
