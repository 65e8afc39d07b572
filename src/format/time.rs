//! `asctime`: strftime through libc (what CPython's time.strftime calls), with
//! the text of the current second cached per formatter and per thread (a
//! cache shared by threads made them contend on it for every record).

use std::ffi::CString;
use std::fmt::Write;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::render::{write_float_as_integer, SpillText};
use super::FormatError;
use crate::record::{Record, Value};

/// Room for a cached date text; longer results are computed every time.
const CACHED_LEN: usize = 96;
/// Date texts longer than this are cut by strftime's buffer and recomputed
/// on the heap (a datefmt of hundreds of characters).
const STACK_LEN: usize = 256;
/// Longest datefmt accepted, in bytes: CPython's strftime may use a buffer
/// of 256 times the format's length, so this bounds that buffer at 16 MiB.
pub const MAX_DATEFMT_LEN: usize = 65_536;

/// From here on not every integer is an f64.
const EXACT_FLOAT_INTS: f64 = 9_007_199_254_740_992.0;

/// Room for the date text of one record; longer dates move to the heap.
pub type DateText = SpillText<320>;

/// Python's `default_time_format`.
const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// One formatter's date text for one second, on one thread. The second is
/// kept as the float range [start, end) a `created` in it falls in: two
/// comparisons find it, without rounding `created` to an integer first.
#[derive(Clone, Copy)]
struct CachedSecond {
    formatter: u64,
    start: f64,
    end: f64,
    utc: bool,
    text: arrayvec::ArrayString<CACHED_LEN>,
}

const SLOTS: usize = 4;

struct ThreadDates {
    slots: [CachedSecond; SLOTS],
    next: usize,
}

thread_local! {
    static DATES: RefCell<ThreadDates> = const {
        RefCell::new(ThreadDates {
            slots: [CachedSecond { formatter: 0, start: 0.0, end: 0.0, utc: false, text: arrayvec::ArrayString::new_const() }; SLOTS],
            next: 0,
        })
    };
}

/// Formatter identities for the per-thread cache (0 is "empty slot").
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

pub struct DateCache {
    strftime_format: CString,
    /// The default format appends `,mmm`; an explicit datefmt does not.
    append_msecs: bool,
    /// The largest buffer CPython's strftime would try (see `new`); every
    /// buffer used here is at most this long, so a text that fits none is ''.
    strftime_limit: usize,
    id: u64,
}

extern "C" {
    /// POSIX tzset(3) (not bound by the libc crate).
    fn tzset();
}

fn init_time_zone() {
    static TZSET: crate::sync::ForkOnce<()> = crate::sync::ForkOnce::new();
    // SAFETY: tzset has no preconditions; once, before any localtime_r here.
    TZSET.get_or_init(|| unsafe { tzset() });
}

/// Broken-down time of `created`, in UTC (`%Z` prints `GMT`, as CPython's
/// strftime of a gmtime does) or local time; None where CPython's
/// `time.localtime`/`gmtime` and `strftime` raise: NaN, a second outside
/// time_t, or a year that does not fit a C int (a filter can assign any
/// `created`).
fn broken_down(created: f64, utc: bool) -> Option<libc::tm> {
    let second = crate::clock::floor(created);
    // -2^63 <= second < 2^63 (false for NaN): a time_t.
    const TIME_T_END: f64 = 9_223_372_036_854_775_808.0;
    if !(-TIME_T_END..TIME_T_END).contains(&second) {
        return None;
    }
    broken_down_second(second as i64, utc)
}

fn broken_down_second(second: i64, utc: bool) -> Option<libc::tm> {
    // SAFETY: an all-zero tm is a valid value to be overwritten.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t = second as libc::time_t;
    let done = if utc {
        // SAFETY: valid pointers to a time_t and a tm.
        unsafe { libc::gmtime_r(&t, &mut tm) }
    } else {
        // SAFETY: as above; the time zone was initialised by init_time_zone.
        unsafe { libc::localtime_r(&t, &mut tm) }
    };
    // CPython hands strftime the year as a C int: tm_year + 1900 must fit.
    (!done.is_null() && i64::from(tm.tm_year) + 1900 <= i64::from(i32::MAX)).then_some(tm)
}

impl DateCache {
    pub fn new(datefmt: Option<&str>) -> Result<DateCache, FormatError> {
        init_time_zone();
        let format = datefmt.unwrap_or(DEFAULT_TIME_FORMAT);
        if format.len() > MAX_DATEFMT_LEN {
            return Err(FormatError(format!(
                "datefmt too long ({} bytes; at most {MAX_DATEFMT_LEN})",
                format.len()
            )));
        }
        // Given to strftime as it is: a sentinel appended to tell an empty text
        // from one that did not fit would change how glibc reads a trailing
        // unfinished directive (`%66`). CPython cannot tell them apart either.
        let strftime_format =
            CString::new(format).map_err(|_| FormatError("datefmt must not contain NUL".into()))?;
        // CPython's time.strftime retries with a buffer of 1024 bytes, doubled
        // until it holds the text or is at least 256 times the format's
        // length, and then gives ''. So a text fits if it fits that last size.
        let mut strftime_limit = 1024;
        while strftime_limit < 256 * format.len() {
            strftime_limit *= 2;
        }
        Ok(DateCache {
            strftime_format,
            strftime_limit,
            append_msecs: datefmt.is_none(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// strftime into `buf`; the length written, or None if it did not fit
    /// (or the text is empty: strftime's 0 means either).
    fn strftime(&self, tm: &libc::tm, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: buf is writable for its length; format and tm are valid.
        let n = unsafe {
            libc::strftime(
                buf.as_mut_ptr().cast(),
                buf.len(),
                self.strftime_format.as_ptr(),
                tm,
            )
        };
        (n > 0).then_some(n)
    }

    /// Writes the date text for the record's `created` (+ `,mmm` of its
    /// `msecs` for the default format).
    /// Fails as CPython's `formatTime` does for a `created` no calendar
    /// holds (or a `msecs` `%d` refuses).
    pub fn write(
        &self,
        record: &Record<'_>,
        utc: bool,
        out: &mut impl Write,
    ) -> Result<(), FormatError> {
        let created = record.created;
        let cached = DATES.try_with(|cell| {
            let mut dates = cell.try_borrow_mut().ok()?;
            if let Some(slot) = dates.slots.iter().find(|s| {
                s.formatter == self.id && s.utc == utc && created >= s.start && created < s.end
            }) {
                let _ = out.write_str(&slot.text);
                return Some(());
            }
            // Past 2^53 an assigned int `created` may not be the f64 the
            // record keeps: such seconds are never cached (so never hit
            // above) and the uncached path reads the exact int.
            if created.abs() >= EXACT_FLOAT_INTS {
                return None;
            }
            let tm = broken_down(created, utc)?;
            let second = crate::clock::floor(created) as i64;
            let mut bytes = [0u8; CACHED_LEN];
            let len = self.strftime(&tm, &mut bytes)?;
            // strftime writes the locale's encoding: cache only valid UTF-8.
            let text = std::str::from_utf8(&bytes[..len]).ok()?;
            let _ = out.write_str(text);
            let text = arrayvec::ArrayString::from(text).ok()?;
            let index = match dates.slots.iter().position(|s| s.formatter == self.id) {
                Some(i) => i,
                None => {
                    dates.next = (dates.next + 1) % SLOTS;
                    dates.next
                }
            };
            dates.slots[index] = CachedSecond {
                formatter: self.id,
                start: second as f64,
                end: second.saturating_add(1) as f64,
                utc,
                text,
            };
            Some(())
        });
        if !matches!(cached, Ok(Some(()))) {
            self.write_uncached(record, utc, out)?;
        }
        self.write_msecs(record, out)
    }

    #[cold]
    #[inline(never)]
    fn write_uncached(
        &self,
        record: &Record<'_>,
        utc: bool,
        out: &mut impl Write,
    ) -> Result<(), FormatError> {
        let created = record.created;
        let tm = match record.extra("created") {
            Some(Value::Int(second)) => broken_down_second(*second, utc),
            _ => broken_down(created, utc),
        };
        let tm = tm.ok_or_else(|| {
            FormatError(format!(
                "created = {created:?}: no date for it (timestamp out of range)"
            ))
        })?;
        let mut bytes = [0u8; STACK_LEN];
        if let Some(len) = self.strftime(&tm, &mut bytes) {
            let _ = out.write_str(&String::from_utf8_lossy(&bytes[..len]));
            return Ok(());
        }
        // A long text: CPython's largest buffer holds it, or the text is ''.
        let mut heap = vec![0u8; self.strftime_limit];
        if let Some(len) = self.strftime(&tm, &mut heap) {
            let _ = out.write_str(&String::from_utf8_lossy(&heap[..len]));
        }
        Ok(())
    }

    fn write_msecs(&self, record: &Record<'_>, out: &mut impl Write) -> Result<(), FormatError> {
        if self.append_msecs {
            // `,%03d` of the truncated milliseconds, without the fmt machinery.
            let mut buf = [0; 4];
            match crate::unchecked::comma_msecs(record.msecs, &mut buf) {
                Some(text) => {
                    let _ = out.write_str(text);
                }
                None => return write_odd_msecs(record, out),
            }
        }
        Ok(())
    }
}

/// `,%03d` of a msecs outside 0..1000: negative before 1970 (Python's `%03d`
/// keeps the sign, `,-250`) or whatever a filter assigned: an int prints
/// exactly (not through the f64 the record keeps), a float's integer part
/// exactly however large, and NaN or an infinity fail as `%d` does. Out of
/// line so the usual path stays short.
#[cold]
#[inline(never)]
fn write_odd_msecs(record: &Record<'_>, out: &mut impl Write) -> Result<(), FormatError> {
    if let Some(Value::Int(ms)) = record.extra("msecs") {
        let _ = write!(out, ",{ms:03}");
        return Ok(());
    }
    let ms = record.msecs;
    if !ms.is_finite() {
        return Err(FormatError(format!(
            "msecs = {ms:?}: %d format needs a finite number"
        )));
    }
    let _ = out.write_str(",");
    if ms.abs() < 9.0e15 {
        let _ = write!(out, "{:03}", ms.trunc() as i64);
    } else {
        write_float_as_integer(out, ms);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use crate::format::{Formatter, FormatterOptions, Style};
    use crate::record::Record;

    fn asctime(datefmt: String) -> Result<String, crate::format::FormatError> {
        let formatter = Formatter::with_options(FormatterOptions {
            format: Some("%(asctime)s".into()),
            datefmt: Some(datefmt),
            style: Style::Percent,
            utc: true,
            defaults: Vec::new(),
            one_line_exceptions: false,
        })
        .expect("formatter");
        let record = Record::at(1700000000.5, "t", 20, None, 0, None, Cow::Borrowed("m"));
        formatter.format_to_string(&record)
    }

    #[test]
    fn a_date_text_past_64_kib_prints_in_full() {
        // ~77 KiB of dates from a 63 KB datefmt (CPython's buffer rule lets
        // it through): past the old 64 KiB heap ceiling, which printed an
        // empty asctime.
        let text = asctime("%Y-%m-%d ".repeat(7_000)).expect("formats");
        assert_eq!(text, "2023-11-14 ".repeat(7_000));
    }
}
