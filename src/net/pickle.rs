//! CPython's pickle, for log records only: an encoder of the dict
//! `SocketHandler.makePickle` sends, and a restricted decoder of protocols
//! 0–5 that never imports or calls anything.
//!
//! The decoder is a plain stack machine over the opcodes. A global is never
//! resolved: the few data constructors a record's extras may name
//! (`_codecs.encode` for bytes, `copyreg._reconstructor` for plain objects)
//! become inert placeholders, and any other global rejects the frame.
//! Work and memory are bounded: every value counts towards a budget that is a
//! multiple of the frame's size, values nest at most `MAX_DEPTH` deep (so
//! dropping one never recurses deeply), and the memo is capped.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Item, Key};
use crate::record::{recycle, Record};

/// The deepest nesting of containers accepted (a record dict is depth 1).
pub const MAX_DEPTH: usize = 64;

/// What one value costs against the budget, near its size in memory.
const VALUE_COST: usize = 64;

/// Memo keys below this live in a vector (see `Machine::memo`).
const SMALL_MEMO: u64 = 4096;

/// A decoded pickle value: data only. Text borrows from the pickle's
/// bytes where they are valid UTF-8 (nothing is copied for a record's
/// strings); `into_owned` detaches it.
#[derive(Clone, Debug, PartialEq)]
pub enum PValue<'b> {
    None,
    Bool(bool),
    Int(i128),
    /// An integer too wide for i128, kept as its size only.
    BigInt(usize),
    Float(f64),
    /// Text, borrowed from the input unless it had to be repaired.
    Str(Cow<'b, str>),
    Bytes(Vec<u8>),
    List(Vec<PValue<'b>>),
    Tuple(Vec<PValue<'b>>),
    Set(Vec<PValue<'b>>),
    Dict(Vec<(PValue<'b>, PValue<'b>)>),
    /// An object a whitelisted constructor would build, never built:
    /// `module.name`.
    Object(String),
}

/// Why a pickle was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct PickleError(pub String);

impl std::fmt::Display for PickleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, PickleError> {
    Err(PickleError(msg.into()))
}

/// Globals that may appear in a record's pickle. None of them is ever
/// called: they only name what the placeholder stands for.
const ALLOWED_GLOBALS: &[(&str, &str)] = &[
    ("_codecs", "encode"),
    ("copyreg", "_reconstructor"),
    ("copy_reg", "_reconstructor"),
    ("builtins", "object"),
    ("__builtin__", "object"),
];

impl PValue<'_> {
    /// Python's `str()` of the value, as a formatter would print it.
    pub fn to_python_str(&self) -> String {
        match self {
            PValue::Str(s) => s.to_string(),
            other => {
                let mut out = String::new();
                other.write_repr(&mut out);
                out
            }
        }
    }

    /// Python's `repr()` (close enough for printing extras).
    pub fn write_repr(&self, out: &mut String) {
        match self {
            PValue::None => out.push_str("None"),
            PValue::Bool(true) => out.push_str("True"),
            PValue::Bool(false) => out.push_str("False"),
            PValue::Int(i) => {
                let _ = write!(out, "{i}");
            }
            PValue::BigInt(n) => {
                let _ = write!(out, "<int of {n} bytes>");
            }
            PValue::Float(f) => out.push_str(&crate::format::python_float_repr(*f)),
            PValue::Str(s) => {
                let quote = if s.contains('\'') && !s.contains('"') {
                    '"'
                } else {
                    '\''
                };
                out.push(quote);
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if c == quote => {
                            out.push('\\');
                            out.push(c);
                        }
                        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                            let _ = write!(out, "\\x{:02x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push(quote);
            }
            PValue::Bytes(b) => {
                out.push_str("b'");
                for &byte in b {
                    match byte {
                        b'\\' => out.push_str("\\\\"),
                        b'\'' => out.push_str("\\'"),
                        b'\n' => out.push_str("\\n"),
                        b'\r' => out.push_str("\\r"),
                        b'\t' => out.push_str("\\t"),
                        0x20..=0x7e => out.push(byte as char),
                        _ => {
                            let _ = write!(out, "\\x{byte:02x}");
                        }
                    }
                }
                out.push('\'');
            }
            PValue::List(items) => write_seq(out, "[", items, "]"),
            PValue::Tuple(items) if items.len() == 1 => write_seq(out, "(", items, ",)"),
            PValue::Tuple(items) => write_seq(out, "(", items, ")"),
            PValue::Set(items) if items.is_empty() => out.push_str("set()"),
            PValue::Set(items) => write_seq(out, "{", items, "}"),
            PValue::Dict(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_repr(out);
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
            PValue::Object(name) => {
                let _ = write!(out, "<{name} object>");
            }
        }
    }
}

fn write_seq(out: &mut String, open: &str, items: &[PValue<'_>], close: &str) {
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_repr(out);
    }
    out.push_str(close);
}

// ---- decoder ----------------------------------------------------------------

/// A value on the machine's stack with its nesting depth.
#[derive(Clone)]
struct Slot<'b> {
    value: PValue<'b>,
    depth: usize,
}

/// A memo entry. CPython memoizes every string it writes, and a record's
/// strings are rarely fetched back: a string decoded straight from the
/// input is remembered by its place there and decoded again only if a GET
/// asks for it, so a PUT costs nothing against the budget.
enum Memo<'b> {
    Value(Slot<'b>),
    Utf8 { start: usize, len: usize },
}

enum Entry<'b> {
    Mark,
    Value(Slot<'b>),
}

/// The decoder's working storage, kept between frames (one per
/// connection) so decoding a frame allocates nothing but its result.
#[derive(Default)]
pub struct Scratch {
    stack: Vec<Entry<'static>>,
    memo: Vec<Option<Memo<'static>>>,
    /// A record dict's pairs, handed back by `give_back` once read.
    pairs: Vec<(PValue<'static>, PValue<'static>)>,
    /// A record's (emptied) extras, handed back by `give_back_extras`.
    pub(crate) extras: Vec<(Cow<'static, str>, crate::record::Value<'static>)>,
}

impl Scratch {
    /// Keeps a handled record's extras vector for the next frame's record
    /// (a record's `taskName` extra then costs no allocation).
    pub fn give_back_extras(&mut self, extras: Vec<(Cow<'_, str>, crate::record::Value<'_>)>) {
        if extras.capacity() <= 64 {
            self.extras = recycle(extras);
        }
    }

    /// Keeps a dict's (emptied) pairs vector for the next frame.
    pub fn give_back(&mut self, pairs: Vec<(PValue<'_>, PValue<'_>)>) {
        if pairs.capacity() <= 1024 {
            self.pairs = recycle(pairs);
        }
    }
}

struct Machine<'b> {
    input: &'b [u8],
    pos: usize,
    stack: Vec<Entry<'b>>,
    /// Keys below `SMALL_MEMO` (CPython counts from 0) index `memo`;
    /// others go to `memo_far`.
    memo: Vec<Option<Memo<'b>>>,
    memo_far: std::collections::HashMap<u64, Memo<'b>>,
    memo_count: usize,
    /// Where the string on top of the stack came from, if it was decoded
    /// from the input just now (`Memo::Utf8`).
    top_utf8: Option<(usize, usize)>,
    /// Remaining units of work/memory (bytes of text plus `VALUE_COST` per value).
    budget: usize,
}

/// Decodes one pickle (protocols 0–5) without running anything. The whole
/// input must be one pickle ending in STOP.
pub fn decode(input: &[u8]) -> Result<PValue<'_>, PickleError> {
    decode_with(&mut Scratch::default(), input)
}

/// `decode`, with working storage kept from earlier calls.
pub fn decode_with<'b>(scratch: &mut Scratch, input: &'b [u8]) -> Result<PValue<'b>, PickleError> {
    match decode_flat_dict(input, recycle(std::mem::take(&mut scratch.pairs))) {
        Some(pairs) => Ok(PValue::Dict(pairs)),
        None => decode_by_machine(scratch, input),
    }
}

/// The stack machine alone (the fuzz target checks the flat-dict path
/// against it).
#[doc(hidden)]
pub fn decode_by_machine<'b>(
    scratch: &mut Scratch,
    input: &'b [u8],
) -> Result<PValue<'b>, PickleError> {
    let mut m = Machine {
        input,
        pos: 0,
        stack: recycle(std::mem::take(&mut scratch.stack)),
        memo: recycle(std::mem::take(&mut scratch.memo)),
        memo_far: std::collections::HashMap::new(),
        memo_count: 0,
        top_utf8: None,
        budget: 64 * 1024 + input.len().saturating_mul(8),
    };
    let result = m.run();
    // A frame's huge stack or memo is not kept.
    if m.stack.capacity() <= 1024 {
        scratch.stack = recycle(m.stack);
    }
    if m.memo.capacity() <= 1024 {
        scratch.memo = recycle(m.memo);
    }
    result
}

/// Where `read_flat_dict` hands the dict's pairs, in order.
pub(crate) trait Pairs<'b> {
    /// A pair whose key is a string naming a record attribute; its value
    /// is next in `r` (one scalar and its PUTs: read with `Flat::scalar`,
    /// or with a typed read and `Flat::commit`).
    fn known(&mut self, key: Key, r: &mut Flat<'b>) -> Option<()>;
    /// Any other pair.
    fn other(&mut self, key: PValue<'b>, value: PValue<'b>);
}

/// The pairs as the machine's dict holds them.
impl<'b> Pairs<'b> for Vec<(PValue<'b>, PValue<'b>)> {
    fn known(&mut self, key: Key, r: &mut Flat<'b>) -> Option<()> {
        let value = r.scalar()?;
        self.push((PValue::Str(Cow::Borrowed(key.name())), value));
        Some(())
    }

    fn other(&mut self, key: PValue<'b>, value: PValue<'b>) {
        self.push((key, value));
    }
}

fn decode_flat_dict<'b>(
    input: &'b [u8],
    mut pairs: Vec<(PValue<'b>, PValue<'b>)>,
) -> Option<Vec<(PValue<'b>, PValue<'b>)>> {
    pairs.reserve(24);
    read_flat_dict(input, &mut pairs)?;
    Some(pairs)
}

/// The shape of every record's pickle (CPython's protocol 1, sawmill's
/// protocol 2): PROTO, an empty dict, then MARK, scalar keys and values,
/// SETITEMS (repeated), STOP, with PUTs anywhere after a value. Read
/// straight into `out` (the record itself, for the receiver), without the
/// stack machine, a key naming a record attribute recognised by its bytes.
/// Anything else, and anything the machine would refuse (a bad value, an
/// exhausted budget, too many PUTs), gives None (with some pairs perhaps
/// handed on), and the machine decodes the frame. Where this accepts, the
/// machine gives the same pairs (fuzzed).
pub(crate) fn read_flat_dict<'b>(input: &'b [u8], out: &mut impl Pairs<'b>) -> Option<()> {
    let mut r = Flat {
        input,
        pos: 0,
        // The machine's charges: the dict and each MARK cost a value, every
        // value its text plus one (a PUT of a string read from the input
        // costs nothing, of anything else one value).
        budget: (64 * 1024 + input.len().saturating_mul(8)).checked_sub(VALUE_COST)?,
        puts: 0,
    };
    if r.peek()? == 0x80 {
        r.pos += 1;
        if r.byte()? > 5 {
            return None;
        }
    }
    if r.peek()? == 0x95 {
        r.take(9)?;
    }
    if r.byte()? != b'}' {
        return None;
    }
    r.puts(false)?;
    loop {
        match r.byte()? {
            b'(' => r.charge(0)?,
            b'.' if r.pos == input.len() => return Some(()),
            _ => return None,
        }
        loop {
            if r.peek()? == b'u' {
                r.pos += 1;
                break;
            }
            match r.key()? {
                Ok(key) => out.known(key, &mut r)?,
                Err(key) => {
                    let value = r.scalar()?;
                    out.other(key, value);
                }
            }
        }
    }
}

/// The flat-dict reader's place in the input and what it has spent.
pub(crate) struct Flat<'b> {
    input: &'b [u8],
    pos: usize,
    budget: usize,
    puts: usize,
}

impl<'b> Flat<'b> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    #[inline]
    fn byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    #[inline]
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.input.len())?;
        let bytes = &self.input[self.pos..end];
        self.pos = end;
        Some(bytes)
    }

    fn line(&mut self) -> Option<&'b [u8]> {
        let i = self.input[self.pos..].iter().position(|&b| b == b'\n')?;
        let line = &self.input[self.pos..self.pos + i];
        self.pos += i + 1;
        Some(line)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A string of `n` bytes: a record's key or common value is a shared
    /// static (no UTF-8 check), anything else borrowed once checked.
    #[inline]
    fn text(&mut self, n: usize) -> Option<PValue<'b>> {
        let bytes = self.take(n)?;
        Some(PValue::Str(match intern(bytes) {
            Some(known) => Cow::Borrowed(known),
            None => utf8_lossy(bytes),
        }))
    }

    #[inline]
    fn charge(&mut self, units: usize) -> Option<()> {
        self.budget = self.budget.checked_sub(units.saturating_add(VALUE_COST))?;
        Some(())
    }

    /// The PUTs after a value (`string`: one just read from the input).
    #[inline]
    fn puts(&mut self, string: bool) -> Option<()> {
        // sawmill's pickles have none.
        if !matches!(self.peek(), Some(b'q' | b'r' | b'p' | 0x94)) {
            return Some(());
        }
        self.puts_slow(string)
    }

    #[cold]
    fn puts_slow(&mut self, string: bool) -> Option<()> {
        loop {
            match self.peek()? {
                b'q' => self.pos += 2,
                b'r' => self.pos += 5,
                0x94 => self.pos += 1,
                b'p' => {
                    self.pos += 1;
                    parse_int(self.line()?).ok()?;
                }
                _ => return Some(()),
            }
            if self.pos > self.input.len() {
                return None;
            }
            self.puts += 1;
            if self.puts >= 100_000 {
                return None;
            }
            if !string {
                self.charge(0)?;
            }
        }
    }

    /// A key: a string naming a record attribute as its `Key` (matched on
    /// the bytes, no UTF-8 check), anything else as a scalar value.
    #[inline]
    fn key(&mut self) -> Option<Result<Key, PValue<'b>>> {
        let rest = &self.input[self.pos..];
        let (head, n) = match rest {
            [0x8c, n, ..] => (2, usize::from(*n)),
            [b'X', a, b, c, d, ..] => (5, u32::from_le_bytes([*a, *b, *c, *d]) as usize),
            _ => return self.scalar().map(Err),
        };
        let Some(key) = rest.get(head..head + n).and_then(Key::of) else {
            return self.scalar().map(Err);
        };
        self.pos += head + n;
        self.charge(n)?;
        self.puts(true)?;
        Some(Ok(key))
    }

    /// The next value if it is a string (BINUNICODE, SHORT_BINUNICODE) of
    /// valid UTF-8, with the bytes it takes; nothing is consumed (see
    /// `commit`).
    #[inline]
    pub(crate) fn peek_str(&self) -> Option<(&'b str, usize)> {
        let rest = &self.input[self.pos..];
        let (head, n) = match rest {
            [0x8c, n, ..] => (2, usize::from(*n)),
            [b'X', a, b, c, d, ..] => (5, u32::from_le_bytes([*a, *b, *c, *d]) as usize),
            _ => return None,
        };
        let bytes = rest.get(head..head + n)?;
        Some((std::str::from_utf8(bytes).ok()?, head + n))
    }

    /// The next value's bytes if it is a string (BINUNICODE,
    /// SHORT_BINUNICODE), not checked, with where they start in the input
    /// and the bytes the value takes; nothing is consumed.
    #[inline]
    pub(crate) fn peek_str_bytes(&self) -> Option<(&'b [u8], usize, usize)> {
        let rest = &self.input[self.pos..];
        let (head, n) = match rest {
            [0x8c, n, ..] => (2, usize::from(*n)),
            [b'X', a, b, c, d, ..] => (5, u32::from_le_bytes([*a, *b, *c, *d]) as usize),
            _ => return None,
        };
        Some((rest.get(head..head + n)?, self.pos + head, head + n))
    }

    /// The next value if it is a binary float (BINFLOAT).
    #[inline]
    pub(crate) fn peek_float(&self) -> Option<f64> {
        match self.input[self.pos..] {
            [b'G', a, b, c, d, e, f, g, h, ..] => {
                Some(f64::from_be_bytes([a, b, c, d, e, f, g, h]))
            }
            _ => None,
        }
    }

    /// The next value if it is a binary integer (BININT1, BININT2, BININT,
    /// or LONG1 of at most 8 bytes), with the bytes it takes.
    #[inline]
    pub(crate) fn peek_int(&self) -> Option<(i64, usize)> {
        let rest = &self.input[self.pos..];
        match *rest {
            [b'K', a, ..] => Some((a.into(), 2)),
            [b'M', a, b, ..] => Some((u16::from_le_bytes([a, b]).into(), 3)),
            [b'J', a, b, c, d, ..] => Some((i32::from_le_bytes([a, b, c, d]).into(), 5)),
            [0x8a, n @ 1..=8, ..] => {
                let bytes = rest.get(2..2 + usize::from(n))?;
                let fill = if bytes[bytes.len() - 1] & 0x80 != 0 {
                    0xff
                } else {
                    0
                };
                let mut buf = [fill; 8];
                buf[..bytes.len()].copy_from_slice(bytes);
                Some((i64::from_le_bytes(buf), 2 + usize::from(n)))
            }
            _ => None,
        }
    }

    /// Whether the next value is None.
    #[inline]
    pub(crate) fn peek_none(&self) -> bool {
        self.input.get(self.pos) == Some(&b'N')
    }

    /// Takes the value a `peek_*` found (`len` bytes; `text` bytes of
    /// string, if it is one), charged as `scalar` charges it, and the PUTs
    /// after it.
    #[inline]
    pub(crate) fn commit(&mut self, len: usize, text: Option<usize>) -> Option<()> {
        self.pos += len;
        self.charge(text.unwrap_or(0))?;
        self.puts(text.is_some())
    }

    /// One scalar value and the PUTs after it.
    pub(crate) fn scalar(&mut self) -> Option<PValue<'b>> {
        let op = self.byte()?;
        let value = match op {
            b'X' => {
                let n = u32::from_le_bytes(self.array()?);
                self.text(usize::try_from(n).ok()?)?
            }
            0x8c => {
                let n = self.byte()?;
                self.text(n.into())?
            }
            b'N' => PValue::None,
            0x88 => PValue::Bool(true),
            0x89 => PValue::Bool(false),
            b'K' => PValue::Int(self.byte()?.into()),
            b'M' => PValue::Int(u16::from_le_bytes(self.array()?).into()),
            b'J' => PValue::Int(i32::from_le_bytes(self.array()?).into()),
            0x8a => {
                let n = self.byte()?;
                long_from_le(self.take(n.into())?)
            }
            b'G' => PValue::Float(f64::from_be_bytes(self.array()?)),
            b'I' => match self.line()? {
                b"01" => PValue::Bool(true),
                b"00" => PValue::Bool(false),
                line => PValue::Int(parse_int(line).ok()?),
            },
            b'L' => {
                let line = self.line()?;
                PValue::Int(parse_int(line.strip_suffix(b"L").unwrap_or(line)).ok()?)
            }
            _ => return None,
        };
        let string = matches!(value, PValue::Str(_));
        self.charge(match &value {
            PValue::Str(s) => s.len(),
            _ => 0,
        })?;
        self.puts(string)?;
        Some(value)
    }
}

fn slot(value: PValue<'_>, depth: usize) -> Entry<'_> {
    Entry::Value(Slot { value, depth })
}

impl<'b> Machine<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], PickleError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.input.len());
        match end {
            Some(end) => {
                let bytes = &self.input[self.pos..end];
                self.pos = end;
                Ok(bytes)
            }
            None => err("truncated pickle"),
        }
    }

    fn byte(&mut self) -> Result<u8, PickleError> {
        Ok(self.take(1)?[0])
    }

    fn u16le(&mut self) -> Result<usize, PickleError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]) as usize)
    }

    fn u32le(&mut self) -> Result<usize, PickleError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn u64le(&mut self) -> Result<usize, PickleError> {
        let b = self.take(8)?;
        let n = u64::from_le_bytes(b.try_into().expect("8 bytes"));
        usize::try_from(n).or_else(|_| err("length too large"))
    }

    fn line(&mut self) -> Result<&'b [u8], PickleError> {
        let rest = &self.input[self.pos..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.pos += i + 1;
                Ok(&rest[..i])
            }
            None => err("truncated pickle (no end of line)"),
        }
    }

    fn charge(&mut self, units: usize) -> Result<(), PickleError> {
        match self.budget.checked_sub(units.saturating_add(VALUE_COST)) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => err("pickle expands beyond its size budget"),
        }
    }

    fn push(&mut self, value: PValue<'b>) -> Result<(), PickleError> {
        let units = match &value {
            PValue::Str(s) => s.len(),
            PValue::Bytes(b) => b.len(),
            _ => 0,
        };
        self.charge(units)?;
        self.stack.push(slot(value, 0));
        Ok(())
    }

    fn push_container(&mut self, value: PValue<'b>) -> Result<(), PickleError> {
        self.charge(0)?;
        self.stack.push(slot(value, 1));
        Ok(())
    }

    fn pop(&mut self) -> Result<Slot<'b>, PickleError> {
        match self.stack.pop() {
            Some(Entry::Value(s)) => Ok(s),
            Some(Entry::Mark) => err("unexpected MARK"),
            None => err("stack underflow"),
        }
    }

    fn top(&mut self) -> Result<&mut Slot<'b>, PickleError> {
        match self.stack.last_mut() {
            Some(Entry::Value(s)) => Ok(s),
            _ => err("stack underflow"),
        }
    }

    /// Where the newest MARK is on the stack.
    fn mark_at(&self) -> Result<usize, PickleError> {
        self.stack
            .iter()
            .rposition(|i| matches!(i, Entry::Mark))
            .ok_or_else(|| PickleError("no MARK on the stack".into()))
    }

    /// Pops everything down to the newest MARK.
    fn pop_mark(&mut self) -> Result<Vec<Slot<'b>>, PickleError> {
        let at = self.mark_at()?;
        let items = self.stack.split_off(at + 1);
        self.stack.pop();
        Ok(items
            .into_iter()
            .map(|i| match i {
                Entry::Value(s) => s,
                Entry::Mark => unreachable!("rposition found the last mark"),
            })
            .collect())
    }

    fn memo_put(&mut self, key: u64) -> Result<(), PickleError> {
        if self.memo_count >= 100_000 {
            return err("memo too large");
        }
        let entry = match self.top_utf8 {
            Some((start, len)) => Memo::Utf8 { start, len },
            None => {
                let s = self.top()?.clone();
                self.charge(cost(&s.value))?;
                Memo::Value(s)
            }
        };
        self.memo_count += 1;
        if key < SMALL_MEMO {
            let i = key as usize;
            if self.memo.len() <= i {
                self.memo.resize_with(i + 1, || None);
            }
            self.memo[i] = Some(entry);
        } else {
            self.memo_far.insert(key, entry);
        }
        Ok(())
    }

    /// A UTF-8 string of `n` bytes from the input (BINUNICODE and friends).
    fn push_utf8(&mut self, n: usize) -> Result<(), PickleError> {
        let start = self.pos;
        let bytes = self.take(n)?;
        self.push(PValue::Str(utf8_lossy(bytes)))?;
        self.top_utf8 = Some((start, n));
        Ok(())
    }

    fn memo_get(&mut self, key: u64) -> Result<(), PickleError> {
        let entry = if key < SMALL_MEMO {
            self.memo.get(key as usize).and_then(Option::as_ref)
        } else {
            self.memo_far.get(&key)
        };
        let s = match entry {
            Some(Memo::Value(s)) => s.clone(),
            Some(&Memo::Utf8 { start, len }) => Slot {
                value: PValue::Str(utf8_lossy(&self.input[start..start + len])),
                depth: 0,
            },
            None => return err("memo key not found"),
        };
        self.charge(cost(&s.value))?;
        self.stack.push(Entry::Value(s));
        Ok(())
    }

    fn tuple_of(&mut self, n: usize) -> Result<(), PickleError> {
        if self.stack.len() < n {
            return err("stack underflow");
        }
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.pop()?);
        }
        items.reverse();
        self.build_seq(items, PValue::Tuple)
    }

    fn build_seq(
        &mut self,
        items: Vec<Slot<'b>>,
        make: fn(Vec<PValue<'b>>) -> PValue<'b>,
    ) -> Result<(), PickleError> {
        let depth = items.iter().map(|s| s.depth).max().map_or(1, |d| d + 1);
        if depth > MAX_DEPTH {
            return err("pickle nested too deeply");
        }
        self.charge(0)?;
        let values = items.into_iter().map(|s| s.value).collect();
        self.stack.push(slot(make(values), depth));
        Ok(())
    }

    fn add_to_top(&mut self, items: Vec<Slot<'b>>) -> Result<(), PickleError> {
        let depth = items.iter().map(|s| s.depth).max().unwrap_or(0) + 1;
        if depth > MAX_DEPTH {
            return err("pickle nested too deeply");
        }
        let top = self.top()?;
        top.depth = top.depth.max(depth);
        match &mut top.value {
            PValue::List(list) | PValue::Set(list) => {
                list.extend(items.into_iter().map(|s| s.value));
                Ok(())
            }
            _ => err("APPEND to a value that is not a list"),
        }
    }

    /// SETITEM(S): the values from `first` to the top of the stack, as
    /// key/value pairs, into the dict at `dict_at`, moved straight off the
    /// stack; the stack is then cut at `dict_at + 1` (a MARK between the
    /// two goes too).
    fn set_items(&mut self, dict_at: usize, first: usize) -> Result<(), PickleError> {
        if first > self.stack.len() || dict_at >= first {
            return err("stack underflow");
        }
        if !(self.stack.len() - first).is_multiple_of(2) {
            return err("odd number of items for SETITEMS");
        }
        let (below, items) = self.stack.split_at_mut(first);
        let Some(Entry::Value(top)) = below.get_mut(dict_at) else {
            return err("SETITEM on a value that is not a dict");
        };
        let PValue::Dict(pairs) = &mut top.value else {
            return err("SETITEM on a value that is not a dict");
        };
        let mut depth = 0;
        let mut take = |entry: &mut Entry<'b>| match entry {
            Entry::Value(s) => {
                depth = depth.max(s.depth);
                Ok(std::mem::replace(&mut s.value, PValue::None))
            }
            Entry::Mark => err("unexpected MARK"),
        };
        pairs.reserve(items.len() / 2);
        // Pairs in order; a repeated key's later value wins when the dict
        // is read (record_from_dict assigns in order), as in Python.
        for pair in items.chunks_exact_mut(2) {
            let (k, v) = pair.split_at_mut(1);
            pairs.push((take(&mut k[0])?, take(&mut v[0])?));
        }
        if depth + 1 > MAX_DEPTH {
            return err("pickle nested too deeply");
        }
        top.depth = top.depth.max(depth + 1);
        self.stack.truncate(dict_at + 1);
        Ok(())
    }

    fn global(&mut self, module: &str, name: &str) -> Result<(), PickleError> {
        if ALLOWED_GLOBALS.contains(&(module, name)) {
            self.push(PValue::Object(format!("{module}.{name}")))
        } else {
            err(format!("global {module}.{name} refused"))
        }
    }

    /// REDUCE, NEWOBJ and friends: nothing is called. `_codecs.encode(text,
    /// 'latin1')` is how protocols < 3 carry bytes, so it becomes the bytes.
    fn reduce(&mut self, callable: Slot<'b>, args: Slot<'b>) -> Result<(), PickleError> {
        let value = match (&callable.value, args.value) {
            (PValue::Object(f), PValue::Tuple(a)) if f == "_codecs.encode" => match a.as_slice() {
                [PValue::Str(text), PValue::Str(enc)] if enc == "latin1" || enc == "latin-1" => {
                    PValue::Bytes(text.chars().map(|c| c as u32 as u8).collect())
                }
                [PValue::Str(text)] => PValue::Bytes(text.as_bytes().to_vec()),
                _ => PValue::Object(f.clone()),
            },
            (PValue::Object(f), _) => PValue::Object(f.clone()),
            _ => return err("REDUCE on a value that is not a known global"),
        };
        self.push(value)
    }

    fn run(&mut self) -> Result<PValue<'b>, PickleError> {
        loop {
            let op = self.byte()?;
            // Only a PUT right after the string may remember its place.
            if !matches!(op, b'p' | b'q' | b'r' | 0x94) {
                self.top_utf8 = None;
            }
            match op {
                b'.' => {
                    let result = self.pop()?;
                    if self.pos != self.input.len() {
                        return err("bytes after STOP");
                    }
                    return Ok(result.value);
                }
                b'(' => {
                    self.charge(0)?;
                    self.stack.push(Entry::Mark);
                }
                b'0' => {
                    self.stack
                        .pop()
                        .ok_or_else(|| PickleError("POP on empty stack".into()))?;
                }
                b'1' => {
                    self.pop_mark()?;
                }
                b'2' => {
                    let s = self.top()?.clone();
                    self.charge(cost(&s.value))?;
                    self.stack.push(Entry::Value(s));
                }
                b'N' => self.push(PValue::None)?,
                0x88 => self.push(PValue::Bool(true))?,
                0x89 => self.push(PValue::Bool(false))?,
                b'I' => {
                    let line = self.line()?;
                    let value = match line {
                        b"01" => PValue::Bool(true),
                        b"00" => PValue::Bool(false),
                        _ => PValue::Int(parse_int(line)?),
                    };
                    self.push(value)?;
                }
                b'L' => {
                    let line = self.line()?;
                    let line = line.strip_suffix(b"L").unwrap_or(line);
                    let value = match parse_int(line) {
                        Ok(i) => PValue::Int(i),
                        Err(_) if line.len() > 38 && line.iter().all(u8::is_ascii_digit) => {
                            PValue::BigInt(line.len())
                        }
                        Err(e) => return Err(e),
                    };
                    self.push(value)?;
                }
                b'J' => {
                    let b = self.take(4)?;
                    let i = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    self.push(PValue::Int(i.into()))?;
                }
                b'K' => {
                    let b = self.byte()?;
                    self.push(PValue::Int(b.into()))?;
                }
                b'M' => {
                    let n = self.u16le()?;
                    self.push(PValue::Int(n as i128))?;
                }
                0x8a => {
                    let n = self.byte()? as usize;
                    let bytes = self.take(n)?;
                    self.push(long_from_le(bytes))?;
                }
                0x8b => {
                    let n = self.u32le()?;
                    let bytes = self.take(n)?;
                    self.push(long_from_le(bytes))?;
                }
                b'F' => {
                    let line = self.line()?;
                    let f = std::str::from_utf8(line)
                        .ok()
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .ok_or_else(|| PickleError("bad FLOAT".into()))?;
                    self.push(PValue::Float(f))?;
                }
                b'G' => {
                    let b = self.take(8)?;
                    let f = f64::from_be_bytes(b.try_into().expect("8 bytes"));
                    self.push(PValue::Float(f))?;
                }
                b'S' => {
                    let line = self.line()?;
                    let bytes = unquote_string(line)?;
                    self.push(PValue::Str(Cow::Owned(
                        String::from_utf8_lossy(&bytes).into_owned(),
                    )))?;
                }
                b'T' => {
                    let n = self.u32le()?;
                    let b = self.take(n)?;
                    self.push(PValue::Str(Cow::Owned(latin1(b))))?;
                }
                b'U' => {
                    let n = self.byte()? as usize;
                    let b = self.take(n)?;
                    self.push(PValue::Str(Cow::Owned(latin1(b))))?;
                }
                b'V' => {
                    let line = self.line()?;
                    self.push(PValue::Str(Cow::Owned(raw_unicode_escape(line))))?;
                }
                b'X' => {
                    let n = self.u32le()?;
                    self.push_utf8(n)?;
                }
                0x8c => {
                    let n = self.byte()? as usize;
                    self.push_utf8(n)?;
                }
                0x8d => {
                    let n = self.u64le()?;
                    self.push_utf8(n)?;
                }
                b'B' => {
                    let n = self.u32le()?;
                    let b = self.take(n)?;
                    self.push(PValue::Bytes(b.to_vec()))?;
                }
                b'C' => {
                    let n = self.byte()? as usize;
                    let b = self.take(n)?;
                    self.push(PValue::Bytes(b.to_vec()))?;
                }
                0x8e | 0x96 => {
                    let n = self.u64le()?;
                    let b = self.take(n)?;
                    self.push(PValue::Bytes(b.to_vec()))?;
                }
                0x98 => {
                    self.top()?;
                }
                b')' => self.push_container(PValue::Tuple(Vec::new()))?,
                b']' => self.push_container(PValue::List(Vec::new()))?,
                b'}' => self.push_container(PValue::Dict(Vec::new()))?,
                0x8f => self.push_container(PValue::Set(Vec::new()))?,
                b't' => {
                    let items = self.pop_mark()?;
                    self.build_seq(items, PValue::Tuple)?;
                }
                0x85 => self.tuple_of(1)?,
                0x86 => self.tuple_of(2)?,
                0x87 => self.tuple_of(3)?,
                b'l' => {
                    let items = self.pop_mark()?;
                    self.build_seq(items, PValue::List)?;
                }
                0x91 => {
                    let items = self.pop_mark()?;
                    self.build_seq(items, PValue::Set)?;
                }
                b'd' => {
                    // The dict takes the MARK's place, under the items.
                    let at = self.mark_at()?;
                    self.charge(0)?;
                    self.stack[at] = slot(PValue::Dict(Vec::new()), 1);
                    self.set_items(at, at + 1)?;
                }
                b'a' => {
                    let item = self.pop()?;
                    self.add_to_top(vec![item])?;
                }
                b'e' | 0x90 => {
                    let items = self.pop_mark()?;
                    self.add_to_top(items)?;
                }
                b's' => {
                    let first = self.stack.len().saturating_sub(2);
                    self.set_items(first.saturating_sub(1), first)?;
                }
                b'u' => {
                    let at = self.mark_at()?;
                    if at == 0 {
                        return err("SETITEMS without a dict");
                    }
                    self.set_items(at - 1, at + 1)?;
                }
                b'p' => {
                    let line = self.line()?;
                    let key = parse_int(line)?;
                    self.memo_put(key as u64)?;
                }
                b'q' => {
                    let key = self.byte()?;
                    self.memo_put(key.into())?;
                }
                b'r' => {
                    let key = self.u32le()?;
                    self.memo_put(key as u64)?;
                }
                0x94 => {
                    let key = self.memo_count as u64;
                    self.memo_put(key)?;
                }
                b'g' => {
                    let line = self.line()?;
                    let key = parse_int(line)?;
                    self.memo_get(key as u64)?;
                }
                b'h' => {
                    let key = self.byte()?;
                    self.memo_get(key.into())?;
                }
                b'j' => {
                    let key = self.u32le()?;
                    self.memo_get(key as u64)?;
                }
                b'c' => {
                    let module = String::from_utf8_lossy(self.line()?).into_owned();
                    let name = String::from_utf8_lossy(self.line()?).into_owned();
                    self.global(&module, &name)?;
                }
                0x93 => {
                    let name = self.pop()?;
                    let module = self.pop()?;
                    match (module.value, name.value) {
                        (PValue::Str(m), PValue::Str(n)) => self.global(&m, &n)?,
                        _ => return err("STACK_GLOBAL needs two strings"),
                    }
                }
                b'R' | 0x81 => {
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    self.reduce(callable, args)?;
                }
                0x92 => {
                    let _kwargs = self.pop()?;
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    self.reduce(callable, args)?;
                }
                b'b' => {
                    let _state = self.pop()?;
                    if !matches!(self.top()?.value, PValue::Object(_)) {
                        return err("BUILD on a value that is not an object");
                    }
                }
                b'o' => {
                    let mut items = self.pop_mark()?;
                    if items.is_empty() {
                        return err("OBJ without a class");
                    }
                    let class = items.remove(0);
                    self.reduce(class, slot_tuple())?;
                }
                b'i' => {
                    let module = String::from_utf8_lossy(self.line()?).into_owned();
                    let name = String::from_utf8_lossy(self.line()?).into_owned();
                    self.pop_mark()?;
                    self.global(&module, &name)?;
                }
                0x80 => {
                    let proto = self.byte()?;
                    if proto > 5 {
                        return err(format!("unsupported pickle protocol {proto}"));
                    }
                }
                0x95 => {
                    self.take(8)?;
                }
                b'P' | b'Q' => return err("persistent ids are refused"),
                0x82..=0x84 => return err("extension registry codes are refused"),
                0x97 => return err("out-of-band buffers are refused"),
                other => return err(format!("unknown opcode 0x{other:02x}")),
            }
        }
    }
}

fn slot_tuple() -> Slot<'static> {
    Slot {
        value: PValue::Tuple(Vec::new()),
        depth: 1,
    }
}

/// Units a copy of `value` costs (its text plus `VALUE_COST` per value).
fn cost(value: &PValue<'_>) -> usize {
    // Iterative: the value is at most MAX_DEPTH deep but may be wide.
    let mut total = 0usize;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        total = total.saturating_add(VALUE_COST);
        match v {
            PValue::Str(s) => total = total.saturating_add(s.len()),
            PValue::Bytes(b) => total = total.saturating_add(b.len()),
            PValue::List(items) | PValue::Tuple(items) | PValue::Set(items) => {
                pending.extend(items.iter())
            }
            PValue::Dict(pairs) => {
                for (k, v) in pairs {
                    pending.push(k);
                    pending.push(v);
                }
            }
            _ => {}
        }
    }
    total
}

fn parse_int(line: &[u8]) -> Result<i128, PickleError> {
    std::str::from_utf8(line)
        .ok()
        .and_then(|s| s.trim().parse::<i128>().ok())
        .ok_or_else(|| PickleError("bad integer".into()))
}

/// LONG1/LONG4: little-endian two's complement.
fn long_from_le(bytes: &[u8]) -> PValue<'static> {
    if bytes.is_empty() {
        return PValue::Int(0);
    }
    if bytes.len() > 16 {
        return PValue::BigInt(bytes.len());
    }
    let negative = bytes[bytes.len() - 1] & 0x80 != 0;
    let mut buf = if negative { [0xffu8; 16] } else { [0u8; 16] };
    buf[..bytes.len()].copy_from_slice(bytes);
    PValue::Int(i128::from_le_bytes(buf))
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// The record's standard keys and common values, shared rather than
/// checked and borrowed (a record's dict repeats them in every frame).
fn intern(bytes: &[u8]) -> Option<&'static str> {
    // By length first, then a few comparisons of that (known) size.
    let known = match bytes.len() {
        3 => match bytes {
            b"msg" => "msg",
            _ => return None,
        },
        4 => match bytes {
            b"name" => "name",
            b"args" => "args",
            b"INFO" => "INFO",
            b"root" => "root",
            _ => return None,
        },
        5 => match bytes {
            b"msecs" => "msecs",
            b"DEBUG" => "DEBUG",
            b"ERROR" => "ERROR",
            _ => return None,
        },
        6 => match bytes {
            b"module" => "module",
            b"lineno" => "lineno",
            b"thread" => "thread",
            _ => return None,
        },
        7 => match bytes {
            b"levelno" => "levelno",
            b"created" => "created",
            b"process" => "process",
            b"message" => "message",
            b"asctime" => "asctime",
            b"WARNING" => "WARNING",
            _ => return None,
        },
        8 => match bytes {
            b"pathname" => "pathname",
            b"filename" => "filename",
            b"exc_info" => "exc_info",
            b"exc_text" => "exc_text",
            b"funcName" => "funcName",
            b"taskName" => "taskName",
            b"CRITICAL" => "CRITICAL",
            b"<module>" => "<module>",
            _ => return None,
        },
        9 => match bytes {
            b"levelname" => "levelname",
            _ => return None,
        },
        10 => match bytes {
            b"stack_info" => "stack_info",
            b"threadName" => "threadName",
            b"MainThread" => "MainThread",
            _ => return None,
        },
        11 => match bytes {
            b"processName" => "processName",
            b"MainProcess" => "MainProcess",
            _ => return None,
        },
        15 => match bytes {
            b"relativeCreated" => "relativeCreated",
            _ => return None,
        },
        _ => return None,
    };
    Some(known)
}

/// UTF-8 as CPython's pickle writes it (`surrogatepass`): lone surrogates
/// and any invalid sequence become U+FFFD, the rest is kept (borrowed).
fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// Protocol 0's STRING argument: a quoted Python bytes literal.
fn unquote_string(line: &[u8]) -> Result<Vec<u8>, PickleError> {
    let inner = match line {
        [q, inner @ .., q2] if (*q == b'\'' || *q == b'"') && q == q2 => inner,
        _ => return err("bad STRING quoting"),
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' || i >= inner.len() {
            out.push(b);
            continue;
        }
        let e = inner[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'\\' | b'\'' | b'"' => out.push(e),
            b'x' if i + 2 <= inner.len() => {
                let hex = std::str::from_utf8(&inner[i..i + 2]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).or_else(|_| err("bad \\x escape"))?);
                i += 2;
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// Protocol 0's UNICODE argument: raw-unicode-escape (latin-1 bytes with
/// `\uXXXX` / `\UXXXXXXXX` escapes); a surrogate becomes U+FFFD.
fn raw_unicode_escape(line: &[u8]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        let width = match (b, line.get(i + 1)) {
            (b'\\', Some(b'u')) => 4,
            (b'\\', Some(b'U')) => 8,
            _ => 0,
        };
        if width > 0 && i + 2 + width <= line.len() {
            let hex = std::str::from_utf8(&line[i + 2..i + 2 + width]).unwrap_or("");
            if let Ok(code) = u32::from_str_radix(hex, 16) {
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                i += 2 + width;
                continue;
            }
        }
        out.push(b as char);
        i += 1;
    }
    out
}

// ---- encoder ----------------------------------------------------------------

/// Writes pickles of protocol 2 (CPython reads any protocol; 2 has LONG1
/// for thread ids above 2^31 and the boolean opcodes).
pub struct Encoder<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> Encoder<'o> {
    /// Starts a pickle whose top value is a dict; call the `item_*` methods,
    /// then `finish`.
    pub fn start_dict(out: &'o mut Vec<u8>) -> Encoder<'o> {
        out.extend_from_slice(&[0x80, 2, b'}', b'(']);
        Encoder { out }
    }

    fn str_(&mut self, s: &str) {
        self.out.push(b'X');
        self.out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn int(&mut self, i: i128) {
        if (0..256).contains(&i) {
            self.out.push(b'K');
            self.out.push(i as u8);
        } else if (0..65536).contains(&i) {
            self.out.push(b'M');
            self.out.extend_from_slice(&(i as u16).to_le_bytes());
        } else if let Ok(small) = i32::try_from(i) {
            self.out.push(b'J');
            self.out.extend_from_slice(&small.to_le_bytes());
        } else {
            let bytes = i.to_le_bytes();
            // Shortest two's complement that keeps the sign.
            let mut n = 16;
            while n > 1 {
                let last = bytes[n - 1];
                let next_sign = bytes[n - 2] & 0x80;
                if (last == 0 && next_sign == 0) || (last == 0xff && next_sign != 0) {
                    n -= 1;
                } else {
                    break;
                }
            }
            self.out.push(0x8a);
            self.out.push(n as u8);
            self.out.extend_from_slice(&bytes[..n]);
        }
    }

    pub fn item_str(&mut self, key: &str, value: &str) {
        self.str_(key);
        self.str_(value);
    }

    pub fn item_opt_str(&mut self, key: &str, value: Option<&str>) {
        self.str_(key);
        match value {
            Some(v) => self.str_(v),
            None => self.out.push(b'N'),
        }
    }

    pub fn item_int(&mut self, key: &str, value: i128) {
        self.str_(key);
        self.int(value);
    }

    pub fn item_float(&mut self, key: &str, value: f64) {
        self.str_(key);
        self.out.push(b'G');
        self.out.extend_from_slice(&value.to_be_bytes());
    }

    pub fn item_bool(&mut self, key: &str, value: bool) {
        self.str_(key);
        self.out.push(if value { 0x88 } else { 0x89 });
    }

    pub fn item_none(&mut self, key: &str) {
        self.str_(key);
        self.out.push(b'N');
    }

    /// Closes the dict (SETITEMS) and the pickle (STOP).
    pub fn finish(self) {
        self.out.extend_from_slice(b"u.");
    }
}

/// The pickle of `record`'s dict as CPython's `SocketHandler.makePickle`
/// builds it, appended to `out`.
pub fn encode_record(record: &Record<'_>, out: &mut Vec<u8>) {
    let mut e = Encoder::start_dict(out);
    super::for_each_item(record, |key, item| match item {
        Item::Str(s) => e.item_str(key, s),
        Item::Int(i) => e.item_int(key, i),
        Item::Float(f) => e.item_float(key, f),
        Item::Bool(b) => e.item_bool(key, b),
        Item::None => e.item_none(key),
    });
    e.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_round_trips() {
        let mut out = Vec::new();
        let mut e = Encoder::start_dict(&mut out);
        e.item_str("name", "a.b");
        e.item_int("big", 1 << 40);
        e.item_int("neg", -5);
        e.item_int("huge", u64::MAX as i128);
        e.item_float("f", 1.5);
        e.item_none("n");
        e.item_bool("t", true);
        e.finish();
        let v = decode(&out).unwrap();
        let PValue::Dict(pairs) = v else { panic!() };
        assert_eq!(pairs[1].1, PValue::Int(1 << 40));
        assert_eq!(pairs[2].1, PValue::Int(-5));
        assert_eq!(pairs[3].1, PValue::Int(u64::MAX as i128));
        assert_eq!(pairs[4].1, PValue::Float(1.5));
    }

    #[test]
    fn flat_dict_path_agrees_with_the_machine() {
        let mut out = Vec::new();
        let mut e = Encoder::start_dict(&mut out);
        e.item_str("name", "a.b");
        e.item_str("msg", "caf\u{e9}");
        e.item_int("thread", 1 << 40);
        e.item_float("created", 1.5);
        e.item_none("exc_text");
        e.item_bool("t", true);
        e.finish();
        // CPython's protocol 1 shape: BINPUT after the dict and each string,
        // ints as I/L lines, two SETITEMS batches.
        let p1 = b"}q\x00(X\x04\x00\x00\x00nameq\x01X\x01\x00\x00\x00xq\x02X\x01\x00\x00\x00iI7\nu(X\x01\x00\x00\x00jL12345678901234L\nX\x01\x00\x00\x00bI01\nu.";
        let refused_by_flat: &[&[u8]] = &[
            b"}(X\x01\x00\x00\x00ku.",           // odd item count
            b"}(X\x01\x00\x00\x00k]u.",          // a container value
            b"}(X\x01\x00\x00\x00kq\x00h\x00u.", // a memo GET
            b"}(u.x",                            // bytes after STOP
        ];
        for input in [&out[..], &p1[..]]
            .into_iter()
            .chain(refused_by_flat.iter().copied())
        {
            let machine = decode_by_machine(&mut Scratch::default(), input);
            assert_eq!(decode(input), machine);
        }
        assert!(decode_flat_dict(&out, Vec::new()).is_some());
        assert!(decode_flat_dict(p1, Vec::new()).is_some());
        for input in refused_by_flat {
            assert!(decode_flat_dict(input, Vec::new()).is_none());
        }
    }

    #[test]
    fn deep_and_wide_inputs_are_bounded() {
        let mut deep = vec![0x80, 2];
        deep.extend(std::iter::repeat_n(b']', 100_000));
        deep.extend(std::iter::repeat_n(b'a', 99_999));
        deep.push(b'.');
        assert!(decode(&deep).is_err());
        let mut marks = vec![0x80, 2];
        marks.extend(std::iter::repeat_n(b'(', 100_000));
        assert!(decode(&marks).is_err());
        assert!(decode(b"cos\nsystem\n(S'x'\ntR.").is_err());
    }
}
