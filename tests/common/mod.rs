//! Helpers shared by the integration tests that fork.

use std::time::{Duration, Instant};

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
