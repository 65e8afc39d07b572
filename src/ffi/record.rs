//! Records as callbacks see them, and typed extras passed in by C.
//!
//! A `sawmill_record *` points at a [`RecordView`] on the stack of the code
//! calling the callback: the record plus NUL-terminated copies of whatever
//! text the callback asked for, all freed when the callback returns.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, CStr, CString};

use super::{
    boundary, check_not_null, lossy_str, required_str, sawmill_status, status_call, FfiError,
    FfiResult,
};
use crate::record::{AttrRef, Field, Record, Value};
use crate::sync::Lock;

/// One record during a handler or filter callback. Borrowed: valid only
/// until the callback returns.
pub struct sawmill_record {
    _opaque: [u8; 0],
}

/// The record behind a `sawmill_record *`. Lifetimes are erased: a view only
/// lives on the stack frame that calls one callback, shorter than the record.
pub(crate) struct RecordView {
    record: *mut Record<'static>,
    /// False in emit callbacks, which see the record after filtering.
    writable: bool,
    texts: RefCell<Vec<CString>>,
}

impl RecordView {
    /// A view filters may change (cookbook 7.2: filters add attributes).
    pub(crate) fn writable(record: &mut Record<'_>) -> RecordView {
        RecordView {
            record: (record as *mut Record<'_>).cast(),
            writable: true,
            texts: RefCell::new(Vec::new()),
        }
    }

    /// A view emit callbacks read.
    pub(crate) fn read_only(record: &Record<'_>) -> RecordView {
        RecordView {
            record: (record as *const Record<'_> as *mut Record<'_>).cast(),
            writable: false,
            texts: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn as_c(&self) -> *mut sawmill_record {
        self as *const RecordView as *mut sawmill_record
    }

    fn record(&self) -> &Record<'static> {
        // SAFETY: the record outlives the view (see the type's comment).
        unsafe { &*self.record }
    }

    fn record_mut(&mut self) -> FfiResult<&mut Record<'static>> {
        if !self.writable {
            return Err(FfiError::invalid(
                "the record is read-only here: change records in a filter, not in an emit callback",
            ));
        }
        // SAFETY: as in `record`; writable views come from a `&mut Record`.
        Ok(unsafe { &mut *self.record })
    }

    /// A NUL-terminated copy of `text` that lives as long as the view.
    fn c_text(&self, text: &str) -> *const c_char {
        let owned = CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default();
        let ptr = owned.as_ptr();
        self.texts.borrow_mut().push(owned);
        ptr
    }
}

unsafe fn view<'x>(r: *const sawmill_record) -> FfiResult<&'x RecordView> {
    check_not_null(r, "record")?;
    // SAFETY: record pointers are only created by `RecordView::as_c` and are
    // valid for the duration of the callback that received them.
    Ok(unsafe { &*(r as *const RecordView) })
}

unsafe fn view_mut<'x>(r: *mut sawmill_record) -> FfiResult<&'x mut RecordView> {
    check_not_null(r, "record")?;
    // SAFETY: as in `view`; the callback holds the only access.
    Ok(unsafe { &mut *(r as *mut RecordView) })
}

/// NUL-terminated copies of names that live for the process (logger and
/// level names), keyed by the name's address and length (an empty name may
/// share its address with another name). A fork-resettable lock: the
/// logging path (sawmill_logger_name, sawmill_level_name) takes it.
static NAME_CACHE: Lock<Option<HashMap<(usize, usize), &'static CStr>>> = Lock::new(None);

/// NUL-terminated copies of names that live for the process (logger and
/// level names), leaked like the names themselves, made once per name.
pub(crate) fn static_c_text(text: &'static str) -> *const c_char {
    let mut cache = NAME_CACHE.lock();
    cache
        .get_or_insert_with(HashMap::new)
        .entry((text.as_ptr() as usize, text.len()))
        .or_insert_with(|| {
            let owned = CString::new(text.replace('\0', "")).unwrap_or_default();
            Box::leak(owned.into_boxed_c_str())
        })
        .as_ptr()
}

/// Python's `str()` of an attribute value.
fn python_text(value: AttrRef<'_>) -> Cow<'_, str> {
    match value {
        AttrRef::Str(s) => Cow::Borrowed(s),
        AttrRef::Int(i) => Cow::Owned(i.to_string()),
        AttrRef::Float(f) => Cow::Owned(crate::format::python_float_repr(f)),
        AttrRef::Bool(b) => Cow::Borrowed(if b { "True" } else { "False" }),
        AttrRef::None => Cow::Borrowed("None"),
        AttrRef::EmptyTuple => Cow::Borrowed("()"),
    }
}

/// A standard attribute as text, a filter's assignment included (an
/// assigned number reads as Python's `str()` of it).
fn string_field(r: *const sawmill_record, field: Field) -> *const c_char {
    boundary(
        |_| std::ptr::null(),
        || {
            // SAFETY: checked record pointer.
            let v = unsafe { view(r) }?;
            let record = v.record();
            // The message is always getMessage()'s, as after Python's format().
            let value = match field {
                Field::Message => record.field(field),
                _ => record.lookup(field.name()).unwrap_or(record.field(field)),
            };
            Ok(v.c_text(&python_text(value)))
        },
    )
}

/// An integer attribute, a filter's integer assignment included.
fn int_field(record: &Record<'_>, field: Field, stored: i128) -> i128 {
    match record.lookup(field.name()) {
        Some(AttrRef::Int(i)) => i,
        Some(AttrRef::Bool(b)) => i128::from(b),
        _ => stored,
    }
}

/// The logger name. Valid until the callback returns; NULL for a NULL record.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_name(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::Name)
}

/// The merged message. Valid until the callback returns; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_message(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::Message)
}

/// The level name (`INFO`, `Level 37`…). Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_levelname(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::Levelname)
}

/// The source path (`(unknown file)` if none). Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_pathname(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::Pathname)
}

/// The source file's base name. Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_filename(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::Filename)
}

/// The function name (`(unknown function)` if none). Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_func_name(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::FuncName)
}

/// The thread name. Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_thread_name(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::ThreadName)
}

/// The process name. Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_process_name(r: *const sawmill_record) -> *const c_char {
    string_field(r, Field::ProcessName)
}

/// The record's level number; -1 for a NULL record.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_levelno(r: *const sawmill_record) -> c_int {
    boundary(|_| -1, || Ok(unsafe { view(r) }?.record().levelno))
}

/// The source line (0 if unknown); -1 for a NULL record.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_lineno(r: *const sawmill_record) -> c_int {
    boundary(
        |_| -1,
        || {
            // SAFETY: checked record pointer.
            let record = unsafe { view(r) }?.record();
            let line = int_field(record, Field::Lineno, record.lineno.into());
            Ok(c_int::try_from(line).unwrap_or(-1))
        },
    )
}

/// Creation time, seconds since the epoch; 0 for a NULL record.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_created(r: *const sawmill_record) -> f64 {
    boundary(|_| 0.0, || Ok(unsafe { view(r) }?.record().created))
}

/// Milliseconds part of the creation time (Python's msecs); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_msecs(r: *const sawmill_record) -> f64 {
    boundary(|_| 0.0, || Ok(unsafe { view(r) }?.record().msecs))
}

/// The thread identifier (pthread_self of the logging thread); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_thread(r: *const sawmill_record) -> u64 {
    boundary(
        |_| 0,
        || {
            // SAFETY: checked record pointer.
            let record = unsafe { view(r) }?.record();
            // An assigned negative id reads as its two's complement, as before.
            Ok(int_field(record, Field::Thread, record.thread.into()) as u64)
        },
    )
}

/// The process id of the logging process; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_process(r: *const sawmill_record) -> u32 {
    boundary(
        |_| 0,
        || {
            // SAFETY: checked record pointer.
            let record = unsafe { view(r) }?.record();
            let pid = int_field(record, Field::Process, record.process.into());
            Ok(u32::try_from(pid).unwrap_or(0))
        },
    )
}

/// Any attribute by name (an extra, or a standard one such as `levelname`)
/// as text, as `%(key)s` would print it. Returns NULL if there is no such
/// attribute (or `r`/`key` is NULL or `key` invalid UTF-8; see
/// `sawmill_last_error()`). Valid until the callback returns.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_get_str(
    r: *const sawmill_record,
    key: *const c_char,
) -> *const c_char {
    boundary(
        |_| std::ptr::null(),
        || {
            // SAFETY: checked record pointer and NUL-terminated key.
            let v = unsafe { view(r) }?;
            let key = unsafe { required_str(key, "key") }?;
            let Some(value) = v.record().lookup(key) else {
                return Err(FfiError::invalid(format!(
                    "record has no attribute {key:?}"
                )));
            };
            Ok(v.c_text(&python_text(value)))
        },
    )
}

fn set_value(
    r: *mut sawmill_record,
    key: *const c_char,
    value: impl FnOnce() -> FfiResult<Value<'static>>,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked record pointer and NUL-terminated key.
        let v = unsafe { view_mut(r) }?;
        let key = unsafe { required_str(key, "key") }?;
        if key.is_empty() {
            return Err(FfiError::invalid("attribute key must not be empty"));
        }
        let value = value()?;
        v.record_mut()?
            .set_attr(key.to_owned(), value)
            .map_err(FfiError::invalid)
    })
}

/// Sets (or replaces) a string attribute, e.g. from a filter adding context
/// that a `%(key)s` format prints (cookbook recipe 7.2). Setting a standard
/// name acts as assigning that attribute of a Python LogRecord: `%(key)s`
/// prints the new value, and what Python derives from it follows —
/// `created`/`msecs` change `asctime`, `msg` the message, `exc_text` and
/// `stack_info` the lines appended after it, `name`/`levelno` later name
/// filters and handler levels; `message` and `asctime` are recomputed when
/// the record is formatted, as in Python. A value Python's formatter cannot
/// use (a `created` that is a string, say) makes formatting fail, counted
/// as a handler error. A truthy `args` is refused
/// (SAWMILL_ERR_INVALID_ARGUMENT): sawmill merges arguments at the logging
/// call. Both strings are copied. Only in filter callbacks (emit callbacks
/// see a read-only record: SAWMILL_ERR_INVALID_ARGUMENT). Invalid UTF-8 in
/// `key` or `value` → SAWMILL_ERR_INVALID_UTF8.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_set_str(
    r: *mut sawmill_record,
    key: *const c_char,
    value: *const c_char,
) -> sawmill_status {
    set_value(r, key, || {
        // SAFETY: C contract: NUL-terminated string.
        let value = unsafe { required_str(value, "value") }?;
        Ok(Value::Str(Cow::Owned(value.to_owned())))
    })
}

/// Sets (or replaces) an integer attribute. See `sawmill_record_set_str`.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_set_int(
    r: *mut sawmill_record,
    key: *const c_char,
    value: i64,
) -> sawmill_status {
    set_value(r, key, || Ok(Value::Int(value)))
}

/// Sets (or replaces) a float attribute. See `sawmill_record_set_str`.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_set_float(
    r: *mut sawmill_record,
    key: *const c_char,
    value: f64,
) -> sawmill_status {
    set_value(r, key, || Ok(Value::Float(value)))
}

/// Sets (or replaces) a boolean attribute (prints `True`/`False`).
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_set_bool(
    r: *mut sawmill_record,
    key: *const c_char,
    value: bool,
) -> sawmill_status {
    set_value(r, key, || Ok(Value::Bool(value)))
}

/// Sets an attribute to Python's `None` (e.g. `exc_text`, or `exc_info`).
/// See `sawmill_record_set_str`.
#[no_mangle]
pub unsafe extern "C" fn sawmill_record_set_null(
    r: *mut sawmill_record,
    key: *const c_char,
) -> sawmill_status {
    set_value(r, key, || Ok(Value::Null))
}

/// The type of a `sawmill_extra` value.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sawmill_value_kind {
    SAWMILL_VALUE_NULL = 0,
    SAWMILL_VALUE_STR = 1,
    SAWMILL_VALUE_INT = 2,
    SAWMILL_VALUE_FLOAT = 3,
    SAWMILL_VALUE_BOOL = 4,
    /// `str_value` is JSON text (a nested list or object, any JSON value):
    /// refused unless valid JSON in UTF-8 (SAWMILL_ERR_INVALID_ARGUMENT /
    /// SAWMILL_ERR_INVALID_UTF8); `sawmill.JSONFormatter` nests it,
    /// `%(key)s` prints the text.
    SAWMILL_VALUE_JSON = 5,
}

/// One `extra=` attribute for `sawmill_log_ex`: `key` and the field named by
/// `kind` (a `sawmill_value_kind`) are read; the others are ignored. Strings
/// are copied.
#[repr(C)]
pub struct sawmill_extra {
    pub key: *const c_char,
    pub kind: c_int,
    pub str_value: *const c_char,
    pub int_value: i64,
    pub float_value: f64,
    pub bool_value: bool,
}

/// Gives a record's extras vector back as the thread's spare (see
/// `record::with_identity_and_spare`; its allocation only; a large one is
/// freed).
pub(crate) fn keep_spare_extras(
    spare: &mut Vec<(Cow<'static, str>, Value<'static>)>,
    extras: Vec<(Cow<'_, str>, Value<'_>)>,
) {
    if extras.capacity() != 0 && extras.capacity() <= 64 {
        *spare = crate::record::recycle(extras);
    }
}

/// Reads C extras. Like Python's makeRecord, a key naming a LogRecord
/// attribute (`args` and `exc_info` included) or `message`/`asctime` is
/// refused with its words: "Attempt to overwrite 'args' in LogRecord".
/// Keys and strings borrow the caller's C strings (valid UTF-8 as it is):
/// a caller keeping them past the C call makes them owned.
pub(crate) unsafe fn extras_from_c<'a>(
    extras: *const sawmill_extra,
    n: usize,
) -> FfiResult<Vec<(Cow<'a, str>, Value<'a>)>> {
    // SAFETY: forwarded C contract.
    unsafe { extras_into(extras, n, Vec::new()) }
}

/// [`extras_from_c`] into `out`, an empty vector whose allocation it
/// reuses (a thread's spare one).
pub(crate) unsafe fn extras_into<'a>(
    extras: *const sawmill_extra,
    n: usize,
    mut out: Vec<(Cow<'a, str>, Value<'a>)>,
) -> FfiResult<Vec<(Cow<'a, str>, Value<'a>)>> {
    if n == 0 {
        return Ok(out);
    }
    // SAFETY: C contract: `extras` points at `n` entries.
    let entries = unsafe { std::slice::from_raw_parts(extras, n) };
    out.reserve(n);
    // The name bits of the keys so far: a key whose bit is new is no repeat.
    let mut seen = 0;
    for entry in entries {
        // SAFETY: C contract: NUL-terminated key.
        let key = unsafe { super::required_str(entry.key, "extra key") }?;
        let bit = crate::record::name_bit(key);
        if Field::NAME_BITS & bit != 0 && Field::from_name_by_length(key).is_some() {
            return Err(reserved_key(key));
        }
        // A repeated key keeps its first place and last value, as a Python
        // `extra` dict would.
        let repeat = if seen & bit != 0 {
            out.iter().position(|(k, _)| *k == key)
        } else {
            None
        };
        seen |= bit;
        let index = match repeat {
            Some(index) => index,
            None => push_in_place(&mut out, key),
        };
        // The value written in its place. Built elsewhere and moved in (as
        // `push` moves a whole entry), its narrow stores were read back as
        // wide loads, which stall the CPU (store forwarding: three quarters
        // of this function's time in `perf`).
        // SAFETY: C contract: `kind` says which field holds a valid value.
        unsafe { set_extra_value(entry, key, &mut out[index].1) }?;
    }
    Ok(out)
}

/// Appends `(key, None)` field by field, straight into the vector's memory
/// (see `extras_into`), and returns its index.
#[inline]
fn push_in_place<'a>(out: &mut Vec<(Cow<'a, str>, Value<'a>)>, key: &'a str) -> usize {
    out.reserve(1);
    let index = out.len();
    let slot = out.spare_capacity_mut()[0].as_mut_ptr();
    // SAFETY: `slot` is the first spare entry (room was reserved); both
    // fields are written before the length covers them.
    unsafe {
        std::ptr::addr_of_mut!((*slot).0).write(Cow::Borrowed(key));
        std::ptr::addr_of_mut!((*slot).1).write(Value::Null);
        out.set_len(index + 1);
    }
    index
}

/// Python's makeRecord's refusal of an extra key naming a LogRecord attribute.
#[cold]
#[inline(never)]
fn reserved_key(key: &str) -> FfiError {
    let mut quoted = String::new();
    crate::format::write_str_repr(&mut quoted, key, false);
    FfiError::invalid(format!("Attempt to overwrite {quoted} in LogRecord"))
}

/// Sets `slot` to the value of one C extra, borrowing its strings.
#[inline]
unsafe fn set_extra_value<'a>(
    entry: &sawmill_extra,
    key: &str,
    slot: &mut Value<'a>,
) -> FfiResult<()> {
    const NULL: c_int = sawmill_value_kind::SAWMILL_VALUE_NULL as c_int;
    const STR: c_int = sawmill_value_kind::SAWMILL_VALUE_STR as c_int;
    const INT: c_int = sawmill_value_kind::SAWMILL_VALUE_INT as c_int;
    const FLOAT: c_int = sawmill_value_kind::SAWMILL_VALUE_FLOAT as c_int;
    const BOOL: c_int = sawmill_value_kind::SAWMILL_VALUE_BOOL as c_int;
    const JSON: c_int = sawmill_value_kind::SAWMILL_VALUE_JSON as c_int;
    match entry.kind {
        NULL => *slot = Value::Null,
        STR => {
            check_not_null(entry.str_value, "extra str_value")?;
            // SAFETY: C contract: NUL-terminated string; repaired lossily like messages.
            *slot = Value::Str(unsafe { lossy_str(entry.str_value) }.unwrap_or_default());
        }
        INT => *slot = Value::Int(entry.int_value),
        FLOAT => *slot = Value::Float(entry.float_value),
        BOOL => *slot = Value::Bool(entry.bool_value),
        JSON => {
            // SAFETY: C contract: NUL-terminated string.
            let text = unsafe { required_str(entry.str_value, "extra str_value") }?;
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                return Err(FfiError::invalid(format!("extra {key:?}: not JSON: {e}")));
            }
            *slot = Value::Json(Cow::Borrowed(text));
        }
        other => {
            return Err(FfiError::invalid(format!(
                "extra {key:?}: unknown value kind {other}"
            )))
        }
    }
    Ok(())
}

/// Python's `handler.handle(record)` for a record a callback received:
/// `h`'s level and filters, then its formatter and destination, on a copy of
/// `r` (so a Python subclass overriding `emit` can call the base class's
/// `emit`, which is `h`). `message`, when not NULL, replaces the copy's
/// message (the subclass changed `record.msg`); invalid UTF-8 in it →
/// SAWMILL_ERR_INVALID_UTF8, nothing done. NULL `h` or `r` →
/// SAWMILL_ERR_NULL_ARGUMENT. Failures inside `h` are counted by `h`, not
/// returned. `h` being the handler whose callback this thread runs, or
/// waiting for `h` closing a cycle of callbacks (see `sawmill_emit_fn`) →
/// SAWMILL_ERR_WOULD_DEADLOCK, nothing done. Only during the callback that
/// received `r`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_handler_handle(
    h: *mut super::handler::sawmill_handler,
    r: *const sawmill_record,
    message: *const c_char,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle and record pointers (C contract).
        let v = unsafe { view(r) }?;
        let message = unsafe { super::optional_str(message, "message") }?;
        let (handler, _waiting) =
            unsafe { super::handler::lockable_handler(h, "sawmill_handler_handle") }?;
        let mut copy = v.record().clone();
        if let Some(message) = message {
            copy.message = Cow::Owned(message.to_owned());
        }
        handler.handle(&mut copy);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(key: &CStr, value: &CStr) -> sawmill_extra {
        sawmill_extra {
            key: key.as_ptr(),
            kind: sawmill_value_kind::SAWMILL_VALUE_STR as c_int,
            str_value: value.as_ptr(),
            int_value: 0,
            float_value: 0.0,
            bool_value: false,
        }
    }

    fn read(entries: &[sawmill_extra]) -> FfiResult<Vec<(String, Value<'static>)>> {
        // SAFETY: the entries' strings outlive the call.
        let read = unsafe { extras_from_c(entries.as_ptr(), entries.len()) }?;
        Ok(read
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect())
    }

    fn accepted(entries: &[sawmill_extra]) -> Vec<(String, Value<'static>)> {
        match read(entries) {
            Ok(read) => read,
            Err(e) => panic!("refused: {}", e.message),
        }
    }

    fn refused(entries: &[sawmill_extra]) -> FfiError {
        match read(entries) {
            Ok(read) => panic!("accepted: {read:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn every_logrecord_attribute_is_refused_and_nothing_else(
    ) -> Result<(), Box<dyn std::error::Error>> {
        // The names CPython's makeRecord refuses: a record's attributes,
        // and `message` and `asctime`.
        let python = std::process::Command::new("python3")
            .arg("-c")
            .arg(
                "import logging\n\
                 r = logging.LogRecord('n', 20, 'p', 1, 'm', (), None)\n\
                 print(' '.join(set(r.__dict__) | {'message', 'asctime'}))",
            )
            .output()?;
        let mut refused_by_python: Vec<&str> = std::str::from_utf8(&python.stdout)?
            .split_whitespace()
            .collect();
        let mut ours: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        refused_by_python.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, refused_by_python);
        for field in Field::ALL {
            let key = CString::new(field.name())?;
            let err = refused(&[extra(c"ok", c"1"), extra(&key, c"v")]);
            assert_eq!(
                err.message,
                format!("Attempt to overwrite '{}' in LogRecord", field.name())
            );
        }
        // Same length and first letter as attribute names, or near them.
        for key in [c"taskName", c"Args", c"mss", c"exc_infx", c"asctimes", c"u"] {
            assert_eq!(accepted(&[extra(key, c"v")]).len(), 1, "{key:?}");
        }
        Ok(())
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_last_value() {
        // "ab" and "ac" share their name bit and stay two keys.
        let got = accepted(&[
            extra(c"ab", c"1"),
            extra(c"ac", c"2"),
            extra(c"user", c"3"),
            extra(c"ab", c"4"),
            extra(c"user", c"5"),
        ]);
        let want = [("ab", "4"), ("ac", "2"), ("user", "5")];
        assert_eq!(got.len(), want.len());
        for ((k, v), (wk, wv)) in got.iter().zip(want) {
            assert_eq!((k.as_str(), v), (wk, &Value::Str(Cow::Borrowed(wv))));
        }
    }

    #[test]
    fn keys_must_be_utf8_and_values_are_repaired() {
        let bad = c"caf\xc3";
        let err = refused(&[extra(bad, c"v")]);
        assert_eq!(err.status, sawmill_status::SAWMILL_ERR_INVALID_UTF8);
        let got = accepted(&[extra(c"caf\xc3\xa9", c"x\xffy")]);
        assert_eq!(got[0].0, "café");
        assert_eq!(got[0].1, Value::Str(Cow::Borrowed("x\u{FFFD}y")));
    }
}
