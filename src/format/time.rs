//! `asctime`: strftime through libc (what CPython's time.strftime calls), with
//! the text of the current second cached per formatter.

use std::ffi::CString;
use std::fmt::Write;
use std::sync::Once;

use parking_lot::Mutex;

use super::render::StackText;
use super::FormatError;

/// Room for any date text we cache; longer results bypass the cache.
const CACHED_LEN: usize = 256;

pub type DateText = StackText<320>;

/// Python's `default_time_format`.
const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

struct Cached {
    second: i64,
    utc: bool,
    valid: bool,
    len: usize,
    bytes: [u8; CACHED_LEN],
}

pub struct DateCache {
    strftime_format: CString,
    /// The default format appends `,mmm`; an explicit datefmt does not.
    append_msecs: bool,
    cached: Mutex<Cached>,
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
        let strftime_format =
            CString::new(format).map_err(|_| FormatError("datefmt must not contain NUL".into()))?;
        Ok(DateCache {
            strftime_format,
            append_msecs: datefmt.is_none(),
            cached: Mutex::new(Cached {
                second: 0,
                utc: false,
                valid: false,
                len: 0,
                bytes: [0; CACHED_LEN],
            }),
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
        let second = created.floor() as i64;
        if let Some(mut cache) = self.cached.try_lock() {
            if !(cache.valid && cache.second == second && cache.utc == utc) {
                let mut bytes = [0u8; CACHED_LEN];
                match self.strftime(second, utc, &mut bytes) {
                    Some(len) => {
                        cache.bytes = bytes;
                        cache.len = len;
                        cache.second = second;
                        cache.utc = utc;
                        cache.valid = true;
                    }
                    None => {
                        drop(cache);
                        self.write_uncached(second, utc, out);
                        self.write_msecs(msecs, out);
                        return;
                    }
                }
            }
            let _ = out.write_str(&String::from_utf8_lossy(&cache.bytes[..cache.len]));
        } else {
            // Another thread holds the cache: compute on the stack instead.
            self.write_uncached(second, utc, out);
        }
        self.write_msecs(msecs, out);
    }

    fn write_uncached(&self, second: i64, utc: bool, out: &mut impl Write) {
        let mut bytes = [0u8; CACHED_LEN];
        if let Some(len) = self.strftime(second, utc, &mut bytes) {
            let _ = out.write_str(&String::from_utf8_lossy(&bytes[..len]));
            return;
        }
        // A very long datefmt: grow a heap buffer until it fits.
        let mut size = CACHED_LEN * 4;
        while size <= 1 << 16 {
            let mut heap = vec![0u8; size];
            if let Some(len) = self.strftime(second, utc, &mut heap) {
                let _ = out.write_str(&String::from_utf8_lossy(&heap[..len]));
                return;
            }
            size *= 4;
        }
    }

    fn write_msecs(&self, msecs: f64, out: &mut impl Write) {
        if self.append_msecs {
            let _ = write!(out, ",{:03}", msecs as i64);
        }
    }
}
