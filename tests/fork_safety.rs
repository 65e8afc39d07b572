//! Fork while other threads log: the child must be able to log at once and
//! exit, never deadlock on a lock a vanished thread held (200 forks).

mod common;
use common::wait_exit_ok;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sawmill::format::{Formatter, Style};
use sawmill::handler::{self, FileOptions};

#[test]
fn children_log_while_parent_threads_log() {
    let path = std::env::temp_dir().join(format!("sawmill-fork-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let logger = sawmill::get_logger("forky");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h = handler::file_handler(FileOptions::new(&path)).expect("file handler");
    h.set_formatter(Some(Arc::new(
        Formatter::new(
            Some("%(asctime)s %(process)d %(threadName)s %(message)s"),
            None,
            Style::Percent,
        )
        .expect("fmt"),
    )));
    logger.add_handler(h.clone());

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..2)
        .map(|n| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    logger.log(sawmill::INFO, None, 0, None, &format!("parent thread {n}"));
                }
            })
        })
        .collect();

    let forks = 200;
    for i in 0..forks {
        // SAFETY: the child only logs through sawmill (whose locks the
        // at-fork handler re-initialised) and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            logger.log(sawmill::ERROR, None, 0, None, &format!("child {i}"));
            // SAFETY: ends the child without running the parent's atexit work twice.
            unsafe { libc::_exit(0) };
        }
        wait_exit_ok(pid, Duration::from_secs(5), &format!("child {i}"));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
    h.close().expect("close");
    let text = std::fs::read_to_string(&path).expect("log");
    for i in 0..forks {
        assert!(
            text.contains(&format!(" child {i}\n")),
            "child {i}'s line is in the file"
        );
    }
    std::fs::remove_file(&path).expect("cleanup");
}
