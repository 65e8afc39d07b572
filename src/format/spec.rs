//! Format strings compiled into pieces, for the three styles, with Python's
//! validation rules and value conversions.

use std::fmt::Write;

use super::brace::BraceSpec;
use super::render::{self, Align, NumberText};
use super::FormatError;
use crate::record::{AttrRef, Field};

/// Where a field's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    Standard(Field),
    Other(String),
}

impl Key {
    pub(super) fn new(name: &str) -> Key {
        Field::from_name(name).map_or_else(|| Key::Other(name.to_owned()), Key::Standard)
    }

    pub fn name(&self) -> &str {
        match self {
            Key::Standard(f) => f.name(),
            Key::Other(s) => s,
        }
    }
}

/// `%(key)[flags][width][.precision]type`
#[derive(Clone, Debug, PartialEq)]
pub struct PercentSpec {
    pub left: bool,
    pub zero: bool,
    pub plus: bool,
    pub space: bool,
    pub alternate: bool,
    pub width: usize,
    pub precision: Option<usize>,
    pub conversion: char,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Literal(String),
    Percent(Key, PercentSpec),
    Brace(Key, BraceSpec),
    /// `$key` / `${key}`: plain `str(value)`.
    Dollar(Key),
}

impl Piece {
    pub fn key(&self) -> Option<&Key> {
        match self {
            Piece::Literal(_) => None,
            Piece::Percent(k, _) | Piece::Brace(k, _) | Piece::Dollar(k) => Some(k),
        }
    }
}

pub(super) fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Literal(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Literal(text.to_owned()));
    }
}

fn invalid(fmt: &str, style: char) -> FormatError {
    FormatError(format!("Invalid format '{fmt}' for '{style}' style"))
}

/// Widths and precisions above this are refused when the format is built.
/// CPython takes any value that fits a Py_ssize_t (a C int for `%`
/// precisions) and then needs that much memory per record (MemoryError, or
/// gigabytes); sawmill refuses earlier so no format string can size an
/// allocation. Rust's own formatting machinery takes widths and precisions
/// up to 65,535 (it panics above), and `%g` asks it for a few more decimals
/// than its precision: 65,000 stays clear of that, far above any real layout.
pub(crate) const MAX_WIDTH: usize = 65_000;

/// A run of ASCII digits as a width or precision; `None` if there are none.
pub(super) fn parse_number(chars: &[char], i: &mut usize) -> Result<Option<usize>, FormatError> {
    let start = *i;
    let mut value: usize = 0;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        value = value
            .saturating_mul(10)
            .saturating_add(chars[*i] as usize - '0' as usize);
        *i += 1;
    }
    if *i == start {
        return Ok(None);
    }
    if value > MAX_WIDTH {
        return Err(FormatError(format!(
            "width or precision {} too big (sawmill's limit is {MAX_WIDTH})",
            chars[start..*i].iter().collect::<String>()
        )));
    }
    Ok(Some(value))
}

/// Python's `\w` for one character (letters, digits, underscore; Unicode).
fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// CPython's validation of a `%`-style format (`PercentStyle.validate`): the
/// pattern `%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]` (ignoring
/// case) must match somewhere in the text. It checks nothing else; the rest
/// is the `%` operator's business when a record is formatted.
fn percent_validation_matches(chars: &[char]) -> bool {
    (0..chars.len()).any(|start| {
        let mut i = start;
        let at = |i: usize| chars.get(i).copied();
        if at(i) != Some('%') || at(i + 1) != Some('(') {
            return false;
        }
        i += 2;
        let key_start = i;
        while at(i).is_some_and(is_word) {
            i += 1;
        }
        if i == key_start || at(i) != Some(')') {
            return false;
        }
        i += 1;
        while matches!(at(i), Some('#' | '0' | '+' | ' ' | '-')) {
            i += 1;
        }
        let digits = |i: &mut usize| {
            if at(*i) == Some('*') {
                *i += 1;
                return true;
            }
            let from = *i;
            while at(*i).is_some_and(|c| c.is_ascii_digit()) {
                *i += 1;
            }
            *i > from
        };
        digits(&mut i);
        if at(i) == Some('.') {
            let mut j = i + 1;
            if digits(&mut j) {
                i = j;
            }
        }
        at(i).is_some_and(|c| "diouxefgcrsa%".contains(c.to_ascii_lowercase()))
    })
}

/// `%`-style: CPython's validation, then every directive parsed as the `%`
/// operator parses it. Directives the operator would refuse for every record
/// are refused now (CPython: at the first record), and so are directives
/// without a `(key)`: with a mapping, CPython prints the whole record
/// dictionary for `%s` and fails for the others.
pub fn parse_percent(fmt: &str) -> Result<Vec<Piece>, FormatError> {
    let chars: Vec<char> = fmt.chars().collect();
    if !percent_validation_matches(&chars) {
        return Err(invalid(fmt, '%'));
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            literal.push(c);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('%') => {
                literal.push('%');
                i += 1;
                continue;
            }
            Some('(') => {}
            None => return Err(FormatError("incomplete format".into())),
            Some(_) => {
                return Err(FormatError(format!(
                    "Invalid format '{fmt}' for '%' style: a directive without a (key)"
                )))
            }
        }
        // The key runs to the matching ')' (Python allows nested parentheses).
        let mut depth = 1;
        let key_start = i + 1;
        i += 1;
        while i < chars.len() {
            match chars[i] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if i >= chars.len() {
            return Err(FormatError("incomplete format key".into()));
        }
        let key: String = chars[key_start..i].iter().collect();
        i += 1;
        let mut spec = PercentSpec {
            left: false,
            zero: false,
            plus: false,
            space: false,
            alternate: false,
            width: 0,
            precision: None,
            conversion: 's',
        };
        while let Some(&flag) = chars.get(i) {
            match flag {
                '-' => spec.left = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alternate = true,
                _ => break,
            }
            i += 1;
        }
        let star = || FormatError("'*' needs positional arguments: not enough arguments".into());
        if chars.get(i) == Some(&'*') {
            return Err(star());
        }
        spec.width = parse_number(&chars, &mut i)?.unwrap_or(0);
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                return Err(star());
            }
            spec.precision = Some(parse_number(&chars, &mut i)?.unwrap_or(0));
        }
        // Python accepts (and ignores) one length modifier.
        if matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        match chars.get(i) {
            Some(&conv) if "diouxXeEfFgGcrsa".contains(conv) => {
                spec.conversion = conv;
                i += 1;
            }
            Some(&other) => {
                return Err(FormatError(format!(
                    "Invalid format '{fmt}' for '%' style: unsupported format character '{other}'"
                )))
            }
            None => return Err(FormatError("incomplete format".into())),
        }
        push_literal(&mut pieces, &literal);
        literal.clear();
        pieces.push(Piece::Percent(Key::new(&key), spec));
    }
    push_literal(&mut pieces, &literal);
    Ok(pieces)
}

/// `$`-style (string.Template): `$name`, `${name}`, `$$`; a bare `$` is an error.
pub fn parse_dollar(fmt: &str) -> Result<Vec<Piece>, FormatError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut fields = 0;
    let mut i = 0;
    let ident_start = |c: char| c == '_' || c.is_ascii_alphabetic();
    let ident_char = |c: char| c == '_' || c.is_ascii_alphanumeric();
    while i < chars.len() {
        if chars[i] != '$' {
            literal.push(chars[i]);
            i += 1;
            continue;
        }
        let name: String;
        match chars.get(i + 1) {
            Some('$') => {
                literal.push('$');
                i += 2;
                continue;
            }
            Some('{') => {
                let start = i + 2;
                let mut j = start;
                while j < chars.len() && ident_char(chars[j]) {
                    j += 1;
                }
                if j == start || !ident_start(chars[start]) || chars.get(j) != Some(&'}') {
                    return Err(FormatError("invalid format: bare '$' not allowed".into()));
                }
                name = chars[start..j].iter().collect();
                i = j + 1;
            }
            Some(&c) if ident_start(c) => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && ident_char(chars[j]) {
                    j += 1;
                }
                name = chars[start..j].iter().collect();
                i = j;
            }
            _ => return Err(FormatError("invalid format: bare '$' not allowed".into())),
        }
        push_literal(&mut pieces, &literal);
        literal.clear();
        pieces.push(Piece::Dollar(Key::new(&name)));
        fields += 1;
    }
    push_literal(&mut pieces, &literal);
    if fields == 0 {
        return Err(FormatError("invalid format: no fields".into()));
    }
    Ok(pieces)
}

pub(super) fn type_name(value: AttrRef<'_>) -> &'static str {
    match value {
        AttrRef::Str(_) => "str",
        AttrRef::Int(_) => "int",
        AttrRef::Float(_) => "float",
        AttrRef::Bool(_) => "bool",
        AttrRef::None => "NoneType",
        AttrRef::EmptyTuple => "tuple",
    }
}

fn as_float(value: AttrRef<'_>) -> Option<f64> {
    match value {
        AttrRef::Int(i) => Some(i as f64),
        AttrRef::Float(f) => Some(f),
        AttrRef::Bool(b) => Some(f64::from(u8::from(b))),
        _ => None,
    }
}

fn as_int(value: AttrRef<'_>) -> Option<i128> {
    match value {
        AttrRef::Int(i) => Some(i),
        AttrRef::Bool(b) => Some(i128::from(b)),
        _ => None,
    }
}

fn sign_prefix(negative: bool, plus: bool, space: bool) -> &'static str {
    if negative {
        "-"
    } else if plus {
        "+"
    } else if space {
        " "
    } else {
        ""
    }
}

/// Renders one `%`-style field.
pub fn render_percent(
    out: &mut String,
    value: AttrRef<'_>,
    spec: &PercentSpec,
) -> Result<(), FormatError> {
    let numeric = !matches!(spec.conversion, 's' | 'r' | 'a' | 'c');
    if let ('s', AttrRef::Str(s), None) = (spec.conversion, value, spec.precision) {
        // The common case (`%(name)s`, `%(name)-12s`): no conversion needed.
        let align = if spec.left { Align::Left } else { Align::Right };
        render::pad(out, s, spec.width, align, ' ');
        return Ok(());
    }
    let mut text = NumberText::new();
    match spec.conversion {
        's' if spec.width == 0 && spec.precision.is_none() => {
            render::write_str_of(out, value);
            return Ok(());
        }
        's' | 'r' | 'a' => {
            // Count first, then pad and write: no shifting of written text.
            let write = |w: &mut dyn FnMut(&str)| {
                let mut sink = FnWriter(w);
                match spec.conversion {
                    's' => render::write_str_of(&mut sink, value),
                    _ => render::write_repr_of(&mut sink, value, spec.conversion == 'a'),
                }
            };
            let mut len = 0;
            write(&mut |t: &str| len += t.chars().count());
            let shown = spec.precision.map_or(len, |p| p.min(len));
            let pad = spec.width.saturating_sub(shown);
            if !spec.left {
                out.extend(std::iter::repeat_n(' ', pad));
            }
            let mut left = shown;
            write(&mut |t: &str| {
                if left == 0 {
                    return;
                }
                match t.char_indices().nth(left) {
                    Some((cut, _)) => {
                        out.push_str(&t[..cut]);
                        left = 0;
                    }
                    None => {
                        out.push_str(t);
                        left -= t.chars().count();
                    }
                }
            });
            if spec.left {
                out.extend(std::iter::repeat_n(' ', pad));
            }
            return Ok(());
        }
        'c' => {
            let ch = match value {
                AttrRef::Int(_) | AttrRef::Bool(_) => {
                    let code = as_int(value)
                        .and_then(|i| u32::try_from(i).ok())
                        .filter(|c| *c < 0x110000)
                        .ok_or_else(|| FormatError("%c arg not in range(0x110000)".into()))?;
                    char::from_u32(code).ok_or_else(|| {
                        FormatError("a surrogate cannot be written as UTF-8".into())
                    })?
                }
                AttrRef::Str(s) if s.chars().count() == 1 => s.chars().next().unwrap_or(' '),
                _ => return Err(FormatError("%c requires int or char".into())),
            };
            let _ = text.write_char(ch);
        }
        'd' | 'i' | 'u' => {
            // Floats print their exact integer part (`%d` of 1e22); those
            // beyond i64 take the big-number path.
            let n = match value {
                AttrRef::Float(f) if f.is_finite() && f.abs() < 9.2e18 => Ok(f.trunc() as i128),
                AttrRef::Float(f) if f.is_finite() => Err(f),
                AttrRef::Float(_) => {
                    return Err(FormatError(
                        "cannot convert float infinity/NaN to integer".into(),
                    ))
                }
                other => Ok(as_int(other).ok_or_else(|| {
                    FormatError(format!(
                        "%{} format: a real number is required, not {}",
                        spec.conversion,
                        type_name(other)
                    ))
                })?),
            };
            let p = spec.precision.unwrap_or(0);
            match n {
                Ok(n) => {
                    let _ = text.write_str(sign_prefix(n < 0, spec.plus, spec.space));
                    // A u64 formats faster than a u128: all but huge thread ids.
                    let _ = match (p, u64::try_from(n.unsigned_abs())) {
                        (0, Ok(m)) => {
                            render::write_u64(&mut text, m);
                            Ok(())
                        }
                        (0, Err(_)) => write!(text, "{}", n.unsigned_abs()),
                        (_, _) => write!(text, "{:0p$}", n.unsigned_abs()),
                    };
                }
                Err(f) => {
                    let _ = text.write_str(sign_prefix(f < 0.0, spec.plus, spec.space));
                    let mut digits = NumberText::new();
                    render::write_float_as_integer(&mut digits, f.abs());
                    for _ in digits.as_str().len()..p {
                        let _ = text.write_char('0');
                    }
                    let _ = text.write_str(digits.as_str());
                }
            }
        }
        'x' | 'X' | 'o' => {
            let n = as_int(value).ok_or_else(|| {
                FormatError(format!(
                    "%{} format: an integer is required, not {}",
                    spec.conversion,
                    type_name(value)
                ))
            })?;
            let _ = text.write_str(sign_prefix(n < 0, spec.plus, spec.space));
            let digits = n.unsigned_abs();
            let p = spec.precision.unwrap_or(1);
            let _ = match spec.conversion {
                'x' => write!(
                    text,
                    "{}{digits:0p$x}",
                    if spec.alternate { "0x" } else { "" }
                ),
                'X' => write!(
                    text,
                    "{}{digits:0p$X}",
                    if spec.alternate { "0X" } else { "" }
                ),
                _ => write!(
                    text,
                    "{}{digits:0p$o}",
                    if spec.alternate { "0o" } else { "" }
                ),
            };
        }
        conv => {
            let f = as_float(value).ok_or_else(|| {
                FormatError(format!("must be real number, not {}", type_name(value)))
            })?;
            let _ = text.write_str(sign_prefix(
                f.is_sign_negative() && !f.is_nan(),
                spec.plus,
                spec.space,
            ));
            let p = spec.precision.unwrap_or(6);
            let upper = conv.is_ascii_uppercase();
            let magnitude = f.abs();
            match conv.to_ascii_lowercase() {
                'e' => render::write_exp(&mut text, magnitude, p, upper, spec.alternate),
                'f' => render::write_fixed(&mut text, magnitude, p, upper, spec.alternate),
                _ => render::write_general(&mut text, magnitude, p, upper, spec.alternate, false),
            }
        }
    }
    let text = text.as_str();
    if spec.left {
        render::pad(out, text, spec.width, Align::Left, ' ');
    } else if spec.zero && numeric {
        // CPython zero-pads inf and nan too (`%010f` → `0000000inf`).
        render::pad_numeric_zeros(out, text, spec.width, '0');
    } else {
        render::pad(out, text, spec.width, Align::Right, ' ');
    }
    Ok(())
}

/// A `fmt::Write` that hands each piece of text to a closure.
struct FnWriter<'a>(&'a mut dyn FnMut(&str));

impl Write for FnWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        (self.0)(s);
        Ok(())
    }
}
