//! `sawmill.JSONFormatter`: one JSON object per record, written as Python's
//! `json.dumps(obj, ensure_ascii=...)` writes it (separators `", "` and
//! `": "`), so a line equals CPython's own encoding of the same object.
//!
//! Key order (stable, documented in docs/configuration.md): the chosen
//! `fields` in the order given, then `exc_text` and `stack_info` when the
//! record has them and they are not among the fields, then every extra in the
//! order it was set (an extra named like a chosen field is printed once, in
//! the field's place, as Python's `record.__dict__` would hold it).
//!
//! Values: text as JSON strings (every control character escaped; with
//! `ensure_ascii` every non-ASCII character too, as `\uXXXX` or a surrogate
//! pair, lower-case hex as CPython writes it); ints exact; floats as Python's
//! `repr` (shortest round-trip digits); NaN, +inf and -inf as CPython's
//! `NaN`, `Infinity`, `-Infinity` (which `json.loads` reads back), or as
//! `null` with `nan: "null"` for strict JSON readers; `None` as `null`;
//! a raw JSON extra (`Value::Json`) parsed and written again in the same
//! style (keys in their order; a number too big for 64 bits as a float);
//! `args` as `[]`. Text is UTF-8 by construction: invalid UTF-8 from C was
//! already repaired to U+FFFD at the call (as `bytes.decode('utf-8',
//! 'replace')` does).

use crate::record::{name_bit, AttrRef, Field, Record, Value};

use super::{render, FormatError, Formatter};
use crate::unchecked::{json_needs_escape as needs_escape, Appender};

/// How non-finite floats are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonFinite {
    /// `NaN`, `Infinity`, `-Infinity`: CPython's `json.dumps` default.
    Python,
    /// `null`: strict JSON.
    Null,
}

/// The options of `sawmill.JSONFormatter` (besides the Formatter's own
/// `datefmt`/`utc`, which steer `asctime`, and `format`, which, when given,
/// is printed before the object: recipe 12's `%(message)s >>> ` prefix).
#[derive(Clone, Debug)]
pub struct JsonOptions {
    /// Record attributes to print, in this order (any LogRecord attribute
    /// name, `asctime` and `message` included, or an extra's name).
    pub fields: Vec<String>,
    /// Print the record's extras after the fields (default true).
    pub extras: bool,
    /// Python's `ensure_ascii` (default true, as `json.dumps`).
    pub ensure_ascii: bool,
    pub non_finite: NonFinite,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            fields: ["created", "levelname", "name", "message"]
                .map(str::to_owned)
                .to_vec(),
            extras: true,
            ensure_ascii: true,
            non_finite: NonFinite::Python,
        }
    }
}

impl JsonOptions {
    /// Checks the options (a field name must not be empty).
    pub fn check(&self) -> Result<(), FormatError> {
        if self.fields.iter().any(String::is_empty) {
            return Err(FormatError("JSONFormatter: an empty field name".into()));
        }
        Ok(())
    }
}

/// The compiled JSON layout a [`Formatter`] carries.
#[derive(Debug)]
pub(super) struct JsonLayout {
    pub(super) options: JsonOptions,
    /// The chosen fields, in order.
    steps: Vec<FieldStep>,
    /// Every field's `name_bit`, or-ed.
    field_mask: u64,
    uses_time: bool,
}

/// One chosen field, prepared when the formatter is made.
#[derive(Debug)]
struct FieldStep {
    name: String,
    source: Source,
    /// `, ` then the key as written (quoted and escaped) and `: `; the
    /// first member printed skips the `, `.
    key: String,
    /// The name's `name_bit`; 0 for asctime and message, which no extra
    /// replaces (format sets them).
    bit: u64,
}

/// Where a field's value comes from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Asctime,
    /// The usual text attributes, written straight from the record.
    Levelname,
    Name,
    Message,
    /// Any other LogRecord attribute.
    Attribute(Field),
    /// Not a LogRecord attribute: an extra of that name, or the
    /// formatter's default, or left out.
    Other,
}

impl JsonLayout {
    pub(super) fn new(options: JsonOptions) -> Result<JsonLayout, FormatError> {
        options.check()?;
        let steps: Vec<FieldStep> = (options.fields.iter())
            .map(|name| {
                let source = match Field::from_name(name) {
                    Some(Field::Asctime) => Source::Asctime,
                    Some(Field::Levelname) => Source::Levelname,
                    Some(Field::Name) => Source::Name,
                    Some(Field::Message | Field::Msg) => Source::Message,
                    Some(field) => Source::Attribute(field),
                    None => Source::Other,
                };
                let mut key = String::from(", ");
                write_json_str(&mut key, name, options.ensure_ascii);
                key.push_str(": ");
                let bit = match Field::from_name(name) {
                    Some(Field::Asctime | Field::Message) => 0,
                    _ => name_bit(name),
                };
                FieldStep {
                    name: name.clone(),
                    source,
                    key,
                    bit,
                }
            })
            .collect();
        let field_mask = options.fields.iter().fold(0, |mask, f| mask | name_bit(f));
        let uses_time = steps.iter().any(|s| matches!(s.source, Source::Asctime));
        Ok(JsonLayout {
            options,
            steps,
            field_mask,
            uses_time,
        })
    }

    pub(super) fn uses_time(&self) -> bool {
        self.uses_time
    }

    /// Appends the record's line (without terminator): the prefix the
    /// formatter's own format makes, when it has one, then the object.
    #[inline(never)]
    pub(super) fn format(
        &self,
        formatter: &Formatter,
        record: &Record<'_>,
        out: &mut String,
    ) -> Result<(), FormatError> {
        let start = out.len();
        if formatter
            .options
            .format
            .as_deref()
            .is_some_and(|f| !f.is_empty())
        {
            formatter.format_pieces(record, out)?;
        }
        let mut w = Appender::new(out);
        w.push_ascii(b'{');
        let mut first = true;
        // Which names the extras may have (see `name_bit`): a field, or an
        // extra, whose bit no other name sets is compared with nothing.
        let extra_mask = (record.extras.iter()).fold(0, |mask, (k, _)| mask | name_bit(k));
        for step in &self.steps {
            // An extra named like the field is what Python's record holds
            // (`same_str`: length and first byte before a memcmp call).
            if extra_mask & step.bit != 0 {
                let extra = record.extras.iter().find(|(k, _)| same_str(k, &step.name));
                if let Some((_, value)) = extra {
                    put_key(&mut w, &mut first, &step.key);
                    self.write_extra(&mut w, value);
                    continue;
                }
            }
            let text = match step.source {
                Source::Asctime => {
                    put_key(&mut w, &mut first, &step.key);
                    if let Err(e) = self.write_asctime(formatter, record, &mut w) {
                        w.truncate(start);
                        return Err(e);
                    }
                    continue;
                }
                Source::Levelname => &*record.levelname,
                Source::Name => &*record.name,
                Source::Message => &*record.message,
                Source::Attribute(field) => {
                    put_key(&mut w, &mut first, &step.key);
                    self.write_value(&mut w, record.field(field));
                    continue;
                }
                Source::Other => {
                    // A field the record lacks (an extra it was not given)
                    // is left out.
                    if let Some(value) = formatter.default_value(&step.name) {
                        put_key(&mut w, &mut first, &step.key);
                        self.write_value(&mut w, value);
                    }
                    continue;
                }
            };
            let key = if first { &step.key[2..] } else { &step.key[..] };
            first = false;
            if needs_escape(text.as_bytes(), self.options.ensure_ascii) {
                w.push_str(key);
                self.write_str(&mut w, text);
            } else {
                // Most text: key, quotes and text with one room check.
                w.push_pieces([key, "\"", text, "\""]);
            }
        }
        for (name, text) in [
            ("exc_text", &record.exc_text),
            ("stack_info", &record.stack_info),
        ] {
            if let Some(text) = text {
                if !self.options.fields.iter().any(|f| f == name) {
                    separate(&mut w, &mut first);
                    self.write_str(&mut w, name);
                    w.push_str(": ");
                    self.write_str(&mut w, text);
                }
            }
        }
        if self.options.extras {
            let mut seen = 0;
            for (i, (name, value)) in record.extras.iter().enumerate() {
                // A key set twice is printed once (its first value, which
                // `Record::extra` finds), as a dict holds it.
                let bit = name_bit(name);
                let earlier = seen;
                seen |= bit;
                if (self.field_mask & bit != 0
                    && self.options.fields.iter().any(|f| same_str(f, name)))
                    || (earlier & bit != 0
                        && record.extras[..i].iter().any(|(k, _)| same_str(k, name)))
                {
                    continue;
                }
                if needs_escape(name.as_bytes(), self.options.ensure_ascii) {
                    separate(&mut w, &mut first);
                    self.write_str(&mut w, name);
                    w.push_str(": ");
                } else {
                    // Most keys: the separator and quotes as constants, and
                    // a plain text value with them in one room check.
                    let separator = if first { "\"" } else { ", \"" };
                    first = false;
                    match value {
                        Value::Str(text)
                            if !needs_escape(text.as_bytes(), self.options.ensure_ascii) =>
                        {
                            w.push_pieces([separator, name, "\": \"", text, "\""]);
                            continue;
                        }
                        _ => w.push_pieces([separator, name, "\": "]),
                    }
                }
                self.write_extra(&mut w, value);
            }
        }
        w.push_ascii(b'}');
        drop(w);
        super::check_record_len(out, start).inspect_err(|_| out.truncate(start))
    }

    /// `asctime` as a JSON string, the date written in place and checked for
    /// escapes after when a datefmt is set (it may hold any text; the
    /// default's digits, dashes, colons, space and comma never need one).
    /// Out of line: inlined, its preparations were hoisted into `format` and
    /// cost more there.
    #[inline(never)]
    fn write_asctime(
        &self,
        formatter: &Formatter,
        record: &Record<'_>,
        w: &mut Appender<'_>,
    ) -> Result<(), FormatError> {
        let quote = w.written();
        w.push_ascii(b'"');
        formatter.dates.write(record, formatter.utc(), w)?;
        let default_format = (formatter.options.datefmt.as_deref()).is_none_or(str::is_empty);
        if !default_format
            && needs_escape(
                w.written_since(quote + 1).as_bytes(),
                self.options.ensure_ascii,
            )
        {
            let text = w.written_since(quote + 1).to_owned();
            w.truncate(quote);
            self.write_str(w, &text);
        } else {
            w.push_ascii(b'"');
        }
        Ok(())
    }

    /// Writes an extra's value; a raw JSON one (`Value::Json`) re-rendered
    /// the way json.dumps writes it (one line, the separators and escaping
    /// of this formatter), keys in order.
    /// (Each kind written here, not through `write_value`: one dispatch
    /// per extra instead of two.)
    #[inline(always)]
    fn write_extra(&self, w: &mut Appender<'_>, value: &Value<'_>) {
        match value {
            Value::Str(s) => self.write_str(w, s),
            Value::Int(i) => write_i64(w, *i),
            Value::Float(f) if f.is_finite() => write_float(w, *f),
            Value::Bool(true) => w.push_str("true"),
            Value::Bool(false) => w.push_str("false"),
            Value::Null => w.push_str("null"),
            Value::Float(f) => self.write_value(w, AttrRef::Float(*f)),
            Value::Json(raw) => self.write_raw_json(w, raw),
        }
    }

    #[cold]
    fn write_raw_json(&self, w: &mut Appender<'_>, raw: &str) {
        match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(parsed) => self.write_nested(w, &parsed),
            Err(_) => self.write_str(w, raw),
        }
    }

    /// Writes `value` as json.dumps writes that Python value.
    fn write_value(&self, w: &mut Appender<'_>, value: AttrRef<'_>) {
        match value {
            AttrRef::Str(s) => self.write_str(w, s),
            AttrRef::Int(i) => write_int(w, i),
            AttrRef::Float(f) if f.is_finite() => write_float(w, f),
            AttrRef::Float(f) => w.push_str(match (self.options.non_finite, f) {
                (NonFinite::Null, _) => "null",
                (NonFinite::Python, f) if f.is_nan() => "NaN",
                (NonFinite::Python, f) if f > 0.0 => "Infinity",
                (NonFinite::Python, _) => "-Infinity",
            }),
            AttrRef::Bool(true) => w.push_str("true"),
            AttrRef::Bool(false) => w.push_str("false"),
            AttrRef::None => w.push_str("null"),
            AttrRef::EmptyTuple => w.push_str("[]"),
        }
    }

    fn write_nested(&self, w: &mut Appender<'_>, value: &serde_json::Value) {
        use serde_json::Value as J;
        match value {
            J::Null => w.push_str("null"),
            J::Bool(b) => w.push_str(if *b { "true" } else { "false" }),
            J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => self.write_value(w, AttrRef::Int(i.into())),
                (_, Some(u), _) => self.write_value(w, AttrRef::Int(u.into())),
                (_, _, f) => self.write_value(w, AttrRef::Float(f.unwrap_or(f64::NAN))),
            },
            J::String(text) => self.write_str(w, text),
            J::Array(items) => {
                w.push_ascii(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        w.push_str(", ");
                    }
                    self.write_nested(w, item);
                }
                w.push_ascii(b']');
            }
            J::Object(map) => {
                w.push_ascii(b'{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        w.push_str(", ");
                    }
                    self.write_str(w, k);
                    w.push_str(": ");
                    self.write_nested(w, v);
                }
                w.push_ascii(b'}');
            }
        }
    }

    #[inline]
    fn write_str(&self, w: &mut Appender<'_>, text: &str) {
        json_str(w, text, self.options.ensure_ascii);
    }
}

/// `, ` before every member but the first.
#[inline]
fn separate(w: &mut Appender<'_>, first: &mut bool) {
    if !*first {
        w.push_str(", ");
    }
    *first = false;
}

/// A field's prepared key (`, "name": `), without its `, ` when first.
#[inline]
fn put_key(w: &mut Appender<'_>, first: &mut bool, key: &str) {
    w.push_str(if *first { &key[2..] } else { key });
    *first = false;
}

/// Per byte: 1 = always escaped (controls, '"', '\\'), 2 = escaped with
/// ensure_ascii (DEL and every byte of a non-ASCII character).
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b < 0x20 || b == b'"' as usize || b == b'\\' as usize {
            1
        } else if b >= 0x7f {
            2
        } else {
            0
        };
        b += 1;
    }
    table
};

/// `a == b`, the first bytes compared before the library's memcmp (keys
/// of equal length are common, equal keys rare).
#[inline]
fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// `write_int` for the 64-bit ints of extras (no 128-bit steps), the
/// digits written in place.
#[inline]
fn write_i64(w: &mut Appender<'_>, value: i64) {
    if value < 0 {
        w.push_ascii(b'-');
    }
    w.push_u64(value.unsigned_abs(), 0);
}

/// A finite float as Python's repr: a short decimal's digits written in
/// place, any other value through `render::write_float_repr`.
#[inline]
fn write_float(w: &mut Appender<'_>, value: f64) {
    let Some(decimal) = render::short_decimal(value) else {
        render::write_float_repr(w, value);
        return;
    };
    if decimal.negative {
        w.push_ascii(b'-');
    }
    w.push_u64(decimal.whole, 0);
    if decimal.decimals == 0 {
        w.push_str(".0");
    } else {
        w.push_ascii(b'.');
        w.push_u64(decimal.fraction, decimal.decimals);
    }
}

/// An int's decimal digits (no `fmt` machinery: one JSON record may
/// carry several).
fn write_int(w: &mut Appender<'_>, value: i128) {
    if let Ok(small) = i64::try_from(value) {
        return write_i64(w, small);
    }
    // Beyond 64 bits (rare): 19-digit groups from the right (128-bit
    // division is a library call), at most two of them, then the leading
    // digits, all written in place.
    const GROUP: u128 = 10_000_000_000_000_000_000;
    let mut rest = value.unsigned_abs();
    let mut groups = [0u64; 2];
    let mut count = 0;
    while rest > u128::from(u64::MAX) {
        groups[count] = (rest % GROUP) as u64;
        rest /= GROUP;
        count += 1;
    }
    if value < 0 {
        w.push_ascii(b'-');
    }
    w.push_u64(rest as u64, 0);
    for group in groups[..count].iter().rev() {
        w.push_u64(*group, 19);
    }
}

/// A JSON string literal as CPython's `json.dumps` writes it: `"` and `\`
/// escaped, `\n \r \t \b \f` by name, other characters below U+0020 (and,
/// with `ensure_ascii`, U+007F and everything non-ASCII) as `\u` + four
/// lower-case hex digits, astral characters as a surrogate pair.
pub fn write_json_str(out: &mut String, text: &str, ensure_ascii: bool) {
    json_str(&mut Appender::new(out), text, ensure_ascii);
}

/// `write_json_str` through an appender. Most text needs no escape: one
/// check a word at a time, one copy, inline; the escaping loop is out of
/// line.
#[inline]
fn json_str(w: &mut Appender<'_>, text: &str, ensure_ascii: bool) {
    if needs_escape(text.as_bytes(), ensure_ascii) {
        w.with_string(|out| {
            out.push('"');
            write_escaped(out, text, ensure_ascii);
            out.push('"');
        });
    } else {
        w.push_pieces(["\"", text, "\""]);
    }
}

/// The inside of a JSON string literal for text that needs escaping.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut String, text: &str, ensure_ascii: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mask = if ensure_ascii { 3 } else { 1 };
    let bytes = text.as_bytes();
    let mut done = 0;
    let mut at = 0;
    while at < bytes.len() {
        if CLASS[usize::from(bytes[at])] & mask == 0 {
            at += 1;
            continue;
        }
        out.push_str(&text[done..at]);
        // `at` is a character boundary: the scan stops at ASCII bytes or
        // (ensure_ascii) at the first byte of a character, consumed whole.
        let c = text[at..].chars().next().unwrap_or('\u{fffd}');
        at += c.len_utf8();
        done = at;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            other => {
                let mut units = [0u16; 2];
                for unit in other.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[usize::from((*unit >> shift) & 0xf)] as char);
                    }
                }
            }
        }
    }
    out.push_str(&text[done..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_are_written_exactly() {
        // Every power of ten and its neighbours across i128, both signs,
        // the extremes, and the 64-bit boundary (two digits per division
        // below it, one above), against the standard library's digits.
        let mut values = vec![0i128, i128::MAX, i128::MIN, i128::MIN + 1];
        let mut p: i128 = 1;
        while let Some(next) = p.checked_mul(10) {
            for v in [p - 1, p, p + 1, next - 1] {
                values.extend([v, -v]);
            }
            p = next;
        }
        for v in [
            u64::MAX as i128,
            u64::MAX as i128 + 1,
            u64::MAX as i128 * 10 + 7,
        ] {
            values.extend([v, -v]);
        }
        for v in values {
            let mut out = String::new();
            write_int(&mut Appender::new(&mut out), v);
            assert_eq!(out, v.to_string());
            if let Ok(small) = i64::try_from(v) {
                out.clear();
                write_i64(&mut Appender::new(&mut out), small);
                assert_eq!(out, v.to_string());
            }
        }
    }

    #[test]
    fn the_escape_check_answers_as_the_byte_loop_does() {
        // Every byte value at every position of texts 0..=40 long (every
        // chunking of the check: by bytes, 4, 8 and 16, overlapping), on
        // backgrounds of plain bytes: the answer equals the escaping loop's
        // own byte test (CLASS), in both modes.
        for ensure_ascii in [false, true] {
            let mask = if ensure_ascii { 3 } else { 1 };
            let wanted = |text: &[u8]| text.iter().any(|b| CLASS[usize::from(*b)] & mask != 0);
            for background in [b'a', b' ', b'~', b'!', b'#', b'[', b']', 0x21, 0x7e] {
                for len in 0..=40 {
                    let plain = vec![background; len];
                    assert!(!needs_escape(&plain, ensure_ascii), "{plain:?}");
                    for at in 0..len {
                        for special in 0..=255u8 {
                            let mut text = plain.clone();
                            text[at] = special;
                            assert_eq!(
                                needs_escape(&text, ensure_ascii),
                                wanted(&text),
                                "{text:?} ensure_ascii={ensure_ascii}"
                            );
                        }
                    }
                }
            }
        }
    }
}
