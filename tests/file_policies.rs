//! The file handler's policies: size rotation's edge cases, bad paths and a
//! full disk, the watched handler racing a renaming thread, reopen from a
//! SIGHUP handler, and the mode and owner of created files.

use std::borrow::Cow;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sawmill::handler::file::DEFAULT_WATCH_INTERVAL;
use sawmill::handler::timed::{TimedOptions, When};
use sawmill::handler::{self, ErrorKind, FileMode, FileOptions, Handler, Owner, Rotation};
use sawmill::record::Record;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sawmill-policies-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn emit(h: &Handler, text: &str) {
    let mut record = Record::at(
        sawmill::clock::now(),
        "p",
        20,
        None,
        0,
        None,
        Cow::Borrowed(text),
    );
    h.handle(&mut record);
}

fn rotating(path: &Path, max_bytes: u64, backup_count: u32) -> Arc<Handler> {
    let mut options = FileOptions::new(path);
    options.rotation = Rotation::Size {
        max_bytes,
        backup_count,
    };
    handler::file_handler(options).expect("rotating handler")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn size_rotation_edges() {
    let dir = temp_dir("size");
    // max_bytes 0 and backup_count 0 never roll.
    for (max, count, tag) in [(0, 5, "zero-max"), (10, 0, "zero-backups")] {
        let h = rotating(&dir.join(tag), max, count);
        for _ in 0..100 {
            emit(&h, "0123456789");
        }
        h.close().expect("close");
        assert_eq!(
            std::fs::metadata(dir.join(tag)).expect("file").len(),
            1100,
            "{tag}: everything in one file"
        );
    }
    // An empty file is never rolled, even by a record larger than max_bytes.
    let path = dir.join("empty");
    let h = rotating(&path, 10, 3);
    emit(&h, "a record much longer than ten bytes");
    assert_eq!(
        names(&dir)
            .iter()
            .filter(|n| n.starts_with("empty"))
            .count(),
        1
    );
    emit(&h, "second");
    assert_eq!(
        std::fs::read_to_string(dir.join("empty.1")).expect("backup"),
        "a record much longer than ten bytes\n"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("base"), "second\n");
    // A huge backup count costs nothing and names backups .1 … .N.
    let path = dir.join("huge");
    let h = rotating(&path, 20, u32::MAX);
    for i in 0..30 {
        emit(&h, &format!("record {i:02}"));
    }
    h.close().expect("close");
    let backups = names(&dir)
        .into_iter()
        .filter(|n| n.starts_with("huge."))
        .count();
    assert_eq!(backups, 29, "one record per file: 29 backups");
    assert_eq!(
        std::fs::read_to_string(dir.join("huge.29")).expect("oldest"),
        "record 00\n"
    );
    // A non-regular file (reached through a symlink to /dev/null) never rolls.
    let link = dir.join("null-link");
    std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
    let h = rotating(&link, 5, 2);
    for _ in 0..10 {
        emit(&h, "into the void");
    }
    assert_eq!(h.error_count(), 0);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link was not rotated"
    );
    assert!(!dir.join("null-link.1").exists());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn bad_paths_and_a_full_disk_are_errors_not_crashes() {
    let dir = temp_dir("bad");
    // A directory, and a path that cannot be created.
    assert!(handler::file_handler(FileOptions::new(&dir)).is_err());
    assert!(handler::file_handler(FileOptions::new("/proc/sawmill-cannot-create.log")).is_err());
    // A full disk: each record is a counted error; the caller never sees it.
    let h = rotating(Path::new("/dev/full"), 100, 3);
    for _ in 0..5 {
        emit(&h, "no room");
    }
    assert_eq!(h.error_count(), 5);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn watched_file_survives_a_renaming_thread() {
    let dir = temp_dir("watched");
    let path = dir.join("app.log");
    let mut options = FileOptions::new(&path);
    options.watch = Some(DEFAULT_WATCH_INTERVAL);
    let h = handler::file_handler(options).expect("watched");
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|t| {
            let (h, stop) = (h.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    emit(&h, &format!("writer {t} record {n}"));
                    n += 1;
                }
            })
        })
        .collect();
    // 500 renames and deletes under the writers' feet. Every 50th rename,
    // with the writers still going, the bound is checked: a record logged
    // more than the watch interval after the rename is in the new file.
    for i in 0..500 {
        if i % 2 == 0 {
            let _ = std::fs::rename(&path, dir.join(format!("moved.{i}")));
        } else {
            let _ = std::fs::remove_file(&path);
        }
        if i % 50 == 0 {
            std::thread::sleep(DEFAULT_WATCH_INTERVAL * 2);
            emit(&h, &format!("racing marker {i}"));
            let text = std::fs::read_to_string(&path).expect("a new file was opened");
            assert!(
                text.contains(&format!("racing marker {i}\n")),
                "rename {i}: marker in the new file during the race"
            );
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writer");
    }
    assert_eq!(h.error_count(), 0, "no failed writes or reopens");
    // The bound: a record logged more than the watch interval after a rename
    // is in the new file.
    for round in 0..10 {
        let _ = std::fs::rename(&path, dir.join(format!("rotated.{round}")));
        std::thread::sleep(DEFAULT_WATCH_INTERVAL * 2);
        emit(&h, &format!("marker {round}"));
        let text = std::fs::read_to_string(&path).expect("a new file was opened");
        assert!(
            text.contains(&format!("marker {round}\n")),
            "round {round}: marker in the new file"
        );
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

extern "C" fn on_sighup(_: libc::c_int) {
    handler::request_reopen();
}

#[test]
fn reopen_from_a_signal_handler() {
    let dir = temp_dir("reopen");
    let path = dir.join("app.log");
    let h = handler::file_handler(FileOptions::new(&path)).expect("file");
    emit(&h, "before");
    std::fs::rename(&path, dir.join("app.log.old")).expect("rotate externally");
    // SAFETY: installs a handler that only bumps an atomic counter; raise
    // delivers it synchronously to this thread.
    unsafe {
        libc::signal(
            libc::SIGHUP,
            on_sighup as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
        libc::raise(libc::SIGHUP);
    }
    emit(&h, "after");
    assert_eq!(
        std::fs::read_to_string(dir.join("app.log.old")).expect("old"),
        "before\n"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("new"), "after\n");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn created_files_get_the_mode_and_owner_asked_for() {
    let dir = temp_dir("owner");
    let path = dir.join("app.log");
    let mut options = FileOptions::new(&path);
    options.permissions = Some(0o666);
    options.rotation = Rotation::Size {
        max_bytes: 10,
        backup_count: 2,
    };
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        options.owner = Owner {
            uid: Some(1),
            gid: Some(1),
        };
    }
    let h = handler::file_handler(options).expect("file");
    emit(&h, "first record");
    emit(&h, "rolled: a new file is created");
    for file in [path.clone(), dir.join("app.log.1")] {
        let meta = std::fs::metadata(&file).expect("meta");
        // 0666 exactly: the umask (usually 022) did not reduce it.
        assert_eq!(
            meta.permissions().mode() & 0o7777,
            0o666,
            "{}",
            file.display()
        );
        if root {
            assert_eq!((meta.uid(), meta.gid()), (1, 1), "{}", file.display());
        }
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn reopen_never_truncates() {
    let dir = temp_dir("reopen-w");
    let path = dir.join("app.log");
    std::fs::write(&path, "from an earlier run\n").expect("seed");
    let mut options = FileOptions::new(&path);
    options.mode = FileMode::Truncate;
    let h = handler::file_handler(options).expect("file");
    // Mode "w" truncates at the first open, as Python's does.
    assert_eq!(std::fs::read_to_string(&path).expect("log"), "");
    emit(&h, "one");
    // Nothing moved the file: the reopen must keep what is in it.
    handler::request_reopen();
    emit(&h, "two");
    handler::request_reopen();
    emit(&h, "three");
    assert_eq!(
        std::fs::read_to_string(&path).expect("log"),
        "one\ntwo\nthree\n"
    );
    assert_eq!(h.error_count(), 0);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn size_rotation_of_a_deleted_file_loses_nothing() {
    let dir = temp_dir("deleted");
    let path = dir.join("app.log");
    let h = rotating(&path, 30, 3);
    emit(&h, "record 0");
    emit(&h, "record 1");
    std::fs::remove_file(&path).expect("delete externally");
    // The tracked size says roll; there is nothing to rename (Python checks
    // os.path.exists), and the record starts the new file.
    emit(&h, "record 2 rolls");
    emit(&h, "record 3");
    assert_eq!(h.error_count(), 0);
    assert_eq!(
        std::fs::read_to_string(&path).expect("new file"),
        "record 2 rolls\nrecord 3\n"
    );
    assert!(!dir.join("app.log.1").exists());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_failed_size_rollover_keeps_writing_and_backs_off() {
    let dir = temp_dir("blocked");
    let path = dir.join("app.log");
    // app.log.1 is a non-empty directory: renaming the file onto it fails.
    let obstacle = dir.join("app.log.1");
    std::fs::create_dir(&obstacle).expect("obstacle");
    std::fs::write(obstacle.join("x"), "x").expect("obstacle content");
    // One backup: the obstacle is the rename's target, not shifted aside.
    let h = rotating(&path, 30, 1);
    for i in 0..10 {
        emit(&h, &format!("record {i:02}")); // 10 bytes with the newline
    }
    let text = std::fs::read_to_string(&path).expect("log");
    let expected: String = (0..10).map(|i| format!("record {i:02}\n")).collect();
    assert_eq!(text, expected, "every record went to the current file");
    // Due at record 2 (30 bytes); after each failure the next attempt waits
    // for another max_bytes: records 2, 4, 6 and 8 try, not every record.
    assert_eq!(h.error_count_of(ErrorKind::Io), 4);
    // The obstacle gone, the next attempt rolls over.
    std::fs::remove_dir_all(&obstacle).expect("remove obstacle");
    emit(&h, "record 10");
    emit(&h, "record 11");
    assert_eq!(h.error_count(), 4, "no new error once the rename works");
    let mut all = std::fs::read_to_string(dir.join("app.log.1")).expect("backup");
    all.push_str(&std::fs::read_to_string(&path).expect("log"));
    let expected: String = (0..12).map(|i| format!("record {i:02}\n")).collect();
    assert_eq!(all, expected, "each record once, in order");
    assert!(
        std::fs::metadata(&path).expect("log").len() < 30,
        "the current file was rolled"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_failed_timed_cleanup_advances_the_rollover() {
    let dir = temp_dir("timed-cleanup");
    let path = dir.join("app.log");
    // The oldest "backup" is a non-empty directory: deleting it fails.
    let obstacle = dir.join("app.log.2000-01-01_00-00-00");
    std::fs::create_dir(&obstacle).expect("obstacle");
    std::fs::write(obstacle.join("x"), "x").expect("obstacle content");
    let start = 1_700_000_000.0;
    let now = Arc::new(AtomicU64::new(f64::to_bits(start)));
    let clock_now = now.clone();
    let mut timed = TimedOptions::new(When::parse("S").expect("when"), 1, 1, true);
    timed.clock = Arc::new(move || f64::from_bits(clock_now.load(Ordering::SeqCst)));
    let mut options = FileOptions::new(&path);
    options.rotation = Rotation::Timed(timed);
    let h = handler::file_handler(options).expect("timed handler");
    let at = |t: f64, text: &str| {
        now.store(t.to_bits(), Ordering::SeqCst);
        emit(&h, text);
    };
    at(start + 0.5, "event 0");
    at(start + 1.5, "event 1 rolls");
    at(start + 1.6, "event 2");
    at(start + 1.7, "event 3");
    // One failed deletion, counted once: the rollover time moved on.
    assert_eq!(h.error_count_of(ErrorKind::Io), 1);
    assert_eq!(
        std::fs::read_to_string(&path).expect("log"),
        "event 1 rolls\nevent 2\nevent 3\n"
    );
    let backups: Vec<String> = names(&dir)
        .into_iter()
        .filter(|n| n.starts_with("app.log.") && n != "app.log.2000-01-01_00-00-00")
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        std::fs::read_to_string(dir.join(&backups[0])).expect("backup"),
        "event 0\n"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// A failed write is an error wherever it happens: an explicit flush or
/// close of a buffered handler on a failing device returns the error AND
/// counts it, as a failed emit does.
#[test]
fn failed_explicit_flush_and_close_are_counted() {
    use sawmill::handler::Buffering;
    let h = handler::file_handler(FileOptions::new("/dev/full")).expect("handler");
    h.set_buffering(Buffering {
        capacity: 4096,
        flush_level: sawmill::CRITICAL,
        flush_interval: std::time::Duration::ZERO,
    })
    .expect("buffering");
    let logger = sawmill::get_logger("policies.flushcount");
    logger.set_propagate(false);
    logger.add_handler(h.clone());
    for i in 0..10 {
        logger.log(sawmill::WARNING, None, 0, None, &format!("record {i}"));
    }
    assert_eq!(h.error_count(), 0, "nothing written yet");
    assert!(h.flush().is_err());
    assert_eq!(h.error_count(), 1, "the failed flush is counted");
    assert!(h.close().is_err());
    assert_eq!(h.error_count(), 2, "the failed close is counted");
    logger.remove_handler(&h);
}
