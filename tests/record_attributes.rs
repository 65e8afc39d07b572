//! Attributes a filter assigns behave as assignments to a CPython LogRecord:
//! every standard attribute × values of every type × formats that print it,
//! print what Python derives from it (asctime, message) and append exc_text
//! and stack_info, compared with python3 doing `setattr(record, key, value)`
//! in a logging.Filter (tests/oracle/attr_oracle.py). Also `%(args)s` → `()`,
//! `%(exc_info)s` → `None`, and a level registered with an empty name.

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use sawmill::format::{Formatter, FormatterOptions, Style};
use sawmill::record::{Field, Record, Value};
use serde_json::{json, Value as Json};

const CREATED: f64 = 1700000000.987654;

fn values() -> Vec<Value<'static>> {
    vec![
        Value::Str("hello".into()),
        Value::Str("".into()),
        Value::Str("Traceback (most recent call last):\n  boom\n".into()),
        Value::Int(7),
        Value::Int(0),
        Value::Int(-3),
        Value::Float(2.5),
        Value::Float(1700000123.25),
        Value::Float(0.0),
        Value::Bool(true),
        Value::Bool(false),
        Value::Null,
    ]
}

/// Formats that print the attribute itself (`K`), and the ones that print
/// what Python derives from attributes.
const FORMATS: &[(&str, char, Option<&str>)] = &[
    ("%(K)s|%(message)s", '%', None),
    ("%(K)r", '%', None),
    ("{K}|{message}", '{', None),
    ("${K}|$message", '$', None),
    ("%(asctime)s|%(message)s", '%', None),
    ("%(asctime)s %(msecs)s", '%', Some("%Y %H:%M:%S")),
    ("%(levelname)s:%(name)s:%(message)s", '%', None),
    (
        "%(levelno)s %(lineno)d %(created)f %(relativeCreated)s",
        '%',
        None,
    ),
];

fn json_of(value: &Value<'_>) -> Json {
    match value {
        Value::Str(s) => json!(s),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Bool(b) => json!(b),
        Value::Null => Json::Null,
        Value::Json(text) => serde_json::from_str(text).expect("valid JSON"),
    }
}

fn base_record(levelno: i32) -> Record<'static> {
    let mut r = Record::at(
        CREATED,
        "app.sub",
        levelno,
        Some("/src/app/main.c"),
        42,
        Some("run"),
        Cow::Borrowed("hi x"),
    );
    r.relative_created = 1234.5678;
    r.thread = 1234;
    r.thread_name = "MainThread".into();
    r.process = 4321;
    r.process_name = "MainProcess".into();
    r
}

fn base_json(r: &Record<'_>) -> Json {
    json!({
        "name": r.name, "levelno": r.levelno, "pathname": r.pathname(), "lineno": r.lineno,
        "funcName": r.func_name(), "msg": r.message, "created": r.created, "msecs": r.msecs,
        "relativeCreated": r.relative_created, "thread": r.thread, "threadName": r.thread_name,
        "process": r.process, "processName": r.process_name,
    })
}

struct Case {
    levelno: i32,
    key: Option<&'static str>,
    value: Value<'static>,
    fmt: String,
    style: char,
    datefmt: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut push = |levelno, key: Option<&'static str>, value: &Value<'static>| {
        for (fmt, style, datefmt) in FORMATS {
            out.push(Case {
                levelno,
                key,
                value: value.clone(),
                fmt: fmt.replace('K', key.unwrap_or("name")),
                style: *style,
                datefmt: *datefmt,
            });
        }
    };
    push(30, None, &Value::Null);
    // getLevelName: a registered name wins even when it is empty.
    push(45, None, &Value::Null);
    for field in Field::ALL {
        for value in values() {
            // created = None makes Python's converter read the clock.
            if field == Field::Created && value == Value::Null {
                continue;
            }
            push(30, Some(field.name()), &value);
        }
    }
    out
}

/// sawmill's text for a case: Some(text), None for an error, or Err for a
/// refused assignment.
fn sawmill_output(case: &Case) -> Result<Option<String>, String> {
    let mut record = base_record(case.levelno);
    if let Some(key) = case.key {
        record.set_attr(key, case.value.clone())?;
    }
    let formatter = Formatter::with_options(FormatterOptions {
        format: Some(case.fmt.clone()),
        datefmt: case.datefmt.map(str::to_owned),
        style: Style::from_char(case.style).expect("style"),
        utc: true,
        defaults: Vec::new(),
        one_line_exceptions: false,
    })
    .expect("valid format");
    Ok(formatter.format_to_string(&record).ok())
}

fn python_outputs(cases: &[&Case]) -> Vec<Option<String>> {
    let input: Vec<Json> = cases
        .iter()
        .map(|c| {
            json!({
                "record": base_json(&base_record(c.levelno)),
                "key": c.key, "value": json_of(&c.value),
                "fmt": c.fmt, "style": c.style.to_string(), "datefmt": c.datefmt,
            })
        })
        .collect();
    let mut child = Command::new("python3")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/attr_oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let text = Json::Array(input).to_string();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write cases");
    let out = child.wait_with_output().expect("oracle output");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Json = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn assigned_attributes_format_as_in_cpython() {
    sawmill::level::add_level_name(45, "");
    let all = cases();
    let mut compared = Vec::new();
    let mut mine = Vec::new();
    for case in &all {
        match sawmill_output(case) {
            Ok(text) => {
                compared.push(case);
                mine.push(text);
            }
            Err(e) => {
                // The one refusal: Python would apply msg % args.
                assert!(
                    case.key == Some("args"),
                    "{:?} = {:?} refused: {e}",
                    case.key,
                    case.value
                );
            }
        }
    }
    let refused = all.len() - compared.len();
    // 7 of the 12 values are truthy: "hello", the traceback, 7, -3, 2.5,
    // 1700000123.25 and True.
    assert_eq!(refused, 7 * FORMATS.len(), "truthy args values refused");
    let theirs = python_outputs(&compared);
    assert_eq!(theirs.len(), mine.len());
    let mismatches: Vec<String> = compared
        .iter()
        .zip(mine.iter().zip(&theirs))
        .filter(|(_, (m, t))| m != t)
        .map(|(c, (m, t))| {
            format!(
                "{:?} = {:?} with {:?} (datefmt {:?})\n  cpython: {t:?}\n  sawmill: {m:?}",
                c.key, c.value, c.fmt, c.datefmt
            )
        })
        .collect();
    assert!(compared.len() > 2000, "only {} cases", compared.len());
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        compared.len(),
        mismatches.join("\n")
    );
}

#[test]
fn assignments_reach_what_python_derives_from_them() {
    let f = |fmt: &str, datefmt: Option<&str>| {
        let f = Formatter::new(Some(fmt), datefmt, Style::Percent).expect("format");
        f.set_utc(true);
        f
    };
    let mut r = base_record(30);
    r.set_attr("created", Value::Int(86400)).unwrap();
    r.set_attr("msecs", Value::Float(5.9)).unwrap();
    assert_eq!(
        f("%(asctime)s|%(created)s", None)
            .format_to_string(&r)
            .unwrap(),
        "1970-01-02 00:00:00,005|86400"
    );
    let mut r = base_record(30);
    r.set_attr("msg", Value::Int(5)).unwrap();
    r.set_attr("message", Value::Str("ignored".into())).unwrap();
    r.set_attr("asctime", Value::Str("ignored".into())).unwrap();
    r.set_attr("exc_text", Value::Str("tb".into())).unwrap();
    r.set_attr("stack_info", Value::Str("stack\n".into()))
        .unwrap();
    assert_eq!(
        f("%(message)r %(asctime)s", Some("%Y"))
            .format_to_string(&r)
            .unwrap(),
        "'5' 2023\ntb\nstack\n"
    );
    // Later filters and handler levels see an assigned name and levelno.
    let mut r = base_record(30);
    r.set_attr("name", Value::Str("other".into())).unwrap();
    r.set_attr("levelno", Value::Int(50)).unwrap();
    assert_eq!((&*r.name, r.levelno), ("other", 50));
    // The standard attributes Python's LogRecord always has.
    let r = base_record(30);
    assert_eq!(
        f("%(args)s %(args)r %(exc_info)s", None)
            .format_to_string(&r)
            .unwrap(),
        "() () None"
    );
    assert!(Formatter::new(Some("{args:>5}"), None, Style::Brace)
        .unwrap()
        .format_to_string(&r)
        .is_err());
}
