//! Python literals as fileConfig's `args=` and `kwargs=` hold them, read
//! without evaluating anything.
//!
//! CPython `eval`s these texts in the namespace of the `logging` module, so
//! anyone who can write the file (or reach the config port) can run code.
//! This parser accepts what `ast.literal_eval` accepts that a handler's
//! arguments need — strings (every quote form, `r`/`u` prefixes, escapes,
//! adjacent strings joined), integers and floats with an optional sign,
//! tuples, lists, dicts, `True`/`False`/`None` — plus the few names those
//! arguments use: `sys.stdout`, `sys.stderr`, the level names, and the
//! constants of `logging.handlers` and `socket` (`handlers.SysLogHandler.LOG_USER`,
//! `handlers.DEFAULT_TCP_LOGGING_PORT`, `socket.SOCK_DGRAM`, …). Everything
//! else — calls, operators, other names, bytes, complex numbers, sets,
//! integers beyond 64 bits — is an error that says what and where.
//! Nesting depth and text size are bounded.

use std::fmt;

/// Largest text accepted (bytes).
pub(crate) const MAX_TEXT: usize = 64 * 1024;
/// Deepest nesting of tuples, lists and dicts accepted.
pub(crate) const MAX_DEPTH: usize = 32;

/// A value read from a literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Tuple(Vec<Literal>),
    List(Vec<Literal>),
    /// In the text's order; a repeated key keeps its first place and its
    /// last value, as a Python dict does.
    Dict(Vec<(Literal, Literal)>),
    /// `sys.stdout` or `sys.stderr`.
    Stream(StdStream),
}

/// The two standard streams a config may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdStream {
    Stdout,
    Stderr,
}

/// Why a text is not an accepted literal: what, and the byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for LiteralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for LiteralError {}

/// Integer constants reachable by name: the level names, `logging.handlers`'
/// ports and SysLogHandler's priorities and facilities, `socket`'s socket
/// types and families (Linux values, as CPython has them here).
const LEVELS: &[(&str, i64)] = &[
    ("CRITICAL", 50),
    ("FATAL", 50),
    ("ERROR", 40),
    ("WARNING", 30),
    ("WARN", 30),
    ("INFO", 20),
    ("DEBUG", 10),
    ("NOTSET", 0),
];
const HANDLERS: &[(&str, i64)] = &[
    ("DEFAULT_TCP_LOGGING_PORT", 9020),
    ("DEFAULT_UDP_LOGGING_PORT", 9021),
    ("DEFAULT_HTTP_LOGGING_PORT", 9022),
    ("DEFAULT_SOAP_LOGGING_PORT", 9023),
    ("SYSLOG_UDP_PORT", 514),
    ("SYSLOG_TCP_PORT", 514),
];
const SYSLOG: &[(&str, i64)] = &[
    ("LOG_EMERG", 0),
    ("LOG_ALERT", 1),
    ("LOG_CRIT", 2),
    ("LOG_ERR", 3),
    ("LOG_WARNING", 4),
    ("LOG_NOTICE", 5),
    ("LOG_INFO", 6),
    ("LOG_DEBUG", 7),
    ("LOG_KERN", 0),
    ("LOG_USER", 1),
    ("LOG_MAIL", 2),
    ("LOG_DAEMON", 3),
    ("LOG_AUTH", 4),
    ("LOG_SYSLOG", 5),
    ("LOG_LPR", 6),
    ("LOG_NEWS", 7),
    ("LOG_UUCP", 8),
    ("LOG_CRON", 9),
    ("LOG_AUTHPRIV", 10),
    ("LOG_FTP", 11),
    ("LOG_NTP", 12),
    ("LOG_SECURITY", 13),
    ("LOG_CONSOLE", 14),
    ("LOG_SOLCRIT", 15),
    ("LOG_LOCAL0", 16),
    ("LOG_LOCAL1", 17),
    ("LOG_LOCAL2", 18),
    ("LOG_LOCAL3", 19),
    ("LOG_LOCAL4", 20),
    ("LOG_LOCAL5", 21),
    ("LOG_LOCAL6", 22),
    ("LOG_LOCAL7", 23),
];
const SOCKET: &[(&str, i64)] = &[
    ("SOCK_STREAM", 1),
    ("SOCK_DGRAM", 2),
    ("SOCK_RAW", 3),
    ("SOCK_SEQPACKET", 5),
    ("AF_UNIX", 1),
    ("AF_INET", 2),
    ("AF_INET6", 10),
];

fn lookup(table: &[(&str, i64)], name: &str) -> Option<i64> {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The value of a dotted name, or None when it is not one we know.
/// `logging.` in front is optional (fileConfig's namespace is the logging
/// module's own, where `handlers` and `sys` are names).
fn resolve_name(dotted: &str) -> Option<Literal> {
    let name = dotted.strip_prefix("logging.").unwrap_or(dotted);
    match name {
        "sys.stdout" => return Some(Literal::Stream(StdStream::Stdout)),
        "sys.stderr" => return Some(Literal::Stream(StdStream::Stderr)),
        "True" => return Some(Literal::Bool(true)),
        "False" => return Some(Literal::Bool(false)),
        "None" => return Some(Literal::None),
        _ => {}
    }
    let int = if let Some(rest) = name.strip_prefix("handlers.SysLogHandler.") {
        lookup(SYSLOG, rest)
    } else if let Some(rest) = name.strip_prefix("handlers.socket.") {
        lookup(SOCKET, rest)
    } else if let Some(rest) = name.strip_prefix("socket.") {
        lookup(SOCKET, rest)
    } else if let Some(rest) = name.strip_prefix("handlers.") {
        lookup(HANDLERS, rest)
    } else {
        lookup(LEVELS, name)
    };
    int.map(Literal::Int)
}

/// Reads `text` as one Python literal (a bare `a, b` is a tuple, as in
/// Python's eval mode).
pub fn parse(text: &str) -> Result<Literal, LiteralError> {
    if text.len() > MAX_TEXT {
        return Err(LiteralError {
            offset: MAX_TEXT,
            message: format!("literal longer than {MAX_TEXT} bytes"),
        });
    }
    let mut p = Parser {
        s: text,
        pos: 0,
        depth: 0,
    };
    // literal_eval drops leading spaces and tabs before parsing.
    p.pos = text.len() - text.trim_start_matches([' ', '\t']).len();
    p.skip_leading_lines()?;
    p.skip_space(false);
    if p.at_end() {
        return Err(p.error("empty literal"));
    }
    let first = p.value()?;
    let value = if p.peek() == Some(',') {
        let mut items = vec![first];
        while p.peek() == Some(',') {
            p.pos += 1;
            p.skip_space(false);
            if p.at_end() {
                break;
            }
            items.push(p.value()?);
        }
        Literal::Tuple(items)
    } else {
        first
    };
    p.skip_space(false);
    if !p.at_end() {
        return Err(p.error("unexpected text after the literal"));
    }
    Ok(value)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> LiteralError {
        LiteralError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// Blank and comment-only lines before the literal; the line it starts
    /// on must not be indented (unless it is the first).
    fn skip_leading_lines(&mut self) -> Result<(), LiteralError> {
        let mut first = true;
        loop {
            let rest = self.rest();
            let line_len = rest.find('\n').unwrap_or(rest.len());
            let line = rest[..line_len].trim_end_matches('\r');
            let body = line.trim_start_matches([' ', '\t', '\x0c']);
            if body.is_empty() || body.starts_with('#') {
                if line_len == rest.len() {
                    self.pos = self.s.len();
                    return Ok(());
                }
                self.pos += line_len + 1;
                first = false;
                continue;
            }
            if !first && body.len() != line.len() {
                return Err(self.error("unexpected indent"));
            }
            return Ok(());
        }
    }

    /// Spaces, tabs, form feeds, comments and backslash-newline joins; line
    /// ends too inside brackets. At the top level a line end may only be
    /// followed by more blank lines.
    fn skip_space(&mut self, in_brackets: bool) {
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else { return };
            match c {
                ' ' | '\t' | '\x0c' => self.pos += 1,
                '#' => self.pos += rest.find('\n').unwrap_or(rest.len()),
                '\\' if rest[1..].starts_with('\n') => self.pos += 2,
                '\\' if rest[1..].starts_with("\r\n") => self.pos += 3,
                '\n' | '\r' if in_brackets => self.pos += 1,
                '\n' | '\r' => {
                    // eval mode: only trailing blank lines (and comments).
                    let tail = rest.trim_start_matches(|c: char| {
                        c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '\x0c'
                    });
                    if tail.is_empty() {
                        self.pos = self.s.len();
                    } else if tail.starts_with('#') {
                        self.pos = self.s.len() - tail.len();
                    } else {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// One value, with an optional sign in front of a number.
    fn value(&mut self) -> Result<Literal, LiteralError> {
        let start = self.pos;
        let (v, plain) = self.value_plain()?;
        if let Plain::Int(m) = plain {
            if m > i64::MAX as u64 {
                return Err(self.too_big(start));
            }
        }
        Ok(v)
    }

    /// A value and, when it is an unsigned number literal (perhaps in
    /// parentheses), what a sign in front of it may act on.
    fn value_plain(&mut self) -> Result<(Literal, Plain), LiteralError> {
        let in_brackets = self.depth > 0;
        let start = self.pos;
        let sign = match self.peek() {
            Some('-') => Some(true),
            Some('+') => Some(false),
            _ => None,
        };
        let out = if let Some(negative) = sign {
            self.pos += 1;
            self.skip_space(in_brackets);
            let (v, plain) = self.atom()?;
            let v = match (plain, v) {
                (Plain::Int(m), _) if negative => {
                    if m == 1u64 << 63 {
                        Literal::Int(i64::MIN)
                    } else {
                        Literal::Int(-i64::try_from(m).map_err(|_| self.too_big(start))?)
                    }
                }
                (Plain::Int(m), _) => {
                    Literal::Int(i64::try_from(m).map_err(|_| self.too_big(start))?)
                }
                (Plain::Float, Literal::Float(f)) => Literal::Float(if negative { -f } else { f }),
                _ => {
                    return Err(LiteralError {
                        offset: start,
                        message: "a sign may only stand before a number".into(),
                    })
                }
            };
            (v, Plain::No)
        } else {
            self.atom()?
        };
        self.skip_space(in_brackets);
        Ok(out)
    }

    fn too_big(&self, offset: usize) -> LiteralError {
        LiteralError {
            offset,
            message: "integer out of the 64-bit range".into(),
        }
    }

    /// An atom and whether it is a plain number literal (which a sign may
    /// precede; parentheses around it keep it plain, as in Python's AST).
    fn atom(&mut self) -> Result<(Literal, Plain), LiteralError> {
        let Some(c) = self.peek() else {
            return Err(self.error("a value is missing"));
        };
        match c {
            '(' => self.bracketed(')'),
            '[' => self.bracketed(']'),
            '{' => self.dict().map(|d| (d, Plain::No)),
            '0'..='9' => self.number(),
            '.' if self.rest()[1..].starts_with(|c: char| c.is_ascii_digit()) => self.number(),
            '\'' | '"' => self.strings().map(|s| (s, Plain::No)),
            c if is_ident_start(c) => {
                if self.string_prefix().is_some() {
                    return self.strings().map(|s| (s, Plain::No));
                }
                self.name().map(|n| (n, Plain::No))
            }
            _ => Err(self.error(format!("unexpected character {c:?}"))),
        }
    }

    fn enter(&mut self) -> Result<(), LiteralError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH}")));
        }
        Ok(())
    }

    /// `( … )` (a tuple, or one parenthesised value) or `[ … ]` (a list).
    fn bracketed(&mut self, close: char) -> Result<(Literal, Plain), LiteralError> {
        self.enter()?;
        self.pos += 1;
        self.skip_space(true);
        let mut items = Vec::new();
        let mut trailing_comma = false;
        let mut plain = Plain::No;
        while self.peek() != Some(close) {
            if self.at_end() {
                return Err(self.error(format!("missing {close:?}")));
            }
            let start = self.pos;
            let (v, p) = self.value_plain()?;
            if let Plain::Int(m) = p {
                if items.is_empty() && close == ')' && self.peek() == Some(')') {
                    // (9223372036854775808) may still get a sign.
                } else if m > i64::MAX as u64 {
                    return Err(self.too_big(start));
                }
            }
            plain = p;
            items.push(v);
            match self.peek() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_space(true);
                    trailing_comma = true;
                }
                Some(c) if c == close => trailing_comma = false,
                Some(c) => {
                    return Err(self.error(format!("expected ',' or {close:?}, found {c:?}")))
                }
                None => return Err(self.error(format!("missing {close:?}"))),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        if close == ']' {
            return Ok((Literal::List(items), Plain::No));
        }
        if items.len() == 1 && !trailing_comma {
            let only = items.pop().unwrap_or(Literal::None);
            return Ok((only, plain));
        }
        Ok((Literal::Tuple(items), Plain::No))
    }

    fn dict(&mut self) -> Result<Literal, LiteralError> {
        self.enter()?;
        self.pos += 1;
        self.skip_space(true);
        let mut items: Vec<(Literal, Literal)> = Vec::new();
        while self.peek() != Some('}') {
            if self.at_end() {
                return Err(self.error("missing '}'"));
            }
            let key_at = self.pos;
            let key = self.value()?;
            if matches!(key, Literal::List(_) | Literal::Dict(_)) || contains_unhashable(&key) {
                return Err(LiteralError {
                    offset: key_at,
                    message: "a list or dict cannot be a dict key".into(),
                });
            }
            if self.peek() != Some(':') {
                return Err(self.error("expected ':' in a dict (sets are not accepted)"));
            }
            self.pos += 1;
            self.skip_space(true);
            if self.peek() == Some('}') || self.at_end() {
                return Err(self.error("a dict value is missing"));
            }
            let value = self.value()?;
            match items.iter_mut().find(|(k, _)| same_key(k, &key)) {
                Some(slot) => slot.1 = value,
                None => items.push((key, value)),
            }
            match self.peek() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_space(true);
                }
                Some('}') => {}
                Some(c) => return Err(self.error(format!("expected ',' or '}}', found {c:?}"))),
                None => return Err(self.error("missing '}'")),
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Literal::Dict(items))
    }

    /// A dotted name: True/False/None or one of the known constants.
    fn name(&mut self) -> Result<Literal, LiteralError> {
        let start = self.pos;
        let mut dotted = String::new();
        loop {
            let rest = self.rest();
            let len = rest
                .char_indices()
                .find(|&(_, c)| !is_ident_char(c))
                .map_or(rest.len(), |(i, _)| i);
            if len == 0 || !rest.starts_with(is_ident_start) {
                return Err(self.error("a name is missing after '.'"));
            }
            dotted.push_str(&rest[..len]);
            self.pos += len;
            let save = self.pos;
            self.skip_space(self.depth > 0);
            if self.peek() == Some('.') {
                self.pos += 1;
                self.skip_space(self.depth > 0);
                dotted.push('.');
            } else {
                self.pos = save;
                break;
            }
        }
        let after = self.pos;
        self.skip_space(self.depth > 0);
        if matches!(self.peek(), Some('(' | '[')) {
            return Err(LiteralError {
                offset: start,
                message: format!("'{dotted}' is called or indexed: only literals are accepted, nothing is evaluated"),
            });
        }
        self.pos = after;
        resolve_name(&dotted).ok_or(LiteralError {
            offset: start,
            message: format!(
                "unknown name '{dotted}' (accepted: True, False, None, sys.stdout, sys.stderr, level names, logging.handlers and socket constants)"
            ),
        })
    }

    /// An int or float literal (no sign).
    fn number(&mut self) -> Result<(Literal, Plain), LiteralError> {
        let start = self.pos;
        let rest = self.rest();
        let b = rest.as_bytes();
        let radix = if b.len() > 1 && b[0] == b'0' {
            match b[1] {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                b'b' | b'B' => 2,
                _ => 10,
            }
        } else {
            10
        };
        if radix != 10 {
            // 0x_1f: an underscore may follow the prefix.
            let digits_at = 2;
            let mut end = digits_at;
            let mut clean = String::new();
            let mut last_underscore = true;
            while end < b.len() {
                let c = b[end] as char;
                if c == '_' && !last_underscore {
                    last_underscore = true;
                } else if c.is_digit(radix) {
                    clean.push(c);
                    last_underscore = false;
                } else if c == '_' && end == digits_at {
                    last_underscore = true;
                } else {
                    break;
                }
                end += 1;
            }
            if clean.is_empty() || last_underscore {
                return Err(self.error("malformed number"));
            }
            self.pos += end;
            self.number_end()?;
            let v = u64::from_str_radix(&clean, radix).map_err(|_| self.too_big(start))?;
            return Ok(as_int(v));
        }
        // Decimal: digitpart ['.' [digitpart]] [exponent], or '.' digitpart [exponent].
        let mut end = 0;
        let int_digits = digitpart(b, &mut end).ok_or_else(|| self.error("malformed number"))?;
        let mut is_float = false;
        if end < b.len() && b[end] == b'.' {
            is_float = true;
            end += 1;
            if end < b.len() && b[end].is_ascii_digit() {
                digitpart(b, &mut end).ok_or_else(|| self.error("malformed number"))?;
            } else if int_digits == 0 {
                return Err(self.error("malformed number"));
            }
        }
        if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
            let save = end;
            end += 1;
            if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
                end += 1;
            }
            if end < b.len() && b[end].is_ascii_digit() {
                digitpart(b, &mut end).ok_or_else(|| self.error("malformed number"))?;
                is_float = true;
            } else {
                end = save;
            }
        }
        let clean: String = rest[..end].chars().filter(|&c| c != '_').collect();
        self.pos += end;
        self.number_end()?;
        if is_float {
            let f: f64 = clean.parse().map_err(|_| self.error("malformed number"))?;
            return Ok((Literal::Float(f), Plain::Float));
        }
        if clean.len() > 1 && clean.starts_with('0') && clean.bytes().any(|c| c != b'0') {
            return Err(LiteralError {
                offset: start,
                message: "leading zeros in a decimal integer are not permitted".into(),
            });
        }
        let v: u64 = clean.parse().map_err(|_| self.too_big(start))?;
        Ok(as_int(v))
    }

    /// A number must not run into a name or a complex suffix.
    fn number_end(&self) -> Result<(), LiteralError> {
        match self.peek() {
            Some('j' | 'J') => Err(self.error("complex numbers are not accepted")),
            Some(c) if is_ident_char(c) || c == '.' => Err(self.error("malformed number")),
            _ => Ok(()),
        }
    }

    /// The prefix of a string literal at the cursor (letters then a quote),
    /// as (length, raw, refused: a bytes or f-string prefix).
    fn string_prefix(&self) -> Option<(usize, bool, bool)> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if len > 2 || !rest[len..].starts_with(['\'', '"']) {
            return None;
        }
        let prefix = rest[..len].to_ascii_lowercase();
        let (raw, bytes_or_f) = match prefix.as_str() {
            "" | "u" => (false, false),
            "r" => (true, false),
            "b" | "br" | "rb" | "f" | "fr" | "rf" => (prefix.contains('r'), true),
            _ => return None,
        };
        Some((len, raw, bytes_or_f))
    }

    /// One or more adjacent string literals, joined.
    fn strings(&mut self) -> Result<Literal, LiteralError> {
        let mut out = String::new();
        loop {
            self.string(&mut out)?;
            let save = self.pos;
            self.skip_space(self.depth > 0);
            let next_is_string = match self.peek() {
                Some('\'' | '"') => true,
                Some(c) if c.is_ascii_alphabetic() => self.string_prefix().is_some(),
                _ => false,
            };
            if !next_is_string {
                self.pos = save;
                return Ok(Literal::Str(out));
            }
        }
    }

    fn string(&mut self, out: &mut String) -> Result<(), LiteralError> {
        let start = self.pos;
        let (plen, raw, refused) = self
            .string_prefix()
            .ok_or_else(|| self.error("malformed string"))?;
        if refused {
            return Err(self.error("bytes and f-strings are not accepted, only plain strings"));
        }
        self.pos += plen;
        let rest = self.rest();
        let quote = rest.as_bytes()[0] as char;
        let triple = rest.starts_with(&format!("{quote}{quote}{quote}"));
        self.pos += if triple { 3 } else { 1 };
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return Err(LiteralError {
                    offset: start,
                    message: "unterminated string".into(),
                });
            };
            if c == quote {
                if !triple {
                    self.pos += 1;
                    return Ok(());
                }
                if rest.starts_with(&format!("{quote}{quote}{quote}")) {
                    self.pos += 3;
                    return Ok(());
                }
                out.push(c);
                self.pos += 1;
                continue;
            }
            if (c == '\n' || c == '\r') && !triple {
                return Err(LiteralError {
                    offset: start,
                    message: "unterminated string (a line ends inside it)".into(),
                });
            }
            if c == '\r' {
                // Python's tokenizer reads \r\n and \r as \n.
                self.pos += if rest.starts_with("\r\n") { 2 } else { 1 };
                out.push('\n');
                continue;
            }
            if c != '\\' {
                out.push(c);
                self.pos += c.len_utf8();
                continue;
            }
            // A backslash.
            let Some(next) = rest[1..].chars().next() else {
                return Err(LiteralError {
                    offset: start,
                    message: "unterminated string".into(),
                });
            };
            if raw {
                // Kept with what follows; an escaped quote does not end it.
                out.push('\\');
                self.pos += 1;
                if next == '\r' || next == '\n' {
                    continue;
                }
                out.push(next);
                self.pos += next.len_utf8();
                continue;
            }
            self.pos += 1 + next.len_utf8();
            match next {
                '\n' => {}
                '\r' => {
                    if self.rest().starts_with('\n') {
                        self.pos += 1;
                    }
                }
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                '"' => out.push('"'),
                'a' => out.push('\x07'),
                'b' => out.push('\x08'),
                'f' => out.push('\x0c'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\x0b'),
                '0'..='7' => {
                    let mut v = next as u32 - '0' as u32;
                    for _ in 0..2 {
                        match self.peek() {
                            Some(d @ '0'..='7') => {
                                v = v * 8 + (d as u32 - '0' as u32);
                                self.pos += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push(self.code_point(v)?);
                }
                'x' => out.push(self.hex_escape(2)?),
                'u' => out.push(self.hex_escape(4)?),
                'U' => out.push(self.hex_escape(8)?),
                'N' => return Err(self.error("\\N{...} escapes are not accepted")),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        }
    }

    fn hex_escape(&mut self, digits: usize) -> Result<char, LiteralError> {
        let rest = self.rest();
        let ok =
            rest.len() >= digits && rest.as_bytes()[..digits].iter().all(u8::is_ascii_hexdigit);
        if !ok {
            return Err(self.error("truncated \\x, \\u or \\U escape"));
        }
        let v = u32::from_str_radix(&rest[..digits], 16).map_err(|_| self.error("bad escape"))?;
        self.pos += digits;
        self.code_point(v)
    }

    fn code_point(&self, v: u32) -> Result<char, LiteralError> {
        char::from_u32(v).ok_or_else(|| {
            self.error(format!(
                "escape \\u{{{v:x}}} is not a Unicode scalar value (surrogates and values past U+10FFFF are refused)"
            ))
        })
    }
}

/// Digits with single underscores between them; returns how many chars it took.
fn digitpart(b: &[u8], end: &mut usize) -> Option<usize> {
    let start = *end;
    if start >= b.len() || !b[start].is_ascii_digit() {
        return Some(0);
    }
    while *end < b.len() {
        let digit_next = *end + 1 < b.len() && b[*end + 1].is_ascii_digit();
        if b[*end].is_ascii_digit() || (b[*end] == b'_' && digit_next) {
            *end += 1;
        } else if b[*end] == b'_' {
            return None;
        } else {
            break;
        }
    }
    Some(*end - start)
}

/// What a sign in front of a value may act on.
#[derive(Clone, Copy)]
enum Plain {
    No,
    /// An unsigned integer literal's magnitude (2^63 reads only with a '-').
    Int(u64),
    Float,
}

/// An unsigned integer literal: its value (a placeholder past i64::MAX,
/// refused unless a sign makes it fit) and its magnitude.
fn as_int(v: u64) -> (Literal, Plain) {
    (
        Literal::Int(i64::try_from(v).unwrap_or(i64::MIN)),
        Plain::Int(v),
    )
}

fn contains_unhashable(v: &Literal) -> bool {
    match v {
        Literal::List(_) | Literal::Dict(_) => true,
        Literal::Tuple(items) => items.iter().any(contains_unhashable),
        _ => false,
    }
}

/// Python's key equality: 1 == 1.0 == True.
fn same_key(a: &Literal, b: &Literal) -> bool {
    fn num(v: &Literal) -> Option<f64> {
        match v {
            Literal::Bool(b) => Some(f64::from(u8::from(*b))),
            Literal::Int(i) => Some(*i as f64),
            Literal::Float(f) => Some(*f),
            _ => None,
        }
    }
    match (a, b) {
        (Literal::Int(x), Literal::Int(y)) => x == y,
        (Literal::Tuple(x), Literal::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_key(p, q))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            (None, None) => a == b,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_args() {
        assert_eq!(
            parse("(sys.stdout,)").unwrap(),
            Literal::Tuple(vec![Literal::Stream(StdStream::Stdout)])
        );
        assert_eq!(
            parse("('app.log', 'a', 10485760, 5)").unwrap(),
            Literal::Tuple(vec![
                Literal::Str("app.log".into()),
                Literal::Str("a".into()),
                Literal::Int(10485760),
                Literal::Int(5)
            ])
        );
        assert_eq!(
            parse("(('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_USER)")
                .unwrap(),
            Literal::Tuple(vec![
                Literal::Tuple(vec![Literal::Str("localhost".into()), Literal::Int(514)]),
                Literal::Int(1)
            ])
        );
        assert_eq!(
            parse("-9223372036854775808").unwrap(),
            Literal::Int(i64::MIN)
        );
        assert!(parse("9223372036854775808").is_err());
    }

    #[test]
    fn refuses_code() {
        for text in [
            "__import__('os').system('id')",
            "open('x')",
            "1 + 1",
            "os.system",
            "sys.stdout.write",
            "[1][0]",
            "lambda: 0",
            "b'x'",
            "{1, 2}",
        ] {
            let e = parse(text).unwrap_err();
            assert!(!e.message.is_empty(), "{text}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
