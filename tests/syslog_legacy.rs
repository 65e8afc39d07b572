//! The legacy wire format is byte-identical to CPython's SysLogHandler: the
//! same generated records go through CPython (captured over a Unix datagram
//! socket by tests/oracle/syslog_legacy_oracle.py) and through sawmill (over
//! a Unix datagram socket here), and the datagrams are compared.

use std::borrow::Cow;
use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::sync::Arc;

use sawmill::format::{Formatter, Style};
use sawmill::handler::syslog::{Address, SyslogOptions};
use sawmill::Record;

const FORMATS: [&str; 5] = [
    "%(message)s",
    "%(levelname)s:%(name)s:%(message)s",
    "%(name)s[%(lineno)d] %(funcName)s: %(message)s",
    "ASCII section\u{feff}%(message)s",
    "%(levelno)s %(message)r",
];

const MESSAGES: [&str; 7] = [
    "hello",
    "",
    "héllo wörld ✓ 日本",
    "two\nlines",
    "tab\tand\u{7f}del",
    "percent %s %% braces {}",
    "emoji 🎉 and \u{feff} inside",
];

const LEVELS: [(i32, &str); 8] = [
    (10, "DEBUG"),
    (20, "INFO"),
    (30, "WARNING"),
    (40, "ERROR"),
    (50, "CRITICAL"),
    (25, "Level 25"),
    (5, "TRACE"),
    (45, "NOTICE"),
];

struct Case {
    facility: u32,
    ident: String,
    append_nul: bool,
    fmt: &'static str,
    name: String,
    levelno: i32,
    levelname: &'static str,
    msg: String,
    lineno: u32,
    func: String,
}

/// A small deterministic generator (xorshift) so failures repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let idents = ["", "myapp: ", "ïdent[1]: ", "x"];
    (0..300)
        .map(|i| {
            let (levelno, levelname) = LEVELS[rng.pick(LEVELS.len())];
            let mut msg = MESSAGES[rng.pick(MESSAGES.len())].to_owned();
            if rng.pick(4) == 0 {
                msg = msg.repeat(1 + rng.pick(50));
            }
            Case {
                facility: rng.pick(24) as u32,
                ident: idents[rng.pick(idents.len())].to_owned(),
                append_nul: rng.pick(3) != 0,
                fmt: FORMATS[rng.pick(FORMATS.len())],
                name: format!("app.part{}", i % 7),
                levelno,
                levelname,
                msg,
                lineno: rng.pick(5000) as u32,
                func: format!("fn_{}", rng.pick(9)),
            }
        })
        .collect()
}

fn cpython_bytes(cases: &[Case]) -> Vec<Vec<u8>> {
    let json = serde_json::Value::Array(
        cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "facility": c.facility, "ident": c.ident, "append_nul": c.append_nul,
                    "fmt": c.fmt, "name": c.name, "levelno": c.levelno,
                    "levelname": c.levelname, "msg": c.msg, "lineno": c.lineno, "func": c.func,
                })
            })
            .collect(),
    );
    let oracle = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oracle/syslog_legacy_oracle.py"
    );
    let mut child = Command::new("python3")
        .arg(oracle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oracle failed");
    let hex: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    hex.iter()
        .map(|h| {
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn legacy_bytes_match_cpython() {
    let cases = cases();
    let expected = cpython_bytes(&cases);
    let dir = std::env::temp_dir().join(format!("sawmill-legacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log");
    let _ = std::fs::remove_file(&path);
    let receiver = UnixDatagram::bind(&path).unwrap();
    let mut buf = vec![0u8; 1 << 17];
    for (i, (case, want)) in cases.iter().zip(&expected).enumerate() {
        let handler = sawmill::handler::syslog_handler(SyslogOptions {
            address: Address::Unix(path.clone()),
            facility: case.facility,
            ident: case.ident.clone(),
            append_nul: case.append_nul,
            ..SyslogOptions::default()
        })
        .unwrap();
        handler.set_formatter(Some(Arc::new(
            Formatter::new(Some(case.fmt), None, Style::Percent).unwrap(),
        )));
        let mut record = Record::new(
            &case.name,
            case.levelno,
            Some("/src/x.c"),
            case.lineno,
            Some(&case.func),
            Cow::Borrowed(&case.msg),
        );
        record.levelname = Cow::Owned(case.levelname.to_owned());
        assert!(handler.handle(&mut record));
        assert_eq!(handler.error_count(), 0, "case {i}");
        let n = receiver.recv(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&buf[..n]),
            String::from_utf8_lossy(want),
            "case {i}"
        );
        assert_eq!(&buf[..n], &want[..], "case {i}");
        handler.close().unwrap();
    }
    assert_eq!(expected.len(), 300);
    std::fs::remove_file(&path).unwrap();
    let _ = std::fs::remove_dir(&dir);
}
