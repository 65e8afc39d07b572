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
