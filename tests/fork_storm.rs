//! Fork storms over every file handler kind: file, rotating, timed,
//! watched and multi-process × mode "a"/"w" × delay × buffered. Two threads
//! log numbered lines while the main thread forks 100 times; each child logs
//! one line, flushes and _exits. Afterwards every child line is in the files
//! exactly once and every parent line is there exactly once and whole.

mod common;
use common::fork_storm;

use std::path::Path;
use std::time::{Duration, Instant};

use sawmill::handler::{self, timed::TimedOptions, timed::When, Buffering, FileMode};
use sawmill::handler::{FileOptions, Rotation};

const FORKS: usize = 100;

#[derive(Clone, Copy, Debug)]
enum Kind {
    File,
    Rotating,
    Timed,
    Watched,
    MultiProcess,
}

fn options(kind: Kind, path: &Path, mode: FileMode, delay: bool) -> FileOptions {
    let mut o = FileOptions::new(path);
    o.mode = mode;
    o.delay = delay;
    match kind {
        Kind::File => {}
        // Small enough to roll many times during a storm.
        Kind::Rotating => {
            o.rotation = Rotation::Size {
                max_bytes: 256 * 1024,
                backup_count: 100_000,
            }
        }
        Kind::Timed => o.rotation = Rotation::Timed(TimedOptions::new(When::Seconds, 1, 0, true)),
        Kind::Watched => o.watch = Some(Duration::from_millis(1)),
        Kind::MultiProcess => {
            o.rotation = Rotation::Size {
                max_bytes: 256 * 1024,
                backup_count: 100_000,
            };
            o.multiprocess = true;
        }
    }
    o
}

/// Every line of every file in `dir` except lock files.
fn all_lines(dir: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "lock") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("log file");
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{} ends with a whole line",
            path.display()
        );
        lines.extend(text.lines().map(str::to_owned));
    }
    lines
}

fn storm(kind: Kind, mode: FileMode, delay: bool, buffered: bool) -> Result<(), String> {
    let what = format!("{kind:?} {mode:?} delay={delay} buffered={buffered}");
    let dir = std::env::temp_dir().join(format!(
        "sawmill-storm-{}-{kind:?}-{mode:?}-{delay}-{buffered}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("storm.log");
    // A leftover from a previous run that "w" must wipe.
    std::fs::write(&path, "stale\n").expect("stale file");

    let logger = sawmill::get_logger(&format!("storm.{kind:?}.{mode:?}.{delay}.{buffered}"));
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h = handler::file_handler(options(kind, &path, mode, delay)).expect("handler");
    if buffered && !matches!(kind, Kind::MultiProcess) {
        h.set_buffering(Buffering {
            capacity: 4096,
            flush_level: sawmill::CRITICAL,
            flush_interval: Duration::ZERO,
        })
        .expect("buffering");
    }
    logger.add_handler(h.clone());
    let child_handler = h.clone();
    let counts = fork_storm(logger, FORKS, &what, &|| {
        child_handler.flush().expect("child flush");
    });
    logger.remove_handler(&h);
    h.close().expect("close");

    let mut children = vec![0u32; FORKS];
    let mut parents = [
        vec![0u32; counts[0] as usize],
        vec![0u32; counts[1] as usize],
    ];
    for line in all_lines(&dir) {
        // Rotation and multi-process mode force "a", as CPython's
        // RotatingFileHandler (max_bytes > 0) and TimedRotatingFileHandler do.
        let appends = mode == FileMode::Append
            || matches!(kind, Kind::Rotating | Kind::Timed | Kind::MultiProcess);
        if line == "stale" && appends {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["child", i] => children[i.parse::<usize>().expect(&line)] += 1,
            ["parent", t, n] => {
                parents[t.parse::<usize>().expect(&line)][n.parse::<usize>().expect(&line)] += 1
            }
            _ => return Err(format!("{what}: torn or foreign line {line:?}")),
        }
    }
    let wrong: Vec<String> = (children.iter().enumerate())
        .filter(|(_, &c)| c != 1)
        .map(|(i, c)| format!("{i}:{c}x"))
        .collect();
    if !wrong.is_empty() {
        return Err(format!(
            "{what}: {} child lines not there exactly once ({})",
            wrong.len(),
            wrong.join(" ")
        ));
    }
    for (t, seen) in parents.iter().enumerate() {
        if let Some(n) = seen.iter().position(|&c| c != 1) {
            return Err(format!(
                "{what}: parent {t} line {n} appears {} times ({} logged)",
                seen[n], counts[t]
            ));
        }
    }
    if h.error_count() != 0 {
        return Err(format!("{what}: {} handler errors", h.error_count()));
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
    Ok(())
}

#[test]
fn every_line_once_in_every_fork_storm() {
    let start = Instant::now();
    let mut failures = Vec::new();
    for kind in [
        Kind::File,
        Kind::Rotating,
        Kind::Timed,
        Kind::Watched,
        Kind::MultiProcess,
    ] {
        for mode in [FileMode::Append, FileMode::Truncate] {
            for delay in [false, true] {
                for buffered in [false, true] {
                    if let Err(e) = storm(kind, mode, delay, buffered) {
                        failures.push(e);
                    }
                }
            }
        }
    }
    eprintln!("40 fork storms in {:?}", start.elapsed());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
