//! The hot path's unchecked operations: each one's checked form measured
//! slower (bench/callgrind.sh for the plain path, bench/json.sh and `perf`
//! for JSON records), so this module keeps them, each behind a safe
//! function or type whose tests show the unchecked step sound (`trunc`:
//! clock.rs's `fast_rounding_matches_std`, with `floor`; `Appender`: every
//! copy length and growth path, digits against `format!`; the SSE2 escape
//! check against the byte test at every byte value and position). A
//! departure from DESIGN.md's rule 1 (`unsafe` only in `ffi/` and OS calls),
//! as `sync.rs` is; nothing else outside those places may use `unsafe`.

/// Values this large are whole numbers already (2^52: no fraction bits).
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x.trunc()`. The CPU baseline has no rounding instruction, so the library
/// call showed in profiles; a conversion to an integer and back is exact for
/// every value below 2^52. `as` would add a saturation check per call (five
/// instructions, 14 per record: 1,724 → 1,738 on the buffered workload).
#[inline]
pub fn trunc(x: f64) -> f64 {
    match trunc_i64(x) {
        Some(whole) => whole as f64,
        None => x.trunc(),
    }
}

/// `x` truncated to an integer when |x| < 2^52 (None otherwise, NaN
/// included): one conversion instruction, where `as` adds its saturation
/// checks.
#[inline]
pub fn trunc_i64(x: f64) -> Option<i64> {
    if x.abs() < WHOLE {
        // SAFETY: |x| < 2^52 is finite and fits an i64 (NaN fails the test).
        Some(unsafe { x.to_int_unchecked::<i64>() })
    } else {
        None
    }
}

/// `,%03d` of `msecs` truncated, in `buf`, when 0 <= msecs < 1000 (NaN is
/// not); None otherwise. The digits are ASCII by construction, so the text
/// needs no check: `std::str::from_utf8`'s check cost 84 instructions per
/// record on these four bytes, and a table of the 1,000 texts 4.
#[inline]
pub fn comma_msecs(msecs: f64, buf: &mut [u8; 4]) -> Option<&str> {
    if !(0.0..1000.0).contains(&msecs) {
        return None;
    }
    // SAFETY: 0 <= msecs < 1000 (finite) truncates to a u32.
    let ms: u32 = unsafe { msecs.to_int_unchecked() };
    *buf = [
        b',',
        b'0' + (ms / 100) as u8,
        b'0' + (ms / 10 % 10) as u8,
        b'0' + (ms % 10) as u8,
    ];
    // SAFETY: a comma and three ASCII digits (ms < 1000) are UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(buf) })
}

/// Appends to a `String` through a cursor kept in registers. The JSON
/// formatter writes a dozen short pieces per record; `push_str` per piece
/// paid a `memcpy` call and a length store and reload each time, which
/// showed in profiles (bench/bench_json.c). Pieces of up to 32 bytes are
/// copied inline, in at most four overlapping loads and stores.
///
/// Every piece is a `&str` or ASCII, so the text stays UTF-8; the
/// `String`'s length is set when the appender is dropped (or lent out).
pub struct Appender<'a> {
    out: &'a mut String,
    // Invariant: `base` is the start of `out`'s buffer, `base <= at <= end`,
    // `end` is `base + capacity`, and `base..at` is initialised UTF-8.
    base: *mut u8,
    at: *mut u8,
    end: *mut u8,
}

impl<'a> Appender<'a> {
    #[inline]
    pub fn new(out: &'a mut String) -> Self {
        let mut appender = Appender {
            out,
            base: std::ptr::null_mut(),
            at: std::ptr::null_mut(),
            end: std::ptr::null_mut(),
        };
        appender.reload();
        appender
    }

    /// Re-reads the pointers from the `String` (after it was changed).
    #[inline]
    fn reload(&mut self) {
        // SAFETY: the pointers describe the vector's own buffer; no byte is
        // written that is not UTF-8 (see the methods below).
        let vec = unsafe { self.out.as_mut_vec() };
        let len = vec.len();
        let capacity = vec.capacity();
        self.base = vec.as_mut_ptr();
        // SAFETY: len <= capacity, both within the one allocation.
        unsafe {
            self.at = self.base.add(len);
            self.end = self.base.add(capacity);
        }
    }

    /// The length written so far.
    #[inline]
    pub fn written(&self) -> usize {
        self.at as usize - self.base as usize
    }

    /// Makes room for `n` more bytes.
    #[inline]
    pub fn reserve(&mut self, n: usize) {
        if (self.end as usize - self.at as usize) < n {
            self.grow(n);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) {
        self.sync_len();
        self.out.reserve(n);
        self.reload();
    }

    #[inline]
    fn sync_len(&mut self) {
        let len = self.written();
        // SAFETY: base..at is initialised UTF-8 (the invariant).
        unsafe { self.out.as_mut_vec().set_len(len) };
    }

    /// Lends the `String` with everything written so far (rare paths that
    /// append through the usual `String` methods).
    #[inline]
    pub fn with_string<R>(&mut self, f: impl FnOnce(&mut String) -> R) -> R {
        self.sync_len();
        // Lent: should `f` unwind, the drop leaves the String as `f` left
        // it instead of setting a length from pointers it may have moved.
        self.base = std::ptr::null_mut();
        let result = f(self.out);
        self.reload();
        result
    }

    /// The text written from byte `start` on.
    #[inline]
    pub fn written_since(&self, start: usize) -> &str {
        let len = self.written();
        // SAFETY: base..at is initialised UTF-8; `start` is checked as a
        // character boundary by the slicing.
        let text =
            unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.base, len)) };
        &text[start..]
    }

    /// Drops what was written from byte `start` on.
    #[inline]
    pub fn truncate(&mut self, start: usize) {
        self.with_string(|out| out.truncate(start));
    }

    #[inline]
    pub fn push_str(&mut self, s: &str) {
        self.reserve(s.len());
        // SAFETY: room for s.len() bytes was made; a whole `str` keeps the
        // text UTF-8.
        unsafe { self.copy(s.as_bytes()) }
    }

    /// Appends `pieces` in order with one room check (most are short
    /// constants: quotes, separators; the loop unrolls for a given count).
    #[inline(always)]
    pub fn push_pieces<const N: usize>(&mut self, pieces: [&str; N]) {
        // (Saturating: a sum that cannot be reserved fails in `reserve`
        // rather than wrapping to a room too small.)
        self.reserve(
            pieces
                .iter()
                .fold(0, |n: usize, p| n.saturating_add(p.len())),
        );
        for piece in pieces {
            // SAFETY: room for all pieces was made; whole `str`s keep the
            // text UTF-8.
            unsafe { self.copy(piece.as_bytes()) };
        }
    }

    /// Appends one ASCII byte (checked: for a constant the check folds away).
    #[inline]
    pub fn push_ascii(&mut self, byte: u8) {
        assert!(byte.is_ascii());
        self.reserve(1);
        // SAFETY: room for one byte was made; ASCII is UTF-8.
        unsafe {
            self.at.write(byte);
            self.at = self.at.add(1);
        }
    }

    /// Appends the decimal digits of `value`, at least `min_digits` of them
    /// (zero-padded; at most 20), written straight into place: digits made
    /// in a buffer and copied were read back while their narrow stores were
    /// still in flight, a store-forwarding stall per number.
    #[inline]
    pub fn push_u64(&mut self, value: u64, min_digits: usize) {
        let len = decimal_len(value).max(min_digits.min(20));
        self.reserve(len);
        let mut rest = value;
        let mut end = len;
        // SAFETY: room for `len` bytes was made; each store is inside it
        // (two bytes below `end` >= 2, then the first byte) and writes
        // ASCII digits from the table.
        unsafe {
            while end >= 2 {
                end -= 2;
                let pair = (rest % 100) as usize * 2;
                rest /= 100;
                self.at
                    .add(end)
                    .copy_from_nonoverlapping(DIGIT_PAIRS.as_ptr().add(pair), 2);
            }
            if end == 1 {
                self.at.write(b'0' + (rest % 10) as u8);
            }
            self.at = self.at.add(len);
        }
    }

    /// Copies `bytes` at the cursor and moves it past them.
    /// SAFETY: the caller made room for `bytes.len()` and `bytes` keeps the
    /// text UTF-8.
    #[inline(always)]
    unsafe fn copy(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let src = bytes.as_ptr();
        let dst = self.at;
        // SAFETY (each branch): the loads read inside `bytes` (first and last
        // chunks of its length, overlapping when shorter than two chunks),
        // the stores write inside the room made for `n` bytes.
        unsafe {
            if n >= 16 {
                if n > 32 {
                    std::ptr::copy_nonoverlapping(src, dst, n);
                } else {
                    let head = src.cast::<u128>().read_unaligned();
                    let tail = src.add(n - 16).cast::<u128>().read_unaligned();
                    dst.cast::<u128>().write_unaligned(head);
                    dst.add(n - 16).cast::<u128>().write_unaligned(tail);
                }
            } else if n >= 8 {
                let head = src.cast::<u64>().read_unaligned();
                let tail = src.add(n - 8).cast::<u64>().read_unaligned();
                dst.cast::<u64>().write_unaligned(head);
                dst.add(n - 8).cast::<u64>().write_unaligned(tail);
            } else if n >= 4 {
                let head = src.cast::<u32>().read_unaligned();
                let tail = src.add(n - 4).cast::<u32>().read_unaligned();
                dst.cast::<u32>().write_unaligned(head);
                dst.add(n - 4).cast::<u32>().write_unaligned(tail);
            } else if n > 0 {
                let (first, middle, last) = (*src, *src.add(n / 2), *src.add(n - 1));
                *dst = first;
                *dst.add(n / 2) = middle;
                *dst.add(n - 1) = last;
            }
            self.at = dst.add(n);
        }
    }
}

impl Drop for Appender<'_> {
    #[inline]
    fn drop(&mut self) {
        if !self.base.is_null() {
            self.sync_len();
        }
    }
}

impl std::fmt::Write for Appender<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// Whether any byte of `bytes` needs escaping in a JSON string as CPython's
/// `json.dumps` writes it: a control character, `"`, `\\`, and with
/// `ensure_ascii` DEL and every byte of a non-ASCII character. Exact (no
/// false alarms). On x86-64, 16 bytes per SSE2 compare (a text of 8 to 15
/// bytes as its first and last 8, 1 to 7 as its first and last 4 or
/// first, middle and last byte): the JSON formatter checks about ten
/// short strings per record, and the 8-byte word check this replaced cost
/// 240 instructions more per record (bench_json). Elsewhere a byte loop.
#[inline]
pub fn json_needs_escape(bytes: &[u8], ensure_ascii: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let n = bytes.len();
        let src = bytes.as_ptr();
        // SAFETY: SSE2 is part of x86-64; every load reads inside `bytes`
        // (chunks of its length, overlapping, chosen by `n`).
        unsafe {
            let flags = |x: __m128i| {
                // Signed compare: below 0x20 catches controls and (as
                // negative bytes) everything from 0x80.
                let low = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
                let low = if ensure_ascii {
                    _mm_or_si128(low, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)))
                } else {
                    _mm_and_si128(low, _mm_cmpgt_epi8(x, _mm_set1_epi8(-1)))
                };
                let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
                _mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(quote, backslash)))
            };
            if n >= 16 {
                let mut seen = flags(_mm_loadu_si128(src.add(n - 16).cast()));
                let mut at = 0;
                while at + 16 < n {
                    seen |= flags(_mm_loadu_si128(src.add(at).cast()));
                    at += 16;
                }
                seen != 0
            } else if n >= 8 {
                let head = src.cast::<i64>().read_unaligned();
                let tail = src.add(n - 8).cast::<i64>().read_unaligned();
                flags(_mm_set_epi64x(tail, head)) != 0
            } else if n >= 4 {
                let head = src.cast::<u32>().read_unaligned();
                let tail = src.add(n - 4).cast::<u32>().read_unaligned();
                let word = (u64::from(tail) << 32 | u64::from(head)) as i64;
                flags(_mm_cvtsi64_si128(word)) & 0xff != 0
            } else if n > 0 {
                let word = i32::from_le_bytes([*src, *src.add(n / 2), *src.add(n - 1), *src]);
                flags(_mm_cvtsi32_si128(word)) & 0xf != 0
            } else {
                false
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bytes
            .iter()
            .any(|&b| b < 0x20 || b == b'"' || b == b'\\' || (ensure_ascii && b >= 0x7f))
    }
}

/// Two decimal digits per entry, "00" to "99".
pub(crate) const DIGIT_PAIRS: &[u8; 200] = &{
    let mut table = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        table[2 * i] = b'0' + (i / 10) as u8;
        table[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    table
};

/// The number of decimal digits of `value` (1 for zero).
#[inline]
fn decimal_len(value: u64) -> usize {
    const POWERS: [u64; 20] = {
        let mut table = [1u64; 20];
        let mut i = 1;
        while i < 20 {
            table[i] = table[i - 1] * 10;
            i += 1;
        }
        table
    };
    // log10 from log2 (1233 / 4096 is about log10(2)), then one comparison.
    let bits = 64 - (value | 1).leading_zeros() as usize;
    let guess = (bits * 1233) >> 12;
    (guess + usize::from(guess < 20 && value >= POWERS[guess])).max(1)
}

/// Bytes made here as ASCII (digits, signs, points) as text, checked a word
/// at a time (`std::str::from_utf8` cost more than the digits' making);
/// anything else, which would be a bug, comes out lossy rather than unsound.
#[inline]
pub fn ascii_str(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if is_ascii(bytes) {
        // SAFETY: ASCII is UTF-8.
        std::borrow::Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8_lossy(bytes)
    }
}

/// `<[u8]>::is_ascii` for the short strings of the logging path (file and
/// function names, extra keys, digits made here): whole 8-byte words, the
/// last one overlapping; 4 to 7 bytes as two overlapping 4-byte words;
/// instead of the byte loop the standard library uses below 16 bytes and its
/// alignment prologue above.
#[inline]
pub fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let word = |chunk: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        u64::from_ne_bytes(w)
    };
    let half = |chunk: &[u8]| {
        let mut w = [0u8; 4];
        w.copy_from_slice(chunk);
        u64::from(u32::from_ne_bytes(w))
    };
    let n = bytes.len();
    let seen = if n >= 8 {
        let tail = word(&bytes[n - 8..]);
        bytes.chunks_exact(8).fold(tail, |acc, c| acc | word(c))
    } else if n >= 4 {
        half(&bytes[..4]) | half(&bytes[n - 4..])
    } else {
        bytes.iter().fold(0, |acc, b| acc | u64::from(*b))
    };
    seen & HIGH_BITS == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msecs_text_like_percent_03d() {
        let mut buf = [0; 4];
        for ms in 0..1000u16 {
            let text = comma_msecs(f64::from(ms) + 0.75, &mut buf).map(str::to_owned);
            assert_eq!(text, Some(format!(",{ms:03}")));
        }
        for odd in [-0.5, 1000.0, f64::NAN, f64::INFINITY, -1e300] {
            assert_eq!(comma_msecs(odd, &mut buf), None, "{odd}");
        }
    }

    #[test]
    fn appender_writes_what_push_str_would() {
        // Every length 0..=80 (each copy path: bytes, 4, 8, 16 overlapping,
        // the library copy above 32), starting from an empty string and
        // from one with no room left, so each growth path runs too.
        let source: String = (0..80u8).map(|i| char::from(b'!' + i % 90)).collect();
        for len in 0..=80 {
            for start in [String::new(), String::from("x")] {
                let mut start = start;
                start.shrink_to_fit();
                let mut expected = start.clone();
                let mut out = start;
                {
                    let mut w = Appender::new(&mut out);
                    w.push_str(&source[..len]);
                    w.push_pieces(["<", &source[..len], ">"]);
                    w.push_ascii(b'.');
                    w.push_u64(123, 0);
                    w.with_string(|s| s.push('\u{e9}'));
                    w.push_str("\u{2603}");
                }
                expected.push_str(&source[..len]);
                expected.push('<');
                expected.push_str(&source[..len]);
                expected.push('>');
                expected.push_str(".123\u{e9}\u{2603}");
                assert_eq!(out, expected, "len {len}");
            }
        }
    }

    #[test]
    fn appender_reads_back_and_truncates() {
        let mut out = String::from("ab");
        let mut w = Appender::new(&mut out);
        w.push_str("c\u{e9}d");
        assert_eq!(w.written(), 6);
        assert_eq!(w.written_since(2), "c\u{e9}d");
        w.truncate(3);
        w.push_ascii(b'z');
        drop(w);
        assert_eq!(out, "abcz");
        // Bytes that are not ASCII (a bug in a caller) come out lossy.
        assert_eq!(ascii_str(&[b'1', 0xff]), "1\u{fffd}");
        assert_eq!(ascii_str(b"0.25"), "0.25");
    }

    #[test]
    fn appender_digits_match_the_standard_library() {
        // Zero, every power of ten and its neighbours, the extremes, each
        // with no padding and padded to widths 1..=20.
        let mut values = vec![0u64, u64::MAX, u64::MAX - 1];
        let mut p = 1u64;
        loop {
            values.extend([p - 1, p, p + 1]);
            match p.checked_mul(10) {
                Some(next) => p = next,
                None => break,
            }
        }
        for value in values {
            for width in 0..=20 {
                let mut out = String::new();
                Appender::new(&mut out).push_u64(value, width);
                assert_eq!(out, format!("{value:0width$}"), "{value} width {width}");
            }
        }
    }

    #[test]
    fn a_lend_that_unwinds_leaves_the_string_as_it_was_left() {
        // The closure grows the string (moving its buffer) and panics: the
        // appender's drop must not set a length from its old pointers.
        let mut out = String::from("ab");
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut w = Appender::new(&mut out);
            w.push_str("cd");
            w.with_string(|s| {
                s.push_str(&"x".repeat(4096));
                panic!("inside the lend");
            });
        }));
        assert!(unwound.is_err());
        assert_eq!(out.len(), 4 + 4096);
        assert!(out.starts_with("abcdx"));
    }
}
