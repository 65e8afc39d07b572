//! Python's text for values: `str()`, `repr()`, `ascii()`, float repr, and
//! the numeric conversions shared by `%`-style and `{}`-style specs.
//! Everything writes into a caller's buffer; nothing allocates.

use std::fmt::Write;

use crate::record::AttrRef;

/// A small stack buffer numbers and dates are rendered into before padding:
/// arrayvec's, left uninitialised until written (zeroing it per record
/// showed in profiles) and read back as `&str` without a UTF-8 check, in
/// that crate's code rather than ours. A write that does not fit fails and
/// writes nothing.
pub type StackText<const N: usize> = arrayvec::ArrayString<N>;

/// Text rendered on the stack while it fits in `N` bytes and moved to the
/// heap when it does not: everyday numbers and dates cost no allocation, and
/// long ones (`%.300f`, a zero-padded width of 1000, a long datefmt) lose
/// nothing. Widths and precisions are bounded at construction (spec.rs).
pub struct SpillText<const N: usize> {
    stack: StackText<N>,
    heap: Option<String>,
}

impl<const N: usize> SpillText<N> {
    pub fn new() -> Self {
        SpillText {
            stack: StackText::new(),
            heap: None,
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.heap {
            Some(text) => text,
            None => self.stack.as_str(),
        }
    }
}

impl<const N: usize> SpillText<N> {
    /// Moves the text to the heap and appends `s` (the rare, long case).
    #[cold]
    #[inline(never)]
    fn spill(&mut self, s: &str) {
        let heap = self.heap.get_or_insert_with(|| {
            let mut heap = String::with_capacity(2 * N);
            heap.push_str(self.stack.as_str());
            heap
        });
        heap.push_str(s);
    }
}

impl<const N: usize> Write for SpillText<N> {
    #[inline]
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.heap.is_some() || self.stack.try_push_str(s).is_err() {
            self.spill(s);
        }
        Ok(())
    }
}

/// Number text: any f64 in repr or exponent form fits in the stack part.
pub type NumberText = SpillText<400>;

/// Python's `repr(float)` (also `str(float)`): the shortest digits that
/// round-trip (ties to even, as CPython's dtoa), exponent form below 1e-4
/// and from 1e16 up, `.0` on whole numbers.
pub fn write_float_repr(out: &mut impl Write, value: f64) {
    if let Some(special) = non_finite(value, false) {
        let _ = out.write_str(special);
        return;
    }
    // Most floats programs log (`short_decimal` checks the range itself).
    if write_short_decimal(out, value) {
        return;
    }
    let mut buffer = ryu::Buffer::new();
    // Between 1e-4 and 1e16 (and for zero) Ryu writes what Python's repr
    // does: the same shortest digits in positional form with ".0" on whole
    // numbers. Outside, the exponent forms differ (1e-05 / 1e+16).
    if (1e-4..1e16).contains(&value.abs()) || value == 0.0 {
        let _ = out.write_str(buffer.format_finite(value));
        return;
    }
    let (digit_buf, digit_len, exponent) = shortest_digits(&mut buffer, value.abs());
    let digits = std::str::from_utf8(&digit_buf[..digit_len]).unwrap_or("0");
    if value.is_sign_negative() {
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

/// A float whose repr is a short decimal: the sign, the whole part and the
/// `decimals` digits after the point (none: the repr ends in ".0").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShortDecimal {
    pub negative: bool,
    pub whole: u64,
    pub fraction: u64,
    pub decimals: usize,
}

/// Python's repr of `value` as a short decimal when it is zero or between
/// 1e-4 and 1e16 and n / 10^k for an integer n below 10^15 and k up to 6
/// (1.5, 0.25, 123.456: most floats programs log), found without Ryu; None
/// for any other value. Such a decimal has at most 15 significant digits,
/// so it is the only one of that length or shorter that reads back as
/// `value`: Python's shortest repr.
#[inline]
pub fn short_decimal(value: f64) -> Option<ShortDecimal> {
    const SCALES: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    let magnitude = value.abs();
    if !((1e-4..1e16).contains(&magnitude) || magnitude == 0.0) {
        return None;
    }
    for (decimals, scale) in SCALES.into_iter().enumerate() {
        let scaled = magnitude * scale;
        if scaled >= 1e15 {
            return None;
        }
        // Nearest integer: + 0.5 and truncation (exact below 2^52; f64::round
        // is a libm call on x86-64); a tie misrounded by the + 0.5 cannot
        // read back as `value` anyway (a decimal that does is within an ulp
        // of an integer here). Zero reads back only as zero.
        let n = crate::unchecked::trunc_i64(scaled + 0.5)?;
        if n as f64 / scale != magnitude {
            continue;
        }
        // The smallest such k: the fraction's last digit is nonzero.
        let n = n.unsigned_abs();
        let (whole, fraction) = match decimals {
            0 => (n, 0),
            1 => (n / 10, n % 10),
            2 => (n / 100, n % 100),
            3 => (n / 1_000, n % 1_000),
            4 => (n / 10_000, n % 10_000),
            5 => (n / 100_000, n % 100_000),
            _ => (n / 1_000_000, n % 1_000_000),
        };
        return Some(ShortDecimal {
            negative: value.is_sign_negative(),
            whole,
            fraction,
            decimals,
        });
    }
    None
}

/// `short_decimal`'s text, when `value` is one.
fn write_short_decimal(out: &mut impl Write, value: f64) -> bool {
    let Some(decimal) = short_decimal(value) else {
        return false;
    };
    // Written right to left: ".0" or the `decimals` digits after the point,
    // the point, the whole part (at least "0"), the sign; then one copy.
    let mut text = [b'0'; 32];
    let mut at = text.len();
    if decimal.decimals == 0 {
        at -= 2;
        text[at..].copy_from_slice(b".0");
    } else {
        let mut fraction = decimal.fraction;
        for _ in 0..decimal.decimals {
            at -= 1;
            text[at] = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        at -= 1;
        text[at] = b'.';
    }
    at = write_u64_digits(&mut text[..at], decimal.whole);
    if decimal.negative {
        at -= 1;
        text[at] = b'-';
    }
    let _ = out.write_str(&crate::unchecked::ascii_str(&text[at..]));
    true
}

/// Writes the decimal digits of `value` at the end of `buf`, two per
/// division (half the divisions of a digit loop), and returns where they
/// start. `buf` must hold 20 bytes (u64::MAX has 20 digits).
#[inline]
pub(crate) fn write_u64_digits(buf: &mut [u8], mut value: u64) -> usize {
    let mut at = buf.len();
    while value >= 100 {
        let pair = (value % 100) as usize * 2;
        value /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&crate::unchecked::DIGIT_PAIRS[pair..pair + 2]);
    }
    if value >= 10 {
        let pair = value as usize * 2;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&crate::unchecked::DIGIT_PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + value as u8;
    }
    at
}

/// The shortest round-trip significant digits of a finite `value >= 0` (no
/// leading or trailing zeros; "0" for zero) and the decimal exponent of the
/// first one, from Ryu's text (`1.5e-7`, `168.00308227539062`, `1e16`).
fn shortest_digits(buffer: &mut ryu::Buffer, value: f64) -> ([u8; 24], usize, i32) {
    let text = buffer.format_finite(value);
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = [0u8; 24];
    let mut len = 0;
    // Position of the first significant digit relative to the point.
    let mut exponent = exp + int_part.len() as i32 - 1;
    let mut leading = true;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        if leading && b == b'0' {
            exponent -= 1;
            continue;
        }
        leading = false;
        if len < digits.len() {
            digits[len] = b;
            len += 1;
        }
    }
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    if len == 0 {
        digits[0] = b'0';
        return (digits, 1, 0);
    }
    (digits, len, exponent)
}

/// The exact integer part of a finite float in decimal (`%d` of `1e22` is
/// `10000000000000000000000`, not a saturated i64), with its sign.
pub fn write_float_as_integer(out: &mut impl Write, value: f64) {
    let value = value.trunc();
    if value.abs() < 9.2e18 {
        let _ = write!(out, "{}", value as i64);
        return;
    }
    // value = mantissa * 2^shift exactly, with shift > 0 here.
    let bits = value.abs().to_bits();
    let shift = ((bits >> 52) & 0x7ff) as i32 - 1075;
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    // Little-endian base-1e9 limbs, doubled `shift` times (at most 971).
    let mut limbs: Vec<u32> = vec![
        (mantissa % 1_000_000_000) as u32,
        (mantissa / 1_000_000_000 % 1_000_000_000) as u32,
        (mantissa / 1_000_000_000_000_000_000) as u32,
    ];
    for _ in 0..shift.max(0) {
        let mut carry = 0u32;
        for limb in &mut limbs {
            let doubled = *limb * 2 + carry;
            *limb = doubled % 1_000_000_000;
            carry = doubled / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    if value < 0.0 {
        let _ = out.write_char('-');
    }
    let mut rest = limbs.iter().rev();
    if let Some(top) = rest.next() {
        let _ = write!(out, "{top}");
    }
    for limb in rest {
        let _ = write!(out, "{limb:09}");
    }
}

/// `format(value, '#')`: the repr with a point even in exponent form
/// (`1.e+16`, `5.e-324`).
pub fn write_float_repr_alternate(out: &mut impl Write, value: f64) {
    let mut text = NumberText::new();
    write_float_repr(&mut text, value);
    let text = text.as_str();
    match text.split_once('e') {
        Some((mantissa, exponent)) if !mantissa.contains('.') => {
            let _ = write!(out, "{mantissa}.e{exponent}");
        }
        _ => {
            let _ = out.write_str(text);
        }
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
    // CPython's "no type" variant switches to exponent form one digit
    // earlier (`format(100.0, '.3')` is `1e+02`).
    let limit = if keep_point { p as i32 - 1 } else { p as i32 };
    let use_exp = exponent < -4 || exponent >= limit;
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
        // Almost every int fits an i64, which formats faster than an i128.
        AttrRef::Int(i) => match i64::try_from(i) {
            Ok(small) => write!(out, "{small}"),
            Err(_) => write!(out, "{i}"),
        },
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

/// Whether Python's `str.isprintable()` holds for `c` (CPython 3.11's
/// Unicode tables: printable.rs).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    let table = &super::printable::NOT_PRINTABLE;
    // The last range starting at or before u decides.
    let i = table.partition_point(|&(start, _)| start <= u);
    !(i > 0 && u <= table[i - 1].1)
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
    push_fill(out, fill, before);
    out.push_str(text);
    push_fill(out, fill, after);
}

/// Appends `n` copies of `fill`: spaces (nearly every padding) a slice at
/// a time, other characters one by one.
#[inline]
pub fn push_fill(out: &mut String, fill: char, n: usize) {
    const SPACES: &str = "                                ";
    if fill != ' ' {
        out.extend(std::iter::repeat_n(fill, n));
        return;
    }
    let mut left = n;
    while left > 0 {
        let k = left.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        left -= k;
    }
}

/// Appends the decimal digits of `n` (no `fmt` machinery).
pub fn write_u64(out: &mut impl std::fmt::Write, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in &digits[at..] {
        // `& 0x7f`: the compiler then knows each is one byte of UTF-8.
        let _ = out.write_char(char::from(*d & 0x7f));
    }
}

/// Appends `text` padded to `width` characters with `fill` inserted after
/// its first `lead` characters (the sign and prefix): `=` alignment.
pub fn pad_after_sign(out: &mut String, text: &str, lead: usize, width: usize, fill: char) {
    let split = text.char_indices().nth(lead).map_or(text.len(), |(i, _)| i);
    out.push_str(&text[..split]);
    let len = text.chars().count();
    for _ in len..width {
        out.push(fill);
    }
    out.push_str(&text[split..]);
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
    fn short_decimals_match_cpython_repr() {
        // n / 10^k and n * 0.25 for pseudo-random n of 1 to 15 digits and
        // k up to 7 (the fast path's domain and its edges), both signs,
        // against CPython's repr of the same bits.
        let mut values = Vec::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..20_000u64 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = 1 + (seed >> 60) as u32 % 15;
            let n = (seed >> 8) % 10u64.pow(digits);
            let k = (seed >> 4) as i32 % 8;
            let v = if i % 3 == 0 {
                n as f64 * 0.25
            } else {
                n as f64 / 10f64.powi(k)
            };
            values.push(if i % 2 == 0 { v } else { -v });
        }
        let input: String = values
            .iter()
            .map(|v| format!("{:016x}\n", v.to_bits()))
            .collect();
        let mut child = std::process::Command::new("python3")
            .args(["-c", "import sys,struct\nfor l in sys.stdin: print(repr(struct.unpack('<d', int(l, 16).to_bytes(8, 'little'))[0]))"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        // Written from a thread: the answers fill the pipe meanwhile.
        let mut stdin = child.stdin.take().unwrap();
        let writer =
            std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        let expected = String::from_utf8(out.stdout).unwrap();
        for (v, want) in values.iter().zip(expected.lines()) {
            assert_eq!(repr(*v), want, "{v:e}");
        }
        assert_eq!(expected.lines().count(), values.len());
    }

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(repr(1700000000.987654), "1700000000.987654");
        assert_eq!(repr(987.0), "987.0");
        assert_eq!(repr(0.0), "0.0");
        assert_eq!(repr(-987.0), "-987.0");
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
    // The literal is the double's exact value: that it is a tie is the point.
    #[allow(clippy::excessive_precision)]
    fn float_repr_ties_go_to_even_as_in_cpython() {
        // The 17-digit candidates …062 and …063 are equally near.
        assert_eq!(repr(168.003082275390625), "168.00308227539062");
        assert_eq!(repr(5e-324), "5e-324");
        assert_eq!(repr(-0.0), "-0.0");
        assert_eq!(repr(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(repr(9999999999999998.0), "9999999999999998.0");
    }

    #[test]
    fn integer_text_of_floats_is_exact() {
        let int = |v: f64| {
            let mut s = String::new();
            write_float_as_integer(&mut s, v);
            s
        };
        assert_eq!(int(1e22), "10000000000000000000000");
        assert_eq!(int(2f64.powi(63)), "9223372036854775808");
        assert_eq!(int(-12.9), "-12");
        let max = int(f64::MAX);
        assert_eq!(max.len(), 309);
        assert!(max.starts_with("1797693134862315708145274237317043567980705675258449965989"));
        assert!(max.ends_with("26184124858368"));
    }

    #[test]
    fn spill_text_keeps_everything() {
        let mut t = StackText::<4>::new();
        assert!(t.write_str("12345").is_err());
        let mut s = SpillText::<4>::new();
        let _ = s.write_str("12");
        let _ = s.write_str("345");
        let _ = s.write_str("6");
        assert_eq!(s.as_str(), "123456");
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
