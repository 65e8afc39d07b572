//! The record setters a filter callback uses (`sawmill_record_set_str`,
//! `_set_int`, `_set_float`, `_set_bool`, `_set_null`, read back with
//! `_get_str`),
//! driven with fuzzed names, values and types through the C API, then the
//! record formatted by a handler whose `%` format is the fuzzed text.
//!
//! Checks: no call returns SAWMILL_ERR_PANIC; an invalid-UTF-8 name or
//! string value is refused with SAWMILL_ERR_INVALID_UTF8, an empty name
//! with an error; a value set under a name that is not a LogRecord
//! attribute reads back as Python's str() of it (a float's text parses
//! back to the same float); the logging call succeeds; the handler emits
//! at most one NUL-terminated UTF-8 text, none when the filter drops.
#![no_main]

use std::cell::RefCell;
use std::ffi::{c_int, c_void, CStr, CString};
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sawmill_fuzz::capi::{self, ERR_PANIC, OK};
use sawmill_fuzz::{float, int, key, split};

const ERR_INVALID_UTF8: c_int = 2;

#[derive(Debug)]
enum Set {
    Str(Vec<u8>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

struct Plan {
    ops: Vec<(Vec<u8>, Set)>,
    pass: bool,
}

thread_local! {
    static PLAN: RefCell<Plan> = const { RefCell::new(Plan { ops: Vec::new(), pass: true }) };
}

/// Names a Python LogRecord has (or a formatter computes): what setting
/// them means is the record's business, not a plain extra.
const RECORD_NAMES: &[&str] = &[
    "name",
    "msg",
    "args",
    "levelname",
    "levelno",
    "pathname",
    "filename",
    "module",
    "exc_info",
    "exc_text",
    "stack_info",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "thread",
    "threadName",
    "processName",
    "process",
    "taskName",
    "message",
    "asctime",
];

fn name(u: &mut Unstructured<'_>) -> Vec<u8> {
    let bytes = if u.ratio(3, 4).unwrap_or(true) {
        key(u).into_bytes()
    } else {
        let len = u.int_in_range(0..=12usize).unwrap_or(0).min(u.len());
        u.bytes(len).unwrap_or(&[]).to_vec()
    };
    // C strings: a NUL would only shorten the name.
    bytes.into_iter().map(|b| b.max(1)).collect()
}

fn op(u: &mut Unstructured<'_>) -> (Vec<u8>, Set) {
    let name = name(u);
    let set = match u.int_in_range(0..=4u8).unwrap_or(0) {
        0 => {
            let len = u.int_in_range(0..=64usize).unwrap_or(0).min(u.len());
            Set::Str(
                u.bytes(len)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&b| b.max(1))
                    .collect(),
            )
        }
        1 => Set::Int(int(u)),
        2 => Set::Float(float(u)),
        3 => Set::Bool(u.arbitrary().unwrap_or(false)),
        _ => Set::Null,
    };
    (name, set)
}

/// Python's str() of what was set, as `_get_str` gives it.
fn check_read_back(r: *mut c_void, key: &CStr, set: &Set) {
    // SAFETY: the record of the running callback; NUL-terminated key.
    let got = unsafe { capi::sawmill_record_get_str(r, key.as_ptr()) };
    assert!(!got.is_null(), "{key:?} set but not readable");
    // SAFETY: valid until the callback returns.
    let got = unsafe { CStr::from_ptr(got) }
        .to_str()
        .expect("get_str gives UTF-8");
    match set {
        Set::Str(v) => assert_eq!(got.as_bytes(), v.as_slice()),
        Set::Int(v) => assert_eq!(got, v.to_string()),
        Set::Bool(v) => assert_eq!(got, if *v { "True" } else { "False" }),
        Set::Null => assert_eq!(got, "None"),
        Set::Float(v) => {
            let back: f64 = got
                .parse()
                .unwrap_or_else(|_| panic!("{got:?} is no float"));
            assert!(
                back == *v || (back.is_nan() && v.is_nan()),
                "{got:?} is not {v:?}"
            );
            assert!(
                got.contains(['.', 'e', 'n']),
                "{got:?} lacks Python's float form"
            );
        }
    }
}

extern "C" fn filter(_: *mut c_void, r: *mut c_void) -> c_int {
    PLAN.with(|plan| {
        let plan = plan.borrow();
        for (name, set) in &plan.ops {
            let key = CString::new(name.as_slice()).expect("no NUL");
            let k = key.as_ptr();
            // SAFETY: the record of this callback; NUL-terminated strings.
            let status = unsafe {
                match set {
                    Set::Str(v) => {
                        let v = CString::new(v.as_slice()).expect("no NUL");
                        capi::sawmill_record_set_str(r, k, v.as_ptr())
                    }
                    Set::Int(v) => capi::sawmill_record_set_int(r, k, *v),
                    Set::Float(v) => capi::sawmill_record_set_float(r, k, *v),
                    Set::Bool(v) => capi::sawmill_record_set_bool(r, k, *v),
                    Set::Null => capi::sawmill_record_set_null(r, k),
                }
            };
            assert_ne!(status, ERR_PANIC);
            let Ok(text) = std::str::from_utf8(name) else {
                assert_eq!(
                    status, ERR_INVALID_UTF8,
                    "invalid UTF-8 name {name:?} accepted"
                );
                continue;
            };
            if text.is_empty() {
                assert_ne!(status, OK, "an empty name was accepted");
                continue;
            }
            if let Set::Str(v) = set {
                if std::str::from_utf8(v).is_err() {
                    assert_eq!(
                        status, ERR_INVALID_UTF8,
                        "invalid UTF-8 value {v:?} accepted"
                    );
                    continue;
                }
            }
            if status == OK && !RECORD_NAMES.contains(&text) {
                check_read_back(r, &key, set);
            }
        }
        // The standard getters still answer after any change.
        // SAFETY: the record of this callback.
        unsafe {
            assert!(!capi::sawmill_record_message(r).is_null());
            assert!(!capi::sawmill_record_name(r).is_null());
            assert!(!capi::sawmill_record_levelname(r).is_null());
            let _ = capi::sawmill_record_created(r);
        }
        c_int::from(plan.pass)
    })
}

fn logger() -> usize {
    static LOGGER: OnceLock<usize> = OnceLock::new();
    *LOGGER.get_or_init(|| capi::private_logger(c"fuzz.setters") as usize)
}

fuzz_target!(|data: &[u8]| {
    let (format, mut u) = split(data);
    let format: Vec<u8> = format.iter().map(|&b| b.max(1)).collect();
    let format = CString::new(format).expect("no NUL");
    let n = u.int_in_range(0..=8u8).unwrap_or(0);
    let ops = (0..n).map(|_| op(&mut u)).collect();
    let pass = u.ratio(7, 8).unwrap_or(true);
    PLAN.with(|p| *p.borrow_mut() = Plan { ops, pass });

    let l = logger() as *mut c_void;
    // A format the library refuses leaves the handler's default one.
    let fallback = c"%(name)s:%(levelname)s:%(asctime)s:%(created)f:%(message)s";
    let h = capi::capturing_handler(fallback);
    // SAFETY: live handles and NUL-terminated strings throughout; every
    // reference taken here is given back before the next input.
    unsafe {
        let f = capi::sawmill_formatter_new(format.as_ptr(), std::ptr::null(), b'%' as _);
        if !f.is_null() {
            assert_eq!(capi::sawmill_handler_set_formatter(h, f), OK);
            capi::sawmill_formatter_release(f);
        }
        let filt =
            capi::sawmill_callback_filter_new(filter, std::ptr::null_mut(), std::ptr::null());
        assert!(!filt.is_null());
        assert_eq!(capi::sawmill_handler_add_filter(h, filt), OK);
        capi::sawmill_filter_release(filt);
        assert_eq!(capi::sawmill_logger_add_handler(l, h), OK);

        let status = capi::sawmill_log(l, 20, c"fuzz.c".as_ptr(), 7, c"f".as_ptr(), c"m".as_ptr());
        assert_eq!(status, OK);
        let errors = capi::sawmill_handler_error_count(h);
        let emitted = capi::take_emitted();
        let pass = PLAN.with(|p| p.borrow().pass);
        if !pass {
            assert!(emitted.is_empty(), "a dropped record was emitted");
        } else {
            // Either emitted, or the format failed and was counted.
            assert_eq!(
                emitted.len() as u64 + errors,
                1,
                "emitted {emitted:?}, errors {errors}"
            );
        }
        assert_eq!(capi::sawmill_logger_remove_handler(l, h), OK);
        capi::sawmill_handler_release(h);
    }
});
