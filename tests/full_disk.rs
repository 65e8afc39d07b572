//! A file handler on a 64 KiB tmpfs that fills up, then gets space back:
//! no record written twice, no torn or glued line, every record either in
//! the file once or counted as dropped, records logged after space returns
//! arrive. (The bounded buffer on /dev/full: tests/failing_sink_memory.rs.)
//! The tmpfs is mounted by the test (root); without permission it skips.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use sawmill::handler::{self, Buffering, FileOptions, Handler};

/// A tmpfs of `size` mounted on a fresh directory; unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(tag: &str) -> Option<SmallDisk> {
        let dir = std::env::temp_dir().join(format!("sawmill-full-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs on {} (needs root)",
                dir.display()
            );
            let _ = std::fs::remove_dir(&dir);
            return None;
        }
        Some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

const FIRST: usize = 1500;
const TOTAL: usize = 1600;

fn line(i: usize) -> String {
    format!("record {i:05} {}", "y".repeat(40 + i % 31))
}

fn log_range(logger: &sawmill::Logger, range: std::ops::Range<usize>) {
    for i in range {
        logger.log(sawmill::INFO, None, 0, None, &line(i));
    }
}

fn fill_then_free(tag: &str, buffering: Buffering) {
    let Some(disk) = SmallDisk::mount(tag) else {
        return;
    };
    let filler = disk.0.join("filler");
    std::fs::write(&filler, vec![b'f'; 32 * 1024]).expect("filler");
    let path = disk.0.join("app.log");
    let logger = sawmill::get_logger(&format!("full.{tag}"));
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h: Arc<Handler> = handler::file_handler(FileOptions::new(&path)).expect("handler");
    h.set_buffering(buffering).expect("buffering");
    logger.add_handler(h.clone());

    // About 100 KiB of records into the 32 KiB left: the disk fills.
    log_range(logger, 0..FIRST);
    assert!(h.error_count() > 0, "{tag}: the disk did fill");
    std::fs::remove_file(&filler).expect("free space");
    log_range(logger, FIRST..TOTAL);
    h.flush().expect("flush once space is back");
    logger.remove_handler(&h);
    h.close().expect("close");

    let text = std::fs::read_to_string(&path).expect("log");
    assert!(text.ends_with('\n'), "{tag}: ends with a whole line");
    let mut seen = vec![0u32; TOTAL];
    for l in text.lines() {
        let i: usize = l
            .get(7..12)
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("{tag}: torn line {l:?}"));
        assert_eq!(l, line(i), "{tag}: torn or glued line");
        seen[i] += 1;
    }
    let twice: Vec<usize> = (0..TOTAL).filter(|&i| seen[i] > 1).collect();
    assert!(twice.is_empty(), "{tag}: written twice: {twice:?}");
    let written = seen.iter().filter(|&&c| c == 1).count() as u64;
    assert_eq!(
        written + h.dropped_count(),
        TOTAL as u64,
        "{tag}: each record written once or counted as dropped ({written} written, {} dropped)",
        h.dropped_count()
    );
    let missing: Vec<usize> = (FIRST..TOTAL).filter(|&i| seen[i] == 0).collect();
    assert!(
        missing.is_empty(),
        "{tag}: logged after space returned, missing: {missing:?}"
    );
}

#[test]
fn buffered_4k_on_a_full_disk() {
    fill_then_free(
        "buf4k",
        Buffering {
            capacity: 4096,
            flush_level: sawmill::CRITICAL,
            flush_interval: Duration::ZERO,
        },
    );
}

#[test]
fn buffered_16k_on_a_full_disk() {
    fill_then_free(
        "buf16k",
        Buffering {
            capacity: 16 * 1024,
            flush_level: sawmill::CRITICAL,
            flush_interval: Duration::ZERO,
        },
    );
}

#[test]
fn write_through_on_a_full_disk() {
    fill_then_free("wt", Buffering::WRITE_THROUGH);
}
