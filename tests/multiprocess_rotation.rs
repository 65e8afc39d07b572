//! Several processes writing and rotating one file: 4 processes × 2 threads
//! × 25,000 numbered records (some non-ASCII), max_bytes 10 KB, backups
//! enough to keep everything. Afterwards no record is lost, duplicated or
//! torn, there were at least 70 rollovers, backups are named `.1` … `.N`
//! without gaps, and no file exceeds max_bytes plus one record.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use sawmill::handler::{self, FileOptions, Rotation};

const ROLE: &str = "SAWMILL_MP_ROLE";
const PROCESSES: usize = 4;
const THREADS: usize = 2;
const PER_THREAD: usize = 25_000;
const MAX_BYTES: u64 = 10 * 1024;

fn record_text(process: usize, thread: usize, n: usize) -> String {
    if n.is_multiple_of(10) {
        format!("p{process} t{thread} n{n} héllo wörld ✓")
    } else {
        format!("p{process} t{thread} n{n} plain")
    }
}

/// The child side: one process of the stress run.
#[test]
fn child_writer() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let (process, path) = role.split_once(':').expect("role");
    let process: usize = process.parse().expect("process number");
    let logger = sawmill::get_logger("mp");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let mut options = FileOptions::new(path);
    options.rotation = Rotation::Size {
        max_bytes: MAX_BYTES,
        backup_count: 1_000_000,
    };
    options.multiprocess = true;
    let h = handler::file_handler(options).expect("handler");
    logger.add_handler(h.clone());
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            std::thread::spawn(move || {
                for n in 0..PER_THREAD {
                    logger.log(
                        sawmill::INFO,
                        None,
                        0,
                        None,
                        &record_text(process, thread, n),
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    assert_eq!(h.error_count(), 0, "no handler errors in the child");
}

fn backup(base: &Path, n: usize) -> PathBuf {
    PathBuf::from(format!("{}.{n}", base.display()))
}

#[test]
fn processes_share_one_rotating_file() {
    let dir = std::env::temp_dir().join(format!("sawmill-mp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let base = dir.join("shared.log");
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new(std::env::current_exe().expect("test binary"))
                .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
                .env(ROLE, format!("{p}:{}", base.display()))
                .spawn()
                .expect("child starts")
        })
        .collect();
    for mut child in children {
        assert!(
            child.wait().expect("wait").success(),
            "a writer process failed"
        );
    }

    let mut backups = 0;
    while backup(&base, backups + 1).exists() {
        backups += 1;
    }
    let stray: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let numbered = name
                .strip_prefix("shared.log.")
                .and_then(|n| n.parse::<usize>().ok());
            !(name == "shared.log"
                || name == "shared.log.lock"
                || numbered.is_some_and(|n| n <= backups))
        })
        .collect();
    assert!(
        stray.is_empty(),
        "unexpected files (gap in .1 … .{backups}?): {stray:?}"
    );
    assert!(backups >= 70, "only {backups} rollovers");
    eprintln!("multi-process stress: {backups} rollovers");

    let longest = record_text(9, 9, PER_THREAD).len() as u64 + 1;
    let mut seen = HashSet::new();
    let files: Vec<PathBuf> = std::iter::once(base.clone())
        .chain((1..=backups).map(|n| backup(&base, n)))
        .collect();
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        assert!(
            bytes.len() as u64 <= MAX_BYTES + longest,
            "{} has {} bytes",
            file.display(),
            bytes.len()
        );
        let text = String::from_utf8(bytes).expect("whole UTF-8 records: nothing torn");
        for line in text.lines() {
            let mut parts = line.splitn(4, ' ');
            let (p, t, n) = (parts.next(), parts.next(), parts.next());
            let key = (
                p.and_then(|p| p.strip_prefix('p'))
                    .and_then(|p| p.parse::<usize>().ok()),
                t.and_then(|t| t.strip_prefix('t'))
                    .and_then(|t| t.parse::<usize>().ok()),
                n.and_then(|n| n.strip_prefix('n'))
                    .and_then(|n| n.parse::<usize>().ok()),
            );
            let (Some(p), Some(t), Some(n)) = key else {
                panic!("torn or foreign line in {}: {line:?}", file.display());
            };
            assert_eq!(line, record_text(p, t, n), "record intact");
            assert!(seen.insert((p, t, n)), "duplicated record {line:?}");
        }
    }
    assert_eq!(
        seen.len(),
        PROCESSES * THREADS * PER_THREAD,
        "every record present exactly once"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
