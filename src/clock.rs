//! Time stamps as Python's LogRecord takes them: `created` is seconds since the
//! epoch as a float, `msecs` its millisecond part, `relativeCreated` the
//! milliseconds since the library was loaded.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

static START: OnceLock<f64> = OnceLock::new();

/// Seconds since the epoch, as `time.time()` returns them. (clock_gettime
/// directly: SystemTime's checked conversions showed in profiles.)
pub fn now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_REALTIME always exists.
    if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) } == 0 {
        return ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9;
    }
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

/// The library's start time (Python's `logging._startTime`). Fixed the first
/// time it is read; `lib.rs` reads it when the library is loaded.
pub fn start_time() -> f64 {
    *START.get_or_init(now)
}

/// Python 3.11's `msecs`: the truncated millisecond part of `created`.
pub fn msecs_of(created: f64) -> f64 {
    ((created - created.trunc()) * 1000.0).trunc()
}

/// Python's `relativeCreated` for a record created at `created`.
pub fn relative_created_of(created: f64) -> f64 {
    (created - start_time()) * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msecs_truncates_like_python() {
        assert_eq!(msecs_of(1700000000.987654), 987.0);
        assert_eq!(msecs_of(1700000000.0), 0.0);
    }

    #[test]
    fn relative_is_after_start() {
        let s = start_time();
        assert!(relative_created_of(s + 1.5) - 1500.0 < 1e-6);
    }
}
