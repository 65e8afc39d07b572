//! The durability policy: write-through records survive SIGKILL right after
//! the call returns; buffered records reach the file on a record at the flush
//! level, on the interval (even when idle) and at normal process exit.
//! Children are this test binary re-run with a role in the environment.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sawmill::format::{Formatter, Style};
use sawmill::handler::{self, Buffering, FileOptions, Handler};

const ROLE: &str = "SAWMILL_DURABILITY_ROLE";
const PATH: &str = "SAWMILL_DURABILITY_PATH";
const RECORDS: usize = 2000;

fn temp_path(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "sawmill-durability-{tag}-{}.log",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&p);
    p
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

fn file_logger(
    name: &str,
    path: &Path,
    buffering: Buffering,
) -> (&'static sawmill::Logger, Arc<Handler>) {
    let logger = sawmill::get_logger(name);
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let mut options = FileOptions::new(path);
    options.buffering = buffering;
    let h = handler::file_handler(options).expect("file handler");
    h.set_formatter(Some(Arc::new(
        Formatter::new(Some("%(asctime)s %(message)s"), None, Style::Percent).expect("fmt"),
    )));
    logger.add_handler(h.clone());
    (logger, h)
}

fn buffered(interval_ms: u64) -> Buffering {
    Buffering {
        capacity: 1 << 20,
        flush_level: sawmill::ERROR,
        flush_interval: Duration::from_millis(interval_ms),
    }
}

/// The child side: does its role and, for SIGKILL, announces and waits.
#[test]
fn child_role() {
    let (Ok(role), Ok(path)) = (std::env::var(ROLE), std::env::var(PATH)) else {
        return;
    };
    let path = PathBuf::from(path);
    match role.as_str() {
        "write-through" => {
            let (logger, _h) = file_logger("durable.wt", &path, Buffering::WRITE_THROUGH);
            for i in 0..RECORDS {
                logger.log(sawmill::INFO, None, 0, None, &format!("record {i}"));
            }
            println!("LOGGED");
            std::thread::sleep(Duration::from_secs(60));
        }
        "buffered-exit" => {
            let (logger, _h) = file_logger("durable.exit", &path, buffered(0));
            for i in 0..RECORDS {
                logger.log(sawmill::INFO, None, 0, None, &format!("record {i}"));
            }
            // Returning lets the process exit normally: the atexit shutdown flushes.
        }
        other => panic!("unknown role {other}"),
    }
}

fn spawn_child(role: &str, path: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["child_role", "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env(PATH, path)
        .stdout(Stdio::piped())
        .spawn()
        .expect("child starts")
}

#[test]
fn write_through_survives_sigkill() {
    let path = temp_path("sigkill");
    let mut child = spawn_child("write-through", &path);
    let stdout = child.stdout.take().expect("stdout");
    let announced = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains("LOGGED"));
    assert!(announced, "child did not log");
    // SAFETY: signalling our own child by pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let status = child.wait().expect("wait");
    assert!(!status.success(), "child was killed");
    assert_eq!(
        lines(&path),
        RECORDS,
        "every record returned by a write-through call is on disk"
    );
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn buffered_flushes_at_normal_exit() {
    let path = temp_path("exit");
    let status = spawn_child("buffered-exit", &path).wait().expect("wait");
    assert!(status.success());
    assert_eq!(lines(&path), RECORDS);
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn buffered_flushes_at_the_flush_level_and_on_demand() {
    let path = temp_path("level");
    let (logger, h) = file_logger("durable.level", &path, buffered(0));
    logger.log(sawmill::INFO, None, 0, None, "held");
    logger.log(sawmill::WARNING, None, 0, None, "held too");
    assert_eq!(lines(&path), 0, "buffered records wait");
    logger.log(sawmill::ERROR, None, 0, None, "flushes all three");
    assert_eq!(lines(&path), 3);
    logger.log(sawmill::INFO, None, 0, None, "waits again");
    assert_eq!(lines(&path), 3);
    h.flush().expect("flush");
    assert_eq!(lines(&path), 4);
    h.close().expect("close");
    std::fs::remove_file(&path).expect("cleanup");
}

#[test]
fn buffered_flushes_on_the_interval_when_idle() {
    let path = temp_path("interval");
    let (logger, h) = file_logger("durable.interval", &path, buffered(100));
    logger.log(sawmill::INFO, None, 0, None, "idle after this");
    // No further records: only the flusher thread can write it. Generous
    // deadline: the machine may be busy; the interval is 100 ms.
    let deadline = Instant::now() + Duration::from_secs(10);
    while lines(&path) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        lines(&path),
        1,
        "the interval flusher wrote the idle buffer"
    );
    h.close().expect("close");
    std::fs::remove_file(&path).expect("cleanup");
}
