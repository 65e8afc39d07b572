//! Fork and what the child inherits: buffered bytes (written once, by the
//! parent), the interval flusher (restarted in the child), locks other
//! threads held (re-initialised), and multi-process rotation (the child
//! opens its own lock file).

mod common;
use common::{fork_while_two_threads_log, wait_exit_ok};

use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sawmill::format::{Formatter, Style};
use sawmill::handler::{self, Buffering, FileOptions, Handler, Rotation};

extern "C" {
    fn sawmill_get_logger(name: *const c_char) -> *mut c_void;
    fn sawmill_logger_name(l: *const c_void) -> *const c_char;
    fn sawmill_level_name(level: c_int) -> *const c_char;
}

fn temp_path(tag: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("sawmill-forkbuf-{tag}-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn buffered_logger(
    name: &str,
    path: &Path,
    interval: Duration,
) -> (&'static sawmill::Logger, Arc<Handler>) {
    let logger = sawmill::get_logger(name);
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let mut options = FileOptions::new(path);
    options.buffering = Buffering {
        capacity: 1 << 16,
        flush_level: sawmill::CRITICAL,
        flush_interval: interval,
    };
    let h = handler::file_handler(options).expect("file handler");
    logger.add_handler(h.clone());
    (logger, h)
}

fn count(text: &str, line: &str) -> usize {
    text.lines().filter(|l| *l == line).count()
}

#[test]
fn a_fork_child_does_not_write_the_parents_buffered_records_again() {
    let path = temp_path("dup");
    let (logger, h) = buffered_logger("forkbuf.dup", &path, Duration::ZERO);
    for i in 0..5 {
        logger.log(sawmill::INFO, None, 0, None, &format!("parent {i}"));
    }
    assert_eq!(
        std::fs::read_to_string(&path).expect("log"),
        "",
        "still pending"
    );
    // SAFETY: the child only logs through sawmill and leaves with exit(3),
    // so the exit-time flush of every handler runs in it.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        logger.log(sawmill::INFO, None, 0, None, "child");
        // SAFETY: a normal exit: atexit handlers (sawmill's shutdown) run.
        unsafe { libc::exit(0) };
    }
    wait_exit_ok(pid, Duration::from_secs(5), "dup");
    h.flush().expect("flush");
    let text = std::fs::read_to_string(&path).expect("log");
    for i in 0..5 {
        assert_eq!(
            count(&text, &format!("parent {i}")),
            1,
            "parent {i} once in:\n{text}"
        );
    }
    assert_eq!(
        count(&text, "child"),
        1,
        "the child's line once in:\n{text}"
    );
    assert_eq!(text.lines().count(), 6, "nothing else in:\n{text}");
    logger.remove_handler(&h);
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn a_fork_child_restarts_the_interval_flusher() {
    let path = temp_path("interval");
    let interval = Duration::from_millis(100);
    let (logger, h) = buffered_logger("forkbuf.interval", &path, interval);
    logger.log(sawmill::INFO, None, 0, None, "parent before fork");
    // SAFETY: the child logs through sawmill, then waits to be killed; it
    // never returns into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        logger.log(sawmill::INFO, None, 0, None, "child record");
        // Alive but idle: only the child's flusher thread can write the record.
        std::thread::sleep(Duration::from_secs(30));
        // SAFETY: leave without the exit-time flush, which would hide a dead flusher.
        unsafe { libc::_exit(0) };
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = false;
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if count(&text, "child record") == 1 {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: ending and reaping our own child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
    assert!(
        seen,
        "the child's flusher wrote its record while the child lived"
    );
    h.flush().expect("flush");
    let text = std::fs::read_to_string(&path).expect("log");
    assert_eq!(count(&text, "parent before fork"), 1, "in:\n{text}");
    logger.remove_handler(&h);
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn a_fork_child_uses_locks_other_threads_held() {
    let path = temp_path("locks");
    let logger = sawmill::get_logger("forkbuf.locks");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h = handler::file_handler(FileOptions::new(&path)).expect("file handler");
    logger.add_handler(h.clone());
    let formatters: Vec<Arc<Formatter>> = (0..2)
        .map(|i| {
            Arc::new(
                Formatter::new(
                    Some(&format!("{i} %(processName)s %(message)s")),
                    None,
                    Style::Percent,
                )
                .expect("fmt"),
            )
        })
        .collect();
    sawmill::level::add_level_name(37, "FORKY");
    sawmill::level::add_level_name(1000, "WIDE");
    // SAFETY: NUL-terminated name; the logger lives for the process.
    let c_logger = unsafe { sawmill_get_logger(c"forkbuf.locks".as_ptr()) };

    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    {
        // Holds FormatterSlot's lock (set and get both take it).
        let (stop, h, formatters) = (stop.clone(), h.clone(), formatters.clone());
        workers.push(std::thread::spawn(move || {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                h.set_formatter(Some(formatters[n % 2].clone()));
                let _ = h.formatter();
                n += 1;
            }
        }));
    }
    {
        // Holds the process-name lock and the C name cache.
        let stop = stop.clone();
        let c_logger = c_logger as usize;
        workers.push(std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                sawmill::record::set_process_name(if n.is_multiple_of(2) { "Even" } else { "Odd" });
                let _ = sawmill::record::process_name();
                // SAFETY: a live logger handle and a plain level number.
                unsafe {
                    sawmill_logger_name(c_logger as *const c_void);
                    sawmill_level_name(37);
                }
                n += 1;
            }
        }));
    }
    {
        // Holds the level-name tables (levels above the lock-free range).
        let stop = stop.clone();
        workers.push(std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if n.is_multiple_of(1000) {
                    sawmill::level::add_level_name(1000, "WIDE");
                }
                let _ = sawmill::level::level_name(1000);
                let _ = sawmill::level::parse_level("WIDE");
                n += 1;
            }
        }));
    }

    for i in 0..100 {
        // SAFETY: the child only uses sawmill and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = h.formatter();
                h.set_formatter(Some(formatters[0].clone()));
                sawmill::record::set_process_name("Child");
                // SAFETY: as in the worker.
                let name = unsafe { CStr::from_ptr(sawmill_logger_name(c_logger)) };
                let level = unsafe { CStr::from_ptr(sawmill_level_name(37)) };
                sawmill::level::add_level_name(1001, "CHILDLEVEL");
                let named = name.to_bytes() == b"forkbuf.locks"
                    && level.to_bytes() == b"FORKY"
                    && sawmill::level::level_name(1001) == "CHILDLEVEL"
                    && sawmill::level::parse_level("WIDE") == Some(1000);
                logger.log(sawmill::ERROR, None, 0, None, &format!("child {i}"));
                named
            }));
            // SAFETY: ends the child without the parent's exit-time work.
            unsafe { libc::_exit(if matches!(ok, Ok(true)) { 0 } else { 1 }) };
        }
        wait_exit_ok(pid, common::CHILD_EXIT_LIMIT, &format!("locks fork {i}"));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
    h.close().expect("close");
    let text = std::fs::read_to_string(&path).expect("log");
    for i in 0..100 {
        assert_eq!(
            count(&text, &format!("0 Child child {i}")),
            1,
            "child {i} in:\n{text}"
        );
    }
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn fork_during_multiprocess_rotation() {
    let dir = std::env::temp_dir().join(format!("sawmill-forkbuf-mp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("app.log");
    let logger = sawmill::get_logger("forkbuf.mp");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let mut options = FileOptions::new(&path);
    options.rotation = Rotation::Size {
        max_bytes: 4096,
        backup_count: 1000,
    };
    options.multiprocess = true;
    let h = handler::file_handler(options).expect("rotating handler");
    logger.add_handler(h.clone());

    let forks = 50;
    fork_while_two_threads_log(logger, forks, "mp");
    h.close().expect("close");
    assert_eq!(h.error_count(), 0, "no failed write or rollover");
    let mut all = String::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("list") {
        let entry = entry.expect("entry");
        if entry.file_name().to_string_lossy().ends_with(".lock") {
            continue;
        }
        files += 1;
        all.push_str(&std::fs::read_to_string(entry.path()).expect("read"));
    }
    assert!(files > 1, "the file was rotated while the children logged");
    for line in all.lines() {
        assert!(
            line.starts_with("parent ") || line.starts_with("child "),
            "whole lines only: {line:?}"
        );
    }
    for i in 0..forks {
        assert_eq!(
            count(&all, &format!("child {i}")),
            1,
            "child {i} exactly once"
        );
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
