//! Python's `logging.config.fileConfig` (INI), translated into the same
//! document dictConfig applies, so one path validates, builds and swaps
//! atomically.
//!
//! The sections and keys are CPython's: `[loggers] keys=`, `[handlers]
//! keys=`, `[formatters] keys=`; `[logger_<name>] level= handlers=
//! propagate= qualname=` (`[logger_root]` needs `handlers=`);
//! `[handler_<name>] class= level= formatter= args= kwargs= target=`;
//! `[formatter_<name>] format= datefmt= style= class=` (and 3.12's
//! `defaults=`). CPython `eval`s `class`, `args`, `kwargs`: here `class`
//! must be a dotted name (looked up, never run) and `args`/`kwargs` are read
//! by [`super::literal`], so a text that would run code is an error naming
//! its section. Positional `args` become keyword arguments through each
//! class's Python signature (`POSITIONAL`).
//!
//! Stricter than CPython, on purpose: a key a section does not use is an
//! error (CPython ignores it), and so is a string argument that starts with
//! `cfg://` or `ext://` (dictConfig would read it as a reference).

use serde_json::{Map, Value as Json};

use super::dict::{apply_value, ApplyOptions};
use super::ini::Ini;
use super::literal::{self, Literal, StdStream};
use super::ConfigError;

/// Python's constructor parameters, in order, of the handler classes
/// fileConfig may name (3.11 signatures); positional `args` map onto these.
const POSITIONAL: &[(&str, &[&str])] = &[
    ("logging.StreamHandler", &["stream"]),
    ("logging.NullHandler", &[]),
    (
        "logging.FileHandler",
        &["filename", "mode", "encoding", "delay", "errors"],
    ),
    (
        "logging.handlers.WatchedFileHandler",
        &["filename", "mode", "encoding", "delay", "errors"],
    ),
    (
        "logging.handlers.RotatingFileHandler",
        &[
            "filename",
            "mode",
            "maxBytes",
            "backupCount",
            "encoding",
            "delay",
            "errors",
        ],
    ),
    (
        "logging.handlers.TimedRotatingFileHandler",
        &[
            "filename",
            "when",
            "interval",
            "backupCount",
            "encoding",
            "delay",
            "utc",
            "atTime",
            "errors",
        ],
    ),
    ("logging.handlers.SocketHandler", &["host", "port"]),
    ("logging.handlers.DatagramHandler", &["host", "port"]),
    (
        "logging.handlers.SysLogHandler",
        &["address", "facility", "socktype"],
    ),
    (
        "logging.handlers.SMTPHandler",
        &[
            "mailhost",
            "fromaddr",
            "toaddrs",
            "subject",
            "credentials",
            "secure",
            "timeout",
        ],
    ),
    (
        "logging.handlers.HTTPHandler",
        &["host", "url", "method", "secure", "credentials", "context"],
    ),
    (
        "logging.handlers.MemoryHandler",
        &["capacity", "flushLevel", "target", "flushOnClose"],
    ),
    ("logging.handlers.QueueHandler", &["queue"]),
];

/// The keys each kind of section uses; any other key of the section's own
/// (DEFAULT's are not counted) is an error.
const HANDLER_KEYS: &[&str] = &["class", "level", "formatter", "args", "kwargs", "target"];
const FORMATTER_KEYS: &[&str] = &[
    "format", "datefmt", "style", "class", "defaults", "validate",
];
const LOGGER_KEYS: &[&str] = &["level", "handlers", "propagate", "qualname"];
const LIST_KEYS: &[&str] = &["keys"];

fn err(section: &str, message: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("[{section}]: {message}"))
}

/// `logging.config.fileConfig(path, disable_existing_loggers=...)`: the
/// file read whole as UTF-8 and applied atomically. A missing or empty file
/// is an error, as in CPython.
pub fn file_config(
    path: &std::path::Path,
    disable_existing_loggers: bool,
) -> Result<(), ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("fileConfig: cannot read {}: {e}", path.display())))?;
    if text.is_empty() {
        return Err(ConfigError(format!(
            "fileConfig: {} is an empty file",
            path.display()
        )));
    }
    file_config_text(&text, disable_existing_loggers, ApplyOptions::default())
}

/// fileConfig of an INI text with the given trust and mode (the config
/// server applies with `Trust::Remote`; check-config with `check_only`).
pub fn file_config_text(
    text: &str,
    disable_existing_loggers: bool,
    options: ApplyOptions,
) -> Result<(), ConfigError> {
    let doc = translate(text, disable_existing_loggers)?;
    apply_value(&doc, options)
}

/// The dictConfig document an INI text describes.
pub fn translate(text: &str, disable_existing_loggers: bool) -> Result<Json, ConfigError> {
    let ini = Ini::parse(text).map_err(|e| ConfigError(format!("INI: {e}")))?;
    translate_ini(&ini, disable_existing_loggers)
}

/// The dictConfig document of a parsed INI text.
pub fn translate_ini(ini: &Ini, disable_existing_loggers: bool) -> Result<Json, ConfigError> {
    let mut doc = Map::new();
    doc.insert("version".into(), Json::from(1));
    doc.insert(
        "disable_existing_loggers".into(),
        Json::Bool(disable_existing_loggers),
    );
    doc.insert("formatters".into(), Json::Object(formatters(ini)?));
    doc.insert("handlers".into(), Json::Object(handlers(ini)?));
    let (root, loggers) = loggers(ini)?;
    doc.insert("loggers".into(), Json::Object(loggers));
    doc.insert("root".into(), Json::Object(root));
    Ok(Json::Object(doc))
}

/// `cp[section][key]`, interpolated: missing section or key is an error.
fn required(ini: &Ini, section: &str, key: &str) -> Result<String, ConfigError> {
    if !ini.has_section(section) {
        return Err(ConfigError(format!("no section [{section}]")));
    }
    match ini.get(section, key) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(err(section, format!("'{key}' is missing"))),
        Err(e) => Err(err(section, e)),
    }
}

/// `section.get(key)`, interpolated; None when absent.
fn optional(ini: &Ini, section: &str, key: &str) -> Result<Option<String>, ConfigError> {
    ini.get(section, key).map_err(|e| err(section, e))
}

/// `s.split(",")` with each part stripped, as fileConfig lists names.
fn names(list: &str) -> Vec<String> {
    list.split(',').map(|s| s.trim().to_string()).collect()
}

/// Refuses keys of the section's own that fileConfig does not read.
fn check_keys(ini: &Ini, section: &str, known: &[&str]) -> Result<(), ConfigError> {
    for key in ini.own_options(section) {
        if !known.contains(&key) {
            return Err(err(
                section,
                format!("unknown key '{key}' (known: {})", known.join(", ")),
            ));
        }
    }
    Ok(())
}

fn formatters(ini: &Ini) -> Result<Map<String, Json>, ConfigError> {
    let mut out = Map::new();
    let list = required(ini, "formatters", "keys")?;
    check_keys(ini, "formatters", LIST_KEYS)?;
    if list.is_empty() {
        return Ok(out);
    }
    for name in names(&list) {
        let section = format!("formatter_{name}");
        if !ini.has_section(&section) {
            return Err(ConfigError(format!("no section [{section}]")));
        }
        check_keys(ini, &section, FORMATTER_KEYS)?;
        let mut f = Map::new();
        for key in ["format", "datefmt"] {
            if let Some(v) = ini.get_raw(&section, key) {
                f.insert(key.into(), Json::String(v.to_string()));
            }
        }
        f.insert(
            "style".into(),
            Json::String(ini.get_raw(&section, "style").unwrap_or("%").to_string()),
        );
        if let Some(class) = optional(ini, &section, "class")?.filter(|c| !c.is_empty()) {
            f.insert("class".into(), Json::String(dotted(&section, &class)?));
        }
        if let Some(text) = ini.get_raw(&section, "defaults").filter(|t| !t.is_empty()) {
            let v = literal::parse(text).map_err(|e| err(&section, format!("defaults: {e}")))?;
            f.insert("defaults".into(), to_json(&section, &v)?);
        }
        if let Some(text) = ini.get_raw(&section, "validate") {
            let v = boolean(text)
                .ok_or_else(|| err(&section, format!("validate: not a boolean: {text:?}")))?;
            f.insert("validate".into(), Json::Bool(v));
        }
        out.insert(name, Json::Object(f));
    }
    Ok(out)
}

/// configparser's getboolean words.
fn boolean(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Some(true),
        "0" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// A class name as a dotted identifier (looked up, never evaluated).
fn dotted(section: &str, text: &str) -> Result<String, ConfigError> {
    let ok = text.split('.').all(|part| {
        part.chars()
            .next()
            .is_some_and(|c| c == '_' || c.is_alphabetic())
            && part.chars().all(|c| c == '_' || c.is_alphanumeric())
    });
    if !ok {
        return Err(err(
            section,
            format!("class {text:?} is not a dotted name (sawmill never evaluates it)"),
        ));
    }
    Ok(text.to_string())
}

/// A handler class as fileConfig finds it: a name in the logging module's
/// namespace (`StreamHandler`, `handlers.RotatingFileHandler`), or a full
/// dotted name.
fn handler_class(section: &str, text: &str) -> Result<String, ConfigError> {
    let name = dotted(section, text)?;
    let short = name.strip_prefix("logging.").unwrap_or(&name);
    Ok(if short.starts_with("handlers.") || !short.contains('.') {
        format!("logging.{short}")
    } else {
        name
    })
}

fn handlers(ini: &Ini) -> Result<Map<String, Json>, ConfigError> {
    let mut out = Map::new();
    let list = required(ini, "handlers", "keys")?;
    check_keys(ini, "handlers", LIST_KEYS)?;
    if list.is_empty() {
        return Ok(out);
    }
    for name in names(&list) {
        let section = format!("handler_{name}");
        let class = required(ini, &section, "class")?;
        check_keys(ini, &section, HANDLER_KEYS)?;
        let class = handler_class(&section, &class)?;
        let mut h = Map::new();
        h.insert("class".into(), Json::String(class.clone()));
        let args = optional(ini, &section, "args")?.unwrap_or_else(|| "()".into());
        let args = literal::parse(&args).map_err(|e| err(&section, format!("args: {e}")))?;
        let Literal::Tuple(args) = args else {
            return Err(err(&section, "args: not a tuple"));
        };
        if !args.is_empty() {
            let params = POSITIONAL
                .iter()
                .find(|(c, _)| *c == class)
                .map(|(_, p)| *p)
                .ok_or_else(|| {
                    err(
                        &section,
                        format!("args: positional arguments need a class whose signature sawmill knows; give {class} kwargs instead"),
                    )
                })?;
            if args.len() > params.len() {
                return Err(err(
                    &section,
                    format!(
                        "args: {class} takes at most {} positional arguments, {} given",
                        params.len(),
                        args.len()
                    ),
                ));
            }
            for (param, value) in params.iter().zip(&args) {
                h.insert((*param).into(), to_json(&section, value)?);
            }
        }
        let kwargs = optional(ini, &section, "kwargs")?.unwrap_or_else(|| "{}".into());
        let kwargs = literal::parse(&kwargs).map_err(|e| err(&section, format!("kwargs: {e}")))?;
        let Literal::Dict(kwargs) = kwargs else {
            return Err(err(&section, "kwargs: not a dict"));
        };
        for (key, value) in &kwargs {
            let Literal::Str(key) = key else {
                return Err(err(&section, "kwargs: keywords must be strings"));
            };
            if h.contains_key(key) || matches!(key.as_str(), "class" | "level" | "formatter") {
                return Err(err(
                    &section,
                    format!("kwargs: got multiple values for argument '{key}'"),
                ));
            }
            h.insert(key.clone(), to_json(&section, value)?);
        }
        if let Some(level) = optional(ini, &section, "level")? {
            h.insert("level".into(), Json::String(level));
        }
        if let Some(f) = optional(ini, &section, "formatter")?.filter(|f| !f.is_empty()) {
            h.insert("formatter".into(), Json::String(f));
        }
        if class == "logging.handlers.MemoryHandler" {
            if let Some(t) = optional(ini, &section, "target")?.filter(|t| !t.is_empty()) {
                h.insert("target".into(), Json::String(t));
            }
        }
        out.insert(name, Json::Object(h));
    }
    Ok(out)
}

type Loggers = (Map<String, Json>, Map<String, Json>);

fn loggers(ini: &Ini) -> Result<Loggers, ConfigError> {
    let list = required(ini, "loggers", "keys")?;
    check_keys(ini, "loggers", LIST_KEYS)?;
    let mut list = names(&list);
    let Some(at) = list.iter().position(|n| n == "root") else {
        return Err(err("loggers", "keys: 'root' is not listed"));
    };
    list.remove(at);
    let root_section = "logger_root";
    let root_handlers = required(ini, root_section, "handlers")?;
    check_keys(ini, root_section, LOGGER_KEYS)?;
    let mut root = Map::new();
    if let Some(level) = optional(ini, root_section, "level")? {
        root.insert("level".into(), Json::String(level));
    }
    root.insert("handlers".into(), handler_list(&root_handlers));
    let mut loggers = Map::new();
    for name in list {
        let section = format!("logger_{name}");
        let qualname = required(ini, &section, "qualname")?;
        check_keys(ini, &section, LOGGER_KEYS)?;
        let propagate = match optional(ini, &section, "propagate")? {
            None => true,
            Some(text) => {
                let n: i64 = text
                    .trim()
                    .parse()
                    .map_err(|_| err(&section, format!("propagate: not an integer: {text:?}")))?;
                n != 0
            }
        };
        let handlers = required(ini, &section, "handlers")?;
        // A qualname listed twice: CPython applies both in turn, so the
        // later entry's keys win and an earlier level stays if it has none.
        let entry = loggers
            .entry(qualname)
            .or_insert_with(|| Json::Object(Map::new()));
        let Json::Object(entry) = entry else {
            unreachable!("entries are objects")
        };
        if let Some(level) = optional(ini, &section, "level")? {
            entry.insert("level".into(), Json::String(level));
        }
        entry.insert("propagate".into(), Json::Bool(propagate));
        entry.insert("handlers".into(), handler_list(&handlers));
    }
    Ok((root, loggers))
}

fn handler_list(list: &str) -> Json {
    if list.is_empty() {
        return Json::Array(Vec::new());
    }
    Json::Array(names(list).into_iter().map(Json::String).collect())
}

/// A literal as the document's value: tuples become lists (dictConfig
/// reads a SysLogHandler address from a list), streams `ext://sys.*`.
fn to_json(section: &str, v: &Literal) -> Result<Json, ConfigError> {
    Ok(match v {
        Literal::None => Json::Null,
        Literal::Bool(b) => Json::Bool(*b),
        Literal::Int(i) => Json::from(*i),
        Literal::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .ok_or_else(|| err(section, format!("{f} has no JSON form")))?,
        Literal::Str(s) => {
            if s.starts_with("cfg://") || s.starts_with("ext://") {
                return Err(err(
                    section,
                    format!("{s:?}: a string starting with cfg:// or ext:// is refused (it would be read as a reference)"),
                ));
            }
            Json::String(s.clone())
        }
        Literal::Tuple(items) | Literal::List(items) => Json::Array(
            items
                .iter()
                .map(|i| to_json(section, i))
                .collect::<Result<_, _>>()?,
        ),
        Literal::Dict(items) => {
            let mut m = Map::new();
            for (k, v) in items {
                let Literal::Str(k) = k else {
                    return Err(err(section, "dict keys must be strings"));
                };
                m.insert(k.clone(), to_json(section, v)?);
            }
            Json::Object(m)
        }
        Literal::Stream(StdStream::Stdout) => Json::String("ext://sys.stdout".into()),
        Literal::Stream(StdStream::Stderr) => Json::String("ext://sys.stderr".into()),
    })
}
