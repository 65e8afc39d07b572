//! datefmt: a fuzzed strftime format (the asctime of `%(asctime)s`) at a
//! fuzzed time, local or UTC. Besides the common checks, the text must be
//! what CPython's time.strftime gives for that second, whether it came
//! through the per-second cache, the stack buffer or the heap: long outputs
//! included (glibc's strftime takes field widths, `%300000Y`).
#![no_main]

use std::borrow::Cow;
use std::ffi::CString;

use libfuzzer_sys::fuzz_target;
use sawmill::format::FormatterOptions;
use sawmill::{Formatter, Record, Style};
use sawmill_fuzz::{check_format, created, split};

/// CPython's time.strftime of `format` for the second holding `created`,
/// broken down the way the formatter does (floor of created; gmtime_r or
/// localtime_r). CPython retries strftime(3) with a buffer of 1024 bytes,
/// doubled each time, and gives up with `''` once the buffer is at least 256
/// times the format's length (Modules/timemodule.c, time_strftime).
fn strftime(format: &str, created: f64, utc: bool) -> String {
    let Ok(format) = CString::new(format) else {
        return String::new();
    };
    let t = sawmill::clock::floor(created) as i64 as libc::time_t;
    // SAFETY: an all-zero tm is a valid value, overwritten below when the
    // time can be broken down (and left zero when it cannot, as the
    // formatter leaves it).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to a time_t and a tm.
    unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm);
        } else {
            libc::localtime_r(&t, &mut tm);
        }
    }
    let limit = 256 * format.as_bytes().len();
    let mut size = 1024;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: buf is writable for its length; format is NUL-terminated.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), size, format.as_ptr(), &tm) };
        if n > 0 || size >= limit {
            return String::from_utf8_lossy(&buf[..n]).into_owned();
        }
        size *= 2;
    }
}

/// Whether `created` has no calendar date CPython's time.localtime or
/// time.gmtime could give: not finite, outside time_t, or a year past a C
/// int (CPython passes the year to strftime as an int).
fn no_calendar_date(created: f64, utc: bool) -> bool {
    let second = created.floor();
    if !second.is_finite() || second < i64::MIN as f64 || second >= i64::MAX as f64 {
        return true;
    }
    let t = second as i64 as libc::time_t;
    // SAFETY: an all-zero tm is a valid value for the calls to fill.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to a time_t and a tm.
    let done = unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm)
        } else {
            libc::localtime_r(&t, &mut tm)
        }
    };
    done.is_null() || i64::from(tm.tm_year) + 1900 > i64::from(i32::MAX)
}

fuzz_target!(|data: &[u8]| {
    let (datefmt, mut u) = split(data);
    let datefmt = String::from_utf8_lossy(datefmt).into_owned();
    let utc: bool = u.arbitrary().unwrap_or(false);
    let created = created(&mut u);
    let options = FormatterOptions {
        format: Some("%(asctime)s".to_owned()),
        datefmt: Some(datefmt.clone()),
        style: Style::Percent,
        utc,
        ..FormatterOptions::default()
    };
    let formatter = match Formatter::with_options(options) {
        Ok(f) => f,
        // CPython takes any datefmt; only a NUL cannot reach strftime.
        Err(e) => return assert!(datefmt.contains('\0'), "datefmt {datefmt:?} refused: {e}"),
    };
    let record = Record::at(created, "n", 20, None, 0, None, Cow::Borrowed("m"));
    check_format(&formatter, &record);
    // Twice: the first call fills the per-second cache, the second reads it.
    for _ in 0..2 {
        let out = match formatter.format_to_string(&record) {
            Ok(out) => out,
            // CPython's formatTime raises for these (OverflowError,
            // ValueError): so must the formatter, and only for these.
            Err(e) => return assert!(no_calendar_date(created, utc), "{created}: {e}"),
        };
        assert!(
            !no_calendar_date(created, utc),
            "{created} formatted: {out:?}"
        );
        if datefmt.is_empty() {
            // The default format, then `,mmm`.
            let date = strftime("%Y-%m-%d %H:%M:%S", created, utc);
            assert!(
                out.starts_with(&date),
                "{out:?} does not start with {date:?}"
            );
            // `,%03d` of msecs, negative before 1970 (`,-500`) as in CPython.
            let msecs = &out[date.len()..];
            let n = msecs.strip_prefix(',').and_then(|m| m.parse::<i64>().ok());
            assert!(n.is_some_and(|n| format!(",{n:03}") == msecs), "{out:?}");
        } else {
            assert_eq!(out, strftime(&datefmt, created, utc), "datefmt {datefmt:?}");
        }
    }
});
