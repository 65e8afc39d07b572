//! Formatter: Python's `logging.Formatter` for the `%`, `{}` and `$` styles.
//! The format is compiled once into pieces; standard attribute names are
//! resolved at compile time; the date text is cached per second.

mod brace;
mod json;
#[rustfmt::skip]
mod printable;
mod render;
mod spec;
mod time;

pub use json::{write_json_str, JsonOptions, NonFinite};
pub use render::{python_float_repr, write_float_repr, write_str_repr};
pub use time::MAX_DATEFMT_LEN;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::record::{AttrRef, Field, Record, Value};
use spec::{Key, Piece};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Percent,
    Brace,
    Dollar,
}

impl Style {
    pub fn from_char(c: char) -> Result<Style, FormatError> {
        match c {
            '%' => Ok(Style::Percent),
            '{' => Ok(Style::Brace),
            '$' => Ok(Style::Dollar),
            other => Err(FormatError(format!(
                "Style must be one of: %,{{,$ (got {other:?})"
            ))),
        }
    }

    pub fn as_char(self) -> char {
        match self {
            Style::Percent => '%',
            Style::Brace => '{',
            Style::Dollar => '$',
        }
    }

    /// `%(message)s`, `{message}`, `${message}`.
    pub fn default_format(self) -> &'static str {
        match self {
            Style::Percent => "%(message)s",
            Style::Brace => "{message}",
            Style::Dollar => "${message}",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// Everything a formatter is built from (the C API, basicConfig and
/// dictConfig all fill this one struct).
#[derive(Clone, Debug)]
pub struct FormatterOptions {
    /// The format; `None` is the style's `%(message)s` equivalent.
    pub format: Option<String>,
    /// strftime format for `asctime`; `None` (or empty) is Python's default
    /// `%Y-%m-%d %H:%M:%S,mmm`.
    pub datefmt: Option<String>,
    pub style: Style,
    pub utc: bool,
    /// Python 3.10's `defaults=`: values for fields a record lacks.
    pub defaults: Vec<(String, Value<'static>)>,
    /// Cookbook recipe 15's `OneLineExceptionFormatter`: when the record has
    /// an `exc_text`, it is printed as Python's `repr()` of that text (one
    /// trailing newline dropped, as `formatException` does), every newline
    /// of the whole record text becomes a space and `|` ends it.
    pub one_line_exceptions: bool,
}

impl Default for FormatterOptions {
    fn default() -> Self {
        FormatterOptions {
            format: None,
            datefmt: None,
            style: Style::Percent,
            utc: false,
            defaults: Vec::new(),
            one_line_exceptions: false,
        }
    }
}

pub struct Formatter {
    options: FormatterOptions,
    pieces: Vec<Piece>,
    /// Per piece: the standard text field it prints unchanged (`%(name)s`,
    /// `{name}`, `$name`), which skips conversion and padding.
    plain: Vec<Option<Field>>,
    /// The whole format as literal text and plain text fields, when it is
    /// only those (the common case): formatted without looking at specs.
    plain_program: Option<Vec<PlainOp>>,
    uses_time: bool,
    utc: AtomicBool,
    one_line_exceptions: AtomicBool,
    dates: time::DateCache,
    /// `sawmill.JSONFormatter`'s layout (then `plain_program` is `None`).
    json: Option<Box<json::JsonLayout>>,
    /// A format made outside sawmill (then `plain_program` is `None`).
    custom: Option<Box<dyn CustomFormat>>,
}

/// A record's text made by code outside sawmill: a C callback, such as a
/// Python `Formatter` subclass overriding `format`, `formatTime` or
/// `formatException`. It appends the whole text (exception included) to `out`.
pub trait CustomFormat: Send + Sync {
    fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError>;
}

impl Formatter {
    pub fn new(
        fmt: Option<&str>,
        datefmt: Option<&str>,
        style: Style,
    ) -> Result<Formatter, FormatError> {
        Formatter::with_options(FormatterOptions {
            format: fmt.map(str::to_owned),
            datefmt: datefmt.map(str::to_owned),
            style,
            ..FormatterOptions::default()
        })
    }

    pub fn with_options(options: FormatterOptions) -> Result<Formatter, FormatError> {
        // CPython: `fmt or default_format`, so '' is the default too.
        let text = options
            .format
            .as_deref()
            .filter(|f| !f.is_empty())
            .unwrap_or(options.style.default_format());
        let pieces = match options.style {
            Style::Percent => spec::parse_percent(text)?,
            Style::Brace => brace::parse_brace(text)?,
            Style::Dollar => spec::parse_dollar(text)?,
        };
        // Python's usesTime() searches the text, not the parsed fields: a
        // `%%(asctime)` literal also makes format() compute the time (and
        // fail on a `created` a filter made unusable). It finds every real
        // asctime field too.
        let uses_time = match options.style {
            Style::Percent => text.contains("%(asctime)"),
            Style::Brace => text.contains("{asctime"),
            Style::Dollar => text.contains("$asctime") || text.contains("${asctime}"),
        };
        let plain: Vec<Option<Field>> = pieces.iter().map(plain_field).collect();
        let plain_program = pieces
            .iter()
            .zip(&plain)
            .map(|(piece, field)| match (piece, field) {
                (_, Some(Field::Asctime)) => Some(PlainOp::Asctime),
                (_, Some(Field::Name)) => Some(PlainOp::Name),
                (_, Some(Field::Levelname)) => Some(PlainOp::Levelname),
                (_, Some(Field::Message | Field::Msg)) => Some(PlainOp::Message),
                (_, Some(field)) => Some(PlainOp::Text(*field)),
                (Piece::Literal(text), None) => Some(PlainOp::Literal(text.clone().into())),
                _ => None,
            })
            .collect();
        let datefmt = options.datefmt.as_deref().filter(|d| !d.is_empty());
        let dates = time::DateCache::new(datefmt)?;
        Ok(Formatter {
            utc: AtomicBool::new(options.utc),
            one_line_exceptions: AtomicBool::new(options.one_line_exceptions),
            pieces,
            plain,
            plain_program,
            uses_time,
            dates,
            options,
            json: None,
            custom: None,
        })
    }

    /// A formatter whose text comes from `custom` alone.
    pub fn custom(custom: Box<dyn CustomFormat>) -> Formatter {
        let mut formatter = Formatter::default_formatter_uncached();
        formatter.plain_program = None;
        formatter.custom = Some(custom);
        formatter
    }

    fn default_formatter_uncached() -> Formatter {
        match Formatter::new(None, None, Style::Percent) {
            Ok(f) => f,
            Err(e) => unreachable!("the default format is valid: {e}"),
        }
    }

    /// `sawmill.JSONFormatter`: one JSON object per record (see
    /// `format/json.rs` for the key order and value mappings). `options`
    /// gives `datefmt`/`utc`/`defaults`, and a `format`, when set, is printed
    /// before the object (recipe 12's `%(message)s >>> `).
    pub fn json(options: FormatterOptions, json: JsonOptions) -> Result<Formatter, FormatError> {
        let prefix = options.format.as_deref().is_some_and(|f| !f.is_empty());
        let mut formatter = Formatter::with_options(options)?;
        let layout = json::JsonLayout::new(json)?;
        formatter.uses_time = layout.uses_time() || (prefix && formatter.uses_time);
        formatter.plain_program = None;
        formatter.json = Some(Box::new(layout));
        Ok(formatter)
    }

    /// The JSON options, when this is a `sawmill.JSONFormatter`.
    pub fn json_options(&self) -> Option<&JsonOptions> {
        self.json.as_deref().map(|j| &j.options)
    }

    /// Python's `logging._defaultFormatter` (`%(message)s`).
    pub fn default_formatter() -> &'static Formatter {
        static DEFAULT: crate::sync::ForkOnce<Formatter> = crate::sync::ForkOnce::new();
        DEFAULT.get_or_init(Formatter::default_formatter_uncached)
    }

    pub fn options(&self) -> &FormatterOptions {
        &self.options
    }

    /// Formats times in UTC (Python's `converter = time.gmtime`) or local time.
    pub fn set_utc(&self, utc: bool) {
        self.utc.store(utc, Ordering::Relaxed);
    }

    /// Switches recipe 15's one-line exception style (see
    /// `FormatterOptions::one_line_exceptions`) on or off.
    pub fn set_one_line_exceptions(&self, on: bool) {
        self.one_line_exceptions.store(on, Ordering::Relaxed);
    }

    pub fn utc(&self) -> bool {
        self.utc.load(Ordering::Relaxed)
    }

    /// Python's `usesTime()`: whether the format prints `asctime`.
    pub fn uses_time(&self) -> bool {
        self.uses_time
    }

    /// Python's `formatTime`: strftime(datefmt), or the default format with
    /// `,mmm` milliseconds.
    /// Fails where CPython's does: a `created` no calendar holds, a `msecs`
    /// `%d` refuses.
    pub fn format_time(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        self.dates.write(record, self.utc(), out)
    }

    // Inlined into the field loop (it was, with one caller; the nested-spec
    // closure made it a call per field).
    #[inline(always)]
    fn lookup<'r>(
        &'r self,
        record: &'r Record<'_>,
        key: &Key,
        asctime: &'r str,
        unshadowed: bool,
    ) -> Option<AttrRef<'r>> {
        let found = match key {
            // Recomputed by every format, whatever a filter assigned to them
            // (Python's format() sets record.message and record.asctime).
            Key::Standard(Field::Asctime) => Some(AttrRef::Str(asctime)),
            Key::Standard(Field::Message) => Some(record.field(Field::Message)),
            Key::Standard(field) if unshadowed => Some(record.field(*field)),
            _ => record.lookup(key.name()),
        };
        found.or_else(|| self.default_value(key.name()))
    }

    /// Python 3.10's `defaults=` value for `name`, if any.
    fn default_value(&self, name: &str) -> Option<AttrRef<'_>> {
        self.options
            .defaults
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| match v {
                Value::Str(s) | Value::Json(s) => AttrRef::Str(s),
                Value::Int(i) => AttrRef::Int((*i).into()),
                Value::Float(f) => AttrRef::Float(*f),
                Value::Bool(b) => AttrRef::Bool(*b),
                Value::Null => AttrRef::None,
            })
    }

    /// `lookup` for the fields of a nested spec (rare: not inlined).
    #[inline(never)]
    fn lookup_nested<'r>(
        &'r self,
        record: &'r Record<'_>,
        key: &Key,
        asctime: &'r str,
    ) -> Option<AttrRef<'r>> {
        self.lookup(record, key, asctime, record.fields_unshadowed())
    }

    /// Python's `Formatter.format`: the record's text, then `exc_text` and
    /// `stack_info`, each on a new line. Appends to `out`. A record text
    /// past `MAX_RECORD_LEN` is an error (as CPython's MemoryError would be).
    pub fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let start = out.len();
        match &self.plain_program {
            // Extras may shadow standard names: those records take the general path.
            Some(program) if record.fields_unshadowed() => {
                if let Err(e) = self.format_plain(program, record, out) {
                    out.truncate(start);
                    return Err(e);
                }
            }
            _ => {
                if let Some(json) = &self.json {
                    return json.format(self, record, out);
                }
                if let Some(custom) = &self.custom {
                    return custom.format(record, out);
                }
                if !record.fields_unshadowed() {
                    let default_msecs = self.options.datefmt.as_deref().is_none_or(str::is_empty);
                    if let Some(e) = record.assigned_attr_error(self.uses_time, default_msecs) {
                        return Err(FormatError(e));
                    }
                }
                self.format_pieces(record, out)?
            }
        }
        // Most records have neither: two tests, the rest out of line.
        if record.exc_text.is_some() || record.stack_info.is_some() {
            self.append_tail(record, out, start);
        }
        Ok(())
    }

    /// `exc_text` and `stack_info` after the record's text, in the one-line
    /// style when it is on and there is an exception.
    #[cold]
    #[inline(never)]
    fn append_tail(&self, record: &Record<'_>, out: &mut String, start: usize) {
        if record.exc_text.as_deref().is_some_and(|t| !t.is_empty())
            && self.one_line_exceptions.load(Ordering::Relaxed)
        {
            append_one_line(record, out, start);
        } else {
            append_exception_and_stack(record, out, start);
        }
    }

    fn format_plain(
        &self,
        program: &[PlainOp],
        record: &Record<'_>,
        out: &mut String,
    ) -> Result<(), FormatError> {
        let start = out.len();
        out.reserve(256);
        for op in program {
            match op {
                PlainOp::Literal(text) => out.push_str(text),
                PlainOp::Name => out.push_str(&record.name),
                PlainOp::Levelname => out.push_str(&record.levelname),
                PlainOp::Message => {
                    out.push_str(&record.message);
                    // Only a repeated message can multiply the record's
                    // length; one check per message keeps that bounded.
                    check_record_len(out, start)?;
                }
                // On an error `format` drops what was written.
                PlainOp::Asctime => self.dates.write(record, self.utc(), out)?,
                PlainOp::Text(field) => {
                    if let AttrRef::Str(text) = record.field(*field) {
                        out.push_str(text);
                    }
                }
            }
        }
        Ok(())
    }

    // Kept out of `format`: inlined there, its size changed how the plain
    // path (the common case) was compiled and cost it instructions.
    #[inline(never)]
    fn format_pieces(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        let mut asctime = time::DateText::new();
        if self.uses_time {
            self.dates.write(record, self.utc(), &mut asctime)?;
        }
        let start = out.len();
        let unshadowed = record.fields_unshadowed();
        for (piece, plain) in self.pieces.iter().zip(&self.plain) {
            if let (Some(field), true) = (plain, unshadowed) {
                match field {
                    Field::Asctime => out.push_str(asctime.as_str()),
                    other => {
                        if let AttrRef::Str(text) = record.field(*other) {
                            out.push_str(text);
                        }
                    }
                }
                if let Err(e) = check_record_len(out, start) {
                    out.truncate(start);
                    return Err(e);
                }
                continue;
            }
            let key = match piece {
                Piece::Literal(text) => {
                    out.push_str(text);
                    continue;
                }
                other => other.key().unwrap_or(&Key::Standard(Field::Message)),
            };
            let Some(value) = self.lookup(record, key, asctime.as_str(), unshadowed) else {
                out.truncate(start);
                return Err(FormatError(format!(
                    "Formatting field not found in record: '{}'",
                    key.name()
                )));
            };
            let rendered = match piece {
                Piece::Percent(_, spec) => spec::render_percent(out, value, spec),
                Piece::Brace(_, spec) => brace::render_brace(out, value, spec, &|key| {
                    self.lookup_nested(record, key, asctime.as_str())
                }),
                _ => {
                    render::write_str_of(out, value);
                    Ok(())
                }
            };
            if let Err(e) = rendered.and_then(|()| check_record_len(out, start)) {
                out.truncate(start);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Formats into a new string (convenience for tests and non-hot paths).
    pub fn format_to_string(&self, record: &Record<'_>) -> Result<String, FormatError> {
        let mut s = String::new();
        self.format(record, &mut s)?;
        Ok(s)
    }
}

/// The standard text field a piece prints as is, if it does.
/// One step of a format made only of literal text and plain text fields.
/// The fields of nearly every format have steps of their own: a generic
/// field lookup made the compiler prepare every field before the loop.
enum PlainOp {
    Literal(Box<str>),
    Asctime,
    Name,
    Levelname,
    Message,
    Text(Field),
}

/// Python's `Formatter.format` tail: `exc_text`, then `stack_info`, each on a
/// new line unless the record's text so far (from `start`) already ends with one.
/// The longest record text a formatter makes (64 MiB). Widths and
/// precisions are bounded one by one, but a format may repeat them, or a
/// message, thousands of times; past this the record fails to format (a
/// handler counts it) instead of the allocation failing.
pub const MAX_RECORD_LEN: usize = 64 << 20;

#[inline]
fn check_record_len(out: &str, start: usize) -> Result<(), FormatError> {
    if out.len() - start > MAX_RECORD_LEN {
        return Err(record_too_long());
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn record_too_long() -> FormatError {
    FormatError(format!(
        "formatted record longer than {MAX_RECORD_LEN} bytes"
    ))
}

fn append_exception_and_stack(record: &Record<'_>, out: &mut String, start: usize) {
    let texts = [record.exc_text.as_deref(), record.stack_info.as_deref()];
    append_texts(texts, out, start);
}

fn append_texts(texts: [Option<&str>; 2], out: &mut String, start: usize) {
    for extra in texts {
        if let Some(text) = extra.filter(|t| !t.is_empty()) {
            if !out[start..].ends_with('\n') {
                out.push('\n');
            }
            out.push_str(text);
        }
    }
}

/// Recipe 15's `OneLineExceptionFormatter.format` tail for a record with an
/// `exc_text`: `repr()` of the exception text, `stack_info`, then every
/// newline of the record text replaced by a space and `|` appended.
fn append_one_line(record: &Record<'_>, out: &mut String, start: usize) {
    let exc = record.exc_text.as_deref().unwrap_or_default();
    let exc = exc.strip_suffix('\n').unwrap_or(exc);
    let mut tail = String::with_capacity(exc.len() + 8);
    render::write_str_repr(&mut tail, exc, false);
    append_texts(
        [Some(tail.as_str()), record.stack_info.as_deref()],
        out,
        start,
    );
    if out[start..].contains('\n') {
        let flat = out[start..].replace('\n', " ");
        out.truncate(start);
        out.push_str(&flat);
    }
    out.push('|');
}

fn plain_field(piece: &Piece) -> Option<Field> {
    let field = match piece {
        Piece::Percent(Key::Standard(f), spec)
            if spec.conversion == 's' && spec.width == 0 && spec.precision.is_none() =>
        {
            *f
        }
        Piece::Brace(Key::Standard(f), spec)
            if spec.empty && spec.conversion.is_none() && spec.access.is_empty() =>
        {
            *f
        }
        Piece::Dollar(Key::Standard(f)) => *f,
        _ => return None,
    };
    // Fields that are always text (never None, never numbers).
    matches!(
        field,
        Field::Name
            | Field::Levelname
            | Field::Pathname
            | Field::Filename
            | Field::Module
            | Field::FuncName
            | Field::ThreadName
            | Field::ProcessName
            | Field::Message
            | Field::Msg
            | Field::Asctime
    )
    .then_some(field)
}

impl fmt::Debug for Formatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Formatter({:?}, {:?}, '{}')",
            self.options
                .format
                .as_deref()
                .unwrap_or(self.options.style.default_format()),
            self.options.datefmt,
            self.options.style.as_char()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn rec() -> Record<'static> {
        let mut r = Record::at(
            1700000000.987654,
            "name.sub",
            30,
            Some("/src/app/main.c"),
            42,
            Some("run"),
            Cow::Borrowed("hi x"),
        );
        r.relative_created = 1234.5678;
        r
    }

    fn fmt(f: &str, style: Style) -> String {
        Formatter::new(Some(f), None, style)
            .unwrap()
            .format_to_string(&rec())
            .unwrap()
    }

    #[test]
    fn reference_outputs() {
        assert_eq!(
            fmt(
                "%(name)-12s|%(levelname)8s|%(relativeCreated)6d|%(created)f|%(msecs)03d",
                Style::Percent
            ),
            "name.sub    | WARNING|  1234|1700000000.987654|987"
        );
        assert_eq!(fmt("%(created)s", Style::Percent), "1700000000.987654");
        assert_eq!(fmt("%(msecs)s", Style::Percent), "987.0");
        assert_eq!(fmt("{message!r:>10}", Style::Brace), "    'hi x'");
        assert_eq!(fmt("$$ $message", Style::Dollar), "$ hi x");
        assert_eq!(fmt("100%% %(message)s", Style::Percent), "100% hi x");
        assert_eq!(
            fmt(
                "%(filename)s %(module)s %(lineno)d %(funcName)s",
                Style::Percent
            ),
            "main.c main 42 run"
        );
    }

    #[test]
    fn construction_errors() {
        for (f, style) in [
            ("no fields", Style::Percent),
            ("%(message)z", Style::Percent),
            ("{message", Style::Brace),
            ("$", Style::Dollar),
            ("plain", Style::Dollar),
        ] {
            assert!(Formatter::new(Some(f), None, style).is_err(), "{f}");
        }
        assert!(Style::from_char('x').is_err());
    }

    #[test]
    fn missing_field_is_a_format_time_error() {
        let f = Formatter::new(Some("%(user)s %(message)s"), None, Style::Percent).unwrap();
        let e = f.format_to_string(&rec()).unwrap_err();
        assert_eq!(e.0, "Formatting field not found in record: 'user'");
        let mut r = rec();
        r.set_extra("user", Value::Str("bob".into()));
        assert_eq!(f.format_to_string(&r).unwrap(), "bob hi x");
    }

    #[test]
    fn exc_text_and_stack_info_on_new_lines() {
        let f = Formatter::new(None, None, Style::Percent).unwrap();
        let mut r = rec();
        r.exc_text = Some("Traceback\n".into());
        r.stack_info = Some("Stack".into());
        assert_eq!(f.format_to_string(&r).unwrap(), "hi x\nTraceback\nStack");
    }

    #[test]
    fn one_line_exceptions_as_recipe_15() {
        // Expected text printed by CPython 3.11 running recipe 15's
        // OneLineExceptionFormatter on the same record (its exc_text being
        // formatException's text, so without the trailing newline).
        let f = Formatter::with_options(FormatterOptions {
            format: Some("%(levelname)s|%(message)s|".into()),
            one_line_exceptions: true,
            ..FormatterOptions::default()
        })
        .unwrap();
        let mut r = rec();
        r.levelname = "ERROR".into();
        r.message = "a\nb".into();
        r.exc_text = Some("Trace 'x'\n  line\nErr: \u{e9}\t\n".into());
        r.stack_info = Some("Stack\nx".into());
        let expected = "ERROR|a b| \"Trace 'x'\\n  line\\nErr: \u{e9}\\t\" Stack x|";
        assert_eq!(f.format_to_string(&r).unwrap(), expected);
        // Without an exception the record is printed as usual.
        r.exc_text = None;
        assert_eq!(f.format_to_string(&r).unwrap(), "ERROR|a\nb|\nStack\nx");
        f.set_one_line_exceptions(false);
        r.exc_text = Some("T\n".into());
        assert_eq!(f.format_to_string(&r).unwrap(), "ERROR|a\nb|\nT\nStack\nx");
    }

    #[test]
    fn utc_asctime() {
        let f = Formatter::new(Some("%(asctime)s"), None, Style::Percent).unwrap();
        f.set_utc(true);
        assert_eq!(
            f.format_to_string(&rec()).unwrap(),
            "2023-11-14 22:13:20,987"
        );
        let f = Formatter::new(Some("{asctime}"), Some("%Y/%m/%d %Z"), Style::Brace).unwrap();
        f.set_utc(true);
        assert_eq!(f.format_to_string(&rec()).unwrap(), "2023/11/14 GMT");
    }
}
