//! The formatter against CPython 3's `logging.Formatter` as the oracle: the
//! pinned cases of tests/oracle/cases.json plus a seeded batch of random cases
//! (tests/oracle/random_cases.py) are formatted by both and must match exactly:
//! the same text, or a refusal on both sides. ONE python3 process formats every
//! case (switching TZ per case); time zones are process-wide here, so each
//! zone's cases run in a child process of this test binary with TZ set.
//!
//! `SAWMILL_DIFF_SEED` sets the seed (default 20261202, so the README's test
//! command is repeatable; `clock` takes one from the clock, printed, to
//! explore new cases);
//! `SAWMILL_DIFF_CASES` the number of random cases (default 20,000).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sawmill::format::{Formatter, FormatterOptions, Style};
use sawmill::record::{Record, Value};
use serde_json::Value as Json;

/// The seed of the README's test command (any other: `SAWMILL_DIFF_SEED`).
const DEFAULT_SEED: u64 = 20261202;

const ZONE_ENV: &str = "SAWMILL_DIFFERENTIAL_TZ";
const CASES_ENV: &str = "SAWMILL_DIFFERENTIAL_CASES_FILE";
/// Random cases per run (the issue asks for at least 20,000).
const DEFAULT_RANDOM_CASES: u64 = 20_000;

fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

fn load_cases(path: &Path) -> Vec<Json> {
    let text = std::fs::read_to_string(path).expect("cases file");
    match serde_json::from_str::<Json>(&text).expect("valid JSON") {
        Json::Array(list) => list,
        _ => panic!("cases must be a list"),
    }
}

/// JSON has no inf/nan: the generator writes them as `{"float": "inf"}`.
fn json_value(v: &Json) -> Value<'static> {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap_or_default()),
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        Json::String(s) => Value::Str(Cow::Owned(s.clone())),
        Json::Object(m) if m.len() == 1 && m.contains_key("float") => Value::Float(
            m["float"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("float"),
        ),
        other => panic!("unsupported extra {other}"),
    }
}

fn str_field<'a>(rec: &'a Json, key: &str) -> Option<&'a str> {
    rec.get(key).and_then(Json::as_str)
}

/// What formatting one case gave: as the oracle writes it.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Ok(String),
    /// Refused at construction.
    Construct,
    /// Failed when formatting the record.
    Format,
    /// sawmill only: failed when formatting because a width or precision
    /// that a nested spec took from the record is above sawmill's documented
    /// bound (README, formatter section); CPython formats it or fails.
    Bounded,
}

impl Outcome {
    fn from_json(v: &Json) -> Outcome {
        match (v[0].as_str(), v[1].as_str()) {
            (Some("ok"), Some(text)) => Outcome::Ok(text.to_owned()),
            (Some("construct"), _) => Outcome::Construct,
            (Some("format"), _) => Outcome::Format,
            (Some("bounded"), _) => Outcome::Bounded,
            _ => panic!("bad outcome {v}"),
        }
    }

    fn to_json(&self) -> Json {
        match self {
            Outcome::Ok(text) => Json::from(vec!["ok", text.as_str()]),
            Outcome::Construct => Json::from(vec!["construct", ""]),
            Outcome::Format => Json::from(vec!["format", ""]),
            Outcome::Bounded => Json::from(vec!["bounded", ""]),
        }
    }
}

fn sawmill_format(case: &Json) -> Outcome {
    let rec = &case["record"];
    let style = case["style"]
        .as_str()
        .and_then(|s| s.chars().next())
        .and_then(|c| Style::from_char(c).ok())
        .expect("style");
    let defaults = case["defaults"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), json_value(v))).collect())
        .unwrap_or_default();
    let formatter = match Formatter::with_options(FormatterOptions {
        format: case["fmt"].as_str().map(str::to_owned),
        datefmt: case["datefmt"].as_str().map(str::to_owned),
        style,
        utc: case["utc"].as_bool().unwrap_or(false),
        defaults,
        one_line_exceptions: false,
    }) {
        Ok(f) => f,
        Err(_) => return Outcome::Construct,
    };
    let num = |key: &str| rec[key].as_f64().expect(key);
    let mut record = Record::at(
        num("created"),
        str_field(rec, "name").expect("name"),
        rec["levelno"].as_i64().expect("levelno") as i32,
        str_field(rec, "pathname"),
        rec["lineno"].as_u64().expect("lineno") as u32,
        str_field(rec, "funcName"),
        Cow::Borrowed(str_field(rec, "msg").expect("msg")),
    );
    record.relative_created = num("relativeCreated");
    record.thread = rec["thread"].as_u64().expect("thread");
    record.thread_name = str_field(rec, "threadName").expect("threadName").into();
    record.process = rec["process"].as_u64().expect("process") as u32;
    record.process_name = str_field(rec, "processName").expect("processName").into();
    record.exc_text = str_field(rec, "exc_text").map(Cow::Borrowed);
    record.stack_info = str_field(rec, "stack_info").map(Cow::Borrowed);
    if let Some(extras) = rec["extras"].as_object() {
        for (k, v) in extras {
            record.set_extra(k.clone(), json_value(v));
        }
    }
    // Filter-set attributes: assigned as a C filter does (set_attr), in order.
    if let Some(changes) = case["record_changes"].as_array() {
        for change in changes {
            let key = change[0].as_str().expect("change key");
            record
                .set_attr(key.to_owned(), json_value(&change[1]))
                .expect("the generator assigns only what set_attr takes");
        }
    }
    match formatter.format_to_string(&record) {
        Ok(text) => Outcome::Ok(text),
        Err(e) if e.0.contains("sawmill's limit") => Outcome::Bounded,
        Err(_) => Outcome::Format,
    }
}

/// Runs in a child process with TZ set: prints `[[index, outcome], …]` for
/// the cases of its zone.
#[test]
fn zone_worker() {
    let (Ok(zone), Ok(path)) = (std::env::var(ZONE_ENV), std::env::var(CASES_ENV)) else {
        return;
    };
    sawmill::level::add_level_name(5, "TRACE");
    sawmill::level::add_level_name(15, "VERBOSE é");
    let results: Vec<Json> = load_cases(Path::new(&path))
        .iter()
        .enumerate()
        .filter(|(_, c)| c["tz"].as_str() == Some(zone.as_str()))
        .map(|(i, c)| Json::Array(vec![Json::from(i), sawmill_format(c).to_json()]))
        .collect();
    println!("SAWMILL-RESULTS {}", Json::Array(results));
}

/// Whether a `%`-style case has a directive without a `(key)`.
fn keyless_percent(case: &Json) -> bool {
    let (Some("%"), Some(fmt)) = (case["style"].as_str(), case["fmt"].as_str()) else {
        return false;
    };
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some('%') => {}
                Some('(') => {
                    // Skip the key (nested parentheses count).
                    let mut depth = 1;
                    for k in chars.by_ref() {
                        depth += match k {
                            '(' => 1,
                            ')' => -1,
                            _ => 0,
                        };
                        if depth == 0 {
                            break;
                        }
                    }
                }
                _ => return true,
            }
        }
    }
    false
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn describe(case: &Json) -> String {
    format!(
        "fmt={} style={} datefmt={} utc={} tz={}\n  record={}\n  defaults={}\n  changes={}",
        case["fmt"],
        case["style"],
        case["datefmt"],
        case["utc"],
        case["tz"],
        case["record"],
        case["defaults"],
        case["record_changes"]
    )
}

#[test]
fn formatter_matches_cpython() {
    let seed = match std::env::var("SAWMILL_DIFF_SEED").as_deref() {
        Ok("clock") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1),
        _ => env_number("SAWMILL_DIFF_SEED").unwrap_or(DEFAULT_SEED),
    };
    let count = env_number("SAWMILL_DIFF_CASES").unwrap_or(DEFAULT_RANDOM_CASES);
    let cases_file = std::env::temp_dir().join(format!(
        "sawmill-differential-{}-{seed}.json",
        std::process::id()
    ));
    let python = Command::new("python3")
        .arg(oracle_dir().join("format_oracle.py"))
        .arg(oracle_dir().join("cases.json"))
        .args(["--random", &seed.to_string(), &count.to_string()])
        .arg("--write-cases")
        .arg(&cases_file)
        .stderr(Stdio::inherit())
        .output()
        .expect("python3 runs");
    assert!(python.status.success(), "oracle failed (seed {seed})");
    let expected: Vec<Outcome> = match serde_json::from_slice::<Json>(&python.stdout) {
        Ok(Json::Array(list)) => list.iter().map(Outcome::from_json).collect(),
        other => panic!("oracle output: {other:?}"),
    };
    let cases = load_cases(&cases_file);
    assert_eq!(cases.len(), expected.len());
    let mut zones: Vec<&str> = cases.iter().filter_map(|c| c["tz"].as_str()).collect();
    zones.sort_unstable();
    zones.dedup();

    // One child per zone, all running at once.
    let me = std::env::current_exe().expect("test binary");
    let children: Vec<_> = zones
        .iter()
        .map(|zone| {
            let child = Command::new(&me)
                .args(["zone_worker", "--exact", "--nocapture", "--test-threads=1"])
                .env(ZONE_ENV, zone)
                .env(CASES_ENV, &cases_file)
                .env("TZ", zone)
                .stdout(Stdio::piped())
                .spawn()
                .expect("child test runs");
            (zone, child)
        })
        .collect();
    let mut actual: BTreeMap<usize, Outcome> = BTreeMap::new();
    for (zone, child) in children {
        let output = child.wait_with_output().expect("child finishes");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("SAWMILL-RESULTS ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("no results from the {zone} worker (seed {seed})"));
        let list: Json = serde_json::from_str(line).expect("results JSON");
        for pair in list.as_array().expect("list") {
            actual.insert(
                pair[0].as_u64().expect("index") as usize,
                Outcome::from_json(&pair[1]),
            );
        }
    }
    let _ = std::fs::remove_file(&cases_file);
    assert_eq!(
        actual.len(),
        cases.len(),
        "every case formatted (seed {seed})"
    );

    let mut mismatches = Vec::new();
    let mut rejected_earlier = 0;
    let mut bounded = 0;
    for (index, want) in expected.iter().enumerate() {
        let got = &actual[&index];
        match (want, got) {
            _ if want == got => {}
            // The documented class: CPython accepts a format that fails on
            // every record when formatting, sawmill refuses it at construction.
            (Outcome::Format, Outcome::Construct) => {
                rejected_earlier += 1;
                if std::env::var_os("SAWMILL_DIFF_DUMP_EARLIER").is_some() {
                    mismatches.push(format!(
                        "rejected earlier {index}: {}",
                        describe(&cases[index])
                    ));
                }
            }
            // Documented bound: a nested spec's width or precision from the
            // record above 65,000 (a filter can assign any int).
            (_, Outcome::Bounded) => bounded += 1,
            // Documented refusal: a `%` directive without a (key) prints the
            // whole record dictionary in CPython (`%s`, `%a`…).
            (Outcome::Ok(_), Outcome::Construct) if keyless_percent(&cases[index]) => {
                rejected_earlier += 1
            }
            _ => mismatches.push(format!(
                "case {index}: {}\n  cpython: {want:?}\n  sawmill: {got:?}",
                describe(&cases[index])
            )),
        }
    }
    // Straight to stderr, past the test harness's capture: the seed and the
    // count show in every run, not only in failing ones.
    let summary = format!(
        "differential: seed {seed}, {} cases ({count} random), {} differ, {rejected_earlier} rejected earlier, {bounded} over the width bound\n",
        cases.len(),
        mismatches.len()
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), summary.as_bytes());
    if let Ok(path) = std::env::var("SAWMILL_DIFF_DUMP") {
        // Every difference, for studying classes of them.
        let _ = std::fs::write(path, mismatches.join("\n"));
    }
    assert!(count < DEFAULT_RANDOM_CASES || cases.len() as u64 >= count);
    assert!(
        mismatches.is_empty(),
        "seed {seed} (SAWMILL_DIFF_SEED={seed} to reproduce): {} of {} cases differ; the first:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}
