//! Python's `logging.config.dictConfig`, from JSON, applied atomically:
//! the document is parsed, every `cfg://` resolved, and every formatter,
//! filter and handler built and every logger entry checked (the plan)
//! before anything changes; the plan is then committed in one step. Any
//! error leaves the running configuration as it was and names the section,
//! the entry and the key.
//!
//! Semantics are CPython 3.12's (the same as 3.11's for everything both
//! have): `disable_existing_loggers` (default true) disables every existing
//! logger the document does not name, except children of named ones, which
//! are reset; `incremental` changes only levels and `propagate`; handlers
//! are built in dependency order (a key marked `Refs` names handlers built
//! first); handlers of the previous configuration are flushed and closed
//! once no record still uses them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use super::classes::{
    self, as_bool, as_str, kind_of, unknown_key, Ctx, Entry, FormatterConfig, Issue, Remote, Trust,
    FORMATTER_CLASSES, FORMATTER_KEYS,
};
use super::factories;
use super::ConfigError;
use crate::filter::{Filter, NameFilter};
use crate::format::{Formatter, JsonOptions};
use crate::handler::Handler;
use crate::logger::Logger;
use crate::manager;
use crate::sync::Lock;

/// Largest configuration text accepted.
pub const MAX_CONFIG_BYTES: usize = 16 << 20;
/// How deep `cfg://` references may chain.
const MAX_CFG_DEPTH: usize = 32;
/// How large a document may grow once its `cfg://` references are
/// replaced (references to references multiply): values plus string bytes.
const MAX_RESOLVED_VALUES: usize = 1 << 21;

/// How a configuration is applied.
#[derive(Clone, Copy, Debug)]
pub struct ApplyOptions {
    pub trust: Trust,
    /// Validate only (build nothing that opens, binds or starts anything;
    /// change nothing).
    pub check_only: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            trust: Trust::Local,
            check_only: false,
        }
    }
}

/// What the last committed configuration created.
struct State {
    /// Named handlers (Python's `logging._handlers`), in build order.
    handlers: Vec<(String, Arc<Handler>)>,
}

static STATE: Lock<State> = Lock::new(State {
    handlers: Vec::new(),
});
/// One configuration is applied at a time (Python holds the module lock).
static APPLY: Lock<()> = Lock::new(());

thread_local! {
    /// This thread is applying a configuration (its factories run now).
    static APPLYING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is inside an apply (a factory calling back in).
pub fn applying_on_this_thread() -> bool {
    APPLYING.with(|a| a.get())
}

struct ApplyingMark;

impl ApplyingMark {
    fn set() -> ApplyingMark {
        APPLYING.with(|a| a.set(true));
        ApplyingMark
    }
}

impl Drop for ApplyingMark {
    fn drop(&mut self) {
        APPLYING.with(|a| a.set(false));
    }
}

/// The handler the current configuration named `name` (Python 3.12's
/// `getHandlerByName`).
pub fn handler_by_name(name: &str) -> Option<Arc<Handler>> {
    STATE
        .lock()
        .handlers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, h)| h.clone())
}

/// dictConfig from JSON text, from the program itself.
pub fn dict_config_json(text: &str) -> Result<(), ConfigError> {
    apply_json(text, ApplyOptions::default())
}

/// dictConfig from a .json file.
pub fn dict_config_file(path: &std::path::Path) -> Result<(), ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("config: cannot read {}: {e}", path.display())))?;
    dict_config_json(&text)
}

/// dictConfig from JSON text with the given trust and mode.
pub fn apply_json(text: &str, options: ApplyOptions) -> Result<(), ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError(format!(
            "config: larger than {MAX_CONFIG_BYTES} bytes"
        )));
    }
    let value: Json = serde_json::from_str(text)
        .map_err(|e| ConfigError(format!("config: not valid JSON: {e}")))?;
    apply_value(&value, options)
}

/// dictConfig from a parsed document.
pub fn apply_value(value: &Json, options: ApplyOptions) -> Result<(), ConfigError> {
    let Json::Object(_) = value else {
        return Err(ConfigError(format!(
            "config: expected an object, got {}",
            kind_of(value)
        )));
    };
    let mut budget = MAX_RESOLVED_VALUES;
    let resolved = resolve_all(value, value, 0, &mut budget)
        .map_err(|e| ConfigError(format!("config: {e}")))?;
    let Json::Object(doc) = resolved else {
        unreachable!("an object resolves to an object")
    };
    if applying_on_this_thread() {
        return Err(err(
            "config",
            "applied from inside a factory of the configuration being applied",
        ));
    }
    let _one_at_a_time = APPLY.lock();
    let _mark = ApplyingMark::set();
    match doc.get("version") {
        None => return Err(err("config", "dictionary doesn't specify a version")),
        Some(v) if v.as_f64() == Some(1.0) => {}
        Some(v) => return Err(err("config", format!("Unsupported version: {v}"))),
    }
    // Other top-level keys are allowed, as in CPython: they hold data that
    // `cfg://` references point into.
    let flag = |key: &str, default: bool| match doc.get(key) {
        None => Ok(default),
        Some(v) => as_bool(v).map_err(|e| err("config", format!("{key}: {e}"))),
    };
    let incremental = flag("incremental", false)?;
    let disable_existing = flag("disable_existing_loggers", true)?;
    if incremental {
        let plan = plan_incremental(&doc)?;
        if !options.check_only {
            plan.commit();
        }
        return Ok(());
    }
    let plan = plan_full(&doc, options, disable_existing)?;
    if !options.check_only {
        plan.commit();
    }
    Ok(())
}

fn err(section: &str, message: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{section}: {message}"))
}

/// `handler 'file': unknown option 'maxbytes' (did you mean 'maxBytes'?)`.
fn entry_err(section: &str, name: &str, issue: Issue) -> ConfigError {
    let place = if section == "root" {
        "root".to_owned()
    } else {
        format!("{section} '{name}'")
    };
    match issue.key {
        Some(key) if !issue.message.contains(&format!("'{key}'")) => {
            ConfigError(format!("{place}: {key}: {}", issue.message))
        }
        _ => ConfigError(format!("{place}: {}", issue.message)),
    }
}

// ---- cfg:// -----------------------------------------------------------------

/// Copies `value` with every `cfg://` string replaced by what it names.
fn resolve_all(
    root: &Json,
    value: &Json,
    depth: usize,
    budget: &mut usize,
) -> Result<Json, String> {
    if depth > MAX_CFG_DEPTH {
        return Err("cfg:// references nest too deep (a cycle?)".into());
    }
    let cost = 1 + value.as_str().map_or(0, str::len);
    *budget = budget
        .checked_sub(cost)
        .ok_or("cfg:// references expand to too many values")?;
    Ok(match value {
        Json::String(s) if s.starts_with("cfg://") => {
            let target = resolve_cfg(root, &s["cfg://".len()..])?;
            resolve_all(root, target, depth + 1, budget)?
        }
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| resolve_all(root, v, depth, budget))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_all(root, v, depth, budget)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// CPython's `cfg_convert`: `word(.word|[index])*`; an index is a key of an
/// object, or a position in a list.
fn resolve_cfg<'a>(root: &'a Json, path: &str) -> Result<&'a Json, String> {
    let bad = || format!("Unable to convert 'cfg://{path}'");
    let rest = path.trim_start();
    let word_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if word_end == 0 {
        return Err(bad());
    }
    let mut current = root.get(&rest[..word_end]).ok_or_else(bad)?;
    let mut rest = rest[word_end..].trim_start();
    while !rest.is_empty() {
        let key;
        if let Some(after) = rest.strip_prefix('.') {
            let after = after.trim_start();
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                return Err(bad());
            }
            key = &after[..end];
            rest = after[end..].trim_start();
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(bad)?;
            key = &after[..end];
            if key.contains('[') {
                return Err(bad());
            }
            rest = after[end + 1..].trim_start();
        } else {
            return Err(bad());
        }
        current = match current {
            Json::Object(map) => map.get(key),
            Json::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .ok_or_else(bad)?;
    }
    Ok(current)
}

// ---- the plan ---------------------------------------------------------------

fn section<'a>(doc: &'a Entry, key: &str) -> Result<Option<&'a Entry>, ConfigError> {
    match doc.get(key) {
        None => Ok(None),
        Some(Json::Object(map)) => Ok(Some(map)),
        Some(other) => Err(err(
            "config",
            format!("{key}: expected an object, got {}", kind_of(other)),
        )),
    }
}

fn entry_of<'a>(section_name: &str, name: &str, v: &'a Json) -> Result<&'a Entry, ConfigError> {
    match v {
        Json::Object(map) => Ok(map),
        other => Err(entry_err(
            section_name,
            name,
            Issue::whole(format!("expected an object, got {}", kind_of(other))),
        )),
    }
}

/// A list of names (`handlers`, `filters`).
fn names(v: &Json, key: &str) -> Result<Vec<String>, Issue> {
    match v {
        Json::Null => Ok(Vec::new()),
        Json::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Issue::at(key, format!("expected names, got {}", kind_of(i))))
            })
            .collect(),
        other => Err(Issue::at(
            key,
            format!("expected a list of names, got {}", kind_of(other)),
        )),
    }
}

/// What a logger entry changes.
struct LoggerPlan {
    /// The logger's name ("" for root); the logger is created at commit,
    /// so a check or a refused configuration creates none.
    name: String,
    level: Option<i32>,
    propagate: Option<bool>,
    /// None in incremental mode (handlers stay).
    handlers: Option<Vec<Arc<Handler>>>,
    filters: Vec<Arc<dyn Filter>>,
}

impl LoggerPlan {
    fn logger(&self) -> &'static Logger {
        manager::get_logger(&self.name)
    }

    fn apply(&self, replaced: &mut Vec<Arc<Vec<Arc<Handler>>>>) {
        let logger = self.logger();
        if let Some(level) = self.level {
            logger.set_level(level);
        }
        if let Some(handlers) = &self.handlers {
            replaced.push(logger.set_handlers(handlers.clone()));
        }
        for filter in &self.filters {
            logger.add_filter(filter.clone());
        }
        if let Some(propagate) = self.propagate {
            logger.set_propagate(propagate);
        }
    }
}

struct FullPlan {
    handlers: Vec<(String, Arc<Handler>)>,
    /// "w" files opened at commit, so a refused configuration truncates nothing.
    open_at_commit: Vec<Arc<Handler>>,
    loggers: Vec<LoggerPlan>,
    root: Option<LoggerPlan>,
    disable_existing: bool,
}

struct Built<'a> {
    formatters: HashMap<&'a str, Arc<Formatter>>,
    filters: HashMap<&'a str, Arc<dyn Filter>>,
    handlers: HashMap<String, Arc<Handler>>,
}

fn plan_full(
    doc: &Entry,
    options: ApplyOptions,
    disable_existing: bool,
) -> Result<FullPlan, ConfigError> {
    let mut built = Built {
        formatters: HashMap::new(),
        filters: HashMap::new(),
        handlers: HashMap::new(),
    };
    if let Some(formatters) = section(doc, "formatters")? {
        for (name, v) in formatters {
            let entry = entry_of("formatter", name, v)?;
            let f = build_formatter(entry).map_err(|i| entry_err("formatter", name, i))?;
            built.formatters.insert(name, f);
        }
    }
    if let Some(filters) = section(doc, "filters")? {
        for (name, v) in filters {
            let entry = entry_of("filter", name, v)?;
            let f = build_filter(entry).map_err(|i| entry_err("filter", name, i))?;
            built.filters.insert(name, f);
        }
    }
    let mut handlers_out = Vec::new();
    let mut open_at_commit = Vec::new();
    if let Some(handlers) = section(doc, "handlers")? {
        for name in handler_order(handlers)? {
            let entry = entry_of("handler", &name, &handlers[&name])?;
            let (h, from_class) = build_handler(entry, &built, options)
                .map_err(|i| entry_err("handler", &name, i))?;
            h.set_name(&name);
            // A built-in file class delays a "w" file that the entry did not
            // ask to delay (see `classes::build_file`): it opens at commit.
            let deferred_open = from_class
                && h.with_sink(|s| {
                    s.as_file()
                        .is_some_and(|f| f.options().delay && !entry_delays(entry))
                });
            if deferred_open {
                open_at_commit.push(h.clone());
            }
            built.handlers.insert(name.clone(), h.clone());
            handlers_out.push((name, h));
        }
    }
    let mut loggers = Vec::new();
    if let Some(section_loggers) = section(doc, "loggers")? {
        for (name, v) in section_loggers {
            let entry = entry_of("logger", name, v)?;
            loggers.push(
                plan_logger(name, entry, &built, false)
                    .map_err(|i| entry_err("logger", name, i))?,
            );
        }
    }
    let root = match doc.get("root") {
        None | Some(Json::Null) => None,
        Some(v) => {
            let entry = entry_of("root", "root", v)?;
            Some(plan_logger("", entry, &built, false).map_err(|i| entry_err("root", "", i))?)
        }
    };
    Ok(FullPlan {
        handlers: handlers_out,
        open_at_commit,
        loggers,
        root,
        disable_existing,
    })
}

/// Whether the entry itself asked for `delay`.
fn entry_delays(entry: &Entry) -> bool {
    entry.get("delay").and_then(Json::as_bool).unwrap_or(false)
}

/// Handler names in build order: sorted (as CPython), each after the
/// handlers it refers to; a cycle or a dangling reference is an error.
fn handler_order(handlers: &Entry) -> Result<Vec<String>, ConfigError> {
    let mut refs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, v) in handlers {
        let entry = entry_of("handler", name, v)?;
        let mut named = Vec::new();
        if let Some(class) = class_of(entry) {
            named = class
                .references(entry)
                .map_err(|i| entry_err("handler", name, i))?;
        }
        for target in &named {
            if !handlers.contains_key(target) {
                return Err(entry_err(
                    "handler",
                    name,
                    Issue::whole(format!(
                        "refers to handler '{target}', which is not configured"
                    )),
                ));
            }
        }
        refs.insert(name, named);
    }
    let mut order = Vec::new();
    let mut done = HashSet::new();
    for name in refs.keys() {
        visit(name, &refs, &mut done, &mut Vec::new(), &mut order)?;
    }
    Ok(order)
}

fn visit<'a>(
    name: &'a str,
    refs: &BTreeMap<&'a str, Vec<String>>,
    done: &mut HashSet<&'a str>,
    path: &mut Vec<&'a str>,
    order: &mut Vec<String>,
) -> Result<(), ConfigError> {
    if done.contains(name) {
        return Ok(());
    }
    if let Some(start) = path.iter().position(|n| *n == name) {
        let cycle: Vec<&str> = path[start..].iter().copied().chain([name]).collect();
        return Err(entry_err(
            "handler",
            name,
            Issue::whole(format!(
                "handlers refer to each other in a cycle: {}",
                cycle.join(" -> ")
            )),
        ));
    }
    path.push(name);
    let (key, targets) = refs
        .get_key_value(name)
        .expect("every handler has an entry");
    for target in targets {
        let (target_key, _) = refs.get_key_value(target.as_str()).expect("checked above");
        visit(target_key, refs, done, path, order)?;
    }
    path.pop();
    done.insert(key);
    order.push(name.to_owned());
    Ok(())
}

/// The built-in class an entry names with `class` (or a built-in `()`).
fn class_of(entry: &Entry) -> Option<&'static dyn classes::HandlerClass> {
    if let Some(Json::String(f)) = entry.get("()") {
        if factories::handler_factory(f).is_some() {
            return None;
        }
        return classes::handler_class(f);
    }
    entry
        .get("class")
        .and_then(Json::as_str)
        .and_then(classes::handler_class)
}

fn check_only_ctx<'a>(
    lookup: &'a dyn Fn(&str) -> Option<Arc<Handler>>,
    options: ApplyOptions,
) -> Ctx<'a> {
    Ctx {
        handlers: lookup,
        check_only: options.check_only,
    }
}

/// Builds a handler entry; true when a built-in class (not a C factory)
/// built it.
fn build_handler(
    entry: &Entry,
    built: &Built,
    options: ApplyOptions,
) -> Result<(Arc<Handler>, bool), Issue> {
    let mut args = Entry::new();
    for (k, v) in entry {
        if !matches!(
            k.as_str(),
            "class" | "()" | "level" | "formatter" | "filters" | "."
        ) {
            args.insert(k.clone(), v.clone());
        }
    }
    let lookup = |n: &str| built.handlers.get(n).cloned();
    let ctx = check_only_ctx(&lookup, options);
    let (handler, from_class) = match (entry.get("()"), entry.get("class")) {
        (Some(factory), _) => {
            let name = as_str(factory).map_err(|e| Issue::at("()", e))?;
            match factories::handler_factory(name) {
                Some(f) => (f(&args).map_err(|e| Issue::at("()", e))?, false),
                None => match classes::handler_class(name) {
                    Some(class) => (build_class(class, &args, &ctx, options.trust)?, true),
                    None => {
                        return Err(Issue::at(
                            "()",
                            format!("no handler factory or class named '{name}'"),
                        ))
                    }
                },
            }
        }
        (None, Some(class)) => {
            let name = as_str(class).map_err(|e| Issue::at("class", e))?;
            let Some(class) = classes::handler_class(name) else {
                let known = classes::handler_class_names();
                let hint = classes::suggest(name, &known)
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                return Err(Issue::at("class", format!("unknown class '{name}'{hint}")));
            };
            (build_class(class, &args, &ctx, options.trust)?, true)
        }
        (None, None) => return Err(Issue::whole("no 'class' or '()' given")),
    };
    if let Some(f) = entry.get("formatter") {
        // CPython: a false value ("" or null) means none.
        if let Some(name) = f.as_str().filter(|n| !n.is_empty()) {
            let formatter = built.formatters.get(name).ok_or_else(|| {
                Issue::at(
                    "formatter",
                    format!("Unable to set formatter '{name}': no such formatter"),
                )
            })?;
            handler.set_formatter(Some(formatter.clone()));
        } else if !f.is_null() && f.as_str().is_none() {
            return Err(Issue::at(
                "formatter",
                format!("expected a name, got {}", kind_of(f)),
            ));
        }
    }
    if let Some(level) = entry.get("level").filter(|l| !l.is_null()) {
        handler.set_level(classes::level(level).map_err(|e| Issue::at("level", e))?);
    }
    if let Some(filters) = entry.get("filters") {
        for name in names(filters, "filters")? {
            let filter = built.filters.get(name.as_str()).ok_or_else(|| {
                Issue::at(
                    "filters",
                    format!("Unable to add filter '{name}': no such filter"),
                )
            })?;
            handler.add_filter(filter.clone());
        }
    }
    if let Some(props) = entry.get(".") {
        set_handler_properties(&handler, props)?;
    }
    Ok((handler, from_class))
}

fn build_class(
    class: &'static dyn classes::HandlerClass,
    args: &Entry,
    ctx: &Ctx,
    trust: Trust,
) -> Result<Arc<Handler>, Issue> {
    if trust == Trust::Remote && class.remote() == Remote::LocalOnly {
        return Err(Issue::at(
            "class",
            format!(
                "'{}' is not allowed in a configuration received over the network",
                class.name()
            ),
        ));
    }
    class.build(args, ctx)
}

/// The `.` key of a handler: attributes set after construction.
fn set_handler_properties(handler: &Arc<Handler>, props: &Json) -> Result<(), Issue> {
    let Json::Object(map) = props else {
        return Err(Issue::at(
            ".",
            format!("expected an object, got {}", kind_of(props)),
        ));
    };
    for (key, value) in map {
        match key.as_str() {
            "level" => handler.set_level(classes::level(value).map_err(|e| Issue::at(".", e))?),
            "name" => handler.set_name(as_str(value).map_err(|e| Issue::at(".", e))?),
            "terminator" => {
                let text = as_str(value).map_err(|e| Issue::at(".", e))?;
                handler
                    .with_sink(|s| s.set_terminator(text))
                    .map_err(|e| Issue::at(".", e))?;
            }
            other => {
                return Err(Issue::at(
                    ".",
                    format!("unknown property '{other}' (level, name, terminator)"),
                ))
            }
        }
    }
    Ok(())
}

/// A `sawmill.JSONFormatter` from a JSON object of its dictConfig keys
/// (`{"fields": ["levelname", "message"], "ensure_ascii": false}`); the
/// C API's `sawmill_json_formatter_new`. The error names the key.
pub fn json_formatter_from_json(text: &str) -> Result<Arc<Formatter>, String> {
    let value: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Json::Object(mut entry) = value else {
        return Err(format!("expected an object, got {}", kind_of(&value)));
    };
    entry.insert("class".into(), Json::String(classes::JSON_FORMATTER.into()));
    build_formatter(&entry).map_err(|issue| match issue.key {
        Some(key) => format!("'{key}': {}", issue.message),
        None => issue.message,
    })
}

fn build_formatter(entry: &Entry) -> Result<Arc<Formatter>, Issue> {
    let mut config = FormatterConfig::default();
    let lookup = |_: &str| None;
    let ctx = Ctx {
        handlers: &lookup,
        check_only: false,
    };
    if let Some(factory) = entry.get("()") {
        let name = as_str(factory).map_err(|e| Issue::at("()", e))?;
        if let Some(f) = factories::formatter_factory(name) {
            let mut args = entry.clone();
            args.remove("()");
            let props = args.remove(".");
            let formatter = f(&args).map_err(|e| Issue::at("()", e))?;
            if let Some(props) = props {
                set_formatter_properties(&formatter, &props)?;
            }
            return Ok(formatter);
        }
        if !FORMATTER_CLASSES.contains(&name.strip_prefix("ext://").unwrap_or(name)) {
            return Err(Issue::at(
                "()",
                format!("no formatter factory or class named '{name}'"),
            ));
        }
    }
    let called = entry.contains_key("()");
    let class = entry
        .get("()")
        .or_else(|| entry.get("class"))
        .and_then(Json::as_str)
        .map(|n| n.strip_prefix("ext://").unwrap_or(n));
    if class == Some(classes::JSON_FORMATTER) {
        config.json = Some(JsonOptions::default());
    }
    for (key, value) in entry {
        // Called through `()`, the keys are Formatter's keyword arguments:
        // `fmt` (CPython retries `format` as `fmt`, so both work).
        let key = match key.as_str() {
            "fmt" if called => "format",
            other => other,
        };
        match key {
            "()" | "." => continue,
            "class" => {
                // CPython: a false value means logging.Formatter.
                if let Some(name) = value.as_str().filter(|n| !n.is_empty()) {
                    if !FORMATTER_CLASSES.contains(&name) {
                        let hint = classes::suggest(name, FORMATTER_CLASSES)
                            .map(|s| format!(" (did you mean '{s}'?)"))
                            .unwrap_or_default();
                        return Err(Issue::at(
                            "class",
                            format!("unknown formatter class '{name}'{hint}"),
                        ));
                    }
                }
                continue;
            }
            _ => {}
        }
        let json_keys = match config.json {
            Some(_) => classes::JSON_FORMATTER_KEYS,
            None => &[],
        };
        let Some(spec) = FORMATTER_KEYS
            .iter()
            .chain(json_keys)
            .find(|k| k.name == key)
        else {
            let mut known: Vec<&str> = FORMATTER_KEYS
                .iter()
                .chain(json_keys)
                .map(|k| k.name)
                .collect();
            known.push("class");
            return Err(Issue::at(key, unknown_key(key, &known)));
        };
        (spec.set)(&mut config, value, &ctx).map_err(|e| Issue::at(key, e))?;
    }
    let built = match config.json {
        Some(json) => Formatter::json(config.options, json),
        None => Formatter::with_options(config.options),
    };
    let formatter = Arc::new(built.map_err(|e| Issue::at("format", e.0))?);
    if let Some(props) = entry.get(".") {
        set_formatter_properties(&formatter, props)?;
    }
    Ok(formatter)
}

fn set_formatter_properties(formatter: &Formatter, props: &Json) -> Result<(), Issue> {
    let Json::Object(map) = props else {
        return Err(Issue::at(
            ".",
            format!("expected an object, got {}", kind_of(props)),
        ));
    };
    for (key, value) in map {
        match key.as_str() {
            "utc" => formatter.set_utc(as_bool(value).map_err(|e| Issue::at(".", e))?),
            other => return Err(Issue::at(".", format!("unknown property '{other}' (utc)"))),
        }
    }
    Ok(())
}

fn build_filter(entry: &Entry) -> Result<Arc<dyn Filter>, Issue> {
    if let Some(factory) = entry.get("()") {
        let name = as_str(factory).map_err(|e| Issue::at("()", e))?;
        if let Some(f) = factories::filter_factory(name) {
            let mut args = entry.clone();
            args.remove("()");
            return f(&args).map_err(|e| Issue::at("()", e));
        }
        let plain = name.strip_prefix("ext://").unwrap_or(name);
        if plain != "logging.Filter" && plain != "Filter" {
            return Err(Issue::at(
                "()",
                format!("no filter factory or class named '{name}'"),
            ));
        }
    }
    let mut filter_name = String::new();
    for (key, value) in entry {
        match key.as_str() {
            "()" => {}
            "name" => filter_name = as_str(value).map_err(|e| Issue::at("name", e))?.to_owned(),
            other => return Err(Issue::at(other, unknown_key(other, classes::FILTER_KEYS))),
        }
    }
    Ok(Arc::new(NameFilter::new(&filter_name)))
}

const LOGGER_KEYS: &[&str] = &["level", "propagate", "filters", "handlers"];

fn plan_logger(
    name: &str,
    entry: &Entry,
    built: &Built,
    incremental: bool,
) -> Result<LoggerPlan, Issue> {
    for key in entry.keys() {
        if !LOGGER_KEYS.contains(&key.as_str()) {
            return Err(Issue::at(key, unknown_key(key, LOGGER_KEYS)));
        }
    }
    let level = match entry.get("level") {
        None | Some(Json::Null) => None,
        Some(v) => Some(classes::level(v).map_err(|e| Issue::at("level", e))?),
    };
    let propagate = match entry.get("propagate") {
        None | Some(Json::Null) => None,
        Some(v) => Some(as_bool(v).map_err(|e| Issue::at("propagate", e))?),
    };
    let mut handlers = Vec::new();
    let mut filters = Vec::new();
    if !incremental {
        if let Some(v) = entry.get("handlers") {
            for h in names(v, "handlers")? {
                let handler = built.handlers.get(&h).ok_or_else(|| {
                    Issue::at(
                        "handlers",
                        format!("Unable to add handler '{h}': no such handler"),
                    )
                })?;
                if !handlers.iter().any(|x| Arc::ptr_eq(x, handler)) {
                    handlers.push(handler.clone());
                }
            }
        }
        if let Some(v) = entry.get("filters") {
            for f in names(v, "filters")? {
                let filter = built.filters.get(f.as_str()).ok_or_else(|| {
                    Issue::at(
                        "filters",
                        format!("Unable to add filter '{f}': no such filter"),
                    )
                })?;
                filters.push(filter.clone());
            }
        }
    } else if let Some(v) = entry.get("handlers") {
        names(v, "handlers")?;
    }
    Ok(LoggerPlan {
        name: name.to_owned(),
        level,
        propagate,
        handlers: (!incremental).then_some(handlers),
        filters,
    })
}

impl FullPlan {
    fn commit(self) {
        for handler in &self.open_at_commit {
            let opened = handler.with_sink(|s| s.as_file().map(|f| f.open_now()));
            if let Some(Err(e)) = opened {
                handler.handle_error(crate::handler::ErrorKind::Io, &e);
            }
        }
        let old = std::mem::replace(&mut STATE.lock().handlers, self.handlers);
        let mut replaced = Vec::new();
        // CPython: every existing logger, sorted; the children of a named
        // logger are reset rather than disabled.
        let mut existing: Vec<&'static Logger> = manager::all_loggers()
            .into_iter()
            .filter(|l| !std::ptr::eq(*l, manager::root()))
            .collect();
        existing.sort_by_key(|l| l.name());
        let mut named = HashSet::new();
        let mut children = HashSet::new();
        for plan in &self.loggers {
            let logger = plan.logger();
            let name = logger.name();
            named.insert(name);
            if !std::ptr::eq(logger, manager::root()) {
                let prefix = format!("{name}.");
                for l in &existing {
                    if l.name().starts_with(&prefix) {
                        children.insert(l.name());
                    }
                }
            }
            plan.apply(&mut replaced);
            logger.set_disabled(false);
        }
        for logger in existing {
            if named.contains(logger.name()) {
                continue;
            }
            if children.contains(logger.name()) {
                logger.set_level(crate::level::NOTSET);
                replaced.push(logger.set_handlers(Vec::new()));
                logger.set_propagate(true);
            } else {
                logger.set_disabled(self.disable_existing);
            }
        }
        if let Some(root) = &self.root {
            root.apply(&mut replaced);
        }
        manager::refresh_effective_levels();
        retire(old, replaced);
    }
}

/// Closes the handlers the previous configuration created, once no record
/// still runs through the lists that held them (a record logged during the
/// swap reaches its handler before that handler closes).
fn retire(old: Vec<(String, Arc<Handler>)>, replaced: Vec<Arc<Vec<Arc<Handler>>>>) {
    let current: Vec<Arc<Handler>> = STATE
        .lock()
        .handlers
        .iter()
        .map(|(_, h)| h.clone())
        .collect();
    let deadline = Instant::now() + Duration::from_millis(200);
    for list in &replaced {
        // A reader of a replaced list holds a counted reference to it.
        while Arc::strong_count(list) > 1 && Instant::now() < deadline {
            std::thread::yield_now();
        }
    }
    drop(replaced);
    for (_, handler) in old {
        if current.iter().any(|h| Arc::ptr_eq(h, &handler)) {
            continue;
        }
        let _ = handler.flush();
        let _ = handler.close();
    }
}

// ---- incremental ------------------------------------------------------------

struct IncrementalPlan {
    handler_levels: Vec<(Arc<Handler>, i32)>,
    loggers: Vec<LoggerPlan>,
    root_level: Option<i32>,
}

fn plan_incremental(doc: &Entry) -> Result<IncrementalPlan, ConfigError> {
    let mut handler_levels = Vec::new();
    if let Some(handlers) = section(doc, "handlers")? {
        for (name, v) in handlers {
            let handler = handler_by_name(name).ok_or_else(|| {
                entry_err(
                    "handler",
                    name,
                    Issue::whole(format!("No handler found with name '{name}'")),
                )
            })?;
            let entry = entry_of("handler", name, v)?;
            // CPython: `if level:` — 0 and "" change nothing.
            match entry.get("level") {
                None | Some(Json::Null) | Some(Json::Bool(false)) => {}
                Some(Json::Number(n)) if n.as_i64() == Some(0) => {}
                Some(Json::String(s)) if s.is_empty() => {}
                Some(v) => handler_levels.push((
                    handler,
                    classes::level(v)
                        .map_err(|e| entry_err("handler", name, Issue::at("level", e)))?,
                )),
            }
        }
    }
    let empty = Built {
        formatters: HashMap::new(),
        filters: HashMap::new(),
        handlers: HashMap::new(),
    };
    let mut loggers = Vec::new();
    if let Some(section_loggers) = section(doc, "loggers")? {
        for (name, v) in section_loggers {
            let entry = entry_of("logger", name, v)?;
            loggers.push(
                plan_logger(name, entry, &empty, true).map_err(|i| entry_err("logger", name, i))?,
            );
        }
    }
    let mut root_level = None;
    if let Some(v) = doc.get("root") {
        let entry = entry_of("root", "root", v)?;
        if !entry.is_empty() {
            let plan =
                plan_logger("", entry, &empty, true).map_err(|i| entry_err("root", "", i))?;
            root_level = plan.level;
        }
    }
    Ok(IncrementalPlan {
        handler_levels,
        loggers,
        root_level,
    })
}

impl IncrementalPlan {
    fn commit(self) {
        for (handler, level) in self.handler_levels {
            handler.set_level(level);
        }
        let mut replaced = Vec::new();
        for plan in &self.loggers {
            plan.apply(&mut replaced);
            plan.logger().set_disabled(false);
        }
        if let Some(level) = self.root_level {
            manager::root().set_level(level);
        }
        manager::refresh_effective_levels();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(doc: &str, trust: Trust) -> Result<(), ConfigError> {
        apply_json(
            doc,
            ApplyOptions {
                trust,
                check_only: true,
            },
        )
    }

    #[test]
    fn references_are_built_first_and_cycles_refused() {
        let t = r#""class": "sawmill.test.TargetHandler""#;
        let ok = format!(
            r#"{{"version": 1, "handlers": {{"a": {{{t}, "target": "z"}},
                "z": {{{t}, "targets": ["y"]}}, "y": {{"class": "logging.NullHandler"}}}}}}"#
        );
        check(&ok, Trust::Local).unwrap();
        let Json::Object(doc) = serde_json::from_str::<Json>(&ok).unwrap() else {
            panic!()
        };
        let Some(Json::Object(handlers)) = doc.get("handlers") else {
            panic!()
        };
        assert_eq!(handler_order(handlers).unwrap(), ["y", "z", "a"]);
        let cycle = format!(
            r#"{{"version": 1, "handlers": {{"a": {{{t}, "target": "b"}},
                "b": {{{t}, "targets": ["c"]}}, "c": {{{t}, "target": "a"}}}}}}"#
        );
        assert_eq!(
            check(&cycle, Trust::Local).unwrap_err().0,
            "handler 'a': handlers refer to each other in a cycle: a -> b -> c -> a"
        );
        let dangling = format!(r#"{{"version": 1, "handlers": {{"a": {{{t}, "target": "q"}}}}}}"#);
        assert_eq!(
            check(&dangling, Trust::Local).unwrap_err().0,
            "handler 'a': refers to handler 'q', which is not configured"
        );
    }

    #[test]
    fn local_only_classes_are_refused_from_remote_configs() {
        let doc = r#"{"version": 1, "handlers": {"a": {"class": "sawmill.test.TargetHandler"}}}"#;
        check(doc, Trust::Local).unwrap();
        assert_eq!(
            check(doc, Trust::Remote).unwrap_err().0,
            "handler 'a': class: 'sawmill.test.TargetHandler' is not allowed in a \
             configuration received over the network"
        );
    }

    #[test]
    fn cfg_expansion_is_bounded() {
        let mut doc = String::from(r#"{"version": 1, "l0": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#);
        for i in 1..12 {
            let refs = vec![format!("\"cfg://l{}\"", i - 1); 8].join(",");
            doc.push_str(&format!(r#", "l{i}": [{refs}]"#));
        }
        doc.push('}');
        let e = check(&doc, Trust::Local).unwrap_err();
        assert_eq!(e.0, "config: cfg:// references expand to too many values");
    }

    #[test]
    fn cfg_paths() {
        let root: Json = serde_json::from_str(
            r#"{"handlers": {"email": {"toaddrs": ["a@x", "b@x"]}}, "l": [[1, {"k": 2}]]}"#,
        )
        .unwrap();
        assert_eq!(
            resolve_cfg(&root, "handlers.email[toaddrs][1]").unwrap(),
            "b@x"
        );
        assert_eq!(resolve_cfg(&root, "l[0][1].k").unwrap(), 2);
        assert_eq!(resolve_cfg(&root, "l[0][1][k]").unwrap(), 2);
        assert!(resolve_cfg(&root, "l[9]").is_err());
        assert!(resolve_cfg(&root, "handlers..email").is_err());
        assert!(resolve_cfg(&root, "").is_err());
    }
}
