//! The logging event: every standard LogRecord attribute plus typed extras.
//!
//! Strings are `Cow` so the hot path borrows what the caller passed and only a
//! record that must outlive the call (queues, the network) owns its text.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// A typed extra attribute (Python's `extra=` values and filter-added fields).
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Raw JSON text (a nested list or object), checked to be valid JSON
    /// where it enters (C: `SAWMILL_VALUE_JSON`). `sawmill.JSONFormatter`
    /// embeds it as given; `%(key)s` prints the text.
    Json(Cow<'a, str>),
}

impl Value<'_> {
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Bool(b) => Value::Bool(b),
            Value::Null => Value::Null,
            Value::Json(s) => Value::Json(Cow::Owned(s.into_owned())),
        }
    }
}

/// The standard attributes, by the names Python's format strings use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Levelno,
    Levelname,
    Pathname,
    Filename,
    Module,
    Lineno,
    FuncName,
    Created,
    Msecs,
    RelativeCreated,
    Asctime,
    Thread,
    ThreadName,
    Process,
    ProcessName,
    Message,
    Msg,
    ExcText,
    StackInfo,
    /// Always `()`: sawmill merges a message's arguments at the logging call.
    Args,
    /// Always `None`: a C caller passes the exception's text as `exc_text`.
    ExcInfo,
}

impl Field {
    pub const ALL: [Field; 22] = [
        Field::Name,
        Field::Levelno,
        Field::Levelname,
        Field::Pathname,
        Field::Filename,
        Field::Module,
        Field::Lineno,
        Field::FuncName,
        Field::Created,
        Field::Msecs,
        Field::RelativeCreated,
        Field::Asctime,
        Field::Thread,
        Field::ThreadName,
        Field::Process,
        Field::ProcessName,
        Field::Message,
        Field::Msg,
        Field::ExcText,
        Field::StackInfo,
        Field::Args,
        Field::ExcInfo,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Levelno => "levelno",
            Field::Levelname => "levelname",
            Field::Pathname => "pathname",
            Field::Filename => "filename",
            Field::Module => "module",
            Field::Lineno => "lineno",
            Field::FuncName => "funcName",
            Field::Created => "created",
            Field::Msecs => "msecs",
            Field::RelativeCreated => "relativeCreated",
            Field::Asctime => "asctime",
            Field::Thread => "thread",
            Field::ThreadName => "threadName",
            Field::Process => "process",
            Field::ProcessName => "processName",
            Field::Message => "message",
            Field::Msg => "msg",
            Field::ExcText => "exc_text",
            Field::StackInfo => "stack_info",
            Field::Args => "args",
            Field::ExcInfo => "exc_info",
        }
    }

    /// The [`name_bit`]s of all the standard attributes' names: a name
    /// whose bit is not among them names none.
    pub const NAME_BITS: u64 = {
        let mut bits = 0;
        let mut i = 0;
        while i < Field::ALL.len() {
            bits |= name_bit(Field::ALL[i].name());
            i += 1;
        }
        bits
    };

    /// The standard attribute `name` names. Every extra's key is checked,
    /// and most name none: their [`name_bit`] alone says so, inline.
    #[inline]
    pub fn from_name(name: &str) -> Option<Field> {
        if Field::NAME_BITS & name_bit(name) == 0 {
            return None;
        }
        Field::from_name_by_length(name)
    }

    /// [`Field::from_name`] without the [`name_bit`] test, for callers
    /// that made it.
    pub(crate) fn from_name_by_length(name: &str) -> Option<Field> {
        // By length and first byte: one jump and one string compare.
        // `field_names_by_length` (test) keeps this table whole.
        let bytes = name.as_bytes();
        let candidate = match (bytes.len(), *bytes.first()?) {
            (3, b'm') => Field::Msg,
            (4, b'n') => Field::Name,
            (4, b'a') => Field::Args,
            (5, b'm') => Field::Msecs,
            (6, b'm') => Field::Module,
            (6, b'l') => Field::Lineno,
            (6, b't') => Field::Thread,
            (7, b'l') => Field::Levelno,
            (7, b'c') => Field::Created,
            (7, b'a') => Field::Asctime,
            (7, b'p') => Field::Process,
            (7, b'm') => Field::Message,
            (8, b'p') => Field::Pathname,
            (8, b'f') if bytes[1] == b'i' => Field::Filename,
            (8, b'f') => Field::FuncName,
            (8, b'e') if bytes[4] == b't' => Field::ExcText,
            (8, b'e') => Field::ExcInfo,
            (9, b'l') => Field::Levelname,
            (10, b't') => Field::ThreadName,
            (10, b's') => Field::StackInfo,
            (11, b'p') => Field::ProcessName,
            (15, b'r') => Field::RelativeCreated,
            _ => return None,
        };
        (candidate.name() == name).then_some(candidate)
    }
}

/// One of 64 bits for a name, from its length and first byte: names with
/// different bits differ, so a name is compared with others only when its
/// bit is among theirs (attribute names mostly differ in length or first
/// letter).
#[inline]
pub const fn name_bit(name: &str) -> u64 {
    let first = match name.as_bytes().first() {
        Some(b) => *b as usize,
        None => 0,
    };
    1 << ((first + name.len() * 5) & 63)
}

/// A borrowed view of one attribute's value, as a formatter sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AttrRef<'r> {
    Str(&'r str),
    /// Wide enough for every Python int a record holds: i64 extras and
    /// thread ids up to 2^64 - 1 (Python prints them unsigned).
    Int(i128),
    Float(f64),
    Bool(bool),
    /// Python's `None` (e.g. `exc_text` when there is no exception).
    None,
    /// Python's `()`, the record's `args`: prints as `()`, and like `None`
    /// takes no format spec.
    EmptyTuple,
}

pub const UNKNOWN_FILE: &str = "(unknown file)";
pub const UNKNOWN_FUNCTION: &str = "(unknown function)";

#[derive(Clone, Debug)]
pub struct Record<'a> {
    pub name: Cow<'a, str>,
    pub levelno: i32,
    pub levelname: Cow<'static, str>,
    /// `None` prints as Python's `(unknown file)`.
    pub pathname: Option<Cow<'a, str>>,
    pub lineno: u32,
    /// `None` prints as Python's `(unknown function)`.
    pub func_name: Option<Cow<'a, str>>,
    /// The merged message (Python's `getMessage()`; `msg` with args applied).
    pub message: Cow<'a, str>,
    pub created: f64,
    pub msecs: f64,
    pub relative_created: f64,
    pub thread: u64,
    pub thread_name: Cow<'a, str>,
    pub process: u32,
    pub process_name: Cow<'a, str>,
    pub exc_text: Option<Cow<'a, str>>,
    pub stack_info: Option<Cow<'a, str>>,
    /// Extra attributes in insertion order; a key here overrides a standard
    /// attribute of the same name when formatting, as setting an attribute on a
    /// Python LogRecord does.
    pub extras: Vec<(Cow<'a, str>, Value<'a>)>,
}

/// An empty vector of another lifetime (and element type of the same
/// layout) on the same allocation, so a record's extras vector or a
/// decoder's working vector is reused for the next record: the standard
/// library collects a `vec::IntoIter` into a vector of the same layout in
/// place (and allocates afresh where it does not, still correct).
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter()
        .map(|_| unreachable!("the vector is empty"))
        .collect()
}

/// `os.path.basename(path)`.
pub fn filename_of(path: &str) -> &str {
    // A byte search: '/' is ASCII (and cheaper so than a char search).
    match path.bytes().rposition(|b| b == b'/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// `os.path.splitext(file)[0]`: a leading dot does not start an extension.
pub fn module_of(file: &str) -> &str {
    let stem_start = file.len() - file.trim_start_matches('.').len();
    match file[stem_start..].bytes().rposition(|b| b == b'.') {
        Some(i) => &file[..stem_start + i],
        None => file,
    }
}

impl<'a> Record<'a> {
    /// A record stamped now, on the calling thread. Its thread and process
    /// names are copies; the logging hot path uses [`with_identity`] and
    /// [`Record::stamped`] to borrow them instead.
    pub fn new(
        name: &'a str,
        levelno: i32,
        pathname: Option<&'a str>,
        lineno: u32,
        func_name: Option<&'a str>,
        message: Cow<'a, str>,
    ) -> Record<'a> {
        let created = crate::clock::now();
        Record::at(created, name, levelno, pathname, lineno, func_name, message)
    }

    /// A record with an explicit creation time (tests, receivers, replays).
    pub fn at(
        created: f64,
        name: &'a str,
        levelno: i32,
        pathname: Option<&'a str>,
        lineno: u32,
        func_name: Option<&'a str>,
        message: Cow<'a, str>,
    ) -> Record<'a> {
        let (thread, thread_name, process_name) =
            with_identity(|thread, t, p| (thread, t.to_owned(), p.to_owned()));
        let mut record = Record::stamped(
            created, name, levelno, pathname, lineno, func_name, message, thread, "", "",
        );
        record.thread_name = Cow::Owned(thread_name);
        record.process_name = Cow::Owned(process_name);
        record
    }

    /// A record from all its parts, borrowing the thread and process names.
    #[allow(clippy::too_many_arguments)]
    pub fn stamped(
        created: f64,
        name: &'a str,
        levelno: i32,
        pathname: Option<&'a str>,
        lineno: u32,
        func_name: Option<&'a str>,
        message: Cow<'a, str>,
        thread: u64,
        thread_name: &'a str,
        process_name: &'a str,
    ) -> Record<'a> {
        Record {
            name: Cow::Borrowed(name),
            levelno,
            levelname: crate::level::level_name(levelno),
            pathname: pathname.map(Cow::Borrowed),
            lineno: if pathname.is_some() { lineno } else { 0 },
            func_name: func_name.map(Cow::Borrowed),
            message,
            created,
            msecs: crate::clock::msecs_of(created),
            relative_created: crate::clock::relative_created_of(created),
            thread,
            thread_name: Cow::Borrowed(thread_name),
            process: process_id(),
            process_name: Cow::Borrowed(process_name),
            exc_text: None,
            stack_info: None,
            extras: Vec::new(),
        }
    }

    pub fn pathname(&self) -> &str {
        self.pathname.as_deref().unwrap_or(UNKNOWN_FILE)
    }

    pub fn func_name(&self) -> &str {
        self.func_name.as_deref().unwrap_or(UNKNOWN_FUNCTION)
    }

    /// `os.path.basename(pathname)`.
    pub fn filename(&self) -> &str {
        filename_of(self.pathname())
    }

    /// `os.path.splitext(filename)[0]`: a leading dot does not start an extension.
    pub fn module(&self) -> &str {
        module_of(self.filename())
    }

    /// Whether no extra has a standard attribute's name: formats then read
    /// every field straight from the record (an extra of another name, such
    /// as the `taskName` a received record carries, shadows nothing).
    #[inline]
    pub fn fields_unshadowed(&self) -> bool {
        self.extras
            .iter()
            .all(|(k, _)| Field::from_name(k).is_none())
    }

    /// Sets (or replaces) an extra attribute. A standard name set here only
    /// changes what formats print for it; [`Record::set_attr`] assigns it as
    /// Python does.
    pub fn set_extra(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        let key = key.into();
        match self.extras.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.extras.push((key, value)),
        }
    }

    /// Assigns an attribute as `setattr(record, key, value)` does on a Python
    /// LogRecord, e.g. from a filter. The value is kept as given (formats
    /// print it with its own type), and what Python derives from the
    /// attribute follows it: `created` and `msecs` feed `asctime`, `msg` the
    /// message, `exc_text` and `stack_info` the lines appended after it,
    /// `name` and `levelno` later name filters and handler levels. `message`
    /// and `asctime` may be set, but formatting recomputes them, as Python's
    /// `Formatter.format` does. The one refusal: a truthy `args`, which would
    /// make Python apply `msg % args` to a message sawmill has already merged.
    pub fn set_attr(
        &mut self,
        key: impl Into<Cow<'a, str>>,
        value: Value<'a>,
    ) -> Result<(), String> {
        let key = key.into();
        match Field::from_name(&key) {
            Some(Field::Args) if truthy(&value) => {
                return Err(
                    "a truthy 'args' cannot be assigned: sawmill merges a message's arguments \
                     at the logging call (assign 'msg' instead)"
                        .into(),
                )
            }
            Some(Field::Name) => {
                if let Value::Str(s) = &value {
                    self.name = s.clone();
                }
            }
            Some(Field::Levelno) => match value {
                Value::Int(i) => self.levelno = i32::try_from(i).unwrap_or(self.levelno),
                Value::Bool(b) => self.levelno = i32::from(b),
                _ => {}
            },
            Some(Field::Created) => match value {
                Value::Null => self.created = crate::clock::now(),
                _ => self.created = number(&value).unwrap_or(self.created),
            },
            Some(Field::Msecs) => self.msecs = number(&value).unwrap_or(self.msecs),
            Some(Field::Msg) => self.message = python_str(&value),
            Some(Field::ExcText) => self.exc_text = appended_text(&value),
            Some(Field::StackInfo) => self.stack_info = appended_text(&value),
            _ => {}
        }
        self.set_extra(key, value);
        Ok(())
    }

    /// The error Python's `Formatter.format` raises for a record whose
    /// assigned attributes it cannot use (see [`Record::set_attr`]): a
    /// `created` that is no number, a `msecs` that `%03d` refuses, a truthy
    /// `exc_info` without `exc_text`, an `exc_text` or `stack_info` that is
    /// truthy but no string. `uses_time` and `default_msecs` describe the
    /// formatter. Only assigned attributes can fail: call it when
    /// `extras` is not empty.
    pub fn assigned_attr_error(&self, uses_time: bool, default_msecs: bool) -> Option<String> {
        let type_error = |key: &str, value: &Value<'_>, what: &str| {
            Some(format!("{key} = {}: {what}", value_type(value)))
        };
        for (key, value) in &self.extras {
            match Field::from_name(key) {
                Some(Field::Created) if uses_time && matches!(value, Value::Str(_)) => {
                    return type_error(key, value, "not a number of seconds")
                }
                Some(Field::Msecs)
                    if uses_time
                        && default_msecs
                        && matches!(value, Value::Str(_) | Value::Null) =>
                {
                    return type_error(key, value, "%d format: a real number is required")
                }
                Some(Field::ExcInfo)
                    if truthy(value) && self.exc_text.as_deref().is_none_or(str::is_empty) =>
                {
                    return type_error(key, value, "not an exception triple")
                }
                Some(Field::ExcText | Field::StackInfo)
                    if truthy(value) && !matches!(value, Value::Str(_)) =>
                {
                    return type_error(key, value, "can only append a str to the message")
                }
                _ => {}
            }
        }
        None
    }

    pub fn extra(&self, key: &str) -> Option<&Value<'a>> {
        self.extras.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A standard attribute's value. `Asctime` is not stored on the record
    /// (the formatter computes it) and reads as `None` here.
    #[inline]
    pub fn field(&self, field: Field) -> AttrRef<'_> {
        match field {
            Field::Name => AttrRef::Str(&self.name),
            Field::Levelno => AttrRef::Int(self.levelno.into()),
            Field::Levelname => AttrRef::Str(&self.levelname),
            Field::Pathname => AttrRef::Str(self.pathname()),
            Field::Filename => AttrRef::Str(self.filename()),
            Field::Module => AttrRef::Str(self.module()),
            Field::Lineno => AttrRef::Int(self.lineno.into()),
            Field::FuncName => AttrRef::Str(self.func_name()),
            Field::Created => AttrRef::Float(self.created),
            Field::Msecs => AttrRef::Float(self.msecs),
            Field::RelativeCreated => AttrRef::Float(self.relative_created),
            Field::Asctime => AttrRef::None,
            Field::Thread => AttrRef::Int(self.thread.into()),
            Field::ThreadName => AttrRef::Str(&self.thread_name),
            Field::Process => AttrRef::Int(self.process.into()),
            Field::ProcessName => AttrRef::Str(&self.process_name),
            Field::Message | Field::Msg => AttrRef::Str(&self.message),
            Field::ExcText => self.exc_text.as_deref().map_or(AttrRef::None, AttrRef::Str),
            Field::StackInfo => self
                .stack_info
                .as_deref()
                .map_or(AttrRef::None, AttrRef::Str),
            Field::Args => AttrRef::EmptyTuple,
            Field::ExcInfo => AttrRef::None,
        }
    }

    /// Looks an attribute up by name the way `record.__dict__[key]` would:
    /// extras first (they may shadow standard attributes), then standard ones.
    pub fn lookup(&self, key: &str) -> Option<AttrRef<'_>> {
        if let Some(value) = self.extra(key) {
            return Some(match value {
                Value::Str(s) | Value::Json(s) => AttrRef::Str(s),
                Value::Int(i) => AttrRef::Int((*i).into()),
                Value::Float(f) => AttrRef::Float(*f),
                Value::Bool(b) => AttrRef::Bool(*b),
                Value::Null => AttrRef::None,
            });
        }
        Field::from_name(key).map(|f| self.field(f))
    }

    /// A copy that owns all its text, for queues and other threads.
    pub fn into_owned(self) -> Record<'static> {
        fn own(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        Record {
            name: own(self.name),
            levelno: self.levelno,
            levelname: self.levelname,
            pathname: self.pathname.map(own),
            lineno: self.lineno,
            func_name: self.func_name.map(own),
            message: own(self.message),
            created: self.created,
            msecs: self.msecs,
            relative_created: self.relative_created,
            thread: self.thread,
            thread_name: own(self.thread_name),
            process: self.process,
            process_name: own(self.process_name),
            exc_text: self.exc_text.map(own),
            stack_info: self.stack_info.map(own),
            extras: self
                .extras
                .into_iter()
                .map(|(k, v)| (own(k), v.into_owned()))
                .collect(),
        }
    }
}

/// Python's truth value of an attribute value.
fn truthy(value: &Value<'_>) -> bool {
    match value {
        Value::Str(s) | Value::Json(s) => !s.is_empty(),
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Bool(b) => *b,
        Value::Null => false,
    }
}

/// A value Python's time and `%d` conversions take as a number.
fn number(value: &Value<'_>) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Str(_) | Value::Null | Value::Json(_) => None,
    }
}

fn value_type(value: &Value<'_>) -> &'static str {
    match value {
        Value::Str(_) => "str",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Bool(_) => "bool",
        Value::Null => "NoneType",
        Value::Json(_) => "json",
    }
}

/// Python's `str(value)`: what `getMessage()` makes of an assigned `msg`.
fn python_str<'a>(value: &Value<'a>) -> Cow<'a, str> {
    match value {
        Value::Str(s) | Value::Json(s) => s.clone(),
        Value::Int(i) => Cow::Owned(i.to_string()),
        Value::Float(f) => Cow::Owned(crate::format::python_float_repr(*f)),
        Value::Bool(b) => Cow::Borrowed(if *b { "True" } else { "False" }),
        Value::Null => Cow::Borrowed("None"),
    }
}

/// What `Formatter.format` appends for an assigned `exc_text`/`stack_info`:
/// a string; nothing for a falsy value (a truthy non-string is an error,
/// see `assigned_attr_error`).
fn appended_text<'a>(value: &Value<'a>) -> Option<Cow<'a, str>> {
    match value {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
}

// ---- thread and process identity ------------------------------------------

struct ThreadIdentity {
    ident: u64,
    name: Option<Arc<str>>,
    /// This thread's own copy of processName and the generation it is of:
    /// cloning a shared `Arc` on every record would make logging threads
    /// fight over one reference count.
    process_name: Option<(u64, Arc<str>)>,
    /// An emptied extras vector the thread's next record with extras reuses
    /// (see [`with_identity_and_spare`]): no malloc and free per record, and
    /// no second thread-local to reach.
    spare_extras: Vec<(Cow<'static, str>, Value<'static>)>,
}

impl ThreadIdentity {
    fn new() -> ThreadIdentity {
        ThreadIdentity {
            // SAFETY: pthread_self has no preconditions.
            ident: unsafe { libc::pthread_self() } as u64,
            name: None,
            process_name: None,
            spare_extras: Vec::new(),
        }
    }
}

thread_local! {
    static THREAD: RefCell<Option<ThreadIdentity>> = const { RefCell::new(None) };
    /// A name set while THREAD was borrowed (from inside a callback).
    static PENDING_THREAD_NAME: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Counter behind Python-style `Thread-N` names, numbered in order of first log.
static THREAD_COUNTER: AtomicU32 = AtomicU32::new(0);
static MAIN_THREAD_NAME: crate::sync::ForkOnce<Arc<str>> = crate::sync::ForkOnce::new();

fn is_main_thread() -> bool {
    // SAFETY: getpid and gettid have no preconditions.
    unsafe { libc::getpid() == libc::gettid() }
}

fn os_thread_name() -> Option<String> {
    let mut buf = [0u8; 64];
    // SAFETY: the buffer is valid for its length; pthread_self is always valid.
    let rc = unsafe {
        libc::pthread_getname_np(libc::pthread_self(), buf.as_mut_ptr().cast(), buf.len())
    };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).into_owned();
    (!name.is_empty()).then_some(name)
}

/// The process's own name (`comm`): threads inherit it unless they set their own.
fn process_comm() -> Option<String> {
    std::fs::read_to_string("/proc/self/comm")
        .ok()
        .map(|s| s.trim_end().to_owned())
}

fn default_thread_name() -> Arc<str> {
    if is_main_thread() {
        return MAIN_THREAD_NAME
            .get_or_init(|| Arc::from("MainThread"))
            .clone();
    }
    match os_thread_name() {
        Some(name) if Some(&name) != process_comm().as_ref() => Arc::from(name),
        _ => {
            let n = THREAD_COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
            Arc::from(format!("Thread-{n}"))
        }
    }
}

/// `(thread ident, threadName)` of the calling thread.
pub fn current_thread() -> (u64, Arc<str>) {
    with_identity(|thread, name, _| (thread, Arc::from(name)))
}

fn refresh(identity: &mut ThreadIdentity) {
    if identity.name.is_none() {
        identity.name = Some(default_thread_name());
    }
    let generation = PROCESS_NAME_GENERATION.load(Ordering::Acquire);
    if identity
        .process_name
        .as_ref()
        .is_none_or(|(seen, _)| *seen != generation)
    {
        identity.process_name = Some((generation, shared_process_name()));
    }
}

/// Calls `f(thread ident, threadName, processName)` with names borrowed from
/// the calling thread's cached identity: the logging path builds its record
/// inside `f` without touching a shared reference count.
#[inline]
pub fn with_identity<R>(f: impl FnOnce(u64, &str, &str) -> R) -> R {
    with_identity_and_spare(
        #[inline(always)]
        |thread, name, process, _| f(thread, name, process),
    )
}

/// [`with_identity`] that also lends `f` the thread's spare extras vector:
/// empty, its allocation kept from an earlier record (see [`recycle`]); a
/// caller that takes it may give one back.
pub fn with_identity_and_spare<R>(
    f: impl FnOnce(u64, &str, &str, &mut Vec<(Cow<'static, str>, Value<'static>)>) -> R,
) -> R {
    let mut f = Some(f);
    let result = THREAD.try_with(|cell| {
        // One exclusive borrow for the whole call: a nested log call from a
        // callback on this thread finds it busy and uses a fresh identity
        // (such a record is dropped as re-entrant anyway).
        let mut slot = cell.try_borrow_mut().ok()?;
        let identity = slot.get_or_insert_with(ThreadIdentity::new);
        if ANY_PENDING_NAME.load(Ordering::Relaxed) {
            if let Some(pending) = PENDING_THREAD_NAME
                .try_with(|p| p.borrow_mut().take())
                .ok()
                .flatten()
            {
                identity.name = Some(pending);
            }
        }
        let generation = PROCESS_NAME_GENERATION.load(Ordering::Acquire);
        if identity.name.is_none()
            || identity
                .process_name
                .as_ref()
                .is_none_or(|(seen, _)| *seen != generation)
        {
            refresh(identity);
        }
        let name = identity.name.as_deref().unwrap_or("MainThread");
        let process = identity
            .process_name
            .as_ref()
            .map_or("MainProcess", |(_, p)| &**p);
        let spare = &mut identity.spare_extras;
        f.take().map(|f| f(identity.ident, name, process, spare))
    });
    match (result, f) {
        (Ok(Some(value)), _) => value,
        // Thread-local storage gone or busy: a fresh identity, not cached.
        (_, Some(f)) => {
            let mut identity = ThreadIdentity::new();
            refresh(&mut identity);
            let name = identity.name.as_deref().unwrap_or("MainThread");
            let process = identity
                .process_name
                .as_ref()
                .map_or("MainProcess", |(_, p)| &**p);
            f(identity.ident, name, process, &mut Vec::new())
        }
        (_, None) => unreachable!("the closure ran but returned no value"),
    }
}

/// Set once any thread has a pending name, so the others skip looking.
static ANY_PENDING_NAME: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Names the calling thread for `threadName` (Python's `threading.current_thread().name = …`).
/// Called from inside a logging callback on the same thread, it takes effect
/// for the next record.
pub fn set_current_thread_name(name: &str) {
    let _ = THREAD.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => slot.get_or_insert_with(ThreadIdentity::new).name = Some(Arc::from(name)),
        Err(_) => {
            ANY_PENDING_NAME.store(true, Ordering::Relaxed);
            PENDING_THREAD_NAME.with(|p| *p.borrow_mut() = Some(Arc::from(name)))
        }
    });
    crate::handler::queue::thread_renamed();
}

/// Cached pid: getpid is a real system call on current glibc. Reset in the
/// fork child (see `fork.rs`).
static PID: AtomicU64 = AtomicU64::new(0);
/// Read on the logging path; a fork child takes it over from a vanished
/// holder (see `sync::Lock`).
static PROCESS_NAME: crate::sync::Lock<Option<Arc<str>>> = crate::sync::Lock::new(None);

pub fn process_id() -> u32 {
    let cached = PID.load(Ordering::Relaxed);
    if cached != 0 {
        return cached as u32;
    }
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() } as u32;
    PID.store(pid.into(), Ordering::Relaxed);
    pid
}

/// Forgets the cached pid (called in a fork child).
pub fn reset_process_id() {
    PID.store(0, Ordering::Relaxed);
}

/// Bumped by every `set_process_name`, so threads refresh their copies.
static PROCESS_NAME_GENERATION: AtomicU64 = AtomicU64::new(1);

fn shared_process_name() -> Arc<str> {
    PROCESS_NAME
        .lock()
        .get_or_insert_with(|| Arc::from("MainProcess"))
        .clone()
}

/// The current `processName` (default `MainProcess`).
pub fn process_name() -> Arc<str> {
    with_identity(|_, _, process| Arc::from(process))
}

/// Sets `processName` for records made from now on.
pub fn set_process_name(name: &str) {
    *PROCESS_NAME.lock() = Some(Arc::from(name));
    PROCESS_NAME_GENERATION.fetch_add(1, Ordering::AcqRel);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(path: Option<&str>) -> Record<'_> {
        Record::at(1.0, "x", 20, path, 7, None, Cow::Borrowed("m"))
    }

    #[test]
    fn field_names_by_length() {
        for field in Field::ALL {
            assert_eq!(Field::from_name(field.name()), Some(field));
        }
        for other in [
            "",
            "x",
            "Name",
            "names",
            "user",
            "request_id",
            "exc_infos",
            "fxxxxxxx",
            "exc_xxxx",
        ] {
            assert_eq!(Field::from_name(other), None);
            assert_eq!(Field::from_name_by_length(other), None);
        }
    }

    #[test]
    fn filename_and_module_follow_os_path() {
        let r = rec(Some("/a/b/mod.c"));
        assert_eq!((r.filename(), r.module()), ("mod.c", "mod"));
        let r = rec(Some("/a/.hidden"));
        assert_eq!((r.filename(), r.module()), (".hidden", ".hidden"));
        let r = rec(Some("x.tar.gz"));
        assert_eq!((r.filename(), r.module()), ("x.tar.gz", "x.tar"));
        let r = rec(None);
        assert_eq!(
            (
                r.pathname(),
                r.filename(),
                r.module(),
                r.lineno,
                r.func_name()
            ),
            (
                UNKNOWN_FILE,
                UNKNOWN_FILE,
                UNKNOWN_FILE,
                0,
                UNKNOWN_FUNCTION
            )
        );
    }

    #[test]
    fn extras_shadow_standard_fields() {
        let mut r = rec(None);
        assert_eq!(r.lookup("levelname"), Some(AttrRef::Str("INFO")));
        r.set_extra("levelname", Value::Str("CUSTOM".into()));
        r.set_extra("ip", Value::Int(3));
        r.set_extra("ip", Value::Int(4));
        assert_eq!(r.lookup("levelname"), Some(AttrRef::Str("CUSTOM")));
        assert_eq!(r.lookup("ip"), Some(AttrRef::Int(4)));
        assert_eq!(r.lookup("nope"), None);
    }

    #[test]
    fn thread_names_follow_python() {
        let (_, name) = current_thread();
        assert!(!name.is_empty());
        let other = std::thread::spawn(|| current_thread().1).join().unwrap();
        assert!(other.starts_with("Thread-") || !other.is_empty());
        std::thread::spawn(|| {
            set_current_thread_name("worker");
            assert_eq!(&*current_thread().1, "worker");
        })
        .join()
        .unwrap();
    }
}
