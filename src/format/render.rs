//! Python's text for values: `str()`, `repr()`, `ascii()`, float repr, and
//! the numeric conversions shared by `%`-style and `{}`-style specs.
//! Everything writes into a caller's buffer; nothing allocates.

use std::fmt::Write;

use crate::record::AttrRef;

/// A small stack buffer numbers and dates are rendered into before padding.
/// Left uninitialised until written: zeroing it per record showed in profiles.
pub struct StackText<const N: usize> {
    bytes: [std::mem::MaybeUninit<u8>; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    pub fn new() -> Self {
        StackText {
            bytes: [std::mem::MaybeUninit::uninit(); N],
            len: 0,
        }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: bytes[..len] were initialised from whole `&str`s (see
        // `write_str`), so they are initialised UTF-8.
        unsafe {
            let bytes = std::slice::from_raw_parts(self.bytes.as_ptr().cast::<u8>(), self.len);
            std::str::from_utf8_unchecked(bytes)
        }
    }
}

impl<const N: usize> Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > N {
            return Err(std::fmt::Error);
        }
        for (slot, byte) in self.bytes[self.len..end].iter_mut().zip(s.as_bytes()) {
            slot.write(*byte);
        }
        self.len = end;
        Ok(())
    }
}

/// Number text: 400 bytes hold any f64 in fixed notation with the precisions
/// formats use (`%.20f` of 1e308 is ~330 bytes).
pub type NumberText = StackText<400>;

/// Python's `repr(float)` (also `str(float)`): shortest round-trip digits,
/// exponent form below 1e-4 and from 1e16 up, `.0` on whole numbers.
pub fn write_float_repr(out: &mut impl Write, value: f64) {
    if let Some(special) = non_finite(value, false) {
        let _ = out.write_str(special);
        return;
    }
    let mut sci = NumberText::new();
    let _ = write!(sci, "{value:e}");
    let (mantissa, exponent) = split_exponent(sci.as_str());
    let negative = mantissa.starts_with('-');
    let digits_part = mantissa.trim_start_matches('-');
    let mut digits = NumberText::new();
    for c in digits_part.chars().filter(|c| *c != '.') {
        let _ = digits.write_char(c);
    }
    let digits = digits.as_str();
    if negative {
        let _ = out.write_char('-');
    }
    if (-4..16).contains(&exponent) {
        if exponent < 0 {
            let _ = out.write_str("0.");
            for _ in 0..(-exponent - 1) {
                let _ = out.write_char('0');
            }
            let _ = out.write_str(digits);
        } else {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                let _ = out.write_str(digits);
                for _ in digits.len()..int_len {
                    let _ = out.write_char('0');
                }
                let _ = out.write_str(".0");
            } else {
                let _ = out.write_str(&digits[..int_len]);
                let _ = out.write_char('.');
                let _ = out.write_str(&digits[int_len..]);
            }
        }
    } else {
        let _ = out.write_str(&digits[..1]);
        if digits.len() > 1 {
            let _ = out.write_char('.');
            let _ = out.write_str(&digits[1..]);
        }
        write_exponent(out, 'e', exponent);
    }
}

/// `repr(float)` as an owned string (for callers outside the hot path).
pub fn python_float_repr(value: f64) -> String {
    let mut s = String::new();
    write_float_repr(&mut s, value);
    s
}

fn non_finite(value: f64, upper: bool) -> Option<&'static str> {
    if value.is_nan() {
        Some(if upper { "NAN" } else { "nan" })
    } else if value.is_infinite() {
        Some(match (value < 0.0, upper) {
            (true, false) => "-inf",
            (true, true) => "-INF",
            (false, false) => "inf",
            (false, true) => "INF",
        })
    } else {
        None
    }
}

/// Splits Rust's `1.5e-7` into ("1.5", -7).
fn split_exponent(sci: &str) -> (&str, i32) {
    match sci.split_once('e') {
        Some((m, e)) => (m, e.parse().unwrap_or(0)),
        None => (sci, 0),
    }
}

/// Python's exponent suffix: sign and at least two digits (`e+05`).
fn write_exponent(out: &mut impl Write, letter: char, exponent: i32) {
    let _ = write!(
        out,
        "{letter}{}{:02}",
        if exponent < 0 { '-' } else { '+' },
        exponent.abs()
    );
}

/// `%e` / `{:e}`: d.ddd…e±XX with `precision` digits after the point.
pub fn write_exp(out: &mut impl Write, value: f64, precision: usize, upper: bool, alternate: bool) {
    if let Some(special) = non_finite(value, upper) {
        let _ = out.write_str(special);
        return;
    }
    let mut sci = NumberText::new();
    let _ = write!(sci, "{value:.precision$e}");
    let (mantissa, exponent) = split_exponent(sci.as_str());
    let _ = out.write_str(mantissa);
    if alternate && precision == 0 {
        let _ = out.write_char('.');
    }
    write_exponent(out, if upper { 'E' } else { 'e' }, exponent);
}

/// `%f` / `{:f}`.
pub fn write_fixed(
    out: &mut impl Write,
    value: f64,
    precision: usize,
    upper: bool,
    alternate: bool,
) {
    if let Some(special) = non_finite(value, upper) {
        let _ = out.write_str(special);
        return;
    }
    let _ = write!(out, "{value:.precision$}");
    if alternate && precision == 0 {
        let _ = out.write_char('.');
    }
}

/// `%g` / `{:g}`: `precision` significant digits (0 counts as 1), fixed or
/// exponent form by Python's rule, trailing zeros removed unless `alternate`.
/// `keep_point` is the `{}`-style "no type" variant that keeps at least one
/// digit after the point in fixed form.
pub fn write_general(
    out: &mut impl Write,
    value: f64,
    precision: usize,
    upper: bool,
    alternate: bool,
    keep_point: bool,
) {
    if let Some(special) = non_finite(value, upper) {
        let _ = out.write_str(special);
        return;
    }
    let p = precision.max(1);
    let mut sci = NumberText::new();
    let _ = write!(sci, "{value:.prec$e}", prec = p - 1);
    let (_, exponent) = split_exponent(sci.as_str());
    let mut body = NumberText::new();
    let use_exp = exponent < -4 || exponent >= p as i32;
    if use_exp {
        let (mantissa, _) = split_exponent(sci.as_str());
        let _ = body.write_str(mantissa);
    } else {
        let decimals = (p as i32 - 1 - exponent).max(0) as usize;
        let _ = write!(body, "{value:.decimals$}");
    }
    let mut text = body.as_str();
    if !alternate && text.contains('.') {
        text = text.trim_end_matches('0');
        if keep_point && !use_exp && text.ends_with('.') {
            // `format(1.0, '.3')` is `1.0`: keep one digit after the point.
            let _ = out.write_str(text);
            let _ = out.write_char('0');
            return;
        }
        text = text.trim_end_matches('.');
    } else if alternate && !text.contains('.') {
        let _ = out.write_str(text);
        let _ = out.write_char('.');
        text = "";
    }
    let _ = out.write_str(text);
    if use_exp {
        write_exponent(out, if upper { 'E' } else { 'e' }, exponent);
    }
}

/// Python's `str(value)`.
pub fn write_str_of(out: &mut impl Write, value: AttrRef<'_>) {
    let _ = match value {
        AttrRef::Str(s) => out.write_str(s),
        AttrRef::Int(i) => write!(out, "{i}"),
        AttrRef::Float(f) => {
            write_float_repr(out, f);
            Ok(())
        }
        AttrRef::Bool(b) => out.write_str(if b { "True" } else { "False" }),
        AttrRef::None => out.write_str("None"),
        AttrRef::EmptyTuple => out.write_str("()"),
    };
}

/// Python's `repr(value)` (`ascii_only`: `ascii(value)`).
pub fn write_repr_of(out: &mut impl Write, value: AttrRef<'_>, ascii_only: bool) {
    match value {
        AttrRef::Str(s) => write_str_repr(out, s, ascii_only),
        other => write_str_of(out, other),
    }
}

/// Whether Python's `str.isprintable()` holds for `c` (approximated for the
/// categories that matter in log text: controls, format characters,
/// separators other than the space, private use).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..=0xa0).contains(&u)
        || u == 0xad
        || u == 0x1680
        || (0x2000..=0x200f).contains(&u)
        || (0x2028..=0x202f).contains(&u)
        || (0x205f..=0x2064).contains(&u)
        || (0x2066..=0x206f).contains(&u)
        || u == 0x3000
        || u == 0xfeff
        || (0xe000..=0xf8ff).contains(&u)
        || (0xfff9..=0xfffb).contains(&u)
        || (0xf0000..).contains(&u))
}

/// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
pub fn write_str_repr(out: &mut impl Write, s: &str, ascii_only: bool) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let _ = out.write_char(quote);
    for c in s.chars() {
        let _ = match c {
            '\\' => out.write_str("\\\\"),
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            '\t' => out.write_str("\\t"),
            c if c == quote => write!(out, "\\{c}"),
            c if (c as u32) < 0x7f && (c as u32) >= 0x20 => out.write_char(c),
            c if !ascii_only && (c as u32) > 0x7f && is_printable(c) => out.write_char(c),
            c if (c as u32) <= 0xff => write!(out, "\\x{:02x}", c as u32),
            c if (c as u32) <= 0xffff => write!(out, "\\u{:04x}", c as u32),
            c => write!(out, "\\U{:08x}", c as u32),
        };
    }
    let _ = out.write_char(quote);
}

/// Appends `text` padded to `width` characters (code points, as Python counts).
pub fn pad(out: &mut String, text: &str, width: usize, align: Align, fill: char) {
    // Only count characters when it can matter: byte length >= char count.
    if text.len() >= width && (width == 0 || text.is_ascii() || text.chars().count() >= width) {
        out.push_str(text);
        return;
    }
    let len = text.chars().count();
    if len >= width {
        out.push_str(text);
        return;
    }
    let gap = width - len;
    let (before, after) = match align {
        Align::Left => (0, gap),
        Align::Right => (gap, 0),
        Align::Center => (gap / 2, gap - gap / 2),
    };
    for _ in 0..before {
        out.push(fill);
    }
    out.push_str(text);
    for _ in 0..after {
        out.push(fill);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// Appends a signed number body (`-` already part of `text` if negative),
/// zero-padded after its sign and prefix to `width`, as `%05d` / `{:=05}` do.
pub fn pad_numeric_zeros(out: &mut String, text: &str, width: usize, fill: char) {
    let sign_len = usize::from(text.starts_with(['-', '+', ' ']));
    let rest = &text[sign_len..];
    let prefix_len = if rest.len() >= 2
        && rest.as_bytes()[0] == b'0'
        && matches!(rest.as_bytes()[1], b'x' | b'X' | b'o' | b'b')
    {
        2
    } else {
        0
    };
    let head = &text[..sign_len + prefix_len];
    let body = &text[sign_len + prefix_len..];
    out.push_str(head);
    let len = text.chars().count();
    for _ in len..width {
        out.push(fill);
    }
    out.push_str(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(f: f64) -> String {
        python_float_repr(f)
    }

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(repr(1700000000.987654), "1700000000.987654");
        assert_eq!(repr(987.0), "987.0");
        assert_eq!(repr(0.1), "0.1");
        assert_eq!(repr(1e16), "1e+16");
        assert_eq!(repr(1.5e-5), "1.5e-05");
        assert_eq!(repr(0.0001), "0.0001");
        assert_eq!(repr(123456789012345.6), "123456789012345.6");
        assert_eq!(repr(-2.5), "-2.5");
        assert_eq!(repr(f64::INFINITY), "inf");
        assert_eq!(repr(1e22), "1e+22");
        assert_eq!(repr(1.25e100), "1.25e+100");
    }

    #[test]
    fn general_format_matches_python() {
        let g = |v: f64, p: usize| {
            let mut s = String::new();
            write_general(&mut s, v, p, false, false, false);
            s
        };
        assert_eq!(g(1234.5, 6), "1234.5");
        assert_eq!(g(0.00001234, 6), "1.234e-05");
        assert_eq!(g(1e6, 6), "1e+06");
        assert_eq!(g(123456.0, 6), "123456");
        assert_eq!(g(0.5, 0), "0.5");
        assert_eq!(g(100.0, 2), "1e+02");
    }

    #[test]
    fn repr_quotes_like_python() {
        let r = |s: &str| {
            let mut o = String::new();
            write_str_repr(&mut o, s, false);
            o
        };
        assert_eq!(r("hi x"), "'hi x'");
        assert_eq!(r("it's"), "\"it's\"");
        assert_eq!(r("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(r("tab\there\n"), "'tab\\there\\n'");
        assert_eq!(r("é\u{7f}\u{a0}"), "'é\\x7f\\xa0'");
    }
}
