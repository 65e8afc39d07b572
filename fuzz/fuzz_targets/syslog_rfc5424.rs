//! The RFC 5424 builder of SysLogHandler with fuzzed record fields: header
//! fields, message text, creation time, BOM mode, `structured_data` option
//! entries and record extras (some naming SD parameters).
//!
//! Checks, with a strict RFC 5424 parser written here: the line is always
//! `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]` with PRI
//! 0-191, an RFC 3339 timestamp (<= 6 fraction digits, `Z` or `±hh:mm`) or
//! NILVALUE, header fields of PRINTUSASCII within their limits (the given
//! value sanitised and cut, or `-` when empty), well-formed SD elements
//! with valid SD-NAMEs and escaped values, each SD-ID once (an extra
//! naming an SD-ID of the option joins its element), and MSG equal to the formatted
//! text, preceded by a BOM exactly when the `bom` rule says so.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use sawmill::handler::syslog_format::{self as wire, Bom, ClockCache, Header};
use sawmill::{Record, Value};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits the input into NUL-separated UTF-8 (lossy) parts.
fn parts(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

fn printusascii(b: u8) -> bool {
    (33..=126).contains(&b)
}

fn sd_name_char(b: u8) -> bool {
    printusascii(b) && !matches!(b, b'=' | b']' | b'"')
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, b: u8) {
        assert_eq!(
            self.peek(),
            Some(b),
            "expected {:?} at {}",
            b as char,
            self.i
        );
        self.i += 1;
    }
    fn digits(&mut self, n: usize) -> u32 {
        let mut v = 0;
        for _ in 0..n {
            let d = self.peek().filter(u8::is_ascii_digit).expect("digit");
            v = v * 10 + u32::from(d - b'0');
            self.i += 1;
        }
        v
    }
    /// A header field up to the next SP: PRINTUSASCII, 1..=max.
    fn field(&mut self, max: usize) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(printusascii) {
            self.i += 1;
        }
        let f = &self.s[start..self.i];
        assert!(!f.is_empty() && f.len() <= max, "field {f:?} (max {max})");
        std::str::from_utf8(f).unwrap()
    }
    fn sd_name(&mut self) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(sd_name_char) {
            self.i += 1;
        }
        let n = &self.s[start..self.i];
        assert!(!n.is_empty() && n.len() <= 32, "SD-NAME {n:?}");
        std::str::from_utf8(n).unwrap()
    }
    fn timestamp(&mut self) {
        if self.peek() == Some(b'-') {
            self.i += 1;
            return;
        }
        self.digits(4);
        self.eat(b'-');
        let month = self.digits(2);
        self.eat(b'-');
        let day = self.digits(2);
        self.eat(b'T');
        let hour = self.digits(2);
        self.eat(b':');
        let minute = self.digits(2);
        self.eat(b':');
        let second = self.digits(2);
        assert!((1..=12).contains(&month) && (1..=31).contains(&day));
        assert!(hour < 24 && minute < 60 && second < 60);
        if self.peek() == Some(b'.') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            assert!((1..=6).contains(&(self.i - start)), "fraction digits");
        }
        match self.peek() {
            Some(b'Z') => self.i += 1,
            Some(b'+') | Some(b'-') => {
                self.i += 1;
                assert!(self.digits(2) < 24);
                self.eat(b':');
                assert!(self.digits(2) < 60);
            }
            other => panic!("time offset {other:?}"),
        }
    }
    /// STRUCTURED-DATA: `-` or SD elements; returns (id, [(name, value)]).
    fn sd(&mut self) -> Vec<(String, Vec<(String, String)>)> {
        let mut out = Vec::new();
        if self.peek() == Some(b'-') {
            self.i += 1;
            return out;
        }
        assert_eq!(self.peek(), Some(b'['), "SD");
        while self.peek() == Some(b'[') {
            self.i += 1;
            let id = self.sd_name().to_owned();
            let mut params = Vec::new();
            while self.peek() == Some(b' ') {
                self.i += 1;
                let name = self.sd_name().to_owned();
                self.eat(b'=');
                self.eat(b'"');
                let mut value = Vec::new();
                loop {
                    let b = self.peek().expect("unterminated PARAM-VALUE");
                    self.i += 1;
                    match b {
                        b'\\' => {
                            let next = self.peek().expect("escape");
                            if matches!(next, b'"' | b'\\' | b']') {
                                self.i += 1;
                                value.push(next);
                            } else {
                                value.push(b'\\');
                            }
                        }
                        b'"' => break,
                        b']' => panic!("unescaped ] in PARAM-VALUE"),
                        b => value.push(b),
                    }
                }
                params.push((name, String::from_utf8(value).expect("UTF-8 PARAM-VALUE")));
            }
            self.eat(b']');
            out.push((id, params));
        }
        out
    }
}

fn sanitized(value: &str, max: usize) -> String {
    let s: String = value
        .chars()
        .map(|c| if ('!'..='~').contains(&c) { c } else { '_' })
        .take(max)
        .collect();
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let get = |i: usize| p.get(i).cloned().unwrap_or_default();
    let control = data.first().copied().unwrap_or(0);
    let bom = [Bom::Auto, Bom::Always, Bom::Never][usize::from(control % 3)];
    let created = match data.get(1..9) {
        Some(b) => f64::from_le_bytes(b.try_into().unwrap()),
        None => 1.7e9,
    };
    let (hostname, app, procid, msgid, text) = (get(1), get(2), get(3), get(4), get(5));
    // Option SD: "ID NAME VALUE" parts; invalid ones refused at construction.
    let static_list: Vec<(String, Vec<(String, String)>)> = get(6)
        .split('\u{1}')
        .filter_map(|e| {
            let mut f = e.splitn(3, ' ');
            Some((
                f.next()?.to_owned(),
                vec![(f.next()?.to_owned(), f.next().unwrap_or("").to_owned())],
            ))
        })
        .collect();
    let static_ok = wire::render_static_sd(&static_list).is_ok();
    let option: &[_] = if static_ok { &static_list } else { &[] };
    let header = Header::new(&hostname, &app, &procid, &msgid, option);
    let mut record = Record::at(created, "fuzz", 20, None, 1, None, Cow::Borrowed(""));
    for kv in p.iter().skip(7) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let value = match v.parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Str(Cow::Owned(v.to_owned())),
        };
        record.extras.push((Cow::Owned(k.to_owned()), value));
    }
    let pri = u32::from(control) % 192;
    let mut out = Vec::new();
    wire::rfc5424(
        &mut out,
        &mut String::new(),
        &mut ClockCache::default(),
        pri,
        &header,
        bom,
        &record,
        &text,
    );

    let mut ps = Parser { s: &out, i: 0 };
    ps.eat(b'<');
    let start = ps.i;
    while ps.peek().is_some_and(|b| b.is_ascii_digit()) {
        ps.i += 1;
    }
    let prival: u32 = std::str::from_utf8(&out[start..ps.i])
        .unwrap()
        .parse()
        .unwrap();
    assert!(ps.i - start <= 3 && prival == pri && prival <= 191);
    ps.eat(b'>');
    ps.eat(b'1');
    ps.eat(b' ');
    ps.timestamp();
    ps.eat(b' ');
    assert_eq!(ps.field(255), sanitized(&hostname, 255));
    ps.eat(b' ');
    assert_eq!(ps.field(48), sanitized(&app, 48));
    ps.eat(b' ');
    assert_eq!(ps.field(128), sanitized(&procid, 128));
    ps.eat(b' ');
    assert_eq!(ps.field(32), sanitized(&msgid, 32));
    ps.eat(b' ');
    let sd = ps.sd();
    for (i, (id, _)) in sd.iter().enumerate() {
        assert!(
            sd[..i].iter().all(|(other, _)| other != id),
            "SD-ID {id:?} appears twice"
        );
    }
    for (id, params) in &sd {
        assert!(wire::valid_sd_id(id), "SD-ID {id:?}");
        for (name, _) in params {
            assert!(wire::valid_sd_name(name));
        }
    }
    let msg = &out[ps.i..];
    let add_bom = match bom {
        Bom::Never => false,
        _ if text.contains('\u{feff}') => false,
        Bom::Always => true,
        Bom::Auto => !text.is_ascii(),
    };
    let mut want = Vec::new();
    if add_bom || !text.is_empty() {
        want.push(b' ');
        if add_bom {
            want.extend_from_slice(BOM);
        }
        want.extend_from_slice(text.as_bytes());
    }
    assert_eq!(msg, &want[..], "MSG");
});
