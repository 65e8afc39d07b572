//! Fork while another thread is inside a slow one-time set-up: the child
//! must finish it itself and log, not wait for a thread it does not have
//! (recipe 8's children hung so under ASan with std's OnceLock). The same
//! for a lock a parent thread holds at the fork, one in no reset list.

mod common;
use common::{fork_when, wait_exit_ok};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sawmill::handler::{EmitError, Sink};
use sawmill::sync::{ForkOnce, Lock};

/// Starts a thread that runs a cell's set-up through `get_or_init`; the
/// set-up raises the returned flag, sleeps 500 ms and gives "parent".
fn parent_inside_slow_set_up(
    get_or_init: fn(&dyn Fn() -> &'static str) -> &'static str,
) -> (Arc<AtomicBool>, std::thread::JoinHandle<&'static str>) {
    let inside = Arc::new(AtomicBool::new(false));
    let flag = inside.clone();
    let parent = std::thread::spawn(move || {
        get_or_init(&|| {
            flag.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(500));
            "parent"
        })
    });
    (inside, parent)
}

// (The logger registry's case is in tests/fork_registry.rs: it needs a
// process whose first get_logger is its own, which the other tests here,
// running alongside, would race for.)
#[test]
fn child_finishes_a_set_up_a_parent_thread_was_running() {
    // 1. A cell of the test's own: the child runs the set-up again and sees
    //    its own value; the parent keeps the value of its thread's run.
    static CELL: ForkOnce<&'static str> = ForkOnce::new();
    let (inside, parent) = parent_inside_slow_set_up(|set_up| *CELL.get_or_init(set_up));
    let pid = fork_when(&|| inside.load(Ordering::SeqCst), &|| {
        if *CELL.get_or_init(|| "child") != "child" {
            // SAFETY: ends the child with a failure status.
            unsafe { libc::_exit(3) };
        }
    });
    wait_exit_ok(pid, Duration::from_secs(20), "own cell");
    assert_eq!(parent.join().expect("parent thread"), "parent");
    assert_eq!(CELL.get(), Some(&"parent"));

    // 2. The same with std's OnceLock: the child hangs (killed after 1 s),
    //    which shows the fork above did land inside the set-up.
    static STD_CELL: OnceLock<&'static str> = OnceLock::new();
    let (inside, parent) = parent_inside_slow_set_up(|set_up| *STD_CELL.get_or_init(set_up));
    let pid = fork_when(&|| inside.load(Ordering::SeqCst), &|| {
        STD_CELL.get_or_init(|| "child");
    });
    let hung = std::panic::catch_unwind(|| {
        wait_exit_ok(pid, Duration::from_secs(1), "std OnceLock");
    });
    assert!(hung.is_err(), "std's OnceLock child was expected to hang");
    parent.join().expect("parent thread");
}

/// A lock of the test's own, in no reset list of the library.
static TEST_LOCK: Lock<u32> = Lock::new(0);

#[test]
fn child_takes_a_lock_a_parent_thread_held() {
    // A static and a lock inside an Arc (as a handler's), each held by one
    // parent thread while a second one waits for it (the word then says a
    // thread may sleep on it), all across the fork.
    let shared = Arc::new(Lock::new(0u32));
    let holding = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let release = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for _ in 0..2 {
        let (holding, release, shared) = (holding.clone(), release.clone(), shared.clone());
        threads.push(std::thread::spawn(move || {
            let mut a = TEST_LOCK.lock();
            let mut b = shared.lock();
            holding.fetch_add(1, Ordering::SeqCst);
            while !release.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            *a += 1;
            *b += 1;
        }));
    }
    let child_shared = shared.clone();
    let pid = fork_when(&|| holding.load(Ordering::SeqCst) == 1, &|| {
        // The forking thread takes both over, then a thread of the child
        // takes them after it: the child's own locking works as usual.
        *TEST_LOCK.lock() += 10;
        *child_shared.lock() += 10;
        let again = child_shared.clone();
        let other = std::thread::spawn(move || {
            *TEST_LOCK.lock() += 10;
            *again.lock() += 10;
        });
        other.join().expect("child thread");
        if *TEST_LOCK.lock() != 20 || *child_shared.lock() != 20 {
            // SAFETY: ends the child with a failure status.
            unsafe { libc::_exit(3) };
        }
    });
    wait_exit_ok(pid, Duration::from_secs(10), "lock held at the fork");
    // The parent's threads finish as if nothing happened.
    release.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().expect("parent thread");
    }
    assert_eq!(*TEST_LOCK.lock(), 2);
    assert_eq!(*shared.lock(), 2);
}

/// A sink whose emit of "slow" stays inside (under the handler's lock) until
/// released, and which counts its emits and what `after_fork` was told.
struct SlowSink {
    inside: Arc<AtomicBool>,
    release: Arc<AtomicBool>,
    emitted: Arc<std::sync::atomic::AtomicUsize>,
    interrupted: Arc<AtomicBool>,
}

impl Sink for SlowSink {
    fn kind(&self) -> &'static str {
        "SlowSink"
    }

    fn emit(&mut self, record: &sawmill::Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        if record.message == "slow" {
            self.inside.store(true, Ordering::SeqCst);
            while !self.release.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        self.emitted.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn after_fork(&mut self, interrupted: bool) {
        self.interrupted.store(interrupted, Ordering::SeqCst);
    }
}

#[test]
fn child_logs_through_a_handler_a_parent_thread_was_emitting_to() {
    // Recipe 8's common case: a parent thread is inside a handler's emit
    // (holding the handler's own lock, in no list) when another forks.
    let inside = Arc::new(AtomicBool::new(false));
    let release = Arc::new(AtomicBool::new(false));
    let emitted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let interrupted = Arc::new(AtomicBool::new(false));
    let h = sawmill::handler::Handler::new(Box::new(SlowSink {
        inside: inside.clone(),
        release: release.clone(),
        emitted: emitted.clone(),
        interrupted: interrupted.clone(),
    }));
    let logger = sawmill::get_logger("lock.held.emit");
    logger.add_handler(h);
    let parent = std::thread::spawn(move || {
        sawmill::get_logger("lock.held.emit").log(sawmill::ERROR, None, 0, None, "slow");
    });
    let (child_emitted, child_interrupted) = (emitted.clone(), interrupted.clone());
    let pid = fork_when(&|| inside.load(Ordering::SeqCst), &|| {
        let logger = sawmill::get_logger("lock.held.emit");
        logger.log(sawmill::ERROR, None, 0, None, "child");
        logger.log(sawmill::ERROR, None, 0, None, "child again");
        // The parent's emit never finished here: only the child's two count.
        if !child_interrupted.load(Ordering::SeqCst) || child_emitted.load(Ordering::SeqCst) != 2 {
            // SAFETY: ends the child with a failure status.
            unsafe { libc::_exit(3) };
        }
    });
    wait_exit_ok(
        pid,
        Duration::from_secs(10),
        "handler lock held at the fork",
    );
    release.store(true, Ordering::SeqCst);
    parent.join().expect("parent thread");
    assert_eq!(emitted.load(Ordering::SeqCst), 1);
    assert!(!interrupted.load(Ordering::SeqCst));
}
