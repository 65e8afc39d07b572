//! Records over the network in CPython's wire format: the record's dict as
//! `SocketHandler` sends it (pickle, or JSON for receivers that are not
//! Python), length-prefixed frames, and the receiver that turns frames back
//! into records without ever running anything.

pub mod frame;
pub mod json;
pub mod pickle;
pub mod receiver;
pub mod resolve;

use std::borrow::Cow;

use crate::record::{Record, Value};
use pickle::PValue;

/// One scalar of a record's dict, as the encoders write it.
#[derive(Clone, Copy, Debug)]
pub enum Item<'r> {
    Str(&'r str),
    Int(i128),
    Float(f64),
    Bool(bool),
    None,
}

/// Keys an extra may not contribute to the wire dict: CPython's
/// `makePickle` sends `msg` merged, `args` and `exc_info` as None, and
/// drops `message`.
const NOT_SENT_FROM_EXTRAS: &[&str] = &["msg", "args", "exc_info", "message"];

/// Calls `f` for every key of the dict CPython's `SocketHandler.makePickle`
/// sends for `record`, in `LogRecord.__dict__` order (3.12's `taskName`
/// included), then the extras (which replace a standard key of the same name).
pub fn for_each_item<'r>(record: &'r Record<'_>, mut f: impl FnMut(&str, Item<'r>)) {
    let shadowed = |key: &str| record.extras.iter().any(|(k, _)| k == key);
    let mut standard = |key: &str, item: Item<'r>| {
        if !shadowed(key) || NOT_SENT_FROM_EXTRAS.contains(&key) {
            f(key, item);
        }
    };
    let opt = |s: Option<&'r str>| s.map_or(Item::None, Item::Str);
    standard("name", Item::Str(&record.name));
    standard("msg", Item::Str(&record.message));
    standard("args", Item::None);
    standard("levelname", Item::Str(&record.levelname));
    standard("levelno", Item::Int(record.levelno.into()));
    standard("pathname", Item::Str(record.pathname()));
    standard("filename", Item::Str(record.filename()));
    standard("module", Item::Str(record.module()));
    standard("exc_info", Item::None);
    standard("exc_text", opt(record.exc_text.as_deref()));
    standard("stack_info", opt(record.stack_info.as_deref()));
    standard("lineno", Item::Int(record.lineno.into()));
    standard("funcName", Item::Str(record.func_name()));
    standard("created", Item::Float(record.created));
    standard("msecs", Item::Float(record.msecs));
    standard("relativeCreated", Item::Float(record.relative_created));
    standard("thread", Item::Int(record.thread.into()));
    standard("threadName", Item::Str(&record.thread_name));
    standard("processName", Item::Str(&record.process_name));
    standard("process", Item::Int(record.process.into()));
    standard("taskName", Item::None);
    for (key, value) in &record.extras {
        if NOT_SENT_FROM_EXTRAS.contains(&key.as_ref()) {
            continue;
        }
        let item = match value {
            // Raw JSON goes as its text, as `%(key)s` prints it.
            Value::Str(s) | Value::Json(s) => Item::Str(s),
            Value::Int(i) => Item::Int((*i).into()),
            Value::Float(x) => Item::Float(*x),
            Value::Bool(b) => Item::Bool(*b),
            Value::Null => Item::None,
        };
        f(key, item);
    }
}

/// Why a frame was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct FrameError(pub String);

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The wire encoding of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// CPython's: a pickle of the record's dict.
    #[default]
    Pickle,
    /// The same dict as a JSON object (UTF-8).
    Json,
}

/// Appends `record`'s frame body (no length prefix) in `encoding` to `out`.
pub fn encode_record(record: &Record<'_>, encoding: Encoding, out: &mut Vec<u8>) {
    match encoding {
        Encoding::Pickle => pickle::encode_record(record, out),
        Encoding::Json => json::encode_record(record, out),
    }
}

/// Decodes a frame body: a JSON object if it starts with `{` (after
/// whitespace; no pickle opcode is `{`), else a pickle. Then CPython's
/// `makeLogRecord` on the dict. The record borrows its text from `body`.
pub fn decode_record(body: &[u8]) -> Result<Record<'_>, FrameError> {
    decode_record_with(&mut pickle::Scratch::default(), body)
}

/// `decode_record` with the pickle decoder's storage kept between frames.
pub fn decode_record_with<'b>(
    scratch: &mut pickle::Scratch,
    body: &'b [u8],
) -> Result<Record<'b>, FrameError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let value = match first {
        Some(b'{') => json::decode(body)?,
        _ => pickle::decode_with(scratch, body).map_err(|e| FrameError(e.0))?,
    };
    match value {
        PValue::Dict(mut pairs) => {
            let record = record_from_dict(pairs.drain(..));
            scratch.give_back(pairs);
            record
        }
        _ => Err(FrameError("the frame is not a dict".into())),
    }
}

/// Level names kept as shared statics rather than copied per record.
const LEVEL_NAMES: &[&str] = &["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET"];

fn as_f64(v: &PValue<'_>) -> Option<f64> {
    match v {
        PValue::Float(f) => Some(*f),
        PValue::Int(i) => Some(*i as f64),
        PValue::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn as_text(v: PValue<'_>) -> Option<Cow<'_, str>> {
    match v {
        PValue::None => None,
        PValue::Str(s) => Some(s),
        other => Some(Cow::Owned(other.to_python_str())),
    }
}

/// A value's `str()`, borrowed where it is a string.
fn into_text(v: PValue<'_>) -> Cow<'_, str> {
    match v {
        PValue::Str(s) => s,
        other => Cow::Owned(other.to_python_str()),
    }
}

/// Sets a float attribute; a value that is no number is handed back.
fn set_f64<'b>(slot: &mut f64, value: PValue<'b>) -> Option<PValue<'b>> {
    match as_f64(&value) {
        Some(f) => {
            *slot = f;
            None
        }
        None => Some(value),
    }
}

/// Sets a string attribute; a value that is no string is handed back.
fn set_str<'b>(slot: &mut Cow<'b, str>, value: PValue<'b>) -> Option<PValue<'b>> {
    match value {
        PValue::Str(s) => {
            *slot = s;
            None
        }
        other => Some(other),
    }
}

fn to_value(v: PValue<'_>) -> Value<'_> {
    match v {
        PValue::None => Value::Null,
        PValue::Bool(b) => Value::Bool(b),
        PValue::Int(i) => match i64::try_from(i) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Str(Cow::Owned(i.to_string())),
        },
        PValue::Float(f) => Value::Float(f),
        PValue::Str(s) => Value::Str(s),
        other => Value::Str(Cow::Owned(other.to_python_str())),
    }
}

/// CPython's `makeLogRecord(dict)`: a record whose attributes are the dict's.
/// Missing keys get sane values (a level derived from `levelname` or
/// NOTSET, `created` now, the logger name "root"); a value whose type does
/// not fit the typed attribute is kept as an extra that formats print as is.
pub fn record_from_dict<'b>(
    pairs: impl IntoIterator<Item = (PValue<'b>, PValue<'b>)>,
) -> Result<Record<'b>, FrameError> {
    // 'static literals only: nothing to copy. `created` NaN until the dict
    // gives one (now, otherwise).
    let mut record = Record::stamped(
        f64::NAN,
        "root",
        crate::level::NOTSET,
        None,
        0,
        None,
        Cow::Borrowed(""),
        0,
        "MainThread",
        "MainProcess",
    );
    let mut levelno_seen = false;
    let mut levelname_seen = false;
    let mut msecs_seen = false;
    let mut relative_seen = false;
    let mut derived = Vec::new();
    for (key, value) in pairs {
        let key = into_text(key);
        // A value that does not fit the typed attribute stays an extra,
        // which formats print as it is.
        let misfit = match key.as_ref() {
            "name" => match value {
                PValue::Str(s) => {
                    record.name = s;
                    None
                }
                other => {
                    record.name = Cow::Owned(other.to_python_str());
                    Some(other)
                }
            },
            "msg" => {
                record.message = into_text(value);
                None
            }
            "levelno" => match value {
                PValue::Int(i) => {
                    record.levelno = i32::try_from(i).unwrap_or(i32::MAX);
                    levelno_seen = true;
                    None
                }
                other => Some(other),
            },
            "levelname" => {
                let name = into_text(value);
                record.levelname = match LEVEL_NAMES.iter().find(|n| **n == name) {
                    Some(standard) => Cow::Borrowed(standard),
                    None => Cow::Owned(name.into_owned()),
                };
                levelname_seen = true;
                None
            }
            "lineno" => match value {
                PValue::Int(i) => {
                    record.lineno = u32::try_from(i).unwrap_or(0);
                    None
                }
                other => Some(other),
            },
            "created" => set_f64(&mut record.created, value),
            "msecs" => {
                let misfit = set_f64(&mut record.msecs, value);
                msecs_seen |= misfit.is_none();
                misfit
            }
            "relativeCreated" => {
                let misfit = set_f64(&mut record.relative_created, value);
                relative_seen |= misfit.is_none();
                misfit
            }
            "thread" => match value {
                PValue::Int(i) if u64::try_from(i).is_ok() => {
                    record.thread = i as u64;
                    None
                }
                other => Some(other),
            },
            "process" => match value {
                PValue::Int(i) if u32::try_from(i).is_ok() => {
                    record.process = i as u32;
                    None
                }
                other => Some(other),
            },
            "threadName" => set_str(&mut record.thread_name, value),
            "processName" => set_str(&mut record.process_name, value),
            "pathname" => {
                record.pathname = as_text(value);
                None
            }
            "funcName" => {
                record.func_name = as_text(value);
                None
            }
            "exc_text" => {
                record.exc_text = as_text(value);
                None
            }
            "stack_info" => {
                record.stack_info = as_text(value);
                None
            }
            // Recomputed by every formatter, or never sent by CPython.
            "message" | "asctime" | "args" | "exc_info" => None,
            "filename" | "module" => {
                derived.push((key.clone(), value));
                None
            }
            _ => Some(value),
        };
        if let Some(value) = misfit {
            record.set_extra(key, to_value(value));
        }
    }
    if !levelname_seen {
        record.levelname = crate::level::level_name(record.levelno);
    } else if !levelno_seen {
        if let Some(n) = crate::level::parse_level(&record.levelname) {
            record.levelno = n;
        }
    }
    if record.created.is_nan() {
        record.created = crate::clock::now();
    }
    if !msecs_seen {
        record.msecs = crate::clock::msecs_of(record.created);
    }
    if !relative_seen {
        record.relative_created = crate::clock::relative_created_of(record.created);
    }
    // filename and module are derived from pathname; keep a sent value
    // only where it differs.
    for (key, value) in derived {
        let current = if key == "filename" {
            record.filename()
        } else {
            record.module()
        };
        if !matches!(&value, PValue::Str(s) if s == current) {
            record.set_extra(key, to_value(value));
        }
    }
    Ok(record)
}
