//! `asctime`: strftime through libc (what CPython's time.strftime calls), with
//! the text of the current second cached per formatter and per thread (a
//! cache shared by threads made them contend on it for every record).

use std::ffi::CString;
use std::fmt::Write;
use std::sync::Once;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::render::SpillText;
use super::FormatError;

/// Room for a cached date text; longer results are computed every time.
const CACHED_LEN: usize = 96;
/// Date texts longer than this are cut by strftime's buffer and recomputed
/// on the heap (a datefmt of hundreds of characters).
const STACK_LEN: usize = 256;
/// Longest datefmt accepted, in bytes: CPython's strftime may use a buffer
/// of 256 times the format's length, so this bounds that buffer at 16 MiB.
pub const MAX_DATEFMT_LEN: usize = 65_536;

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
    len: u8,
    bytes: [u8; CACHED_LEN],
}

const SLOTS: usize = 4;

struct ThreadDates {
    slots: [CachedSecond; SLOTS],
    next: usize,
}

thread_local! {
    static DATES: RefCell<ThreadDates> = const {
        RefCell::new(ThreadDates {
            slots: [CachedSecond { formatter: 0, start: 0.0, end: 0.0, utc: false, len: 0, bytes: [0; CACHED_LEN] }; SLOTS],
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
    static TZSET: Once = Once::new();
    // SAFETY: tzset has no preconditions; once, before any localtime_r here.
    TZSET.call_once(|| unsafe { tzset() });
}

/// Broken-down time of `second`, in UTC (`%Z` prints `GMT`, as CPython's
/// strftime of a gmtime does) or local time.
fn broken_down(second: i64, utc: bool) -> libc::tm {
    // SAFETY: an all-zero tm is a valid value to be overwritten.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t = second as libc::time_t;
    if utc {
        // SAFETY: valid pointers to a time_t and a tm.
        unsafe { libc::gmtime_r(&t, &mut tm) };
    } else {
        // SAFETY: as above; the time zone was initialised by init_time_zone.
        unsafe { libc::localtime_r(&t, &mut tm) };
    }
    tm
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

    /// strftime into `buf`; the length written, or None if it did not fit.
    fn strftime(&self, second: i64, utc: bool, buf: &mut [u8]) -> Option<usize> {
        let tm = broken_down(second, utc);
        // SAFETY: buf is writable for its length; format and tm are valid.
        let n = unsafe {
            libc::strftime(
                buf.as_mut_ptr().cast(),
                buf.len(),
                self.strftime_format.as_ptr(),
                &tm,
            )
        };
        // 0 means "did not fit" or "empty result": an empty format is empty.
        (n > 0 || self.strftime_format.as_bytes().is_empty()).then_some(n)
    }

    /// Writes the date text for `created` (+ `,mmm` for the default format).
    pub fn write(&self, created: f64, msecs: f64, utc: bool, out: &mut impl Write) {
        let cached = DATES.try_with(|cell| {
            let mut dates = cell.try_borrow_mut().ok()?;
            if let Some(slot) = dates.slots.iter().find(|s| {
                s.formatter == self.id && s.utc == utc && created >= s.start && created < s.end
            }) {
                // SAFETY: only valid UTF-8 is ever cached (checked below).
                let _ = out.write_str(unsafe {
                    std::str::from_utf8_unchecked(&slot.bytes[..usize::from(slot.len)])
                });
                return Some(());
            }
            let second = crate::clock::floor(created) as i64;
            let mut bytes = [0u8; CACHED_LEN];
            let len = self.strftime(second, utc, &mut bytes)?;
            // strftime writes the locale's encoding: cache only valid UTF-8.
            let text = std::str::from_utf8(&bytes[..len]).ok()?;
            let _ = out.write_str(text);
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
                len: len as u8,
                bytes,
            };
            Some(())
        });
        if !matches!(cached, Ok(Some(()))) {
            self.write_uncached(crate::clock::floor(created) as i64, utc, out);
        }
        self.write_msecs(msecs, out);
    }

    fn write_uncached(&self, second: i64, utc: bool, out: &mut impl Write) {
        let mut bytes = [0u8; STACK_LEN];
        if let Some(len) = self.strftime(second, utc, &mut bytes) {
            let _ = out.write_str(&String::from_utf8_lossy(&bytes[..len]));
            return;
        }
        // A long text: CPython's largest buffer holds it, or the text is ''.
        let mut heap = vec![0u8; self.strftime_limit];
        if let Some(len) = self.strftime(second, utc, &mut heap) {
            let _ = out.write_str(&String::from_utf8_lossy(&heap[..len]));
        }
    }

    fn write_msecs(&self, msecs: f64, out: &mut impl Write) {
        if self.append_msecs {
            let ms = msecs as i64;
            if !(0..1000).contains(&ms) {
                return write_odd_msecs(ms, out);
            }
            // `,%03d` of the truncated milliseconds, without the fmt machinery.
            let ms = ms as u16;
            let digits = [
                b',',
                b'0' + (ms / 100) as u8,
                b'0' + (ms / 10 % 10) as u8,
                b'0' + (ms % 10) as u8,
            ];
            // SAFETY: a comma and three ASCII digits.
            let _ = out.write_str(unsafe { std::str::from_utf8_unchecked(&digits) });
        }
    }
}

/// `,%03d` of a msecs outside 0..1000: negative before 1970 (Python's `%03d`
/// keeps the sign, `,-250`) or whatever a filter assigned. Out of line so the
/// usual path stays short.
#[cold]
#[inline(never)]
fn write_odd_msecs(ms: i64, out: &mut impl Write) {
    let _ = write!(out, ",{ms:03}");
}
