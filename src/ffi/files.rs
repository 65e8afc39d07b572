//! Rotating, timed rotating and watched file handlers from C, and the
//! settings every file handler shares (multi-process mode, mode bits,
//! owner, reopen).

use std::ffi::{c_char, c_int};

use super::handler::{enter_handler_lock, handler_ref, into_c, sawmill_handler};
use super::{
    optional_str, pointer_call, required_str, sawmill_status, status_call, FfiError, FfiResult,
};
use crate::handler::file::DEFAULT_WATCH_INTERVAL;
use crate::handler::timed::{TimedOptions, When};
use crate::handler::{self, FileMode, FileOptions, FileSink, Handler, Owner, Rotation};

fn file_handler(options: FileOptions) -> FfiResult<*mut sawmill_handler> {
    let handler = handler::file_handler(options).map_err(|e| FfiError::io(&e))?;
    Ok(into_c(handler))
}

unsafe fn base_options(
    path: *const c_char,
    mode: *const c_char,
    delay: bool,
) -> FfiResult<FileOptions> {
    // SAFETY: C contract: NUL-terminated strings (mode may be NULL).
    let path = unsafe { required_str(path, "path") }?;
    let mode = unsafe { optional_str(mode, "mode") }?.unwrap_or("a");
    let mut options = FileOptions::new(path);
    options.mode = FileMode::parse(mode).map_err(FfiError::invalid)?;
    options.delay = delay;
    Ok(options)
}

/// Python's `RotatingFileHandler`: before a record would make the file reach
/// `max_bytes`, the file becomes `path.1` (older backups shift to `.2` …
/// `.backup_count`, the oldest is dropped) and a new file starts. Either
/// `max_bytes` or `backup_count` 0 means never roll; an empty file and a
/// non-regular file (such as /dev/null) never roll. Mode is forced to append.
/// Unopenable path (no `delay`) → NULL + SAWMILL_ERR_IO. The caller owns one
/// reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_rotating_file_handler_new(
    path: *const c_char,
    mode: *const c_char,
    max_bytes: u64,
    backup_count: u32,
    delay: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let mut options = unsafe { base_options(path, mode, delay) }?;
        options.rotation = Rotation::Size {
            max_bytes,
            backup_count,
        };
        file_handler(options)
    })
}

/// Python's `TimedRotatingFileHandler`: `when` is "S", "M", "H", "D",
/// "midnight" or "W0"-"W6" (Monday = W0), case-insensitive; rolls every
/// `interval` units (0 counts as 1), in UTC or local time, keeping
/// `backup_count` backups (0: keep all) named `path.<date suffix>` as Python
/// names them. An existing backup is never overwritten (a `.1`, `.2` … is
/// appended). The first rollover is computed from the file's modification
/// time if it exists. Bad `when` → NULL + SAWMILL_ERR_INVALID_ARGUMENT.
/// The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_timed_rotating_file_handler_new(
    path: *const c_char,
    when: *const c_char,
    interval: u32,
    backup_count: u32,
    utc: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let mut options = unsafe { base_options(path, std::ptr::null(), false) }?;
        // SAFETY: C contract: NUL-terminated string.
        let when = unsafe { required_str(when, "when") }?;
        let when = When::parse(when).map_err(FfiError::invalid)?;
        options.rotation = Rotation::Timed(TimedOptions::new(when, interval, backup_count, utc));
        file_handler(options)
    })
}

/// Python's `WatchedFileHandler`: if the file is renamed or deleted (by
/// logrotate, say), the handler reopens the path. The check is a stat(2) at
/// most every 50 ms, not one per record: records logged more than 50 ms
/// after the rename land in the new file. The caller owns one reference.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_watched_file_handler_new(
    path: *const c_char,
    mode: *const c_char,
    delay: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let mut options = unsafe { base_options(path, mode, delay) }?;
        options.watch = Some(DEFAULT_WATCH_INTERVAL);
        file_handler(options)
    })
}

fn with_file_sink<R>(
    h: *mut sawmill_handler,
    f: impl FnOnce(&mut FileSink) -> FfiResult<R>,
) -> FfiResult<R> {
    // SAFETY: checked handle; the caller holds a reference.
    let handler: &Handler = unsafe { handler_ref(h) }?;
    let _waiting = enter_handler_lock(handler, "a sawmill_file_handler_set_* call")?;
    handler.with_sink(|sink| match sink.as_file() {
        Some(file) => f(file),
        None => Err(FfiError::invalid("not a file handler")),
    })
}

/// Multi-process mode for file and rotating handlers: the file is opened
/// O_APPEND, each record is one write(2) (buffering is turned off), and
/// rotation happens under `<path>.lock` with the real size and inode
/// re-checked, so exactly one process rolls and the others follow to the new
/// file. Each process (a fork child too) opens its own lock. Other handlers →
/// SAWMILL_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_file_handler_set_multiprocess(
    h: *mut sawmill_handler,
    on: bool,
) -> sawmill_status {
    status_call(|| {
        with_file_sink(h, |file| {
            file.set_multiprocess(on).map_err(|e| FfiError::io(&e))
        })
    })
}

/// Exact permission bits (e.g. 0640, not reduced by the umask) for every
/// file the handler creates from now on, rotations included, and at once
/// for the files it created and still has open (the file a `_new`
/// constructor created, a multi-process `.lock` file). Files that existed
/// before the handler opened them are left alone. Bits above 07777 →
/// SAWMILL_ERR_INVALID_ARGUMENT; the OS refusing the change → SAWMILL_ERR_IO
/// (the setting is kept for later files). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_file_handler_set_permissions(
    h: *mut sawmill_handler,
    mode: u32,
) -> sawmill_status {
    status_call(|| {
        if mode > 0o7777 {
            return Err(FfiError::invalid(format!(
                "invalid permission bits {mode:o}"
            )));
        }
        with_file_sink(h, |file| {
            file.set_permissions(mode).map_err(|e| FfiError::io(&e))
        })
    })
}

/// A user or group given by decimal id or by name.
fn id_of(name: &str, user: bool) -> FfiResult<u32> {
    if name.contains('\0') {
        return Err(FfiError::invalid("name contains NUL"));
    }
    crate::handler::file::lookup_id(name, user).ok_or_else(|| {
        let what = if user { "user" } else { "group" };
        FfiError::invalid(format!("no such {what} {name:?}"))
    })
}

fn user_id(name: &str) -> FfiResult<u32> {
    id_of(name, true)
}

fn group_id(name: &str) -> FfiResult<u32> {
    id_of(name, false)
}

/// Owner (user and/or group, by name or decimal id; NULL leaves that part
/// as created) of every file the handler creates from now on (cookbook
/// recipe 13), and at once of the files it created and still has open (the
/// file a `_new` constructor created, a multi-process `.lock` file). Files
/// that existed before the handler opened them are left alone. Unknown
/// names → SAWMILL_ERR_INVALID_ARGUMENT; a chown the OS refuses now →
/// SAWMILL_ERR_IO (the setting is kept), later → a counted handler error
/// when the file is created. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_file_handler_set_owner(
    h: *mut sawmill_handler,
    user: *const c_char,
    group: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let user = unsafe { optional_str(user, "user") }?;
        let group = unsafe { optional_str(group, "group") }?;
        let owner = Owner {
            uid: user.map(user_id).transpose()?,
            gid: group.map(group_id).transpose()?,
        };
        with_file_sink(h, |file| {
            file.set_owner(owner).map_err(|e| FfiError::io(&e))
        })
    })
}

/// TimedRotatingFileHandler's `atTime`: the time of day of "midnight" and
/// weekly rollovers. Out-of-range values or another handler kind →
/// SAWMILL_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_timed_rotating_file_handler_set_at_time(
    h: *mut sawmill_handler,
    hour: c_int,
    minute: c_int,
    second: c_int,
) -> sawmill_status {
    status_call(|| {
        let valid =
            (0..24).contains(&hour) && (0..60).contains(&minute) && (0..61).contains(&second);
        if !valid {
            return Err(FfiError::invalid(format!(
                "invalid time of day {hour}:{minute}:{second}"
            )));
        }
        with_file_sink(h, |file| {
            file.set_at_time((hour as u32, minute as u32, second as u32))
                .map_err(FfiError::invalid)
        })
    })
}

/// Makes every file handler reopen its path at its next record (after an
/// external rotation). Async-signal-safe: it only increments an atomic
/// counter, so it may be called from a SIGHUP handler.
#[no_mangle]
pub extern "C" fn sawmill_reopen_files() {
    // An atomic increment cannot panic; the boundary is kept for uniformity.
    let _ = std::panic::catch_unwind(handler::request_reopen);
}
