//! Helpers shared by the integration tests (fork storms, Python oracles).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a fork child may take to log and exit before the test calls it a
/// deadlock: generous, because on a loaded 2-core machine the two spinning
/// logging threads and other test binaries compete with the child.
#[allow(dead_code)]
pub const CHILD_EXIT_LIMIT: Duration = Duration::from_secs(30);

/// Forks `forks` times while two threads log `parent <thread> <n>` through
/// `logger`. Each child logs `child <i>` at ERROR and leaves with _exit; it
/// must exit within `CHILD_EXIT_LIMIT`.
#[allow(dead_code)] // each test binary uses its own subset
pub fn fork_while_two_threads_log(logger: &'static sawmill::Logger, forks: usize, what: &str) {
    fork_storm(logger, forks, what, &|| {});
}

/// `fork_while_two_threads_log` with `after_child_log` run in each child
/// after its record (e.g. a flush); returns how many records each of the
/// two threads logged (`parent <t> 0` … `parent <t> <count-1>`). Forking
/// starts once both threads have logged a record.
#[allow(dead_code)]
pub fn fork_storm(
    logger: &'static sawmill::Logger,
    forks: usize,
    what: &str,
    after_child_log: &dyn Fn(),
) -> [u64; 2] {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|t| {
            let stop = stop.clone();
            let started = started.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    logger.log(sawmill::INFO, None, 0, None, &format!("parent {t} {n}"));
                    if n == 0 {
                        started.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
                n
            })
        })
        .collect();
    while started.load(Ordering::Relaxed) < 2 {
        std::thread::yield_now();
    }
    for i in 0..forks {
        // SAFETY: the child only logs through sawmill (whose locks the
        // at-fork handler re-initialised) and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            logger.log(sawmill::ERROR, None, 0, None, &format!("child {i}"));
            after_child_log();
            // SAFETY: ends the child without the parent's exit-time work.
            unsafe { libc::_exit(0) };
        }
        wait_exit_ok(pid, CHILD_EXIT_LIMIT, &format!("{what} fork {i}"));
    }
    stop.store(true, Ordering::Relaxed);
    let mut counts = [0u64; 2];
    for (t, w) in workers.into_iter().enumerate() {
        counts[t] = w.join().expect("worker");
    }
    counts
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

/// A sink that counts the records it gets (network tests).
#[allow(dead_code)]
pub struct Count(pub Arc<std::sync::atomic::AtomicU64>);

impl sawmill::handler::Sink for Count {
    fn kind(&self) -> &'static str {
        "Count"
    }
    fn emit(
        &mut self,
        _record: &sawmill::Record<'_>,
        _text: &mut String,
    ) -> Result<(), sawmill::handler::EmitError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The cases a Python oracle script in tests/oracle/ generates: runs
/// `python3 tests/oracle/<script> SEED COUNT` (SEED and COUNT from the
/// environment variables `<env>_SEED` and `<env>_CASES`, else the defaults)
/// and reads the JSON list it prints.
#[allow(dead_code)]
pub fn oracle_cases(script: &str, env: &str, count: u64) -> Vec<serde_json::Value> {
    let var = |suffix: &str, default: u64| {
        std::env::var(format!("{env}_{suffix}"))
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(script);
    let out = std::process::Command::new("python3")
        .arg(&path)
        .arg(var("SEED", 20261203).to_string())
        .arg(var("CASES", count).to_string())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

/// Runs `python3 ARGS` with `input` on its stdin and returns its stdout;
/// fails the test with its stderr when it does not exit 0. The input is
/// written from a thread, so a child that answers while it reads cannot
/// fill its stdout pipe and deadlock against us.
#[allow(dead_code)]
pub fn python_with_stdin(args: &[&str], input: Vec<u8>) -> Vec<u8> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("python3 ends");
    writer.join().expect("writer").expect("write to python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Forks once `running` says the other thread is inside its set-up; the
/// child runs `child` then leaves with _exit(0).
#[allow(dead_code)]
pub fn fork_when(running: &dyn Fn() -> bool, child: &dyn Fn()) -> libc::pid_t {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !running() {
        assert!(Instant::now() < deadline, "the set-up never started");
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: the child only runs sawmill code and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        child();
        // SAFETY: ends the child without the parent's exit-time work.
        unsafe { libc::_exit(0) };
    }
    pid
}
