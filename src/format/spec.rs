//! Format strings compiled into pieces, for the three styles, with Python's
//! validation rules and value conversions.

use std::fmt::Write;

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
    fn new(name: &str) -> Key {
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

/// `{key!conv:spec}` with Python's format-spec mini-language.
#[derive(Clone, Debug, PartialEq)]
pub struct BraceSpec {
    pub conversion: Option<char>,
    pub fill: char,
    pub align: Option<char>,
    pub sign: char,
    pub alternate: bool,
    pub zero: bool,
    pub width: usize,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub kind: Option<char>,
    /// The spec was empty (`{x}`): plain `format(value, '')`.
    pub empty: bool,
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

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
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

fn parse_number(chars: &[char], i: &mut usize) -> Option<usize> {
    let start = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    (*i > start).then(|| {
        chars[start..*i]
            .iter()
            .collect::<String>()
            .parse()
            .unwrap_or(usize::MAX)
    })
}

/// `%`-style. Like Python's validation, at least one `%(key)…` field is
/// required; unlike Python, every directive is checked now rather than at the
/// first record.
pub fn parse_percent(fmt: &str) -> Result<Vec<Piece>, FormatError> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut fields = 0;
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
            _ => return Err(invalid(fmt, '%')),
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
        spec.width = parse_number(&chars, &mut i).unwrap_or(0);
        if chars.get(i) == Some(&'.') {
            i += 1;
            spec.precision = Some(parse_number(&chars, &mut i).unwrap_or(0));
        }
        // Python accepts (and ignores) a length modifier.
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        match chars.get(i) {
            Some(&conv) if "diouxXeEfFgGcrsa%".contains(conv) => {
                spec.conversion = conv;
                i += 1;
            }
            Some(&other) => {
                return Err(FormatError(format!(
                    "Invalid format '{fmt}' for '%' style: unsupported format character '{other}'"
                )))
            }
            None => return Err(invalid(fmt, '%')),
        }
        push_literal(&mut pieces, &literal);
        literal.clear();
        fields += 1;
        if spec.conversion == '%' {
            push_literal(&mut pieces, "%");
        } else {
            pieces.push(Piece::Percent(Key::new(&key), spec));
        }
    }
    push_literal(&mut pieces, &literal);
    if fields == 0 {
        return Err(invalid(fmt, '%'));
    }
    Ok(pieces)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `{}`-style: fields `{name}`, `{name!r}`, `{name:spec}`; `{{`/`}}` escapes.
pub fn parse_brace(fmt: &str) -> Result<Vec<Piece>, FormatError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = fmt.chars().peekable();
    let mut fields = 0;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '}' => {
                return Err(FormatError(
                    "invalid format: Single '}' encountered in format string".into(),
                ))
            }
            '{' => {
                let mut field = String::new();
                let mut depth = 1;
                loop {
                    match chars.next() {
                        None => {
                            return Err(FormatError(
                                "invalid format: expected '}' before end of string".into(),
                            ))
                        }
                        Some('{') => {
                            depth += 1;
                            field.push('{');
                        }
                        Some('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            field.push('}');
                        }
                        Some(ch) => field.push(ch),
                    }
                }
                let (head, spec_text) = match field.find(':') {
                    Some(i) => (&field[..i], Some(&field[i + 1..])),
                    None => (field.as_str(), None),
                };
                let (name, conversion) = match head.find('!') {
                    Some(i) => {
                        let conv = &head[i + 1..];
                        let mut cs = conv.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c @ ('r' | 's' | 'a')), None) => (&head[..i], Some(c)),
                            _ => return Err(FormatError(format!("invalid conversion: '{conv}'"))),
                        }
                    }
                    None => (head, None),
                };
                if !is_identifier(name) {
                    return Err(FormatError(format!("invalid field name: '{name}'")));
                }
                let spec = parse_brace_spec(spec_text.unwrap_or(""), conversion)?;
                push_literal(&mut pieces, &literal);
                literal.clear();
                pieces.push(Piece::Brace(Key::new(name), spec));
                fields += 1;
            }
            other => literal.push(other),
        }
    }
    push_literal(&mut pieces, &literal);
    if fields == 0 {
        return Err(FormatError("invalid format: no fields".into()));
    }
    Ok(pieces)
}

fn parse_brace_spec(spec: &str, conversion: Option<char>) -> Result<BraceSpec, FormatError> {
    let bad = || FormatError(format!("bad specifier: '{spec}'"));
    let chars: Vec<char> = spec.chars().collect();
    let mut out = BraceSpec {
        conversion,
        fill: ' ',
        align: None,
        sign: '-',
        alternate: false,
        zero: false,
        width: 0,
        grouping: None,
        precision: None,
        kind: None,
        empty: spec.is_empty(),
    };
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        out.fill = chars[0];
        out.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        out.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&s @ ('+' | '-' | ' ')) = chars.get(i) {
        out.sign = s;
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        out.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        out.zero = true;
        i += 1;
    }
    out.width = parse_number(&chars, &mut i).unwrap_or(0);
    if let Some(&g @ (',' | '_')) = chars.get(i) {
        out.grouping = Some(g);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        out.precision = Some(parse_number(&chars, &mut i).ok_or_else(bad)?);
    }
    if let Some(&k) = chars.get(i) {
        if !"bcdeEfFgGnosxX%".contains(k) {
            return Err(bad());
        }
        out.kind = Some(k);
        i += 1;
    }
    if i != chars.len() {
        return Err(bad());
    }
    Ok(out)
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

fn type_name(value: AttrRef<'_>) -> &'static str {
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

fn as_int(value: AttrRef<'_>) -> Option<i64> {
    match value {
        AttrRef::Int(i) => Some(i),
        AttrRef::Bool(b) => Some(i64::from(b)),
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
        's' | 'r' | 'a' => {
            let start = out.len();
            match spec.conversion {
                's' => render::write_str_of(out, value),
                _ => render::write_repr_of(out, value, spec.conversion == 'a'),
            }
            // Precision truncates; width pads (left with '-').
            let mut end = out.len();
            if let Some(p) = spec.precision {
                if let Some((cut, _)) = out[start..].char_indices().nth(p) {
                    end = start + cut;
                    out.truncate(end);
                }
            }
            let len = if spec.width == 0 {
                0
            } else {
                out[start..end].chars().count()
            };
            if len < spec.width {
                let pad = spec.width - len;
                if spec.left {
                    out.extend(std::iter::repeat_n(' ', pad));
                } else {
                    // Shift in place from a static run of spaces: no allocation
                    // once the buffer has grown to its working size.
                    const SPACES: &str = "                                ";
                    let mut left = pad;
                    while left > 0 {
                        let n = left.min(SPACES.len());
                        out.insert_str(start, &SPACES[..n]);
                        left -= n;
                    }
                }
            }
            return Ok(());
        }
        'c' => {
            let ch = match value {
                AttrRef::Int(i) => char::from_u32(i as u32)
                    .ok_or_else(|| FormatError("%c arg not in range(0x110000)".into()))?,
                AttrRef::Str(s) if s.chars().count() == 1 => s.chars().next().unwrap_or(' '),
                _ => return Err(FormatError("%c requires int or char".into())),
            };
            let _ = text.write_char(ch);
        }
        'd' | 'i' | 'u' => {
            let n = match value {
                AttrRef::Float(f) if f.is_finite() => f.trunc() as i64,
                AttrRef::Float(_) => {
                    return Err(FormatError(
                        "cannot convert float infinity/NaN to integer".into(),
                    ))
                }
                other => as_int(other).ok_or_else(|| {
                    FormatError(format!(
                        "%{} format: a real number is required, not {}",
                        spec.conversion,
                        type_name(other)
                    ))
                })?,
            };
            let _ = text.write_str(sign_prefix(n < 0, spec.plus, spec.space));
            let digits = n.unsigned_abs();
            if let Some(p) = spec.precision {
                let _ = write!(text, "{digits:0p$}");
            } else {
                let _ = write!(text, "{digits}");
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
    } else if spec.zero
        && numeric
        && !text.ends_with("inf")
        && !text.ends_with("nan")
        && !text.ends_with("INF")
        && !text.ends_with("NAN")
    {
        render::pad_numeric_zeros(out, text, spec.width, '0');
    } else {
        render::pad(out, text, spec.width, Align::Right, ' ');
    }
    Ok(())
}

fn group_digits(out: &mut NumberText, digits: &str, separator: char, every: usize) {
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(every) {
            let _ = out.write_char(separator);
        }
        let _ = out.write_char(c);
    }
}

/// Renders one `{}`-style field: conversion, then `format(value, spec)`.
pub fn render_brace(
    out: &mut String,
    value: AttrRef<'_>,
    spec: &BraceSpec,
) -> Result<(), FormatError> {
    // A conversion turns the value into a str first.
    if let Some(conv) = spec.conversion {
        let mut converted = String::new();
        match conv {
            's' => render::write_str_of(&mut converted, value),
            _ => render::write_repr_of(&mut converted, value, conv == 'a'),
        }
        return render_brace_str(out, &converted, spec);
    }
    if spec.empty {
        render::write_str_of(out, value);
        return Ok(());
    }
    match value {
        AttrRef::Str(s) => render_brace_str(out, s, spec),
        AttrRef::None | AttrRef::EmptyTuple => Err(FormatError(format!(
            "unsupported format string passed to {}.__format__",
            type_name(value)
        ))),
        AttrRef::Bool(b) if spec.kind.is_none() => {
            render_brace_str(out, if b { "True" } else { "False" }, spec)
        }
        AttrRef::Int(_) | AttrRef::Bool(_)
            if !matches!(spec.kind, Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) =>
        {
            let n = as_int(value).unwrap_or(0);
            if spec.precision.is_some() {
                return Err(FormatError(
                    "Precision not allowed in integer format specifier".into(),
                ));
            }
            let mut body = NumberText::new();
            let digits = n.unsigned_abs();
            let mut raw = NumberText::new();
            let (prefix, every) = match spec.kind {
                Some('x') => (if spec.alternate { "0x" } else { "" }, 4),
                Some('X') => (if spec.alternate { "0X" } else { "" }, 4),
                Some('o') => (if spec.alternate { "0o" } else { "" }, 4),
                Some('b') => (if spec.alternate { "0b" } else { "" }, 4),
                Some('c') => {
                    let ch = char::from_u32(n as u32)
                        .ok_or_else(|| FormatError("%c arg not in range(0x110000)".into()))?;
                    return render_brace_str(out, ch.encode_utf8(&mut [0; 4]), spec);
                }
                Some('s') => {
                    return Err(FormatError(
                        "Unknown format code 's' for object of type 'int'".into(),
                    ))
                }
                _ => ("", 3),
            };
            let _ = match spec.kind {
                Some('x') => write!(raw, "{digits:x}"),
                Some('X') => write!(raw, "{digits:X}"),
                Some('o') => write!(raw, "{digits:o}"),
                Some('b') => write!(raw, "{digits:b}"),
                _ => write!(raw, "{digits}"),
            };
            let _ = body.write_str(sign_prefix(n < 0, spec.sign == '+', spec.sign == ' '));
            let _ = body.write_str(prefix);
            match spec.grouping {
                Some(sep) => group_digits(&mut body, raw.as_str(), sep, every),
                None => {
                    let _ = body.write_str(raw.as_str());
                }
            }
            render_brace_number(out, body.as_str(), spec);
            Ok(())
        }
        other => {
            let f = as_float(other).ok_or_else(|| {
                FormatError(format!("unsupported format for {}", type_name(other)))
            })?;
            if matches!(spec.kind, Some('s' | 'd' | 'x' | 'X' | 'o' | 'b' | 'c')) {
                return Err(FormatError(format!(
                    "Unknown format code '{}' for object of type 'float'",
                    spec.kind.unwrap_or(' ')
                )));
            }
            let mut body = NumberText::new();
            let _ = body.write_str(sign_prefix(
                f.is_sign_negative() && !f.is_nan(),
                spec.sign == '+',
                spec.sign == ' ',
            ));
            let magnitude = f.abs();
            let mut raw = NumberText::new();
            let upper = spec.kind.is_some_and(|k| k.is_ascii_uppercase());
            match spec.kind {
                Some('e' | 'E') => render::write_exp(
                    &mut raw,
                    magnitude,
                    spec.precision.unwrap_or(6),
                    upper,
                    spec.alternate,
                ),
                Some('f' | 'F') => render::write_fixed(
                    &mut raw,
                    magnitude,
                    spec.precision.unwrap_or(6),
                    upper,
                    spec.alternate,
                ),
                Some('g' | 'G' | 'n') => render::write_general(
                    &mut raw,
                    magnitude,
                    spec.precision.unwrap_or(6),
                    upper,
                    spec.alternate,
                    false,
                ),
                Some('%') => {
                    render::write_fixed(
                        &mut raw,
                        magnitude * 100.0,
                        spec.precision.unwrap_or(6),
                        false,
                        spec.alternate,
                    );
                    let _ = raw.write_char('%');
                }
                _ => match spec.precision {
                    Some(p) => {
                        render::write_general(&mut raw, magnitude, p, false, spec.alternate, true)
                    }
                    None => render::write_float_repr(&mut raw, magnitude),
                },
            }
            match spec.grouping {
                Some(sep) => {
                    let text = raw.as_str();
                    let int_end = text
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(text.len());
                    group_digits(&mut body, &text[..int_end], sep, 3);
                    let _ = body.write_str(&text[int_end..]);
                }
                None => {
                    let _ = body.write_str(raw.as_str());
                }
            }
            render_brace_number(out, body.as_str(), spec);
            Ok(())
        }
    }
}

fn render_brace_str(out: &mut String, text: &str, spec: &BraceSpec) -> Result<(), FormatError> {
    if spec.sign != '-' {
        return Err(FormatError(
            "Sign not allowed in string format specifier".into(),
        ));
    }
    if spec.align == Some('=') {
        return Err(FormatError(
            "'=' alignment not allowed in string format specifier".into(),
        ));
    }
    if let Some(k) = spec.kind {
        if k != 's' {
            return Err(FormatError(format!(
                "Unknown format code '{k}' for object of type 'str'"
            )));
        }
    }
    let text = match spec.precision {
        Some(p) => match text.char_indices().nth(p) {
            Some((cut, _)) => &text[..cut],
            None => text,
        },
        None => text,
    };
    let align = match spec.align {
        Some('>') => Align::Right,
        Some('^') => Align::Center,
        _ => Align::Left,
    };
    let fill = if spec.zero && spec.align.is_none() {
        '0'
    } else {
        spec.fill
    };
    render::pad(out, text, spec.width, align, fill);
    Ok(())
}

fn render_brace_number(out: &mut String, text: &str, spec: &BraceSpec) {
    let (align, fill) = match (spec.align, spec.zero) {
        (Some(a), _) => (a, spec.fill),
        (None, true) => ('=', '0'),
        (None, false) => ('>', spec.fill),
    };
    match align {
        '=' => render::pad_numeric_zeros(out, text, spec.width, fill),
        '<' => render::pad(out, text, spec.width, Align::Left, fill),
        '^' => render::pad(out, text, spec.width, Align::Center, fill),
        _ => render::pad(out, text, spec.width, Align::Right, fill),
    }
}
