//! Time stamps as Python's LogRecord takes them: `created` is seconds since the
//! epoch as a float, `msecs` its millisecond part, `relativeCreated` the
//! milliseconds since the library was loaded.

use std::time::{SystemTime, UNIX_EPOCH};

static START: crate::sync::ForkOnce<f64> = crate::sync::ForkOnce::new();

/// Seconds since the epoch, as `time.time()` returns them. (clock_gettime
/// directly: SystemTime's checked conversions showed in profiles.)
pub fn now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_REALTIME always exists.
    if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) } == 0 {
        // (time_t and c_long are i64 on the 64-bit targets sawmill builds for.)
        return seconds_of_nanos(ts.tv_sec * 1_000_000_000 + ts.tv_nsec);
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

/// CPython's conversion of a nanosecond count to `time.time()`'s float: one
/// rounding of the whole count, then one division (adding seconds and a
/// fraction separately can differ in the last bit).
pub fn seconds_of_nanos(nanos: i64) -> f64 {
    if nanos % 1_000_000_000 == 0 {
        (nanos / 1_000_000_000) as f64
    } else {
        nanos as f64 / 1e9
    }
}

pub use crate::unchecked::trunc;

/// `x.floor()`, for the same reason as [`trunc`].
#[inline]
pub fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// Python 3.11's `msecs`: the truncated millisecond part of `created`.
pub fn msecs_of(created: f64) -> f64 {
    trunc((created - trunc(created)) * 1000.0)
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
    fn fast_rounding_matches_std() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            1.999,
            -1.999,
            1700000000.987654,
            -1700000000.987654,
            4.5e15,
            -4.5e15,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(trunc(x), x.trunc(), "trunc {x}");
            assert_eq!(floor(x), x.floor(), "floor {x}");
        }
        assert!(trunc(f64::NAN).is_nan());
    }

    #[test]
    fn nanos_convert_like_cpython() {
        // float(1700000000987654321) / 1e9, as CPython's time.time() does it.
        assert_eq!(
            seconds_of_nanos(1_700_000_000_987_654_321),
            1700000000.9876544
        );
        assert_eq!(seconds_of_nanos(1_700_000_000_000_000_000), 1700000000.0);
    }

    #[test]
    fn relative_is_after_start() {
        let s = start_time();
        assert!(relative_created_of(s + 1.5) - 1500.0 < 1e-6);
    }
}
