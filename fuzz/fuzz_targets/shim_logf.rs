//! The printf shim (`sawmill_logf`, src/ffi/shim.c): its own fast formatter
//! for %d %i %u %c %s %% with l/ll/z, the fall-back to vsnprintf, the
//! 1024-byte stack buffer and the heap path, and the lossy UTF-8 repair of
//! the result.
//!
//! What is fuzzable: a printf format is sound only with arguments of the
//! types its conversions name, and in C that pairing is the programmer's,
//! checked by -Wformat at compile time. A fuzzed format with arbitrary
//! conversions (%n writes through an argument, %s reads one) would test
//! nothing but undefined behaviour. So the fuzzed text is made sound first:
//! each conversion the harness can feed (flags, width and precision up to
//! 4 digits, the lengths hh h l ll j z t, types d i u o x X c s p f F e E g
//! G a A, and %%) keeps its place and gets an argument of its exact type
//! drawn from the input (strings, NULL for a bare %s as glibc defines it,
//! integer and float extremes); any other `%` becomes `%%`, at most four
//! arguments per call. The message the handler receives must equal glibc's
//! snprintf of the same format and arguments, repaired to UTF-8.
#![no_main]

use std::ffi::{c_char, c_int, CString};
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sawmill_fuzz::capi::{self, OK};
use sawmill_fuzz::{float, int, split};

/// One argument, of the C type its conversion reads.
#[derive(Clone, Copy, Debug)]
enum Arg {
    Int(c_int),
    Long(i64),
    Size(usize),
    Ptr(*const c_char),
    Double(f64),
}

const MAX_ARGS: usize = 4;

/// The sound format made of the fuzzed text, and its arguments (strings
/// are kept alive in `strings`).
fn sanitize(
    text: &[u8],
    u: &mut Unstructured<'_>,
    strings: &mut Vec<CString>,
) -> (CString, Vec<Arg>) {
    let mut out = Vec::with_capacity(text.len() + 8);
    let mut args = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b != b'%' {
            if b != 0 {
                out.push(b);
            }
            i += 1;
            continue;
        }
        match conversion(&text[i..]) {
            Some((len, kind)) if kind == b'%' || args.len() < MAX_ARGS => {
                if let Some(arg) = argument(kind, &text[i..i + len], u, strings) {
                    args.push(arg);
                }
                out.extend_from_slice(&text[i..i + len]);
                i += len;
            }
            _ => {
                out.extend_from_slice(b"%%");
                i += 1;
            }
        }
    }
    (CString::new(out).expect("NULs were dropped"), args)
}

/// The length of the conversion at the start of `s` (which starts with
/// `%`) and the class of argument it reads (`%` for none), if the harness
/// can feed it.
fn conversion(s: &[u8]) -> Option<(usize, u8)> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start <= 4
    };
    if s.get(1) == Some(&b'%') {
        return Some((2, b'%'));
    }
    while i < s.len() && b"-+ #0".contains(&s[i]) {
        i += 1;
    }
    if !digits(&mut i) {
        return None;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    let length_start = i;
    for length in [&b"hh"[..], b"ll", b"h", b"l", b"j", b"z", b"t"] {
        if s[i..].starts_with(length) {
            i += length.len();
            break;
        }
    }
    let length = &s[length_start..i];
    let conv = *s.get(i)?;
    let class = match conv {
        b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => match length {
            b"" | b"h" | b"hh" => b'I',
            b"l" | b"ll" | b"j" => b'L',
            _ => b'Z',
        },
        b'c' if length.is_empty() => b'I',
        b's' | b'p' if length.is_empty() => b'P',
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' if matches!(length, b"" | b"l") => {
            b'D'
        }
        _ => return None,
    };
    Some((i + 1, class))
}

/// An argument for a conversion of `class`; `spec` is the conversion's text.
fn argument(
    class: u8,
    spec: &[u8],
    u: &mut Unstructured<'_>,
    strings: &mut Vec<CString>,
) -> Option<Arg> {
    Some(match class {
        b'I' => Arg::Int(int(u) as c_int),
        b'L' => Arg::Long(int(u)),
        b'Z' => Arg::Size(int(u) as usize),
        b'D' => Arg::Double(float(u)),
        b'P' => {
            // glibc prints "(null)" for a NULL %s; the shim's fast path does too.
            if spec == b"%s" && u.ratio(1, 8).unwrap_or(false) {
                Arg::Ptr(std::ptr::null())
            } else {
                let len = u.int_in_range(0..=2000usize).unwrap_or(0).min(u.len());
                let bytes: Vec<u8> = u
                    .bytes(len)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&b| if b == 0 { b'0' } else { b })
                    .collect();
                strings.push(CString::new(bytes).expect("no NUL"));
                Arg::Ptr(strings.last().map_or(std::ptr::null(), |s| s.as_ptr()))
            }
        }
        _ => return None,
    })
}

/// Calls `$call!(args...)` with each argument as its own C type: one call
/// site per combination of types, as a variadic call needs.
macro_rules! with_args {
    ($args:expr, $call:ident) => {
        match $args {
            [] => $call!(),
            [a] => with_arg!(a, |x| $call!(x)),
            [a, b] => with_arg!(a, |x| with_arg!(b, |y| $call!(x, y))),
            [a, b, c] => with_arg!(a, |x| with_arg!(b, |y| with_arg!(c, |z| $call!(x, y, z)))),
            [a, b, c, d] => with_arg!(a, |x| with_arg!(b, |y| with_arg!(c, |z| with_arg!(
                d,
                |w| $call!(x, y, z, w)
            )))),
            _ => unreachable!("at most {MAX_ARGS} arguments"),
        }
    };
}

macro_rules! with_arg {
    ($arg:expr, |$v:ident| $body:expr) => {
        match *$arg {
            Arg::Int($v) => $body,
            Arg::Long($v) => $body,
            Arg::Size($v) => $body,
            Arg::Ptr($v) => $body,
            Arg::Double($v) => $body,
        }
    };
}

fn logger() -> usize {
    static LOGGER: OnceLock<usize> = OnceLock::new();
    *LOGGER.get_or_init(|| {
        let l = capi::private_logger(c"fuzz.shim");
        let h = capi::capturing_handler(c"%(message)s");
        // SAFETY: live handles; the logger keeps its own reference.
        unsafe {
            assert_eq!(capi::sawmill_logger_add_handler(l, h), OK);
            capi::sawmill_handler_release(h);
        }
        l as usize
    })
}

fuzz_target!(|data: &[u8]| {
    let (text, mut u) = split(data);
    let mut strings = Vec::new();
    let (format, args) = sanitize(text, &mut u, &mut strings);
    let level: c_int = *u.choose(&[20, 10, 50, 0, 1, 5]).unwrap_or(&20);
    let l = logger() as *mut std::ffi::c_void;

    let mut expected = vec![0u8; 1 << 20];
    let (buf, cap, fmt) = (
        expected.as_mut_ptr().cast::<c_char>(),
        expected.len(),
        format.as_ptr(),
    );
    macro_rules! snprintf {
        ($($a:expr),*) => {
            // SAFETY: every argument has the type its conversion reads (sanitize).
            unsafe { libc::snprintf(buf, cap, fmt $(, $a)*) }
        };
    }
    let n = with_args!(args.as_slice(), snprintf);
    macro_rules! logf {
        ($($a:expr),*) => {
            // SAFETY: as above; a live logger, NUL-terminated file and function.
            unsafe { capi::sawmill_logf(l, level, c"fuzz.c".as_ptr(), 1, c"f".as_ptr(), fmt $(, $a)*) }
        };
    }
    let status = with_args!(args.as_slice(), logf);
    let emitted = capi::take_emitted();

    assert_ne!(status, capi::ERR_PANIC);
    if level < 1 {
        assert_eq!(status, OK);
        assert!(emitted.is_empty(), "a disabled call emitted");
        return;
    }
    if n < 0 {
        // glibc could not format it: the shim reports it and logs nothing.
        assert_ne!(status, OK);
        assert!(emitted.is_empty());
        return;
    }
    let n = n as usize;
    assert!(n < cap, "the harness bounds widths, so this fits");
    assert_eq!(status, OK, "format {format:?}");
    let expected = String::from_utf8_lossy(&expected[..n]);
    assert_eq!(emitted.len(), 1);
    assert_eq!(
        emitted[0],
        expected.as_bytes(),
        "format {:?} args {args:?}",
        format.to_string_lossy()
    );
});
