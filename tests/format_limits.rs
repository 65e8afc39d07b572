//! Issue 8: no format string may crash, hang or break the logging call.
//! Widths and precisions beyond sawmill's bound (spec.rs MAX_WIDTH, 65,000)
//! are refused when the formatter is built (CPython accepts them and fails
//! with "width too big" / "Too many decimal digits" / MemoryError, or spends
//! gigabytes); a width that only a record's value supplies (a nested spec)
//! is a format-time error, which a handler counts.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use sawmill::format::{Formatter, Style};
use sawmill::record::{Record, Value};

fn record() -> Record<'static> {
    let mut r = Record::at(
        1700000000.987654,
        "name.sub",
        20,
        Some("/src/main.c"),
        42,
        Some("run"),
        Cow::Borrowed("hi x"),
    );
    r.set_extra("huge", Value::Int(2_000_000_000));
    r.set_extra("ok", Value::Int(12));
    r
}

#[test]
fn oversized_widths_and_precisions_are_refused_at_construction() {
    for (fmt, style) in [
        ("%(message)99999999999999999999s", Style::Percent),
        ("%(levelno)99999999999999999999d", Style::Percent),
        ("{message:99999999999999999999}", Style::Brace),
        ("%(message)9999999999s", Style::Percent),
        ("%(message)99999999999999999999r", Style::Percent),
        ("%(created).99999999999999999999f", Style::Percent),
        ("{levelno:.99999999999999999999f}", Style::Brace),
        ("%(message)65001s", Style::Percent),
        ("{message:>65001}", Style::Brace),
        ("%(created).65001f", Style::Percent),
    ] {
        let started = Instant::now();
        let built = Formatter::new(Some(fmt), None, style);
        assert!(built.is_err(), "{fmt} must be refused");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{fmt} took too long"
        );
    }
}

#[test]
fn widths_up_to_the_bound_format_in_full() {
    let r = record();
    for (fmt, style, len) in [
        ("%(message)65000s", Style::Percent, 65_000),
        ("%(message)-65000r", Style::Percent, 65_000),
        ("{message:>65000}", Style::Brace, 65_000),
        ("%(levelno)065000d", Style::Percent, 65_000),
        // Grouped zero padding never starts with a separator: one more digit (as CPython).
        ("{levelno:065000,}", Style::Brace, 65_001),
    ] {
        let started = Instant::now();
        let f = Formatter::new(Some(fmt), None, style).expect(fmt);
        let text = f.format_to_string(&r).expect(fmt);
        assert_eq!(text.chars().count(), len, "{fmt}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{fmt} took too long"
        );
    }
    // %.65000f of the largest double: 309 digits, the point, 65,000 decimals.
    let f = Formatter::new(Some("%(x).65000f"), None, Style::Percent).unwrap();
    let mut r = record();
    r.set_extra("x", Value::Float(f64::MAX));
    assert_eq!(f.format_to_string(&r).unwrap().len(), 309 + 1 + 65_000);
    // %g with the most decimals: a small number in fixed form.
    let f = Formatter::new(Some("%(x).65000g|%(x)#.65000g"), None, Style::Percent).unwrap();
    r.set_extra("x", Value::Float(0.0001));
    // Lengths from CPython: the exact digits, trailing zeros kept by '#'.
    let text = f.format_to_string(&r).unwrap();
    let (plain, alternate) = text.split_once('|').unwrap();
    assert_eq!((plain.len(), alternate.len()), (68, 65005));
}

#[test]
fn a_width_from_the_record_is_bounded_at_format_time() {
    let f = Formatter::new(Some("{message:{huge}}"), None, Style::Brace).unwrap();
    let started = Instant::now();
    assert!(f.format_to_string(&record()).is_err());
    assert!(started.elapsed() < Duration::from_secs(1));
    let f = Formatter::new(Some("{message:>{ok}}|{created:.{ok}f}"), None, Style::Brace).unwrap();
    assert_eq!(
        f.format_to_string(&record()).unwrap(),
        "        hi x|1700000000.987653970718"
    );
}

/// asctime of a datefmt whose text is long: what CPython's time.strftime
/// gives (it retries with a buffer doubled from 1024 bytes up to 256 times
/// the format's length, then returns ''), never an empty or cut text where
/// CPython has one. python3 is the oracle.
#[test]
fn long_date_texts_follow_cpython_strftime_buffer_rule() {
    let datefmts = [
        "%33333".to_owned(),
        "%1500Y".to_owned(),
        "%2000Y".to_owned(),
        "%3000Y".to_owned(),
        format!("%Y{}%70000Y", "x".repeat(300)),
        format!("%Y{}", "é".repeat(400)),
        "%Y".repeat(200),
        // Unfinished directives at the end reach strftime as they are.
        "666%66".to_owned(),
        "abc%".to_owned(),
        "%Y %-".to_owned(),
    ];
    let script = "import json, logging, sys, time\n\
        r = logging.makeLogRecord({'created': 1700000000.5, 'msecs': 500.0})\n\
        out = []\n\
        for d in json.load(sys.stdin):\n\
        \x20   f = logging.Formatter('%(asctime)s', d)\n\
        \x20   f.converter = time.gmtime\n\
        \x20   out.append(f.format(r))\n\
        json.dump(out, sys.stdout)\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(&datefmts).expect("json").as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("python3 output");
    assert!(output.status.success());
    let expected: Vec<String> = serde_json::from_slice(&output.stdout).expect("python3 json");
    let record = Record::at(1700000000.5, "n", 20, None, 0, None, Cow::Borrowed("m"));
    for (datefmt, want) in datefmts.iter().zip(expected) {
        let options = sawmill::format::FormatterOptions {
            format: Some("%(asctime)s".to_owned()),
            datefmt: Some(datefmt.clone()),
            utc: true,
            ..Default::default()
        };
        let formatter = Formatter::with_options(options).expect("datefmt accepted");
        // Twice: the second call may come from the per-second cache.
        for _ in 0..2 {
            let got = formatter.format_to_string(&record).expect("formats");
            assert!(
                got == want,
                "datefmt {:?}…: {} bytes, CPython {} bytes",
                &datefmt[..datefmt.len().min(12)],
                got.len(),
                want.len()
            );
        }
    }
}

#[test]
fn datefmt_longer_than_the_bound_is_refused() {
    let too_long = "%Y".repeat(sawmill::format::MAX_DATEFMT_LEN / 2 + 1);
    let options = sawmill::format::FormatterOptions {
        format: Some("%(asctime)s".to_owned()),
        datefmt: Some(too_long),
        ..Default::default()
    };
    let err = Formatter::with_options(options).expect_err("refused");
    assert!(err.0.contains("datefmt too long"), "{err}");
}

/// Widths are bounded one by one, but a format may repeat them (or the
/// message) thousands of times: past `MAX_RECORD_LEN` the record fails to
/// format, instead of the allocation failing and aborting the process.
#[test]
fn repeated_fields_cannot_make_a_record_past_the_bound() {
    let bound = sawmill::format::MAX_RECORD_LEN;
    let mut r = record();
    let big = "m".repeat(1 << 20);
    r.message = Cow::Owned(big);
    for (piece, style) in [
        ("%(message)65000s", Style::Percent),
        ("{message:>65000}", Style::Brace),
        // The plain path: no width, a 1 MiB message repeated.
        ("%(message)s", Style::Percent),
        // A plain field on the general path (another piece has a width).
        ("%(message)s%(levelno)5d", Style::Percent),
    ] {
        let fmt = piece.repeat(100);
        let formatter = Formatter::new(Some(&fmt), None, style).expect("accepted");
        let mut out = String::from("kept");
        let err = formatter.format(&r, &mut out).expect_err("too long");
        assert!(err.0.contains("longer than"), "{piece}: {err}");
        assert_eq!(
            out, "kept",
            "{piece}: a failed record leaves the buffer as it was"
        );
        // The string doubles as it grows: at most twice the bound plus a piece.
        assert!(
            out.capacity() < 3 * bound,
            "{piece}: grew to {}",
            out.capacity()
        );
    }
    // Under the bound, the same formats print in full.
    let formatter = Formatter::new(Some(&"%(message)s".repeat(60)), None, Style::Percent).unwrap();
    assert_eq!(formatter.format_to_string(&r).unwrap().len(), 60 << 20);
}
