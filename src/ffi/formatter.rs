//! Formatters from C: `sawmill_formatter *` is a raw `Arc<Formatter>`.

use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

use super::handler::{sawmill_destroy_fn, UserData};
use super::record::{sawmill_record, RecordView};

use super::{
    check_not_null, optional_str, pointer_call, sawmill_status, status_call, FfiError, FfiResult,
};
use crate::format::{CustomFormat, FormatError, Formatter, FormatterOptions, Style};
use crate::record::Record;

/// A compiled format. Reference-counted (`sawmill_formatter_retain` /
/// `sawmill_formatter_release`); immutable but for the UTC switch.
pub struct sawmill_formatter {
    _opaque: [u8; 0],
}

/// A new owning `Arc` for a handle the caller keeps its own reference to.
pub(crate) unsafe fn formatter_arc(f: *const sawmill_formatter) -> FfiResult<Arc<Formatter>> {
    check_not_null(f, "formatter")?;
    let ptr = f as *const Formatter;
    // SAFETY: `ptr` came from `Arc::into_raw` and the caller holds a reference.
    unsafe {
        Arc::increment_strong_count(ptr);
        Ok(Arc::from_raw(ptr))
    }
}

/// Python's `logging.Formatter(fmt, datefmt, style)`. `fmt` NULL →
/// `%(message)s` (or its `{`/`$` equivalent); `datefmt` NULL → Python's
/// default `%Y-%m-%d %H:%M:%S,mmm`; `style` is '%', '{' or '$' (0 means
/// '%'). The format is checked now: a bad one → NULL +
/// SAWMILL_ERR_INVALID_ARGUMENT with Python's reason in `sawmill_last_error()`.
/// Strings are copied. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_new(
    fmt: *const c_char,
    datefmt: *const c_char,
    style: c_char,
) -> *mut sawmill_formatter {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let fmt = unsafe { optional_str(fmt, "fmt") }?;
        let datefmt = unsafe { optional_str(datefmt, "datefmt") }?;
        let style = style_from_c(style)?;
        let formatter =
            Formatter::new(fmt, datefmt, style).map_err(|e| FfiError::invalid(e.to_string()))?;
        Ok(Arc::into_raw(Arc::new(formatter)) as *mut sawmill_formatter)
    })
}

/// `sawmill_formatter_new` with Python 3.10's `defaults=`: values for
/// fields a record lacks, given as a JSON object text whose values are
/// strings, numbers, booleans or null (`{"ip": "-", "user_id": 0}`);
/// NULL `defaults_json` means none. A bad format or bad JSON → NULL +
/// SAWMILL_ERR_INVALID_ARGUMENT; invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8.
/// Strings are copied. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_new_with_defaults(
    fmt: *const c_char,
    datefmt: *const c_char,
    style: c_char,
    defaults_json: *const c_char,
) -> *mut sawmill_formatter {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let fmt = unsafe { optional_str(fmt, "fmt") }?;
        let datefmt = unsafe { optional_str(datefmt, "datefmt") }?;
        let defaults = unsafe { optional_str(defaults_json, "defaults_json") }?;
        let defaults = match defaults {
            None => Vec::new(),
            Some(text) => {
                let value: serde_json::Value = serde_json::from_str(text)
                    .map_err(|e| FfiError::invalid(format!("defaults_json: {e}")))?;
                crate::config::classes::defaults(&value)
                    .map_err(|e| FfiError::invalid(format!("defaults_json: {e}")))?
            }
        };
        let options = FormatterOptions {
            format: fmt.map(str::to_owned),
            datefmt: datefmt.map(str::to_owned),
            style: style_from_c(style)?,
            defaults,
            ..FormatterOptions::default()
        };
        let formatter =
            Formatter::with_options(options).map_err(|e| FfiError::invalid(e.to_string()))?;
        Ok(Arc::into_raw(Arc::new(formatter)) as *mut sawmill_formatter)
    })
}

/// `sawmill.JSONFormatter`: one JSON object per record, as CPython's
/// `json.dumps` writes it. `options_json` is a JSON object of the keys a
/// dictConfig entry of that class takes (`fields`, `extras`,
/// `ensure_ascii`, `nan`, `format` printed before the object, `datefmt`,
/// `utc`, `defaults`; docs/configuration.md); NULL means the defaults.
/// An unknown key or bad value → NULL + SAWMILL_ERR_INVALID_ARGUMENT naming
/// the key; invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8. The text is copied.
/// The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_json_formatter_new(
    options_json: *const c_char,
) -> *mut sawmill_formatter {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated string or NULL.
        let text = unsafe { optional_str(options_json, "options_json") }?;
        let formatter = crate::config::dict::json_formatter_from_json(text.unwrap_or("{}"))
            .map_err(FfiError::invalid)?;
        Ok(Arc::into_raw(formatter) as *mut sawmill_formatter)
    })
}

pub(crate) fn style_from_c(style: c_char) -> FfiResult<Style> {
    if style == 0 {
        return Ok(Style::Percent);
    }
    Style::from_char(style as u8 as char).map_err(|e| FfiError::invalid(e.to_string()))
}

/// Times in UTC (true) or local time (false, the default), for every handler
/// using this formatter. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_set_utc(
    f: *mut sawmill_formatter,
    utc: bool,
) -> sawmill_status {
    status_call(|| {
        check_not_null(f, "formatter")?;
        // SAFETY: checked handle; the caller holds a reference.
        unsafe { &*(f as *const Formatter) }.set_utc(utc);
        Ok(())
    })
}

/// Cookbook recipe 15's one-line exception style (true) or Python's default
/// (false): a record with an `exc_text` then prints that text as Python's
/// `repr()` (one trailing newline dropped), every newline of the record's
/// text becomes a space and `|` ends it (dictConfig key
/// `one_line_exceptions`). Applies to every handler using this formatter;
/// NULL `f` → SAWMILL_ERR_NULL_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_set_one_line_exceptions(
    f: *mut sawmill_formatter,
    on: bool,
) -> sawmill_status {
    status_call(|| {
        check_not_null(f, "formatter")?;
        // SAFETY: checked handle; the caller holds a reference.
        unsafe { &*(f as *const Formatter) }.set_one_line_exceptions(on);
        Ok(())
    })
}

/// Adds a reference; returns `f` (NULL stays NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_retain(
    f: *mut sawmill_formatter,
) -> *mut sawmill_formatter {
    // SAFETY: forwarded C contract.
    unsafe { super::retain_arc::<Formatter, sawmill_formatter>(f) }
}

/// Gives back one reference (handlers keep their own). NULL is a no-op.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_formatter_release(f: *mut sawmill_formatter) {
    // SAFETY: forwarded C contract.
    unsafe { super::release_arc::<Formatter, sawmill_formatter>(f) }
}

/// Text a `sawmill_format_fn` appends to (`sawmill_text_append`). Borrowed:
/// valid only during the callback that received it.
pub struct sawmill_text {
    _opaque: [u8; 0],
}

/// Makes one record's whole text (exception and stack included, no
/// trailing newline) by appending to `out` with `sawmill_text_append`.
/// Return 0 on success; nonzero is a formatting error, counted by the
/// handler, and the record is not emitted. Runs on whatever thread logged,
/// with the handler's lock held (the rules of `sawmill_emit_fn` apply).
pub type sawmill_format_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        r: *const sawmill_record,
        out: *mut sawmill_text,
    ) -> c_int,
>;

struct CallbackFormat {
    format: unsafe extern "C" fn(*mut c_void, *const sawmill_record, *mut sawmill_text) -> c_int,
    data: UserData,
}

impl CustomFormat for CallbackFormat {
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let start = out.len();
        let view = RecordView::read_only(record);
        let text = (out as *mut String).cast::<sawmill_text>();
        // SAFETY: the view and `out` live on this frame for the whole call.
        let rc = unsafe { (self.format)(self.data.ptr, view.as_c(), text) };
        if rc != 0 {
            out.truncate(start);
            return Err(FormatError(format!(
                "the format callback failed (returned {rc})"
            )));
        }
        Ok(())
    }
}

/// A formatter whose text is made by `fn(user_data, record, out)` (a
/// Python `Formatter` subclass overriding `format`, `formatTime` or
/// `formatException`, say). `destroy` (may be NULL) runs exactly once,
/// when the last reference is gone. NULL `fn` → NULL +
/// SAWMILL_ERR_NULL_ARGUMENT (destroy still runs). The caller owns one
/// reference. Thread-safe; `fn` may run on any thread that logs.
#[no_mangle]
pub extern "C" fn sawmill_callback_formatter_new(
    format: sawmill_format_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> *mut sawmill_formatter {
    pointer_call(|| {
        let data = UserData {
            ptr: user_data,
            destroy,
        };
        let Some(format) = format else {
            drop(data);
            return Err(FfiError::null("fn"));
        };
        let formatter = Formatter::custom(Box::new(CallbackFormat { format, data }));
        Ok(Arc::into_raw(Arc::new(formatter)) as *mut sawmill_formatter)
    })
}

/// Appends `len` bytes of `text` to a format callback's output; invalid
/// UTF-8 is repaired (U+FFFD). `text` may be NULL only when `len` is 0.
/// NULL `out` → SAWMILL_ERR_NULL_ARGUMENT. Only during the
/// `sawmill_format_fn` call that received `out`.
#[no_mangle]
pub unsafe extern "C" fn sawmill_text_append(
    out: *mut sawmill_text,
    text: *const c_char,
    len: usize,
) -> sawmill_status {
    status_call(|| {
        check_not_null(out, "out")?;
        if len == 0 {
            return Ok(());
        }
        check_not_null(text, "text")?;
        // SAFETY: C contract: `text` holds `len` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(text.cast::<u8>(), len) };
        // SAFETY: `out` came from `CallbackFormat::format`, which holds the
        // only access to the String for the callback's duration.
        let out = unsafe { &mut *out.cast::<String>() };
        out.push_str(&String::from_utf8_lossy(bytes));
        Ok(())
    })
}
