//! The class registry of configurations: each handler class Python users
//! name (`logging.handlers.RotatingFileHandler`) is ONE table from its
//! config keys to the fields of that handler's options struct, plus the
//! function that builds the handler from the filled struct. dictConfig,
//! fileConfig, `check-config` and docs/configuration.md all read these
//! tables; an unknown key is refused by them, with a suggestion.
//!
//! Adding a handler class: write a `pub static CLASS: Class<YourOptions>`
//! next to the sink (or here), list it in `HANDLER_CLASSES`, and describe
//! each key once in its `keys` table.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value as Json};

use crate::format::{FormatterOptions, JsonOptions, NonFinite, Style};
use crate::handler::file::{FileMode, Owner, Rotation};
use crate::handler::timed::{TimedOptions, When};
use crate::handler::{self, Buffering, FileOptions, Handler, StreamOptions};
use crate::record::Value;

/// A JSON object: one entry of a configuration.
pub type Entry = Map<String, Json>;

/// Whether a key names other handlers: the planner reads these first and
/// builds the named handlers before this one (a cycle is an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refs {
    None,
    /// The value is one handler name (MemoryHandler's `target`).
    One,
    /// The value is a list of handler names (QueueHandler's `handlers`).
    Many,
}

/// Whether a class may be built from a configuration that came over the
/// network (the config listener): classes that run programs or reach
/// arbitrary destinations are marked `LocalOnly`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remote {
    Allowed,
    LocalOnly,
}

/// Where a configuration came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// The program itself (a C call, a file it names).
    Local,
    /// The config listener: `Remote::LocalOnly` classes are refused.
    Remote,
}

/// What a key setter and a build function may look at.
pub struct Ctx<'a> {
    /// Handlers of this configuration built so far (every one a `Refs` key
    /// names is among them).
    pub handlers: &'a dyn Fn(&str) -> Option<Arc<Handler>>,
    /// Validate only: open no file, start no thread, connect nowhere.
    pub check_only: bool,
}

impl Ctx<'_> {
    /// The handler `name` of this configuration.
    pub fn handler(&self, name: &str) -> Result<Arc<Handler>, String> {
        (self.handlers)(name).ok_or_else(|| format!("no handler named '{name}'"))
    }
}

/// One config key of a class: its Python name, and how it sets a field of
/// the options struct `O`.
pub struct Key<O: 'static> {
    pub name: &'static str,
    /// A keyword argument of CPython's class (else a sawmill-only key).
    pub python: bool,
    pub refs: Refs,
    /// One line for docs/configuration.md: the value's type and meaning.
    pub doc: &'static str,
    pub set: fn(&mut O, &Json, &Ctx) -> Result<(), String>,
}

/// A handler class: the options struct `O` it fills, its keys and how it
/// is built. `keys` is a list of tables so classes can share one (every
/// file handler shares `FILE_KEYS`).
pub struct Class<O: 'static> {
    /// The name a config gives in `class` (or `()`).
    pub name: &'static str,
    /// Other accepted spellings (sawmill's own aliases).
    pub aliases: &'static [&'static str],
    pub doc: &'static str,
    pub remote: Remote,
    /// Keys that must be present (Python's positional parameters).
    pub required: &'static [&'static str],
    pub new: fn() -> O,
    pub keys: &'static [&'static [Key<O>]],
    /// Builds the handler. With `ctx.check_only` it must not open, bind or
    /// start anything, only validate.
    pub build: fn(O, &Ctx) -> Result<Arc<Handler>, String>,
}

/// A failure inside one entry: the key it concerns (if any) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub key: Option<String>,
    pub message: String,
}

impl Issue {
    pub fn at(key: &str, message: impl Into<String>) -> Issue {
        Issue {
            key: Some(key.to_owned()),
            message: message.into(),
        }
    }

    pub fn whole(message: impl Into<String>) -> Issue {
        Issue {
            key: None,
            message: message.into(),
        }
    }
}

/// A key as docs/configuration.md lists it.
pub struct KeyDoc {
    pub name: &'static str,
    pub python: bool,
    pub doc: &'static str,
}

/// A class with its options type erased, as the registry holds it.
pub trait HandlerClass: Sync {
    fn name(&self) -> &'static str;
    fn aliases(&self) -> &'static [&'static str];
    fn doc(&self) -> &'static str;
    fn remote(&self) -> Remote;
    fn key_docs(&self) -> Vec<KeyDoc>;
    /// Names of the handlers `args` refers to (built before this one).
    fn references(&self, args: &Entry) -> Result<Vec<String>, Issue>;
    /// Fills the options from `args` (the entry less `class`, `level`,
    /// `formatter`, `filters`, `.`) and builds the handler.
    fn build(&self, args: &Entry, ctx: &Ctx) -> Result<Arc<Handler>, Issue>;
}

impl<O: 'static> Class<O> {
    fn key(&self, name: &str) -> Option<&Key<O>> {
        self.keys
            .iter()
            .flat_map(|t| t.iter())
            .find(|k| k.name == name)
    }

    fn key_names(&self) -> Vec<&'static str> {
        self.keys
            .iter()
            .flat_map(|t| t.iter())
            .map(|k| k.name)
            .collect()
    }
}

impl<O: 'static> HandlerClass for Class<O> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }

    fn doc(&self) -> &'static str {
        self.doc
    }

    fn remote(&self) -> Remote {
        self.remote
    }

    fn key_docs(&self) -> Vec<KeyDoc> {
        self.keys
            .iter()
            .flat_map(|t| t.iter())
            .map(|k| KeyDoc {
                name: k.name,
                python: k.python,
                doc: k.doc,
            })
            .collect()
    }

    fn references(&self, args: &Entry) -> Result<Vec<String>, Issue> {
        let mut names = Vec::new();
        for (key, value) in args {
            let Some(spec) = self.key(key) else { continue };
            match (spec.refs, value) {
                (Refs::None, _) | (_, Json::Null) => {}
                (Refs::One, Json::String(name)) => names.push(name.clone()),
                (Refs::Many, Json::Array(items)) => {
                    for item in items {
                        match item {
                            Json::String(name) => names.push(name.clone()),
                            _ => return Err(Issue::at(key, "expected a list of handler names")),
                        }
                    }
                }
                (Refs::One, _) => return Err(Issue::at(key, "expected a handler name")),
                (Refs::Many, _) => return Err(Issue::at(key, "expected a list of handler names")),
            }
        }
        Ok(names)
    }

    fn build(&self, args: &Entry, ctx: &Ctx) -> Result<Arc<Handler>, Issue> {
        for required in self.required {
            if !args.contains_key(*required) {
                return Err(Issue::at(
                    required,
                    format!("missing required option '{required}'"),
                ));
            }
        }
        let mut options = (self.new)();
        for (key, value) in args {
            let Some(spec) = self.key(key) else {
                return Err(Issue::at(key, unknown_key(key, &self.key_names())));
            };
            (spec.set)(&mut options, value, ctx).map_err(|m| Issue::at(key, m))?;
        }
        (self.build)(options, ctx).map_err(Issue::whole)
    }
}

/// `unknown option 'maxbytes' (did you mean 'maxBytes'?)`.
pub fn unknown_key(key: &str, known: &[&str]) -> String {
    match suggest(key, known) {
        Some(near) => format!("unknown option '{key}' (did you mean '{near}'?)"),
        None => format!("unknown option '{key}'"),
    }
}

/// The known name closest to `word`: equal but for case, or within a
/// small edit distance.
pub fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    let lower = word.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

// ---- value readers shared by the tables ---------------------------------

pub fn as_str(v: &Json) -> Result<&str, String> {
    v.as_str()
        .ok_or_else(|| format!("expected a string, got {}", kind_of(v)))
}

pub fn as_opt_str(v: &Json) -> Result<Option<&str>, String> {
    match v {
        Json::Null => Ok(None),
        _ => as_str(v).map(Some),
    }
}

pub fn as_bool(v: &Json) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("expected true or false, got {}", kind_of(v)))
}

pub fn as_u64(v: &Json) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("expected a non-negative integer, got {}", kind_of(v)))
}

pub fn as_u32(v: &Json) -> Result<u32, String> {
    u32::try_from(as_u64(v)?).map_err(|_| "integer too large".to_owned())
}

pub fn kind_of(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("{b}"),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) => format!("the string {s:?}"),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "an object".into(),
    }
}

/// Python's `logging._checkLevel`: an int, or a registered level name in
/// its exact case (WARN and FATAL too). A numeric string is not a level.
pub fn level(v: &Json) -> Result<i32, String> {
    match v {
        Json::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| format!("Level not an integer or a valid string: {n}")),
        Json::String(s) => match crate::level::parse_level(s) {
            Some(level)
                if !s
                    .trim()
                    .starts_with(|c: char| c.is_ascii_digit() || c == '-') =>
            {
                Ok(level)
            }
            _ => Err(format!("Unknown level: '{s}'")),
        },
        other => Err(format!(
            "Level not an integer or a valid string: {}",
            kind_of(other)
        )),
    }
}

/// `ext://sys.stdout` / `ext://sys.stderr` (or null: stderr) as a descriptor.
pub fn stream_fd(v: &Json) -> Result<i32, String> {
    match v {
        Json::Null => Ok(2),
        Json::String(s) => match s.as_str() {
            "ext://sys.stdout" => Ok(1),
            "ext://sys.stderr" => Ok(2),
            other => Err(format!(
                "unsupported stream {other:?} (ext://sys.stdout or ext://sys.stderr)"
            )),
        },
        other => Err(format!("expected a stream, got {}", kind_of(other))),
    }
}

/// sawmill's `buffering` object: {capacity, flush_level, interval_ms}.
pub fn buffering(v: &Json) -> Result<Buffering, String> {
    let Json::Object(map) = v else {
        return Err(format!(
            "expected {{capacity, flush_level, interval_ms}}, got {}",
            kind_of(v)
        ));
    };
    let mut policy = Buffering::WRITE_THROUGH;
    for (key, value) in map {
        match key.as_str() {
            "capacity" => {
                policy.capacity = usize::try_from(as_u64(value)?).map_err(|e| e.to_string())?
            }
            "flush_level" => policy.flush_level = level(value)?,
            "interval_ms" => policy.flush_interval = Duration::from_millis(as_u64(value)?),
            other => {
                return Err(format!(
                    "buffering: {}",
                    unknown_key(other, &["capacity", "flush_level", "interval_ms"])
                ))
            }
        }
    }
    Ok(policy)
}

/// `permissions`: an octal string ("0640") or an int.
fn permissions(v: &Json) -> Result<u32, String> {
    let bits = match v {
        Json::String(s) => u32::from_str_radix(s.trim_start_matches("0o"), 8)
            .map_err(|_| format!("permissions: not an octal number: {s:?}"))?,
        _ => as_u32(v)?,
    };
    if bits > 0o7777 {
        return Err(format!("permissions: {bits:o} is not a file mode"));
    }
    Ok(bits)
}

/// `owner`: [user, group], each a name, a numeric id or null.
fn owner(v: &Json) -> Result<Owner, String> {
    let Json::Array(parts) = v else {
        return Err(format!("expected [user, group], got {}", kind_of(v)));
    };
    if parts.len() != 2 {
        return Err("expected [user, group]".into());
    }
    Ok(Owner {
        uid: id_of(&parts[0], true)?,
        gid: id_of(&parts[1], false)?,
    })
}

fn id_of(v: &Json, user: bool) -> Result<Option<u32>, String> {
    match v {
        Json::Null => Ok(None),
        Json::Number(_) => as_u32(v).map(Some),
        Json::String(name) => crate::handler::file::lookup_id(name, user)
            .map(Some)
            .ok_or_else(|| format!("no such {} {name:?}", if user { "user" } else { "group" })),
        other => Err(format!("expected a name or an id, got {}", kind_of(other))),
    }
}

/// Python's `encoding`: sawmill writes UTF-8 only.
fn encoding(v: &Json) -> Result<(), String> {
    match as_opt_str(v)? {
        None => Ok(()),
        Some(e)
            if ["utf-8", "utf8", "utf_8"]
                .iter()
                .any(|u| u.eq_ignore_ascii_case(e)) =>
        {
            Ok(())
        }
        Some(e) => Err(format!("unsupported encoding {e:?}: sawmill writes UTF-8")),
    }
}

/// "HH:MM[:SS]" for `atTime` (JSON has no datetime.time).
fn at_time(v: &Json) -> Result<Option<(u32, u32, u32)>, String> {
    let Some(text) = as_opt_str(v)? else {
        return Ok(None);
    };
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| *n <= max);
    match parts.as_slice() {
        [h, m] | [h, m, "00"] => num(h, 23).zip(num(m, 59)).map(|(h, m)| Some((h, m, 0))),
        [h, m, s] => match (num(h, 23), num(m, 59), num(s, 59)) {
            (Some(h), Some(m), Some(s)) => Some(Some((h, m, s))),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| format!("atTime: expected \"HH:MM[:SS]\", got {text:?}"))
}

// ---- StreamHandler and NullHandler --------------------------------------

static STREAM_KEYS: &[Key<StreamOptions>] = &[
    Key {
        name: "stream",
        python: true,
        refs: Refs::None,
        doc: "`ext://sys.stdout` or `ext://sys.stderr` (default)",
        set: |o, v, _| {
            o.fd = stream_fd(v)?;
            Ok(())
        },
    },
    Key {
        name: "buffering",
        python: false,
        refs: Refs::None,
        doc: "{capacity, flush_level, interval_ms}: buffer output (default write-through)",
        set: |o, v, _| {
            o.buffering = buffering(v)?;
            Ok(())
        },
    },
    Key {
        name: "terminator",
        python: false,
        refs: Refs::None,
        doc: "string written after each record (Python's attribute; default \"\\n\")",
        set: |o, v, _| {
            o.terminator = as_str(v)?.to_owned();
            Ok(())
        },
    },
];

pub static STREAM_HANDLER: Class<StreamOptions> = Class {
    name: "logging.StreamHandler",
    aliases: &["StreamHandler"],
    doc: "Python's StreamHandler on stdout or stderr.",
    remote: Remote::Allowed,
    required: &[],
    new: StreamOptions::default,
    keys: &[STREAM_KEYS],
    build: |o, ctx| {
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        handler::stream_handler_with(o)
    },
};

pub static NULL_HANDLER: Class<()> = Class {
    name: "logging.NullHandler",
    aliases: &["NullHandler"],
    doc: "Python's NullHandler: does nothing.",
    remote: Remote::Allowed,
    required: &[],
    new: || (),
    keys: &[],
    build: |_, _| Ok(handler::null_handler()),
};

// ---- the file handlers ----------------------------------------------------

fn set_mode(o: &mut FileOptions, v: &Json) -> Result<(), String> {
    o.mode = FileMode::parse(as_str(v)?)?;
    Ok(())
}

/// Keys every file handler takes.
static FILE_KEYS: &[Key<FileOptions>] = &[
    Key {
        name: "filename",
        python: true,
        refs: Refs::None,
        doc: "path of the log file (required)",
        set: |o, v, _| {
            o.path = as_str(v)?.into();
            Ok(())
        },
    },
    Key {
        name: "encoding",
        python: true,
        refs: Refs::None,
        doc: "null or \"utf-8\" (sawmill writes UTF-8 only)",
        set: |_, v, _| encoding(v),
    },
    Key {
        name: "delay",
        python: true,
        refs: Refs::None,
        doc: "bool: open the file at the first record",
        set: |o, v, _| {
            o.delay = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "errors",
        python: true,
        refs: Refs::None,
        doc: "accepted and ignored: UTF-8 text always encodes",
        set: |_, v, _| as_opt_str(v).map(drop),
    },
    Key {
        name: "multiprocess",
        python: false,
        refs: Refs::None,
        doc: "bool: several processes share (and rotate) the file",
        set: |o, v, _| {
            o.multiprocess = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "permissions",
        python: false,
        refs: Refs::None,
        doc: "octal string \"0640\" or int: mode of files the handler creates",
        set: |o, v, _| {
            o.permissions = Some(permissions(v)?);
            Ok(())
        },
    },
    Key {
        name: "owner",
        python: false,
        refs: Refs::None,
        doc: "[user, group] (names, ids or null): owner of files the handler creates",
        set: |o, v, _| {
            o.owner = owner(v)?;
            Ok(())
        },
    },
    Key {
        name: "buffering",
        python: false,
        refs: Refs::None,
        doc: "{capacity, flush_level, interval_ms}: buffer output (default write-through)",
        set: |o, v, _| {
            o.buffering = buffering(v)?;
            Ok(())
        },
    },
];

static MODE_KEY: &[Key<FileOptions>] = &[Key {
    name: "mode",
    python: true,
    refs: Refs::None,
    doc: "\"a\" (default) or \"w\"",
    set: |o, v, _| set_mode(o, v),
}];

static SIZE_KEYS: &[Key<FileOptions>] = &[
    Key {
        name: "maxBytes",
        python: true,
        refs: Refs::None,
        doc: "int: roll over before the file would reach this size (0: never)",
        set: |o, v, _| {
            if let Rotation::Size { max_bytes, .. } = &mut o.rotation {
                *max_bytes = as_u64(v)?;
            }
            Ok(())
        },
    },
    Key {
        name: "backupCount",
        python: true,
        refs: Refs::None,
        doc: "int: backups kept, .1 … .N (0: never roll)",
        set: |o, v, _| {
            if let Rotation::Size { backup_count, .. } = &mut o.rotation {
                *backup_count = as_u32(v)?;
            }
            Ok(())
        },
    },
];

fn timed(o: &mut FileOptions) -> &mut TimedOptions {
    if !matches!(o.rotation, Rotation::Timed(_)) {
        o.rotation = Rotation::Timed(TimedOptions::new(When::Hours, 1, 0, false));
    }
    match &mut o.rotation {
        Rotation::Timed(t) => t,
        _ => unreachable!("set just above"),
    }
}

static TIMED_KEYS: &[Key<FileOptions>] = &[
    Key {
        name: "when",
        python: true,
        refs: Refs::None,
        doc: "S, M, H (default), D, MIDNIGHT or W0–W6 (any case)",
        set: |o, v, _| {
            timed(o).when = When::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "interval",
        python: true,
        refs: Refs::None,
        doc: "int: units of `when` between rollovers (default 1)",
        set: |o, v, _| {
            timed(o).interval = as_u32(v)?.max(1);
            Ok(())
        },
    },
    Key {
        name: "backupCount",
        python: true,
        refs: Refs::None,
        doc: "int: backups kept (0: all)",
        set: |o, v, _| {
            timed(o).backup_count = as_u32(v)?;
            Ok(())
        },
    },
    Key {
        name: "utc",
        python: true,
        refs: Refs::None,
        doc: "bool: roll over on UTC times and name backups in UTC",
        set: |o, v, _| {
            timed(o).utc = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "atTime",
        python: true,
        refs: Refs::None,
        doc: "\"HH:MM[:SS]\": time of day of MIDNIGHT and W0–W6 rollovers",
        set: |o, v, _| {
            timed(o).at_time = at_time(v)?;
            Ok(())
        },
    },
];

/// Builds a file handler; a "w" file is opened only when the configuration
/// is committed (see `dict::commit`), and a check opens nothing.
fn build_file(mut o: FileOptions, ctx: &Ctx) -> Result<Arc<Handler>, String> {
    if o.path.as_os_str().is_empty() {
        return Err("filename: empty path".into());
    }
    if let Rotation::Size { max_bytes: 0, .. } = o.rotation {
        // CPython keeps mode "w" only when maxBytes is 0: it never rolls.
        o.rotation = Rotation::Never;
    }
    let deferred = ctx.check_only || (o.mode == FileMode::Truncate && !o.delay);
    if deferred {
        crate::handler::file::check_openable(&o.path).map_err(|e| e.to_string())?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        o.delay = true;
    }
    handler::file_handler(o).map_err(|e| e.to_string())
}

pub static FILE_HANDLER: Class<FileOptions> = Class {
    name: "logging.FileHandler",
    aliases: &["FileHandler"],
    doc: "Python's FileHandler.",
    remote: Remote::Allowed,
    required: &["filename"],
    new: || FileOptions::new(""),
    keys: &[FILE_KEYS, MODE_KEY],
    build: build_file,
};

pub static WATCHED_FILE_HANDLER: Class<FileOptions> = Class {
    name: "logging.handlers.WatchedFileHandler",
    aliases: &["WatchedFileHandler"],
    doc: "Python's WatchedFileHandler: reopens the path after an external rename or delete.",
    remote: Remote::Allowed,
    required: &["filename"],
    new: || FileOptions {
        watch: Some(crate::handler::file::DEFAULT_WATCH_INTERVAL),
        ..FileOptions::new("")
    },
    keys: &[FILE_KEYS, MODE_KEY],
    build: build_file,
};

pub static ROTATING_FILE_HANDLER: Class<FileOptions> = Class {
    name: "logging.handlers.RotatingFileHandler",
    aliases: &["RotatingFileHandler"],
    doc: "Python's RotatingFileHandler: rolls over by size to .1 … .N.",
    remote: Remote::Allowed,
    required: &["filename"],
    new: || FileOptions {
        rotation: Rotation::Size {
            max_bytes: 0,
            backup_count: 0,
        },
        ..FileOptions::new("")
    },
    keys: &[FILE_KEYS, MODE_KEY, SIZE_KEYS],
    build: build_file,
};

pub static TIMED_ROTATING_FILE_HANDLER: Class<FileOptions> = Class {
    name: "logging.handlers.TimedRotatingFileHandler",
    aliases: &["TimedRotatingFileHandler"],
    doc: "Python's TimedRotatingFileHandler: rolls over on a schedule.",
    remote: Remote::Allowed,
    required: &["filename"],
    new: || FileOptions {
        rotation: Rotation::Timed(TimedOptions::new(When::Hours, 1, 0, false)),
        ..FileOptions::new("")
    },
    keys: &[FILE_KEYS, TIMED_KEYS],
    build: build_file,
};

// ---- the registry -----------------------------------------------------------

/// Every handler class a configuration can name. Add yours here.
pub static HANDLER_CLASSES: &[&dyn HandlerClass] = &[
    &STREAM_HANDLER,
    &FILE_HANDLER,
    &NULL_HANDLER,
    &ROTATING_FILE_HANDLER,
    &TIMED_ROTATING_FILE_HANDLER,
    &WATCHED_FILE_HANDLER,
    &super::syslog::SYSLOG_HANDLER,
    &super::syslog::JOURNAL_HANDLER,
    &super::net::SOCKET_HANDLER,
    &super::net::DATAGRAM_HANDLER,
    &super::net::HTTP_HANDLER,
    &super::net::SMTP_HANDLER,
    // Issue 12: handlers that pass records on.
    &super::relay_classes::MEMORY_HANDLER,
    &super::relay_classes::QUEUE_HANDLER,
    &super::relay_classes::COMMAND_HANDLER,
    // Issue 13: level-coloured console output.
    &crate::handler::color::COLOR_STREAM_HANDLER,
    #[cfg(test)]
    &tests::TARGET_HANDLER,
];

/// The handler class `name` names (its Python name or an alias; an
/// `ext://` prefix is ignored).
pub fn handler_class(name: &str) -> Option<&'static dyn HandlerClass> {
    let name = name.strip_prefix("ext://").unwrap_or(name);
    HANDLER_CLASSES
        .iter()
        .copied()
        .find(|c| c.name() == name || c.aliases().contains(&name))
}

/// Every class name, for suggestions.
pub fn handler_class_names() -> Vec<&'static str> {
    HANDLER_CLASSES.iter().map(|c| c.name()).collect()
}

// ---- formatters -------------------------------------------------------------

/// A formatter's options from a config: the formatter's own struct plus
/// the keys that only steer construction.
pub struct FormatterConfig {
    pub options: FormatterOptions,
    pub validate: bool,
    /// `Some` for `sawmill.JSONFormatter` (its keys are JSON_FORMATTER_KEYS).
    pub json: Option<JsonOptions>,
}

impl Default for FormatterConfig {
    fn default() -> Self {
        FormatterConfig {
            options: FormatterOptions::default(),
            validate: true,
            json: None,
        }
    }
}

/// The keys of a formatter entry (besides `class` and `()`).
pub static FORMATTER_KEYS: &[Key<FormatterConfig>] = &[
    Key {
        name: "format",
        python: true,
        refs: Refs::None,
        doc: "the format string (default `%(message)s` in the chosen style)",
        set: |o, v, _| {
            o.options.format = as_opt_str(v)?.map(str::to_owned);
            Ok(())
        },
    },
    Key {
        name: "datefmt",
        python: true,
        refs: Refs::None,
        doc: "strftime format of `asctime` (default `%Y-%m-%d %H:%M:%S,mmm`)",
        set: |o, v, _| {
            o.options.datefmt = as_opt_str(v)?.map(str::to_owned);
            Ok(())
        },
    },
    Key {
        name: "style",
        python: true,
        refs: Refs::None,
        doc: "\"%\" (default), \"{\" or \"$\"",
        set: |o, v, _| {
            let s = as_str(v)?;
            let mut chars = s.chars();
            o.options.style = match (chars.next(), chars.next()) {
                (Some(c), None) => Style::from_char(c).map_err(|e| e.0)?,
                _ => return Err(format!("Style must be one of: %,{{,$ (got {s:?})")),
            };
            Ok(())
        },
    },
    Key {
        name: "validate",
        python: true,
        refs: Refs::None,
        doc: "bool (default true); sawmill always checks the format",
        set: |o, v, _| {
            o.validate = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "defaults",
        python: true,
        refs: Refs::None,
        doc: "object: values for fields a record lacks (strings, numbers, bools, null)",
        set: |o, v, _| {
            o.options.defaults = defaults(v)?;
            Ok(())
        },
    },
    Key {
        name: "utc",
        python: false,
        refs: Refs::None,
        doc: "bool: `asctime` in UTC (Python's `converter = time.gmtime`)",
        set: |o, v, _| {
            o.options.utc = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "one_line_exceptions",
        python: false,
        refs: Refs::None,
        doc: "bool (default false): cookbook recipe 15's style: a record with `exc_text` prints it as Python's `repr()`, its newlines become spaces and it ends with `|`",
        set: |o, v, _| {
            o.options.one_line_exceptions = as_bool(v)?;
            Ok(())
        },
    },
];

/// A formatter's `defaults` object as record values.
pub fn defaults(v: &Json) -> Result<Vec<(String, Value<'static>)>, String> {
    let Json::Object(map) = v else {
        return Err(format!("expected an object, got {}", kind_of(v)));
    };
    map.iter()
        .map(|(k, v)| Ok((k.clone(), json_to_value(v)?)))
        .collect()
}

/// A JSON scalar as a record value.
pub fn json_to_value(v: &Json) -> Result<Value<'static>, String> {
    Ok(match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::Str(s.clone().into()),
        other => return Err(format!("unsupported value {}", kind_of(other))),
    })
}

/// Formatter classes a config can name in `class` (or `()`).
pub static FORMATTER_CLASSES: &[&str] = &["logging.Formatter", "Formatter", JSON_FORMATTER];

/// `sawmill.JSONFormatter`'s class name.
pub const JSON_FORMATTER: &str = "sawmill.JSONFormatter";

/// The keys `sawmill.JSONFormatter` adds to FORMATTER_KEYS (there `format`,
/// when given, is printed before the object).
pub static JSON_FORMATTER_KEYS: &[Key<FormatterConfig>] = &[
    Key {
        name: "fields",
        python: false,
        refs: Refs::None,
        doc: "list of record attributes printed first, in this order (default `[\"created\", \"levelname\", \"name\", \"message\"]`); then `exc_text`/`stack_info` when present, then the extras in the order set",
        set: |o, v, _| {
            let Json::Array(items) = v else {
                return Err(format!("expected a list, got {}", kind_of(v)));
            };
            let fields = items
                .iter()
                .map(|i| as_str(i).map(str::to_owned))
                .collect::<Result<Vec<_>, _>>()?;
            json_options(o).fields = fields;
            Ok(())
        },
    },
    Key {
        name: "extras",
        python: false,
        refs: Refs::None,
        doc: "bool (default true): print the record's extra attributes after the fields",
        set: |o, v, _| {
            json_options(o).extras = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "ensure_ascii",
        python: false,
        refs: Refs::None,
        doc: "bool (default true, as `json.dumps`): non-ASCII text as `\\uXXXX`",
        set: |o, v, _| {
            json_options(o).ensure_ascii = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "nan",
        python: false,
        refs: Refs::None,
        doc: "\"python\" (default: `NaN`, `Infinity`, `-Infinity` as `json.dumps` writes them) or \"null\" (strict JSON)",
        set: |o, v, _| {
            json_options(o).non_finite = match as_str(v)? {
                "python" => NonFinite::Python,
                "null" => NonFinite::Null,
                other => return Err(format!("expected \"python\" or \"null\", got {other:?}")),
            };
            Ok(())
        },
    },
];

fn json_options(o: &mut FormatterConfig) -> &mut JsonOptions {
    o.json.get_or_insert_with(JsonOptions::default)
}

/// The keys of a filter entry (besides `()`).
pub static FILTER_KEYS: &[&str] = &["name"];

// ---- docs/configuration.md ---------------------------------------------------

fn key_rows(out: &mut String, keys: &[KeyDoc]) {
    out.push_str("| key | | meaning |\n|---|---|---|\n");
    for k in keys {
        let whose = if k.python { "Python" } else { "sawmill" };
        out.push_str(&format!(
            "| `{}` | {whose} | {} |\n",
            k.name,
            k.doc.replace('|', "\\|")
        ));
    }
}

/// docs/configuration.md, generated from the tables above (a test fails
/// when the committed file differs; `SAWMILL_REGENERATE_DOCS=1 cargo test
/// --test config_docs` rewrites it).
pub fn configuration_markdown() -> String {
    let mut out = String::from(
        "# Configuration keys\n\n\
         Generated from the mapping tables in `src/config/classes.rs` by \
         `SAWMILL_REGENERATE_DOCS=1 cargo test --test config_docs`; do not edit by hand.\n\n\
         sawmill reads CPython's `logging.config.dictConfig` schema (JSON: \
         `sawmill_dict_config_json`, `sawmill_dict_config_file`). Keys marked *Python* are \
         CPython's keyword arguments, with CPython's names; keys marked *sawmill* are \
         sawmill's own (snake_case). An unknown key is an error that names the section, the \
         entry and the key, with the nearest known key.\n\n\
         ## Top level\n\n\
         `version` (must be 1), `formatters`, `filters`, `handlers`, `loggers`, `root`, \
         `incremental` (default false: only levels and `propagate` change), \
         `disable_existing_loggers` (default true). Other top-level keys are kept as data \
         for `cfg://` references (`cfg://handlers.email[toaddrs]`, `cfg://custom.list[0]`).\n\n\
         ## Every handler\n\n\
         | key | meaning |\n|---|---|\n\
         | `class` | one of the classes below |\n\
         | `()` | a factory registered from C (`sawmill_register_handler_factory`), looked up by \
         its full dotted name, then its last component (an `ext://` prefix is ignored); or a \
         class below |\n\
         | `level` | a level name (exact case; `WARN`, `FATAL` too) or an int |\n\
         | `formatter` | the name of a formatter entry |\n\
         | `filters` | names of filter entries |\n\
         | `.` | properties set after construction: `level`, `name`, `terminator` |\n\n\
         ## Handler classes\n\n",
    );
    for class in HANDLER_CLASSES {
        if class.name().starts_with("sawmill.test.") {
            continue;
        }
        out.push_str(&format!("### `{}`\n\n{}", class.name(), class.doc()));
        if !class.aliases().is_empty() {
            let aliases: Vec<String> = class.aliases().iter().map(|a| format!("`{a}`")).collect();
            out.push_str(&format!(" Also named {}.", aliases.join(", ")));
        }
        if class.remote() == Remote::LocalOnly {
            out.push_str(" Refused in configurations received over the network.");
        }
        out.push_str("\n\n");
        let keys = class.key_docs();
        if keys.is_empty() {
            out.push_str("No keys of its own.\n\n");
        } else {
            key_rows(&mut out, &keys);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "## Formatters\n\n`class`: {} (or a false value); `()`: a formatter factory \
         registered from C (`sawmill_register_formatter_factory`); `.`: `utc`.\n\n",
        FORMATTER_CLASSES
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let formatter_keys: Vec<KeyDoc> = FORMATTER_KEYS
        .iter()
        .map(|k| KeyDoc {
            name: k.name,
            python: k.python,
            doc: k.doc,
        })
        .collect();
    key_rows(&mut out, &formatter_keys);
    out.push_str(&format!(
        "\n### `{JSON_FORMATTER}`\n\nOne JSON object per record, as CPython's `json.dumps` \
         writes it. Besides the keys above (`format`, when given, is printed before the \
         object):\n\n"
    ));
    let json_keys: Vec<KeyDoc> = JSON_FORMATTER_KEYS
        .iter()
        .map(|k| KeyDoc {
            name: k.name,
            python: k.python,
            doc: k.doc,
        })
        .collect();
    key_rows(&mut out, &json_keys);
    out.push_str(
        "\n## Filters\n\n`name` (Python's `logging.Filter(name)`), or `()`: a filter \
         factory registered from C (`sawmill_register_filter_factory`) or `logging.Filter`; \
         the entry's other keys reach the factory.\n\n\
         ## Loggers and root\n\n\
         `level`, `propagate`, `filters`, `handlers`.\n\n\
         ## Where sawmill differs from CPython\n\n\
         - Atomic: a refused configuration changes nothing (CPython may have closed handlers, \
         disabled loggers, created or truncated files before it fails). A file handler in mode \
         \"w\" truncates its file only when the configuration is committed.\n\
         - Stricter: unknown keys of formatters and loggers are errors (CPython ignores them); \
         a format is always checked, `validate: false` too; file modes other than \"a\" and \
         \"w\" are refused; `encoding` must be UTF-8; `propagate`, `delay`, `incremental` and \
         `disable_existing_loggers` must be booleans, levels ints or names (not bools); `()` names a registered factory or a \
         class listed here (nothing is imported or evaluated).\n\
         - Formatter `defaults` is passed as CPython 3.12 passes it (3.11 drops it).\n\
         - Handlers of the previous configuration are flushed and closed once no record runs \
         through them; handlers the program created itself and attached to loggers are \
         detached from loggers the configuration names, not closed; `incremental` finds \
         only handlers a configuration named.\n\
         - `atTime` is a string \"HH:MM[:SS]\" (JSON has no time objects).\n",
    );
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A class with handler references, for the planner's tests: `target`
    /// names one handler, `targets` several (as MemoryHandler and
    /// QueueHandler will).
    pub(crate) static TARGET_HANDLER: Class<Vec<Arc<Handler>>> = Class {
        name: "sawmill.test.TargetHandler",
        aliases: &[],
        doc: "test only",
        remote: Remote::LocalOnly,
        required: &[],
        new: Vec::new,
        keys: &[&[
            Key {
                name: "target",
                python: false,
                refs: Refs::One,
                doc: "",
                set: |o, v, ctx| {
                    o.push(ctx.handler(as_str(v)?)?);
                    Ok(())
                },
            },
            Key {
                name: "targets",
                python: false,
                refs: Refs::Many,
                doc: "",
                set: |o, v, ctx| {
                    for name in v.as_array().into_iter().flatten() {
                        o.push(ctx.handler(as_str(name)?)?);
                    }
                    Ok(())
                },
            },
        ]],
        build: |_, _| Ok(handler::null_handler()),
    };

    #[test]
    fn suggestions() {
        assert_eq!(suggest("maxbytes", &["maxBytes", "mode"]), Some("maxBytes"));
        assert_eq!(suggest("backupcont", &["backupCount"]), Some("backupCount"));
        assert_eq!(suggest("zzz", &["filename"]), None);
    }
}
