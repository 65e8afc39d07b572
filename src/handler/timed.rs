//! Python's `TimedRotatingFileHandler` schedule: when the next rollover is
//! due (computeRollover, with its DST corrections), what the backup is
//! called, and which old backups go. Time comes from an injectable clock.

use std::ffi::CString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A clock: seconds since the epoch (tests inject their own).
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Seconds,
    Minutes,
    Hours,
    Days,
    Midnight,
    /// W0 (Monday) … W6 (Sunday).
    Weekday(u8),
}

impl When {
    /// Python's `when` strings, case-insensitive: S M H D MIDNIGHT W0-W6.
    pub fn parse(text: &str) -> Result<When, String> {
        let upper = text.to_ascii_uppercase();
        Ok(match upper.as_str() {
            "S" => When::Seconds,
            "M" => When::Minutes,
            "H" => When::Hours,
            "D" => When::Days,
            "MIDNIGHT" => When::Midnight,
            w if w.len() == 2 && w.starts_with('W') => match w.as_bytes()[1] {
                d @ b'0'..=b'6' => When::Weekday(d - b'0'),
                _ => return Err(format!("Invalid day specified for weekly rollover: {text}")),
            },
            _ => return Err(format!("Invalid rollover interval specified: {text}")),
        })
    }

    fn unit_seconds(self) -> i64 {
        match self {
            When::Seconds => 1,
            When::Minutes => 60,
            When::Hours => 3600,
            When::Days | When::Midnight => 86400,
            When::Weekday(_) => 7 * 86400,
        }
    }

    /// The strftime suffix of backups.
    fn suffix(self) -> &'static str {
        match self {
            When::Seconds => "%Y-%m-%d_%H-%M-%S",
            When::Minutes => "%Y-%m-%d_%H-%M",
            When::Hours => "%Y-%m-%d_%H",
            _ => "%Y-%m-%d",
        }
    }

    /// Shape of a suffix (digits as `9`), for recognising our backups.
    fn suffix_shape(self) -> &'static str {
        match self {
            When::Seconds => "9999-99-99_99-99-99",
            When::Minutes => "9999-99-99_99-99",
            When::Hours => "9999-99-99_99",
            _ => "9999-99-99",
        }
    }
}

/// Everything a timed rotation is built from.
#[derive(Clone)]
pub struct TimedOptions {
    pub when: When,
    pub interval: u32,
    pub backup_count: u32,
    pub utc: bool,
    /// Time of day (h, m, s) for MIDNIGHT and W0-W6 rollovers.
    pub at_time: Option<(u32, u32, u32)>,
    pub clock: Clock,
}

impl fmt::Debug for TimedOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TimedOptions({:?}, interval {}, backups {}, utc {}, at {:?})",
            self.when, self.interval, self.backup_count, self.utc, self.at_time
        )
    }
}

impl TimedOptions {
    pub fn new(when: When, interval: u32, backup_count: u32, utc: bool) -> TimedOptions {
        TimedOptions {
            when,
            interval: interval.max(1),
            backup_count,
            utc,
            at_time: None,
            clock: Arc::new(crate::clock::now),
        }
    }

    /// Seconds between rollovers (Python's `self.interval`).
    pub fn period(&self) -> i64 {
        self.when.unit_seconds() * i64::from(self.interval)
    }
}

/// The broken-down fields Python reads from a time tuple.
struct TimeParts {
    hour: i64,
    minute: i64,
    second: i64,
    /// Monday = 0, as Python's tm_wday.
    weekday: i64,
    dst: bool,
}

fn broken_down(t: i64, utc: bool) -> libc::tm {
    // SAFETY: an all-zero tm is a valid value to be overwritten.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t = t as libc::time_t;
    // SAFETY: valid pointers to a time_t and a tm.
    unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm);
        } else {
            libc::localtime_r(&t, &mut tm);
        }
    }
    tm
}

fn parts(t: i64, utc: bool) -> TimeParts {
    let tm = broken_down(t, utc);
    TimeParts {
        hour: tm.tm_hour.into(),
        minute: tm.tm_min.into(),
        second: tm.tm_sec.into(),
        weekday: (i64::from(tm.tm_wday) + 6) % 7,
        dst: tm.tm_isdst > 0,
    }
}

fn dst_at(t: i64) -> bool {
    parts(t, false).dst
}

/// Python's `computeRollover(currentTime)`.
pub fn compute_rollover(options: &TimedOptions, current: i64) -> i64 {
    let mut result = current + options.period();
    if let When::Midnight | When::Weekday(_) = options.when {
        let now = parts(current, options.utc);
        let rotate_ts = match options.at_time {
            None => 86400,
            Some((h, m, s)) => i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s),
        };
        let mut day = now.weekday;
        let mut r = rotate_ts - ((now.hour * 60 + now.minute) * 60 + now.second);
        if r < 0 {
            r += 86400;
            day = (day + 1) % 7;
        }
        result = current + r;
        if let When::Weekday(target) = options.when {
            let target = i64::from(target);
            if day != target {
                let days_to_wait = if day < target {
                    target - day
                } else {
                    6 - day + target + 1
                };
                let mut new_rollover = result + days_to_wait * 86400;
                if !options.utc {
                    let dst_now = now.dst;
                    if dst_now != dst_at(new_rollover) {
                        new_rollover += if dst_now { 3600 } else { -3600 };
                    }
                }
                result = new_rollover;
            }
        }
    }
    result
}

/// Python's `doRollover` schedule step: the next rollover after one at
/// `current` (the time the rollover happened).
pub fn next_rollover(options: &TimedOptions, current: i64) -> i64 {
    let mut next = compute_rollover(options, current);
    while next <= current {
        next += options.period();
    }
    if matches!(options.when, When::Midnight | When::Weekday(_)) && !options.utc {
        let dst_now = dst_at(current);
        if dst_now != dst_at(next) {
            next += if dst_now { 3600 } else { -3600 };
        }
    }
    next
}

fn strftime(format: &str, tm: &libc::tm) -> String {
    let Ok(format) = CString::new(format) else {
        return String::new();
    };
    let mut buf = [0u8; 128];
    // SAFETY: buffer valid for its length; format and tm valid.
    let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), format.as_ptr(), tm) };
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Python's backup name for the period that ends at `rollover_at`, as
/// `doRollover` computes it at time `current`: the suffix is the start of the
/// period (rolloverAt − interval), corrected by an hour across a DST change.
pub fn backup_suffix(options: &TimedOptions, rollover_at: i64, current: i64) -> String {
    let t = rollover_at - options.period();
    let tm = if options.utc {
        broken_down(t, true)
    } else {
        let then = broken_down(t, false);
        let dst_now = dst_at(current);
        if dst_now != (then.tm_isdst > 0) {
            broken_down(t + if dst_now { 3600 } else { -3600 }, false)
        } else {
            then
        }
    };
    strftime(options.when.suffix(), &tm)
}

/// A backup path that does not exist yet: `base.suffix`, else
/// `base.suffix.1`, `.2`, … (Python would delete the existing file; we never
/// overwrite a backup).
pub fn free_backup_path(base: &Path, suffix: &str) -> PathBuf {
    let first = PathBuf::from(format!("{}.{suffix}", base.display()));
    if !first.exists() {
        return first;
    }
    (1u32..)
        .map(|n| PathBuf::from(format!("{}.{suffix}.{n}", base.display())))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Whether `name` is `base_name.` + a suffix of this schedule's shape,
/// optionally followed by our `.N` de-duplication.
fn is_backup_name(options: &TimedOptions, base_name: &str, name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(base_name)
        .and_then(|r| r.strip_prefix('.'))
    else {
        return false;
    };
    let shape = options.when.suffix_shape();
    if rest.len() < shape.len() {
        return false;
    }
    let (stamp, tail) = rest.split_at(shape.len());
    let stamp_ok = stamp.bytes().zip(shape.bytes()).all(|(c, s)| {
        if s == b'9' {
            c.is_ascii_digit()
        } else {
            c == s
        }
    });
    stamp_ok
        && (tail.is_empty()
            || tail.strip_prefix('.').is_some_and(|n| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            }))
}

/// Python's `getFilesToDelete`: all but the newest `backup_count` backups.
pub fn backups_to_delete(options: &TimedOptions, base: &Path) -> Vec<PathBuf> {
    if options.backup_count == 0 {
        return Vec::new();
    }
    let (Some(dir), Some(base_name)) = (base.parent(), base.file_name().and_then(|n| n.to_str()))
    else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut backups: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_backup_name(options, base_name, name))
        .collect();
    // Time stamps sort as text; a `.N` duplicate sorts after its original.
    backups.sort_by_key(|name| backup_sort_key(name));
    let keep = options.backup_count as usize;
    if backups.len() <= keep {
        return Vec::new();
    }
    backups[..backups.len() - keep]
        .iter()
        .map(|name| dir.join(name))
        .collect()
}

fn backup_sort_key(name: &str) -> (String, u64) {
    match name.rsplit_once('.') {
        Some((head, n))
            if n.bytes().all(|b| b.is_ascii_digit()) && n.len() < 10 && head.contains('-') =>
        {
            (head.to_owned(), n.parse().unwrap_or(0))
        }
        _ => (name.to_owned(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_python_when_strings() {
        assert_eq!(When::parse("midnight"), Ok(When::Midnight));
        assert_eq!(When::parse("W6"), Ok(When::Weekday(6)));
        assert!(When::parse("W7").is_err());
        assert!(When::parse("X").is_err());
    }

    #[test]
    fn recognises_backups() {
        let o = TimedOptions::new(When::Seconds, 1, 3, true);
        assert!(is_backup_name(&o, "app.log", "app.log.2024-01-02_03-04-05"));
        assert!(is_backup_name(
            &o,
            "app.log",
            "app.log.2024-01-02_03-04-05.1"
        ));
        assert!(!is_backup_name(&o, "app.log", "app.log.2024-01-02"));
        assert!(!is_backup_name(&o, "app.log", "app.log.1"));
        assert!(!is_backup_name(
            &o,
            "app.log",
            "other.log.2024-01-02_03-04-05"
        ));
    }
}
