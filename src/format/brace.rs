//! The `{}` style: `str.format` fields as CPython's logging validates them
//! (`StrFormatStyle.validate`), parsed as `string.Formatter` parses them, and
//! rendered with Python's format-spec mini-language for str, int, float,
//! bool and None.

use std::fmt::Write;

use super::render::{self, Align, NumberText};
use super::spec::{parse_number, push_literal, type_name, Key, Piece};
use super::FormatError;
use crate::record::AttrRef;

/// One step after the field's name: `.real` or `[0]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// One of the data attributes numbers have (`real`, `imag`, `numerator`,
    /// `denominator`). Other attributes are refused at construction: on the
    /// values a record holds they are methods (CPython prints
    /// `<built-in method …>`) or do not exist.
    Attr(NumberAttr),
    /// `[n]`: the n-th character of a str (fails on numbers, as in Python).
    Index(usize),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumberAttr {
    Real,
    Imag,
    Numerator,
    Denominator,
}

/// A spec with `{name}` fields in it (`{message:{lineno}}`), expanded per record.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecPart {
    Literal(String),
    Field(Key),
}

/// `{key…!conv:spec}` with Python's format-spec mini-language.
#[derive(Clone, Debug, PartialEq)]
pub struct BraceSpec {
    pub conversion: Option<char>,
    pub access: Vec<Access>,
    /// Set when the spec has nested fields: the fields below are then parsed
    /// from the expanded text for each record.
    pub nested: Option<Vec<SpecPart>>,
    pub fill: char,
    /// An explicit fill character (`*>`): the `0` flag then changes nothing.
    pub fill_specified: bool,
    pub align: Option<char>,
    pub sign: Option<char>,
    pub alternate: bool,
    pub zero: bool,
    pub width: usize,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub kind: Option<char>,
    /// The spec was empty (`{x}`): plain `format(value, '')`.
    pub empty: bool,
}

fn bad(spec: &str) -> FormatError {
    FormatError(format!("invalid format: bad specifier: '{spec}'"))
}

/// Python's `\w` for one character.
fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// logging's `field_spec`: `^(\d+|\w+)(\.\w+|\[[^]]+\])*$`, then what
/// sawmill can look up: a record attribute by name, then number attributes
/// and string indexes.
fn parse_field_name(name: &str) -> Result<(Key, Vec<Access>), FormatError> {
    let invalid = || FormatError(format!("invalid field name/expression: '{name}'"));
    let head_end = name.find(['.', '[']).unwrap_or(name.len());
    let head = &name[..head_end];
    if head.is_empty() || !head.chars().all(is_word) {
        return Err(invalid());
    }
    if head.chars().all(|c| c.is_ascii_digit()) {
        return Err(FormatError(format!(
            "positional field '{{{head}}}': a record has only named fields"
        )));
    }
    let mut access = Vec::new();
    let mut rest = &name[head_end..];
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let attr = &after[..end];
            if attr.is_empty() || !attr.chars().all(is_word) {
                return Err(invalid());
            }
            access.push(Access::Attr(match attr {
                "real" => NumberAttr::Real,
                "imag" => NumberAttr::Imag,
                "numerator" => NumberAttr::Numerator,
                "denominator" => NumberAttr::Denominator,
                other => {
                    return Err(FormatError(format!(
                        "attribute '.{other}' in '{{{name}}}': sawmill supports .real, .imag, \
                         .numerator and .denominator"
                    )))
                }
            }));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(invalid)?;
            let index = &after[..end];
            if index.is_empty() {
                return Err(invalid());
            }
            // A non-numeric index is a dict key: no record value is a dict.
            if !index.chars().all(|c| c.is_ascii_digit()) {
                return Err(FormatError(format!(
                    "index '[{index}]' in '{{{name}}}': only string positions are supported"
                )));
            }
            access.push(Access::Index(index.parse().unwrap_or(usize::MAX)));
            rest = &after[end + 1..];
        } else {
            return Err(invalid());
        }
    }
    Ok((Key::new(head), access))
}

/// logging's `fmt_spec` pattern (case-insensitive):
/// `^(.?[<>=^])?[+ -]?#?0?(\d+|{\w+})?[,_]?(\.(\d+|{\w+}))?[bcdefgnosx%]?$`.
fn spec_validates(spec: &[char]) -> bool {
    let rest_matches = |mut i: usize| {
        let at = |i: usize| spec.get(i).copied();
        if matches!(at(i), Some('+' | ' ' | '-')) {
            i += 1;
        }
        if at(i) == Some('#') {
            i += 1;
        }
        if at(i) == Some('0') {
            i += 1;
        }
        let number = |i: &mut usize| {
            if at(*i) == Some('{') {
                let mut j = *i + 1;
                while at(j).is_some_and(is_word) {
                    j += 1;
                }
                if j > *i + 1 && at(j) == Some('}') {
                    *i = j + 1;
                    return true;
                }
                return false;
            }
            let from = *i;
            while at(*i).is_some_and(|c| c.is_ascii_digit()) {
                *i += 1;
            }
            *i > from
        };
        number(&mut i);
        if matches!(at(i), Some(',' | '_')) {
            i += 1;
        }
        if at(i) == Some('.') {
            i += 1;
            if !number(&mut i) {
                return false;
            }
        }
        if at(i).is_some_and(|c| "bcdefgnosx%".contains(c.to_ascii_lowercase())) {
            i += 1;
        }
        // `$` also matches before a final newline.
        i == spec.len() || (i + 1 == spec.len() && spec[i] == '\n')
    };
    let is_align = |c: &char| matches!(c, '<' | '>' | '=' | '^');
    (spec.len() >= 2 && spec[0] != '\n' && is_align(&spec[1]) && rest_matches(2))
        || (spec.first().is_some_and(is_align) && rest_matches(1))
        || rest_matches(0)
}

/// `{}`-style, as `string.Formatter.parse` splits it and logging validates
/// it. Fields CPython accepts but that fail for every record (`{}`, `{0}`,
/// unknown attributes) are refused now.
pub fn parse_brace(fmt: &str) -> Result<Vec<Piece>, FormatError> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut fields = 0;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '{' && c != '}' {
            literal.push(c);
            continue;
        }
        if at(i) == Some(c) {
            literal.push(c);
            i += 1;
            continue;
        }
        if c == '}' {
            return Err(FormatError(
                "invalid format: Single '}' encountered in format string".into(),
            ));
        }
        if i >= chars.len() {
            return Err(FormatError(
                "invalid format: Single '{' encountered in format string".into(),
            ));
        }
        // The field name runs to '}', ':' or '!'; '[' skips to ']'.
        let name_start = i;
        let mut end_char = None;
        while i < chars.len() {
            let ch = chars[i];
            i += 1;
            match ch {
                '{' => return Err(FormatError("unexpected '{' in field name".into())),
                '[' => {
                    while i < chars.len() && chars[i] != ']' {
                        i += 1;
                    }
                }
                '}' | ':' | '!' => {
                    end_char = Some(ch);
                    break;
                }
                _ => {}
            }
        }
        let name_end = if end_char.is_some() { i - 1 } else { i };
        let name: String = chars[name_start..name_end].iter().collect();
        let mut conversion = None;
        let mut spec_text = String::new();
        match end_char {
            Some('}') => {}
            None => {
                return Err(FormatError(
                    "invalid format: expected '}' before end of string".into(),
                ))
            }
            Some(mut ch) => {
                if ch == '!' {
                    let Some(conv) = at(i) else {
                        return Err(FormatError(
                            "end of string while looking for conversion specifier".into(),
                        ));
                    };
                    i += 1;
                    conversion = Some(conv);
                    match at(i) {
                        Some('}') => {
                            i += 1;
                            ch = '}';
                        }
                        Some(':') => i += 1,
                        Some(_) => {
                            return Err(FormatError(
                                "expected ':' after conversion specifier".into(),
                            ))
                        }
                        None => {}
                    }
                }
                if ch != '}' {
                    let mut depth = 1;
                    loop {
                        let Some(sc) = at(i) else {
                            return Err(FormatError("unmatched '{' in format spec".into()));
                        };
                        i += 1;
                        match sc {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        spec_text.push(sc);
                    }
                }
            }
        }
        if let Some(conv) = conversion {
            if !matches!(conv, 'r' | 's' | 'a') {
                return Err(FormatError(format!(
                    "invalid format: invalid conversion: '{conv}'"
                )));
            }
        }
        let spec_chars: Vec<char> = spec_text.chars().collect();
        if !spec_chars.is_empty() && !spec_validates(&spec_chars) {
            return Err(bad(&spec_text));
        }
        if name.is_empty() {
            // CPython's validation skips it; formatting fails (positional).
            return Err(FormatError(
                "empty field name '{}': a record has only named fields".into(),
            ));
        }
        let (key, access) = parse_field_name(&name)?;
        let mut spec = if spec_text.contains('{') {
            let mut parts = Vec::new();
            let mut text = String::new();
            let mut rest = spec_text.as_str();
            while let Some(open) = rest.find('{') {
                text.push_str(&rest[..open]);
                let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
                if !text.is_empty() {
                    parts.push(SpecPart::Literal(std::mem::take(&mut text)));
                }
                parts.push(SpecPart::Field(Key::new(&rest[open + 1..close])));
                rest = rest.get(close + 1..).unwrap_or("");
            }
            text.push_str(rest);
            if !text.is_empty() {
                parts.push(SpecPart::Literal(text));
            }
            let mut spec = parse_brace_spec("")?;
            spec.empty = false;
            spec.nested = Some(parts);
            spec
        } else {
            parse_brace_spec(&spec_text)?
        };
        spec.conversion = conversion;
        spec.access = access;
        push_literal(&mut pieces, &literal);
        literal.clear();
        pieces.push(Piece::Brace(key, spec));
        fields += 1;
    }
    push_literal(&mut pieces, &literal);
    if fields == 0 {
        return Err(FormatError("invalid format: no fields".into()));
    }
    Ok(pieces)
}

/// Python's format-spec parser (`parse_internal_render_format_spec`); what
/// depends on the value's type is checked when rendering.
pub fn parse_brace_spec(spec: &str) -> Result<BraceSpec, FormatError> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = BraceSpec {
        conversion: None,
        access: Vec::new(),
        nested: None,
        fill: ' ',
        fill_specified: false,
        align: None,
        sign: None,
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
        out.fill_specified = true;
        out.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        out.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&s @ ('+' | '-' | ' ')) = chars.get(i) {
        out.sign = Some(s);
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        out.alternate = true;
        i += 1;
    }
    if !out.fill_specified && chars.get(i) == Some(&'0') {
        out.zero = true;
        i += 1;
    }
    out.width = parse_number(&chars, &mut i)?.unwrap_or(0);
    match (chars.get(i), chars.get(i + 1)) {
        (Some(','), Some('_')) | (Some('_'), Some(',')) => {
            return Err(FormatError("Cannot specify both ',' and '_'.".into()))
        }
        (Some(',' | '_'), Some(',' | '_')) => {
            return Err(FormatError("Cannot specify ',' twice.".into()))
        }
        (Some(&g @ (',' | '_')), _) => {
            out.grouping = Some(g);
            i += 1;
        }
        _ => {}
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        out.precision = Some(
            parse_number(&chars, &mut i)?
                .ok_or_else(|| FormatError("Format specifier missing precision".into()))?,
        );
    }
    if chars.len() > i + 1 {
        return Err(FormatError(format!("Invalid format specifier '{spec}'")));
    }
    out.kind = chars.get(i).copied();
    Ok(out)
}

/// Applies `.attr` / `[n]` steps to a value.
fn access<'r>(mut value: AttrRef<'r>, steps: &[Access]) -> Result<AttrRef<'r>, FormatError> {
    for step in steps {
        let fail = || {
            FormatError(format!(
                "'{}' object has no such attribute or index",
                type_name(value)
            ))
        };
        value = match (step, value) {
            (Access::Index(n), AttrRef::Str(s)) => {
                let (start, c) = s
                    .char_indices()
                    .nth(*n)
                    .ok_or_else(|| FormatError("string index out of range".into()))?;
                AttrRef::Str(&s[start..start + c.len_utf8()])
            }
            (Access::Attr(attr), AttrRef::Int(_) | AttrRef::Bool(_)) => {
                let n = match value {
                    AttrRef::Bool(b) => i128::from(b),
                    AttrRef::Int(i) => i,
                    _ => 0,
                };
                AttrRef::Int(match attr {
                    NumberAttr::Real | NumberAttr::Numerator => n,
                    NumberAttr::Imag => 0,
                    NumberAttr::Denominator => 1,
                })
            }
            (Access::Attr(NumberAttr::Real), AttrRef::Float(f)) => AttrRef::Float(f),
            (Access::Attr(NumberAttr::Imag), AttrRef::Float(_)) => AttrRef::Float(0.0),
            _ => return Err(fail()),
        };
    }
    Ok(value)
}

/// Renders one `{}`-style field: attribute steps, conversion, then
/// `format(value, spec)`; `lookup` finds the fields of a nested spec.
#[inline]
pub fn render_brace<'r>(
    out: &mut String,
    value: AttrRef<'r>,
    spec: &BraceSpec,
    lookup: &dyn Fn(&Key) -> Option<AttrRef<'r>>,
) -> Result<(), FormatError> {
    if spec.empty && spec.access.is_empty() && spec.conversion.is_none() {
        // `{lineno}`: str(value), the common case, kept short.
        render::write_str_of(out, value);
        return Ok(());
    }
    let value = if spec.access.is_empty() {
        value
    } else {
        access(value, &spec.access)?
    };
    if let Some(parts) = &spec.nested {
        let mut text = String::new();
        for part in parts {
            match part {
                SpecPart::Literal(l) => text.push_str(l),
                SpecPart::Field(key) => {
                    let v = lookup(key).ok_or_else(|| {
                        FormatError(format!(
                            "Formatting field not found in record: '{}'",
                            key.name()
                        ))
                    })?;
                    render::write_str_of(&mut text, v);
                }
            }
            if text.len() > 64 {
                return Err(FormatError("format spec too long".into()));
            }
        }
        let mut expanded = parse_brace_spec(&text)?;
        expanded.conversion = spec.conversion;
        return render_value(out, value, &expanded);
    }
    render_value(out, value, spec)
}

fn render_value(out: &mut String, value: AttrRef<'_>, spec: &BraceSpec) -> Result<(), FormatError> {
    // A conversion turns the value into a str first.
    if let Some(conv) = spec.conversion {
        let mut converted = String::new();
        match conv {
            's' => render::write_str_of(&mut converted, value),
            _ => render::write_repr_of(&mut converted, value, conv == 'a'),
        }
        return render_str(out, &converted, spec);
    }
    if spec.empty {
        render::write_str_of(out, value);
        return Ok(());
    }
    match value {
        AttrRef::Str(s) => render_str(out, s, spec),
        AttrRef::None | AttrRef::EmptyTuple => Err(FormatError(format!(
            "unsupported format string passed to {}.__format__",
            type_name(value)
        ))),
        // bool.__format__ is int.__format__ once the spec is not empty.
        AttrRef::Int(n) => render_int(out, n, spec),
        AttrRef::Bool(b) => render_int(out, i128::from(b), spec),
        AttrRef::Float(f) => render_float(out, f, spec),
    }
}

fn check_grouping(spec: &BraceSpec, kind: char) -> Result<(), FormatError> {
    match (spec.grouping, kind) {
        (None, _) => Ok(()),
        (Some(_), 'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0') => Ok(()),
        (Some('_'), 'b' | 'o' | 'x' | 'X') => Ok(()),
        (Some(g), k) => Err(FormatError(format!("Cannot specify '{g}' with '{k}'."))),
    }
}

/// (fill, align) once the `0` flag and the type's default alignment apply.
fn fill_and_align(spec: &BraceSpec, numeric: bool) -> (char, char) {
    let default_align = if numeric { '>' } else { '<' };
    match (spec.zero, spec.align) {
        (true, Some(a)) => ('0', a),
        (true, None) if numeric => ('0', '='),
        (true, None) => ('0', default_align),
        (false, a) => (spec.fill, a.unwrap_or(default_align)),
    }
}

fn render_str(out: &mut String, text: &str, spec: &BraceSpec) -> Result<(), FormatError> {
    let kind = spec.kind.unwrap_or('s');
    if kind != 's' {
        return Err(FormatError(format!(
            "Unknown format code '{kind}' for object of type 'str'"
        )));
    }
    check_grouping(spec, kind)?;
    if spec.sign.is_some() {
        return Err(FormatError(
            "Sign not allowed in string format specifier".into(),
        ));
    }
    if spec.alternate {
        return Err(FormatError(
            "Alternate form (#) not allowed in string format specifier".into(),
        ));
    }
    let (fill, align) = fill_and_align(spec, false);
    if align == '=' {
        return Err(FormatError(
            "'=' alignment not allowed in string format specifier".into(),
        ));
    }
    let text = match spec.precision {
        Some(p) => match text.char_indices().nth(p) {
            Some((cut, _)) => &text[..cut],
            None => text,
        },
        None => text,
    };
    render::pad(out, text, spec.width, to_align(align), fill);
    Ok(())
}

fn to_align(align: char) -> Align {
    match align {
        '<' => Align::Left,
        '^' => Align::Center,
        _ => Align::Right,
    }
}

fn sign_text(negative: bool, sign: Option<char>) -> &'static str {
    match (negative, sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn render_int(out: &mut String, n: i128, spec: &BraceSpec) -> Result<(), FormatError> {
    let kind = spec.kind.unwrap_or('d');
    if matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        return render_float(out, n as f64, spec);
    }
    if !matches!(kind, 'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n') {
        return Err(FormatError(format!(
            "Unknown format code '{kind}' for object of type 'int'"
        )));
    }
    check_grouping(spec, kind)?;
    if spec.precision.is_some() {
        return Err(FormatError(
            "Precision not allowed in integer format specifier".into(),
        ));
    }
    let mut prefix = NumberText::new();
    let mut digits = NumberText::new();
    let magnitude = n.unsigned_abs();
    if kind == 'c' {
        if spec.sign.is_some() {
            return Err(FormatError(
                "Sign not allowed with integer format specifier 'c'".into(),
            ));
        }
        if spec.alternate {
            return Err(FormatError(
                "Alternate form (#) not allowed with integer format specifier 'c'".into(),
            ));
        }
        let ch = u32::try_from(n)
            .ok()
            .filter(|c| *c < 0x110000)
            .ok_or_else(|| FormatError("%c arg not in range(0x110000)".into()))?;
        let ch = char::from_u32(ch)
            .ok_or_else(|| FormatError("a surrogate cannot be written as UTF-8".into()))?;
        let _ = digits.write_char(ch);
        pad_number(out, "", digits.as_str(), "", spec, None);
        return Ok(());
    }
    let _ = prefix.write_str(sign_text(n < 0, spec.sign));
    if spec.alternate {
        let _ = prefix.write_str(match kind {
            'x' => "0x",
            'X' => "0X",
            'o' => "0o",
            'b' => "0b",
            _ => "",
        });
    }
    let _ = match kind {
        'x' => write!(digits, "{magnitude:x}"),
        'X' => write!(digits, "{magnitude:X}"),
        'o' => write!(digits, "{magnitude:o}"),
        'b' => write!(digits, "{magnitude:b}"),
        // A u64 formats faster than a u128: all but huge thread ids.
        _ => match u64::try_from(magnitude) {
            Ok(m) => write!(digits, "{m}"),
            Err(_) => write!(digits, "{magnitude}"),
        },
    };
    let every = if matches!(kind, 'x' | 'X' | 'o' | 'b') {
        4
    } else {
        3
    };
    pad_number(
        out,
        prefix.as_str(),
        digits.as_str(),
        "",
        spec,
        spec.grouping.map(|g| (g, every)),
    );
    Ok(())
}

fn render_float(out: &mut String, f: f64, spec: &BraceSpec) -> Result<(), FormatError> {
    let kind = spec.kind.unwrap_or('\0');
    if !matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%' | '\0') {
        return Err(FormatError(format!(
            "Unknown format code '{kind}' for object of type 'float'"
        )));
    }
    check_grouping(spec, kind)?;
    let sign = sign_text(f.is_sign_negative() && !f.is_nan(), spec.sign);
    let magnitude = f.abs();
    let mut body = NumberText::new();
    let upper = kind.is_ascii_uppercase();
    let alt = spec.alternate;
    match kind {
        'e' | 'E' => render::write_exp(
            &mut body,
            magnitude,
            spec.precision.unwrap_or(6),
            upper,
            alt,
        ),
        'f' | 'F' => render::write_fixed(
            &mut body,
            magnitude,
            spec.precision.unwrap_or(6),
            upper,
            alt,
        ),
        'g' | 'G' | 'n' => render::write_general(
            &mut body,
            magnitude,
            spec.precision.unwrap_or(6),
            upper,
            alt,
            false,
        ),
        '%' => {
            render::write_fixed(
                &mut body,
                magnitude * 100.0,
                spec.precision.unwrap_or(6),
                false,
                alt,
            );
            let _ = body.write_char('%');
        }
        // No type: repr, or with a precision 'g' keeping a digit after the point.
        _ => match spec.precision {
            Some(p) => render::write_general(&mut body, magnitude, p, false, alt, true),
            None if alt => render::write_float_repr_alternate(&mut body, magnitude),
            None => render::write_float_repr(&mut body, magnitude),
        },
    }
    let text = body.as_str();
    let int_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    pad_number(
        out,
        sign,
        &text[..int_end],
        &text[int_end..],
        spec,
        spec.grouping.map(|g| (g, 3)),
    );
    Ok(())
}

/// Lays a number out: `lead` (sign, 0x), the integer `digits` (grouped),
/// `tail` (fraction, exponent, %), padded as the spec says. With fill `0`
/// and `=` alignment the padding zeros are digits and are grouped too
/// (`{:09,}` of 1234 is `0,001,234`), as in CPython.
fn pad_number(
    out: &mut String,
    lead: &str,
    digits: &str,
    tail: &str,
    spec: &BraceSpec,
    grouping: Option<(char, usize)>,
) {
    let (fill, align) = fill_and_align(spec, true);
    let mut body = NumberText::new();
    let _ = body.write_str(lead);
    let count_chars = |s: &str| s.chars().count();
    match grouping {
        Some((sep, every)) if !digits.is_empty() => {
            let mut n = digits.len();
            if fill == '0' && align == '=' {
                let min = spec
                    .width
                    .saturating_sub(count_chars(lead) + count_chars(tail));
                while n + (n - 1) / every < min {
                    n += 1;
                }
            }
            let zeros = n - digits.len();
            for i in 0..n {
                if i > 0 && (n - i).is_multiple_of(every) {
                    let _ = body.write_char(sep);
                }
                let _ = body.write_char(if i < zeros {
                    '0'
                } else {
                    char::from(digits.as_bytes()[i - zeros])
                });
            }
        }
        _ => {
            let _ = body.write_str(digits);
        }
    }
    let _ = body.write_str(tail);
    let text = body.as_str();
    match align {
        '=' => render::pad_after_sign(out, text, count_chars(lead), spec.width, fill),
        other => render::pad(out, text, spec.width, to_align(other), fill),
    }
}
