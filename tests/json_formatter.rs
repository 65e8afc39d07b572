//! sawmill.JSONFormatter against CPython's `json` module: 10,000 random
//! records (extras with control characters, non-ASCII, invalid UTF-8 bytes,
//! extreme ints, NaN/inf floats) must each give a line that `json.loads`
//! reads back as exactly what the record held, and that equals
//! `json.dumps(...)` of it byte for byte.

mod common;

use std::borrow::Cow;
use std::fmt::Write as _;

use sawmill::format::{Formatter, FormatterOptions, JsonOptions, NonFinite};
use sawmill::record::{Record, Value};

/// xorshift64*: seeded, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Random bytes: ASCII, control characters, multi-byte and astral UTF-8,
/// and stray bytes that are not UTF-8.
fn bytes(rng: &mut Rng, max: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(max + 1) {
        match rng.below(8) {
            0 => out.push(rng.below(0x20) as u8),
            1 => out.extend_from_slice(b"\"\\\x7f"),
            2 => out.extend_from_slice("é☃".as_bytes()),
            3 => out.extend_from_slice("😀\u{2028}".as_bytes()),
            4 => out.push(0x80 + rng.below(0x80) as u8),
            5 => out.extend_from_slice(&[0xed, 0xa0, 0x80]),
            _ => out.push(0x20 + rng.below(0x5f) as u8),
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

fn float(rng: &mut Rng) -> f64 {
    match rng.below(8) {
        // Short decimals (n / 10^k), which repr writes without Ryu.
        6 | 7 => {
            let n = rng.below(2_000_000_000) as f64 - 1e9;
            n / [1.0, 10.0, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8][rng.below(9) as usize]
        }
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        3 => f64::from_bits(rng.next()),
        4 => (rng.next() as i64 as f64) / 1000.0,
        // Python's repr turns to exponent form below 1e-4 and from 1e16.
        _ => [
            0.0,
            -0.0,
            1e16,
            1e-5,
            123.456,
            5e-324,
            f64::MAX,
            1e-4,
            -1e-4,
            9.999_999_999_999_999e-5,
            9_999_999_999_999_998.0,
            -9_999_999_999_999_998.0,
            0.1,
        ][rng.below(13) as usize],
    }
}

#[test]
fn random_records_parse_and_match_cpython_json() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let fields = ["name", "levelno", "message", "created", "lineno"];
    let formatters: Vec<(Formatter, bool, NonFinite)> = [
        (true, NonFinite::Python),
        (false, NonFinite::Python),
        (true, NonFinite::Null),
    ]
    .into_iter()
    .map(|(ascii, nan)| {
        let json = JsonOptions {
            fields: fields.map(str::to_owned).to_vec(),
            ensure_ascii: ascii,
            non_finite: nan,
            ..JsonOptions::default()
        };
        let f = Formatter::json(FormatterOptions::default(), json).expect("formatter");
        (f, ascii, nan)
    })
    .collect();
    let mut input = String::new();
    for i in 0..10_000u32 {
        let (formatter, ascii, nan) = &formatters[i as usize % formatters.len()];
        let message = bytes(&mut rng, 12);
        let created = (rng.below(4_000_000_000) as f64) + (rng.below(1000) as f64) / 1000.0;
        let lineno = rng.below(100_000) as u32;
        let levelno = rng.below(60) as i32;
        let text = String::from_utf8_lossy(&message);
        let mut record = Record::at(
            created,
            "app.json",
            levelno,
            Some("app.c"),
            lineno,
            None,
            text,
        );
        let mut truth = format!(
            "{}\t{}\t{}=s:{}\t{}=i:{levelno}\t{}=s:{}\t{}=f:{:016x}\t{}=i:{lineno}",
            u8::from(*ascii),
            if *nan == NonFinite::Null {
                "null"
            } else {
                "python"
            },
            hex(b"name"),
            hex(b"app.json"),
            hex(b"levelno"),
            hex(b"message"),
            hex(&message),
            hex(b"created"),
            created.to_bits(),
            hex(b"lineno"),
        );
        if rng.below(10) == 0 {
            let exc = bytes(&mut rng, 20);
            record.exc_text = Some(Cow::Owned(String::from_utf8_lossy(&exc).into_owned()));
            let _ = write!(truth, "\t{}=s:{}", hex(b"exc_text"), hex(&exc));
        }
        let mut keys: Vec<String> = Vec::new();
        for _ in 0..rng.below(6) {
            let mut key = b"x".to_vec();
            key.extend(bytes(&mut rng, 4));
            let key_text = String::from_utf8_lossy(&key).into_owned();
            if keys.contains(&key_text) {
                continue;
            }
            keys.push(key_text.clone());
            let (value, token) = match rng.below(5) {
                0 => {
                    let b = bytes(&mut rng, 16);
                    let v = Value::Str(Cow::Owned(String::from_utf8_lossy(&b).into_owned()));
                    (v, format!("s:{}", hex(&b)))
                }
                1 => {
                    let n = match rng.below(3) {
                        0 => [i64::MIN, i64::MAX, 0, -1][rng.below(4) as usize],
                        _ => rng.next() as i64,
                    };
                    (Value::Int(n), format!("i:{n}"))
                }
                2 => {
                    let f = float(&mut rng);
                    (Value::Float(f), format!("f:{:016x}", f.to_bits()))
                }
                3 => {
                    let b = rng.below(2) == 1;
                    (Value::Bool(b), format!("b:{}", u8::from(b)))
                }
                _ => (Value::Null, "n:".to_owned()),
            };
            record.set_extra(key_text, value);
            let _ = write!(truth, "\t{}={token}", hex(&key));
        }
        let line = formatter.format_to_string(&record).expect("formats");
        assert!(!line.contains('\n'), "one line per record: {line:?}");
        input.push_str(&line);
        input.push('\n');
        input.push_str(&truth);
        input.push('\n');
    }
    let oracle = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/json_oracle.py");
    let out = common::python_with_stdin(&[oracle], input.into_bytes());
    assert_eq!(String::from_utf8_lossy(&out).trim(), "10000");
}

#[test]
fn recipe_12_prefix_and_ensure_ascii() {
    let options = FormatterOptions {
        format: Some("%(message)s >>> ".into()),
        ..FormatterOptions::default()
    };
    let json = JsonOptions {
        fields: Vec::new(),
        ..JsonOptions::default()
    };
    let f = Formatter::json(options, json).expect("formatter");
    let mut record = Record::at(0.0, "root", 20, None, 0, None, Cow::Borrowed("message 1"));
    record.set_extra("fnum", Value::Float(123.456));
    record.set_extra("num", Value::Int(123));
    record.set_extra("bar", Value::Str("baz".into()));
    record.set_extra("foo", Value::Str("bar".into()));
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"message 1 >>> {"fnum": 123.456, "num": 123, "bar": "baz", "foo": "bar"}"#
    );
    let mut record = Record::at(0.0, "root", 20, None, 0, None, Cow::Borrowed("message 1"));
    record.set_extra("snowman", Value::Str("\u{2603}".into()));
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"message 1 >>> {"snowman": "\u2603"}"#
    );
}

#[test]
fn dict_config_names_the_class_with_class_or_factory() {
    let config = r#"{
        "version": 1,
        "formatters": {
            "by_class": {"class": "sawmill.JSONFormatter", "fields": ["levelname", "message"],
                         "ensure_ascii": false, "nan": "null"},
            "by_factory": {"()": "sawmill.JSONFormatter", "fmt": "%(message)s >>> ",
                           "fields": []}
        },
        "handlers": {
            "a": {"class": "logging.NullHandler", "formatter": "by_class"},
            "b": {"class": "logging.NullHandler", "formatter": "by_factory"}
        },
        "root": {"handlers": ["a", "b"]}
    }"#;
    sawmill::config::dict_config_json(config).expect("config applies");
    let formatter = |name: &str| {
        sawmill::config::handler_by_name(name)
            .expect("handler")
            .formatter()
            .expect("formatter")
    };
    let mut record = Record::at(0.0, "root", 30, None, 0, None, Cow::Borrowed("snow ☃"));
    record.set_extra("x", Value::Float(f64::NAN));
    assert_eq!(
        formatter("a").format_to_string(&record).expect("formats"),
        r#"{"levelname": "WARNING", "message": "snow ☃", "x": null}"#
    );
    assert_eq!(
        formatter("b").format_to_string(&record).expect("formats"),
        r#"snow ☃ >>> {"x": NaN}"#
    );
    let refused = sawmill::config::dict_config_json(
        r#"{"version": 1, "formatters": {"f": {"format": "%(message)s", "fields": []}}}"#,
    )
    .expect_err("fields is a JSONFormatter key");
    assert!(refused.to_string().contains("fields"), "{refused}");
    let refused = sawmill::config::dict_config_json(
        r#"{"version": 1, "formatters": {"f": {"class": "sawmill.JSONFormatter", "nan": "x"}}}"#,
    )
    .expect_err("bad nan");
    assert!(refused.to_string().contains("nan"), "{refused}");
}

#[test]
fn raw_json_extras_are_nested_in_json_dumps_style() {
    let json = JsonOptions {
        fields: vec!["message".into()],
        ..JsonOptions::default()
    };
    let f = Formatter::json(FormatterOptions::default(), json).expect("formatter");
    let mut record = Record::at(0.0, "root", 20, None, 0, None, Cow::Borrowed("m"));
    record.set_extra(
        "nested",
        Value::Json(r#"{"b":[1,2.50,"☃\n",-0.0,1e300],"a":null,"c":{}}"#.into()),
    );
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"{"message": "m", "nested": {"b": [1, 2.5, "\u2603\n", -0.0, 1e+300], "a": null, "c": {}}}"#
    );
}

#[test]
fn separators_when_leading_fields_are_absent() {
    // CPython: json.dumps of the fields the record has, then its extras.
    let json = JsonOptions {
        fields: vec!["missing".into(), "user".into(), "message".into()],
        ..JsonOptions::default()
    };
    let f = Formatter::json(FormatterOptions::default(), json).expect("formatter");
    let mut record = Record::at(0.0, "root", 20, None, 0, None, Cow::Borrowed("m"));
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"{"message": "m"}"#
    );
    record.set_extra("user", Value::Str("u".into()));
    record.set_extra("n", Value::Int(-12));
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"{"user": "u", "message": "m", "n": -12}"#
    );
    let only_extras = JsonOptions {
        fields: vec!["missing".into()],
        ..JsonOptions::default()
    };
    let f = Formatter::json(FormatterOptions::default(), only_extras).expect("formatter");
    assert_eq!(
        f.format_to_string(&record).expect("formats"),
        r#"{"user": "u", "n": -12}"#
    );
}

/// Names that share `name_bit` (length and first letter: "ab", "ac"), a
/// key given twice (printed once, first value) and an extra chosen as a
/// field (printed in the field's place): the line equals CPython's
/// json.dumps of the dict the record's `__dict__` would give.
#[test]
fn extras_named_alike_and_chosen_as_fields() {
    let json = JsonOptions {
        fields: ["levelname", "user", "message"].map(str::to_owned).to_vec(),
        ..JsonOptions::default()
    };
    let formatter = Formatter::json(FormatterOptions::default(), json).expect("formatter");
    let mut record = Record::at(1.5, "app", 20, None, 1, None, Cow::Borrowed("hi"));
    record.set_extra("ab".to_owned(), Value::Int(2));
    record.set_extra("user".to_owned(), Value::Int(1));
    record.set_extra("ac".to_owned(), Value::Int(3));
    record.extras.push((Cow::Borrowed("ab"), Value::Int(4)));
    record.set_extra("x".to_owned(), Value::Str(Cow::Borrowed("y")));
    let line = formatter.format_to_string(&record).expect("formats");
    let script = "import json, sys\n\
        d = {'levelname': 'INFO', 'user': 1, 'message': 'hi', 'ab': 2, 'ac': 3, 'x': 'y'}\n\
        sys.stdout.write(json.dumps(d))";
    let out = common::python_with_stdin(&["-c", script], Vec::new());
    assert_eq!(line, String::from_utf8_lossy(&out));
}

/// `asctime` with the default format and with datefmts holding what JSON
/// escapes (a quote, a backslash, a tab, non-ASCII), both `ensure_ascii`
/// modes, UTC: the line equals CPython's json.dumps of formatTime's text.
#[test]
fn asctime_with_any_datefmt_matches_cpython() {
    let datefmts = [
        None,
        Some("%Y-%m-%d"),
        Some("%H:%M \"quoted\" \\ back"),
        Some("day\t%d caf\u{e9} \u{1f600}"),
    ];
    let created = 1_700_000_123.456;
    let mut cases = Vec::new();
    let mut lines = String::new();
    for datefmt in datefmts {
        for ensure_ascii in [true, false] {
            let options = FormatterOptions {
                datefmt: datefmt.map(str::to_owned),
                utc: true,
                ..FormatterOptions::default()
            };
            let json = JsonOptions {
                fields: vec!["asctime".into()],
                ensure_ascii,
                ..JsonOptions::default()
            };
            let f = Formatter::json(options, json).expect("formatter");
            let record = Record::at(created, "root", 20, None, 0, None, Cow::Borrowed("m"));
            lines.push_str(&f.format_to_string(&record).expect("formats"));
            lines.push('\n');
            let datefmt = datefmt.map_or("null".to_owned(), |d| serde_json::to_string(d).unwrap());
            cases.push(format!("[{datefmt}, {ensure_ascii}, {}]", record.msecs));
        }
    }
    let script = format!(
        "import json, logging, time\n\
         f = logging.Formatter()\n\
         f.converter = time.gmtime\n\
         for datefmt, ascii, msecs in json.loads({cases:?}):\n\
         \x20   r = logging.makeLogRecord({{'created': {created}, 'msecs': msecs}})\n\
         \x20   print(json.dumps({{'asctime': f.formatTime(r, datefmt)}}, ensure_ascii=ascii))\n",
        cases = format!("[{}]", cases.join(", ")),
    );
    let out = common::python_with_stdin(&["-c", &script], Vec::new());
    assert_eq!(lines, String::from_utf8(out).expect("UTF-8"));
}
