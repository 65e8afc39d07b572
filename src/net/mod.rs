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
use std::cell::Cell;

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
    decode_record_at(scratch, body, crate::clock::now)
}

/// `decode_record_with`, `now` giving `created` when the dict has none.
/// The usual record pickle (a flat dict of scalars) is read straight into
/// the record; anything else goes through the pickle machine, then
/// `record_from_dict` (the fuzz target checks that both agree).
#[doc(hidden)]
pub fn decode_record_at<'b>(
    scratch: &mut pickle::Scratch,
    body: &'b [u8],
    now: fn() -> f64,
) -> Result<Record<'b>, FrameError> {
    decode_record_repeating(scratch, None, body, now)
}

/// `decode_record_at`, the strings the connection's last frame had taken
/// from `repeats` where they are the same (call `Repeats::learn` once the
/// record is gone).
#[doc(hidden)]
pub fn decode_record_repeating<'b>(
    scratch: &mut pickle::Scratch,
    repeats: Option<&'b Repeats>,
    body: &'b [u8],
    now: fn() -> f64,
) -> Result<Record<'b>, FrameError> {
    let mut record = blank_record();
    decode_record_into(scratch, repeats, body, now, &mut record)?;
    Ok(record)
}

/// `decode_record_repeating` into `out`, a `blank_record` (the record is
/// built where it stays, not moved; on an error `out` is left as it is).
#[doc(hidden)]
pub fn decode_record_into<'b>(
    scratch: &mut pickle::Scratch,
    repeats: Option<&'b Repeats>,
    body: &'b [u8],
    now: fn() -> f64,
    out: &mut Record<'b>,
) -> Result<(), FrameError> {
    if let Some(repeats) = repeats {
        repeats.pending.set(0);
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let value = match first {
        Some(b'{') => json::decode(body)?,
        _ => {
            out.extras = crate::record::recycle(std::mem::take(&mut scratch.extras));
            let mut builder = RecordBuilder::new(out);
            builder.repeats = repeats;
            if pickle::read_flat_dict(body, &mut builder).is_some() {
                builder.finish(now);
                return Ok(());
            }
            pickle::decode_by_machine(scratch, body).map_err(|e| FrameError(e.0))?
        }
    };
    match value {
        PValue::Dict(pairs) => {
            *out = record_from_dict_at(pairs, now);
            Ok(())
        }
        _ => Err(FrameError("the frame is not a dict".into())),
    }
}

/// The record `makeLogRecord({})` gives, before the dict's pairs are set:
/// 'static literals only, nothing to copy; `created` NaN until the dict
/// gives one.
pub fn blank_record<'b>() -> Record<'b> {
    Record::stamped(
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
    )
}

/// The record's dict through the pickle machine and `record_from_dict`
/// only (the fuzz target compares it with `decode_record_at`).
#[doc(hidden)]
pub fn decode_record_by_machine(body: &[u8], now: fn() -> f64) -> Result<Record<'_>, FrameError> {
    match pickle::decode_by_machine(&mut pickle::Scratch::default(), body) {
        Ok(PValue::Dict(pairs)) => Ok(record_from_dict_at(pairs, now)),
        Ok(_) => Err(FrameError("the frame is not a dict".into())),
        Err(e) => Err(FrameError(e.0)),
    }
}

/// How many strings `Repeats` keeps, and their slots.
const REPEATED: usize = 7;
const NAME: usize = 0;
const PATHNAME: usize = 1;
const FILENAME: usize = 2;
const MODULE: usize = 3;
const FUNC_NAME: usize = 4;
const THREAD_NAME: usize = 5;
const PROCESS_NAME: usize = 6;

/// A longer value is not kept (a huge one must not pin memory).
const MAX_REPEATED: usize = 512;

/// The strings a connection's records repeat frame after frame (logger
/// name, pathname, filename, module, funcName, threadName, processName),
/// as the last frame had them: a value with the same bytes is taken from
/// here, a comparison instead of a UTF-8 check of the frame's copy. A
/// value that differs is checked as always, and learnt by `learn` once its
/// record is gone. One per connection.
#[derive(Default)]
pub struct Repeats {
    last: [String; REPEATED],
    /// Slots (bits) whose value in the current frame differed from
    /// `last`, and where that value is in the frame.
    pending: Cell<u8>,
    at: [Cell<(usize, usize)>; REPEATED],
    /// Whether `last`'s filename and module are what its pathname gives.
    same: [bool; 2],
}

impl Repeats {
    /// The next value of `r` if it is a string of valid UTF-8 (this
    /// slot's last one if it has the same bytes), with the bytes it takes.
    #[inline]
    fn str<'b>(&'b self, slot: usize, r: &pickle::Flat<'b>) -> Option<(&'b str, usize)> {
        let (bytes, start, len) = r.peek_str_bytes()?;
        let last = &self.last[slot];
        if bytes == last.as_bytes() {
            return Some((last, len));
        }
        let text = std::str::from_utf8(bytes).ok()?;
        if bytes.len() <= MAX_REPEATED {
            self.pending.set(self.pending.get() | 1 << slot);
            self.at[slot].set((start, bytes.len()));
        }
        Some((text, len))
    }

    /// Once the record decoded from `body` is gone: its values that
    /// differed from the last frame's become the last.
    pub fn learn(&mut self, body: &[u8]) {
        let mut pending = self.pending.replace(0);
        let derived = pending & (1 << PATHNAME | 1 << FILENAME | 1 << MODULE) != 0;
        while pending != 0 {
            let slot = pending.trailing_zeros() as usize;
            pending &= pending - 1;
            let (start, n) = self.at[slot].get();
            if let Some(Ok(text)) = body.get(start..start + n).map(std::str::from_utf8) {
                self.last[slot].clear();
                self.last[slot].push_str(text);
            }
        }
        if !derived {
            return;
        }
        let file = crate::record::filename_of(&self.last[PATHNAME]);
        self.same = [
            file == self.last[FILENAME],
            crate::record::module_of(file) == self.last[MODULE],
        ];
    }

    /// Whether a sent `filename` or `module` (`key`, `value`) differs from
    /// what `pathname` gives, if both are this connection's last ones (the
    /// very strings kept here): known without working it out.
    fn differs(&self, pathname: Option<&str>, key: Key, value: &str) -> Option<bool> {
        let (slot, same) = match key {
            Key::Filename => (FILENAME, self.same[0]),
            _ => (MODULE, self.same[1]),
        };
        let kept = |s: &str, slot: usize| std::ptr::eq(s, self.last[slot].as_str());
        (kept(pathname?, PATHNAME) && kept(value, slot)).then_some(!same)
    }
}

/// The next string of `r`, through `repeats` if there are any.
#[inline]
fn repeated_str<'b>(
    repeats: Option<&'b Repeats>,
    slot: usize,
    r: &pickle::Flat<'b>,
) -> Option<(&'b str, usize)> {
    match repeats {
        Some(repeats) => repeats.str(slot, r),
        None => r.peek_str(),
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

/// The keys of a record's dict `makeLogRecord` gives a meaning to (and
/// the other names CPython's `SocketHandler` sends), recognised by their
/// bytes once, so neither decoder compares a key's text twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Name,
    Msg,
    Args,
    Levelname,
    Levelno,
    Pathname,
    Filename,
    Module,
    ExcInfo,
    ExcText,
    StackInfo,
    Lineno,
    FuncName,
    Created,
    Msecs,
    RelativeCreated,
    Thread,
    ThreadName,
    ProcessName,
    Process,
    TaskName,
    Message,
    Asctime,
}

impl Key {
    /// The key whose name is `bytes`, if any: by length first (one jump),
    /// then the names of that length compared as one or two words (the
    /// first and the last 8 bytes).
    #[inline]
    pub(crate) fn of(bytes: &[u8]) -> Option<Key> {
        macro_rules! by_words {
            ($n:literal: $($name:literal => $key:expr),+) => {{
                const HEAD: usize = if $n > 8 { 8 } else { $n };
                const TAIL: usize = if $n > 8 { $n - 8 } else { 0 };
                let head = word::<HEAD>(bytes, 0);
                let tail = if $n > 8 { word::<8>(bytes, TAIL) } else { 0 };
                $(
                    if head == pack($name, 0) && ($n <= 8 || tail == pack($name, TAIL)) {
                        return Some($key);
                    }
                )+
                return None;
            }};
        }
        match bytes.len() {
            3 => by_words!(3: b"msg" => Key::Msg),
            4 => by_words!(4: b"name" => Key::Name, b"args" => Key::Args),
            5 => by_words!(5: b"msecs" => Key::Msecs),
            6 => by_words!(6: b"lineno" => Key::Lineno, b"thread" => Key::Thread,
                b"module" => Key::Module),
            7 => by_words!(7: b"levelno" => Key::Levelno, b"created" => Key::Created,
                b"process" => Key::Process, b"message" => Key::Message,
                b"asctime" => Key::Asctime),
            8 => by_words!(8: b"pathname" => Key::Pathname, b"filename" => Key::Filename,
                b"funcName" => Key::FuncName, b"exc_info" => Key::ExcInfo,
                b"exc_text" => Key::ExcText, b"taskName" => Key::TaskName),
            9 => by_words!(9: b"levelname" => Key::Levelname),
            10 => by_words!(10: b"threadName" => Key::ThreadName,
                b"stack_info" => Key::StackInfo),
            11 => by_words!(11: b"processName" => Key::ProcessName),
            15 => by_words!(15: b"relativeCreated" => Key::RelativeCreated),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Key::Name => "name",
            Key::Msg => "msg",
            Key::Args => "args",
            Key::Levelname => "levelname",
            Key::Levelno => "levelno",
            Key::Pathname => "pathname",
            Key::Filename => "filename",
            Key::Module => "module",
            Key::ExcInfo => "exc_info",
            Key::ExcText => "exc_text",
            Key::StackInfo => "stack_info",
            Key::Lineno => "lineno",
            Key::FuncName => "funcName",
            Key::Created => "created",
            Key::Msecs => "msecs",
            Key::RelativeCreated => "relativeCreated",
            Key::Thread => "thread",
            Key::ThreadName => "threadName",
            Key::ProcessName => "processName",
            Key::Process => "process",
            Key::TaskName => "taskName",
            Key::Message => "message",
            Key::Asctime => "asctime",
        }
    }
}

/// Up to 8 bytes of `bytes` from `from` as a little-endian word (`N`
/// known at compile time: plain loads). `bytes` holds at least `from + N`.
#[inline(always)]
fn word<const N: usize>(bytes: &[u8], from: usize) -> u64 {
    let mut buf = [0u8; 8];
    buf[..N].copy_from_slice(&bytes[from..from + N]);
    u64::from_le_bytes(buf)
}

/// `word` of a name, at compile time.
const fn pack<const L: usize>(name: &[u8; L], from: usize) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < 8 && from + i < L {
        w |= (name[from + i] as u64) << (8 * i);
        i += 1;
    }
    w
}

/// CPython's `makeLogRecord(dict)` one pair at a time: the record whose
/// attributes are the dict's. Missing keys get sane values (a level derived
/// from `levelname` or NOTSET, `created` now, the logger name "root"); a
/// value whose type does not fit the typed attribute is kept as an extra
/// that formats print as is.
pub(crate) struct RecordBuilder<'b, 'r> {
    /// A `blank_record` until the pairs are set.
    record: &'r mut Record<'b>,
    levelno_seen: bool,
    levelname_seen: bool,
    msecs_seen: bool,
    relative_seen: bool,
    /// `filename` and `module` as sent, in order (compared with what
    /// pathname gives at the end); the usual two need no allocation.
    derived: [Option<(Key, PValue<'b>)>; 2],
    derived_more: Vec<(Key, PValue<'b>)>,
    /// The connection's repeated strings, if it keeps them.
    repeats: Option<&'b Repeats>,
}

/// Keeps a sent `filename` or `module` for `RecordBuilder::finish`.
fn defer<'b>(
    derived: &mut [Option<(Key, PValue<'b>)>; 2],
    more: &mut Vec<(Key, PValue<'b>)>,
    key: Key,
    value: PValue<'b>,
) {
    match derived.iter_mut().find(|slot| slot.is_none()) {
        Some(slot) => *slot = Some((key, value)),
        None => more.push((key, value)),
    }
}

impl<'b, 'r> RecordBuilder<'b, 'r> {
    /// Sets the pairs on `record`, a `blank_record`.
    pub(crate) fn new(record: &'r mut Record<'b>) -> RecordBuilder<'b, 'r> {
        RecordBuilder {
            record,
            levelno_seen: false,
            levelname_seen: false,
            msecs_seen: false,
            relative_seen: false,
            derived: [None, None],
            derived_more: Vec::new(),
            repeats: None,
        }
    }

    /// One pair of the dict, whatever its key.
    pub(crate) fn set(&mut self, key: PValue<'b>, value: PValue<'b>) {
        let key = into_text(key);
        match Key::of(key.as_bytes()) {
            Some(known) => self.set_known(known, value),
            None => self.record.set_extra(key, to_value(value)),
        }
    }

    /// One pair whose key is a known name.
    #[inline]
    pub(crate) fn set_known(&mut self, key: Key, value: PValue<'b>) {
        let record = &mut self.record;
        // A value that does not fit the typed attribute stays an extra,
        // which formats print as it is.
        let misfit = match key {
            Key::Name => match value {
                PValue::Str(s) => {
                    record.name = s;
                    None
                }
                other => {
                    record.name = Cow::Owned(other.to_python_str());
                    Some(other)
                }
            },
            Key::Msg => {
                record.message = into_text(value);
                None
            }
            Key::Levelno => match value {
                PValue::Int(i) => {
                    record.levelno = i32::try_from(i).unwrap_or(i32::MAX);
                    self.levelno_seen = true;
                    None
                }
                other => Some(other),
            },
            Key::Levelname => {
                let name = into_text(value);
                record.levelname = match LEVEL_NAMES.iter().find(|n| **n == name) {
                    Some(standard) => Cow::Borrowed(standard),
                    None => Cow::Owned(name.into_owned()),
                };
                self.levelname_seen = true;
                None
            }
            Key::Lineno => match value {
                PValue::Int(i) => {
                    record.lineno = u32::try_from(i).unwrap_or(0);
                    None
                }
                other => Some(other),
            },
            Key::Created => set_f64(&mut record.created, value),
            Key::Msecs => {
                let misfit = set_f64(&mut record.msecs, value);
                self.msecs_seen |= misfit.is_none();
                misfit
            }
            Key::RelativeCreated => {
                let misfit = set_f64(&mut record.relative_created, value);
                self.relative_seen |= misfit.is_none();
                misfit
            }
            Key::Thread => match value {
                PValue::Int(i) if u64::try_from(i).is_ok() => {
                    record.thread = i as u64;
                    None
                }
                other => Some(other),
            },
            Key::Process => match value {
                PValue::Int(i) if u32::try_from(i).is_ok() => {
                    record.process = i as u32;
                    None
                }
                other => Some(other),
            },
            Key::ThreadName => set_str(&mut record.thread_name, value),
            Key::ProcessName => set_str(&mut record.process_name, value),
            Key::Pathname => {
                record.pathname = as_text(value);
                None
            }
            Key::FuncName => {
                record.func_name = as_text(value);
                None
            }
            Key::ExcText => {
                record.exc_text = as_text(value);
                None
            }
            Key::StackInfo => {
                record.stack_info = as_text(value);
                None
            }
            // Recomputed by every formatter, or never sent by CPython.
            Key::Message | Key::Asctime | Key::Args | Key::ExcInfo => None,
            Key::Filename | Key::Module => {
                defer(&mut self.derived, &mut self.derived_more, key, value);
                None
            }
            Key::TaskName => Some(value),
        };
        if let Some(value) = misfit {
            record.set_extra(key.name(), to_value(value));
        }
    }

    /// The record, `now` giving `created` if the dict had none.
    pub(crate) fn finish(self, now: fn() -> f64) {
        let record = self.record;
        if !self.levelname_seen {
            record.levelname = crate::level::level_name(record.levelno);
        } else if !self.levelno_seen {
            if let Some(n) = crate::level::parse_level(&record.levelname) {
                record.levelno = n;
            }
        }
        if record.created.is_nan() {
            record.created = now();
        }
        if !self.msecs_seen {
            record.msecs = crate::clock::msecs_of(record.created);
        }
        if !self.relative_seen {
            record.relative_created = crate::clock::relative_created_of(record.created);
        }
        // filename and module are derived from pathname; keep a sent value
        // only where it differs.
        if self.derived[0].is_some() {
            // What pathname gives, worked out once for both keys.
            let [first, second] = self.derived;
            // Known from the last frame where the strings are its own.
            let pathname = record.pathname.as_deref();
            let cached = |slot: &Option<(Key, PValue<'b>)>| match (self.repeats, slot) {
                (Some(repeats), Some((key, PValue::Str(s)))) => repeats.differs(pathname, *key, s),
                _ => None,
            };
            let keep = match [cached(&first), cached(&second)] {
                [Some(a), Some(b)] => [a, b],
                [Some(a), None] if second.is_none() => [a, false],
                _ => {
                    let differs = {
                        let file = record.filename();
                        let module = crate::record::module_of(file);
                        move |slot: &Option<(Key, PValue<'b>)>| match slot {
                            Some((key, PValue::Str(s))) => {
                                s != if *key == Key::Filename { file } else { module }
                            }
                            other => other.is_some(),
                        }
                    };
                    [differs(&first), differs(&second)]
                }
            };
            for ((key, value), keep) in [first, second].into_iter().flatten().zip(keep) {
                if keep {
                    record.set_extra(key.name(), to_value(value));
                }
            }
        }
        for (key, value) in self.derived_more {
            derive(record, key, value);
        }
    }
}

/// Keeps a sent `filename` or `module` as an extra where it is not what
/// the record's pathname gives.
fn derive<'b>(record: &mut Record<'b>, key: Key, value: PValue<'b>) {
    let current = if key == Key::Filename {
        record.filename()
    } else {
        record.module()
    };
    if !matches!(&value, PValue::Str(s) if s == current) {
        record.set_extra(key.name(), to_value(value));
    }
}

impl<'b> pickle::Pairs<'b> for RecordBuilder<'b, '_> {
    /// The usual value of each attribute is read straight into the record
    /// (a string borrowed, a number converted); any other goes through
    /// `set_known` as a decoded value, as from the machine.
    #[inline]
    fn known(&mut self, key: Key, r: &mut pickle::Flat<'b>) -> Option<()> {
        let record = &mut *self.record;
        let repeats = self.repeats;
        let text = |slot: &mut Cow<'b, str>| {
            let (s, len) = r.peek_str()?;
            *slot = Cow::Borrowed(s);
            Some((len, Some(s.len())))
        };
        let repeated = |slot: &mut Cow<'b, str>, at: usize| {
            let (s, len) = repeated_str(repeats, at, r)?;
            *slot = Cow::Borrowed(s);
            Some((len, Some(s.len())))
        };
        let opt_text = |slot: &mut Option<Cow<'b, str>>, at: Option<usize>| {
            if r.peek_none() {
                *slot = None;
                return Some((1, None));
            }
            let (s, len) = match at {
                Some(at) => repeated_str(repeats, at, r)?,
                None => r.peek_str()?,
            };
            *slot = Some(Cow::Borrowed(s));
            Some((len, Some(s.len())))
        };
        let float = |slot: &mut f64, seen: &mut bool| {
            *slot = r.peek_float()?;
            *seen = true;
            Some((9, None))
        };
        let taken = match key {
            Key::Name => repeated(&mut record.name, NAME),
            Key::Msg => text(&mut record.message),
            Key::ThreadName => repeated(&mut record.thread_name, THREAD_NAME),
            Key::ProcessName => repeated(&mut record.process_name, PROCESS_NAME),
            Key::Pathname => opt_text(&mut record.pathname, Some(PATHNAME)),
            Key::FuncName => opt_text(&mut record.func_name, Some(FUNC_NAME)),
            Key::ExcText => opt_text(&mut record.exc_text, None),
            Key::StackInfo => opt_text(&mut record.stack_info, None),
            // Compared as bytes: a level name is ASCII.
            Key::Levelname => r.peek_str_bytes().and_then(|(bytes, _, len)| {
                let name = LEVEL_NAMES.iter().find(|n| n.as_bytes() == bytes)?;
                record.levelname = Cow::Borrowed(name);
                self.levelname_seen = true;
                Some((len, Some(name.len())))
            }),
            Key::Created => float(&mut record.created, &mut false),
            Key::Msecs => float(&mut record.msecs, &mut self.msecs_seen),
            Key::RelativeCreated => float(&mut record.relative_created, &mut self.relative_seen),
            Key::Levelno => r.peek_int().map(|(i, len)| {
                record.levelno = i32::try_from(i).unwrap_or(i32::MAX);
                self.levelno_seen = true;
                (len, None)
            }),
            Key::Lineno => r.peek_int().map(|(i, len)| {
                record.lineno = u32::try_from(i).unwrap_or(0);
                (len, None)
            }),
            Key::Thread => r.peek_int().and_then(|(i, len)| {
                record.thread = u64::try_from(i).ok()?;
                Some((len, None))
            }),
            Key::Process => r.peek_int().and_then(|(i, len)| {
                record.process = u32::try_from(i).ok()?;
                Some((len, None))
            }),
            Key::Filename | Key::Module => {
                let at = if key == Key::Filename {
                    FILENAME
                } else {
                    MODULE
                };
                repeated_str(repeats, at, r).map(|(s, len)| {
                    let value = PValue::Str(Cow::Borrowed(s));
                    defer(&mut self.derived, &mut self.derived_more, key, value);
                    (len, Some(s.len()))
                })
            }
            Key::Args | Key::ExcInfo if r.peek_none() => Some((1, None)),
            _ => None,
        };
        match taken {
            Some((len, text)) => r.commit(len, text),
            None => {
                let value = r.scalar()?;
                self.set_known(key, value);
                Some(())
            }
        }
    }

    fn other(&mut self, key: PValue<'b>, value: PValue<'b>) {
        self.set(key, value);
    }
}

/// CPython's `makeLogRecord(dict)` (see `RecordBuilder`).
pub fn record_from_dict<'b>(
    pairs: impl IntoIterator<Item = (PValue<'b>, PValue<'b>)>,
) -> Record<'b> {
    record_from_dict_at(pairs, crate::clock::now)
}

fn record_from_dict_at<'b>(
    pairs: impl IntoIterator<Item = (PValue<'b>, PValue<'b>)>,
    now: fn() -> f64,
) -> Record<'b> {
    let mut record = blank_record();
    let mut builder = RecordBuilder::new(&mut record);
    for (key, value) in pairs {
        builder.set(key, value);
    }
    builder.finish(now);
    record
}

#[cfg(test)]
mod tests {
    use super::{
        decode_record_at, decode_record_by_machine, decode_record_repeating, pickle, Key, Repeats,
    };

    #[test]
    fn record_from_the_bytes_equals_the_machines() {
        let now = || 1.5e9;
        let mut frames = Vec::new();
        let mut push = |items: &dyn Fn(&mut pickle::Encoder<'_>)| {
            let mut out = Vec::new();
            let mut e = pickle::Encoder::start_dict(&mut out);
            items(&mut e);
            e.finish();
            frames.push(out);
        };
        push(&|e| {
            e.item_str("name", "a.b");
            e.item_str("levelname", "NOTICE");
            e.item_int("thread", -5);
            e.item_int("process", 1 << 40);
            e.item_str("pathname", "/x/y.py");
            e.item_str("filename", "z.py");
            e.item_str("module", "y");
            e.item_str("filename", "y.py");
            e.item_int("msecs", 5);
            e.item_none("created");
            e.item_str("exc_text", "tb");
            e.item_none("stack_info");
            e.item_bool("lineno", true);
            e.item_none("taskName");
        });
        push(&|e| {
            e.item_int("levelno", 40);
            e.item_float("relativeCreated", f64::NAN);
            e.item_str("msg", "caf\u{e9}");
            e.item_str("module", "m");
            e.item_str("other", "x");
            e.item_int("name", 7);
        });
        // The usual triple, then a module that is not the pathname's.
        for module in ["b", "c"] {
            push(&|e| {
                e.item_str("pathname", "/a/b.py");
                e.item_str("filename", "b.py");
                e.item_str("module", module);
            });
        }
        // CPython's protocol 1: BINPUTs after every value, I and L lines.
        frames.push(b"}q\x00(X\x04\x00\x00\x00nameq\x01X\x01\x00\x00\x00xq\x02X\x06\x00\x00\x00threadq\x03L12345678901234567890L\nX\x06\x00\x00\x00linenoq\x04I7\nu.".to_vec());
        for frame in &frames {
            let fast = decode_record_at(&mut Default::default(), frame, now).unwrap();
            let machine = decode_record_by_machine(frame, now).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{machine:?}"));
        }
        // As a connection receives them: each frame twice (the second
        // takes its strings from the first), every frame after another.
        let mut repeats = Repeats::default();
        let mut scratch = Default::default();
        for frame in frames.iter().flat_map(|f| [f, f]).chain(&frames) {
            let machine = decode_record_by_machine(frame, now).unwrap();
            let record = decode_record_repeating(&mut scratch, Some(&repeats), frame, now);
            assert_eq!(format!("{:?}", record.unwrap()), format!("{machine:?}"));
            repeats.learn(frame);
        }
    }

    #[test]
    fn every_key_is_found_by_its_name_and_no_other() {
        let keys = [
            Key::Name,
            Key::Msg,
            Key::Args,
            Key::Levelname,
            Key::Levelno,
            Key::Pathname,
            Key::Filename,
            Key::Module,
            Key::ExcInfo,
            Key::ExcText,
            Key::StackInfo,
            Key::Lineno,
            Key::FuncName,
            Key::Created,
            Key::Msecs,
            Key::RelativeCreated,
            Key::Thread,
            Key::ThreadName,
            Key::ProcessName,
            Key::Process,
            Key::TaskName,
            Key::Message,
            Key::Asctime,
        ];
        for key in keys {
            let name = key.name().as_bytes();
            assert_eq!(Key::of(name), Some(key));
            // One byte changed anywhere, and one more or less, is no key.
            for i in 0..name.len() {
                let mut other = name.to_vec();
                other[i] ^= 0x20;
                assert_eq!(Key::of(&other), None, "{other:?}");
            }
            assert_eq!(Key::of(&name[1..]), None);
            assert_eq!(Key::of(&[name, b"x"].concat()), None);
        }
        assert_eq!(Key::of(b""), None);
    }
}
