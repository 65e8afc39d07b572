//! What the fuzz targets share: how an input is split, how records and
//! values are drawn from it, and the checks every formatter output passes.
//!
//! An input is `TEXT 0xFF REST`: TEXT (a format, a datefmt, a printf
//! format) runs up to the first 0xFF byte, which never occurs in UTF-8, so
//! seed files are plain text and the fuzzer's dictionary-like mutations of
//! the text stay readable; REST drives everything else (record fields,
//! extras, options) through `Unstructured`, and may be empty.

use std::borrow::Cow;

use libfuzzer_sys::arbitrary::Unstructured;
use sawmill::format::FormatterOptions;
use sawmill::{Formatter, Record, Style, Value};

pub mod capi;

/// The most one formatted record may hold. Inputs are at most a few KiB
/// (fuzz.sh passes -max_len), so anything near this is a width or
/// precision taken from the format without a limit.
pub const MAX_OUTPUT: usize = 64 << 20;

/// Splits `TEXT 0xFF REST` (see the module comment).
pub fn split(data: &[u8]) -> (&[u8], Unstructured<'_>) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], Unstructured::new(&data[i + 1..])),
        None => (data, Unstructured::new(&[])),
    }
}

/// Floats that found bugs before (ties of the shortest repr, values past
/// i64, subnormals, exponent switches) and the special ones. Written as
/// their exact decimals.
#[allow(clippy::excessive_precision)]
const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    0.5,
    100.0,
    959.0,
    1e16,
    1e22,
    9_223_372_036_854_775_808.0,
    168.003082275390625,
    5e-324,
    1.7976931348623157e308,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1700000000.987654,
    -1.5,
];

pub fn float(u: &mut Unstructured<'_>) -> f64 {
    if u.ratio(1, 2).unwrap_or(true) {
        *u.choose(FLOATS).unwrap_or(&0.0)
    } else {
        f64::from_bits(u.arbitrary().unwrap_or(0))
    }
}

/// A creation time: mostly plausible dates (both sides of DST changes),
/// sometimes any float at all.
pub fn created(u: &mut Unstructured<'_>) -> f64 {
    match u.int_in_range(0..=3u8).unwrap_or(0) {
        0 => 1_700_000_000.987654,
        1 => {
            let seconds: u32 = u.arbitrary().unwrap_or(0);
            let micros = u.int_in_range(0..=999_999u32).unwrap_or(0);
            f64::from(seconds) * 2.0 + f64::from(micros) / 1e6
        }
        2 => float(u),
        _ => f64::from_bits(u.arbitrary().unwrap_or(0)),
    }
}

pub fn int(u: &mut Unstructured<'_>) -> i64 {
    const INTS: &[i64] = &[0, 1, -1, 20, 65, 1234, i64::MAX, i64::MIN, 0x110000, 55296];
    if u.ratio(1, 2).unwrap_or(true) {
        *u.choose(INTS).unwrap_or(&0)
    } else {
        u.arbitrary().unwrap_or(0)
    }
}

/// Text of up to `max` bytes, repaired to UTF-8 as the C API repairs
/// messages.
pub fn text(u: &mut Unstructured<'_>, max: usize) -> String {
    let len = u.int_in_range(0..=max).unwrap_or(0);
    let bytes = u.bytes(len.min(u.len())).unwrap_or(&[]);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Attribute names: the standard ones (extras may shadow them), names
/// CPython treats specially, and arbitrary ones.
pub fn key(u: &mut Unstructured<'_>) -> String {
    const KEYS: &[&str] = &[
        "x",
        "user",
        "ip",
        "name",
        "msg",
        "message",
        "asctime",
        "levelno",
        "levelname",
        "created",
        "msecs",
        "relativeCreated",
        "exc_text",
        "stack_info",
        "args",
        "exc_info",
        "taskName",
        "",
        "a b",
        "0",
    ];
    if u.ratio(3, 4).unwrap_or(true) {
        (*u.choose(KEYS).unwrap_or(&"x")).to_owned()
    } else {
        text(u, 16)
    }
}

/// An attribute value of any type a record can hold.
pub fn value(u: &mut Unstructured<'_>) -> Value<'static> {
    match u.int_in_range(0..=4u8).unwrap_or(0) {
        0 => Value::Str(Cow::Owned(text(u, 64))),
        1 => Value::Int(int(u)),
        2 => Value::Float(float(u)),
        3 => Value::Bool(u.arbitrary().unwrap_or(false)),
        _ => Value::Null,
    }
}

fn optional_text(u: &mut Unstructured<'_>, max: usize) -> Option<String> {
    u.arbitrary::<bool>().unwrap_or(false).then(|| text(u, max))
}

/// The owned parts of a record (a `Record` borrows its name and paths).
pub struct RecordParts {
    created: f64,
    name: String,
    levelno: i32,
    pathname: Option<String>,
    lineno: u32,
    func: Option<String>,
    message: String,
    exc_text: Option<String>,
    stack_info: Option<String>,
    extras: Vec<(String, Value<'static>)>,
}

impl RecordParts {
    pub fn arbitrary(u: &mut Unstructured<'_>) -> RecordParts {
        const LEVELS: &[i32] = &[0, 10, 20, 30, 40, 50, 5, 45, -1, i32::MAX, i32::MIN];
        let levelno = if u.ratio(3, 4).unwrap_or(true) {
            *u.choose(LEVELS).unwrap_or(&20)
        } else {
            u.arbitrary().unwrap_or(20)
        };
        let mut parts = RecordParts {
            created: created(u),
            name: text(u, 32),
            levelno,
            pathname: optional_text(u, 48),
            lineno: u.arbitrary().unwrap_or(0),
            func: optional_text(u, 24),
            message: text(u, 256),
            exc_text: optional_text(u, 64),
            stack_info: optional_text(u, 64),
            extras: Vec::new(),
        };
        let n = u.int_in_range(0..=6u8).unwrap_or(0);
        for _ in 0..n {
            parts.extras.push((key(u), value(u)));
        }
        parts
    }

    pub fn record(&self) -> Record<'_> {
        let mut record = Record::at(
            self.created,
            &self.name,
            self.levelno,
            self.pathname.as_deref(),
            self.lineno,
            self.func.as_deref(),
            Cow::Borrowed(&self.message),
        );
        record.exc_text = self.exc_text.as_deref().map(Cow::Borrowed);
        record.stack_info = self.stack_info.as_deref().map(Cow::Borrowed);
        for (k, v) in &self.extras {
            record.set_extra(k.as_str(), v.clone());
        }
        record
    }
}

/// Formatter options drawn from the input: datefmt, UTC, `defaults`.
// The `..default()` keeps this compiling when the options gain a field.
#[allow(clippy::needless_update)]
pub fn options(u: &mut Unstructured<'_>, style: Style, format: String) -> FormatterOptions {
    const DATEFMTS: &[&str] = &["", "%Y", "%H:%M:%S", "%c %Z %z", "%%", "%"];
    let datefmt = match u.int_in_range(0..=2u8).unwrap_or(0) {
        0 => None,
        1 => Some((*u.choose(DATEFMTS).unwrap_or(&"")).to_owned()),
        _ => Some(text(u, 32)),
    };
    let utc = u.arbitrary().unwrap_or(false);
    let n = u.int_in_range(0..=3u8).unwrap_or(0);
    let defaults = (0..n).map(|_| (key(u), value(u))).collect();
    FormatterOptions {
        format: Some(format),
        datefmt,
        style,
        utc,
        defaults,
        ..FormatterOptions::default()
    }
}

/// Text a failed format must leave in the buffer untouched.
const PREFIX: &str = "previous record\n";

/// Checks one formatter on one record:
/// - formatting never panics (a panic is the fuzzer's crash);
/// - `format` appends: the buffer's earlier content stays, and a failed
///   format leaves the buffer exactly as it was;
/// - formatting twice gives the same bytes (the date cache, the plain
///   fast path and the general path agree with themselves);
/// - the output is valid UTF-8 and at most `MAX_OUTPUT` bytes.
pub fn check_format(formatter: &Formatter, record: &Record<'_>) {
    let mut first = String::from(PREFIX);
    let r1 = formatter.format(record, &mut first);
    match &r1 {
        Ok(()) => assert!(first.starts_with(PREFIX), "format overwrote the buffer"),
        Err(_) => assert_eq!(first, PREFIX, "a failed format changed the buffer"),
    }
    let second = formatter.format_to_string(record);
    match (&r1, &second) {
        (Ok(()), Ok(text)) => {
            assert_eq!(&first[PREFIX.len()..], text, "two formats differ");
            assert!(std::str::from_utf8(text.as_bytes()).is_ok());
            assert!(text.len() <= MAX_OUTPUT, "output of {} bytes", text.len());
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "two formats fail differently"),
        _ => panic!("one format failed, the other did not: {r1:?} / {second:?}"),
    }
}

/// The whole check for one style: the text is the format; when it is
/// accepted, a record drawn from the rest is formatted.
pub fn fuzz_style(style: Style, data: &[u8]) {
    let (format, mut u) = split(data);
    let format = String::from_utf8_lossy(format).into_owned();
    let options = options(&mut u, style, format);
    let Ok(formatter) = Formatter::with_options(options) else {
        return;
    };
    let parts = RecordParts::arbitrary(&mut u);
    check_format(&formatter, &parts.record());
}
