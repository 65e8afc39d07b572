//! A buffered handler whose destination always fails (/dev/full) keeps its
//! buffer bounded and counts what it drops. Alone in its test binary: peak
//! memory (VmHWM) is per process, and other tests would inflate it.

use std::path::Path;
use std::time::Duration;

use sawmill::handler::{self, Buffering, FileOptions};

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// 300,000 records into a 64 KiB buffer on /dev/full: peak memory grows by
/// far less than the records' 20 MB, and every record the buffer could not
/// hold is counted as dropped exactly once.
#[test]
fn failing_sink_keeps_the_buffer_bounded() {
    assert!(Path::new("/dev/full").exists(), "/dev/full");
    const N: u64 = 300_000;
    let logger = sawmill::get_logger("full.devfull");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h = handler::file_handler(FileOptions::new("/dev/full")).expect("handler");
    h.set_buffering(Buffering {
        capacity: 64 * 1024,
        flush_level: sawmill::CRITICAL,
        flush_interval: Duration::ZERO,
    })
    .expect("buffering");
    logger.add_handler(h.clone());
    let text = format!("a record of about seventy bytes {}", "z".repeat(36));
    logger.log(sawmill::INFO, None, 0, None, &text);
    let before = peak_rss_kib();
    for _ in 1..N {
        logger.log(sawmill::INFO, None, 0, None, &text);
    }
    let grown = peak_rss_kib().saturating_sub(before);
    logger.remove_handler(&h);
    eprintln!(
        "peak memory grew by {grown} KiB; {} dropped",
        h.dropped_count()
    );
    assert!(grown < 4 * 1024, "peak memory grew by {grown} KiB");
    let dropped = h.dropped_count();
    let held = (64 * 1024 / text.len() + 1) as u64;
    assert!(
        dropped <= N && dropped + held >= N,
        "{dropped} of {N} dropped; at most {held} may wait in the buffer"
    );
}
