//! The formatter against CPython 3's `logging.Formatter` as the oracle: every
//! case of tests/oracle/cases.json is formatted by both and must match
//! exactly (or fail on both sides). Time zones are process-wide, so each
//! zone's cases run in a child process of this test binary with TZ set.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use sawmill::format::{Formatter, FormatterOptions, Style};
use sawmill::record::{Record, Value};
use serde_json::Value as Json;

const ZONE_ENV: &str = "SAWMILL_DIFFERENTIAL_TZ";

fn cases_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/cases.json")
}

fn load_cases() -> Vec<Json> {
    let text = std::fs::read_to_string(cases_path()).expect("cases.json");
    serde_json::from_str::<Json>(&text)
        .expect("valid JSON")
        .as_array()
        .expect("a list")
        .clone()
}

fn json_value(v: &Json) -> Value<'static> {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.is_i64() => Value::Int(n.as_i64().unwrap_or_default()),
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        Json::String(s) => Value::Str(Cow::Owned(s.clone())),
        other => panic!("unsupported extra {other}"),
    }
}

fn str_field<'a>(rec: &'a Json, key: &str) -> Option<&'a str> {
    rec.get(key).and_then(Json::as_str)
}

/// sawmill's output for one case, or None if sawmill refused it.
fn sawmill_format(case: &Json) -> Option<String> {
    let rec = &case["record"];
    let style = Style::from_char(case["style"].as_str()?.chars().next()?).ok()?;
    let defaults = case["defaults"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), json_value(v))).collect())
        .unwrap_or_default();
    let formatter = Formatter::with_options(FormatterOptions {
        format: case["fmt"].as_str().map(str::to_owned),
        datefmt: case["datefmt"].as_str().map(str::to_owned),
        style,
        utc: case["utc"].as_bool().unwrap_or(false),
        defaults,
    })
    .ok()?;
    let mut record = Record::at(
        rec["created"].as_f64()?,
        str_field(rec, "name")?,
        rec["levelno"].as_i64()? as i32,
        str_field(rec, "pathname"),
        rec["lineno"].as_u64()? as u32,
        str_field(rec, "funcName"),
        Cow::Borrowed(str_field(rec, "msg")?),
    );
    record.relative_created = rec["relativeCreated"].as_f64()?;
    record.thread = rec["thread"].as_u64()?;
    record.thread_name = str_field(rec, "threadName")?.into();
    record.process = rec["process"].as_u64()? as u32;
    record.process_name = str_field(rec, "processName")?.into();
    record.exc_text = str_field(rec, "exc_text").map(Cow::Borrowed);
    record.stack_info = str_field(rec, "stack_info").map(Cow::Borrowed);
    if let Some(extras) = rec["extras"].as_object() {
        for (k, v) in extras {
            record.set_extra(k.clone(), json_value(v));
        }
    }
    formatter.format_to_string(&record).ok()
}

/// Runs in a child process with TZ set: prints `[[index, output|null], …]`.
#[test]
fn zone_worker() {
    let Ok(zone) = std::env::var(ZONE_ENV) else {
        return;
    };
    sawmill::level::add_level_name(5, "TRACE");
    let results: Vec<Json> = load_cases()
        .iter()
        .enumerate()
        .filter(|(_, c)| c["tz"].as_str() == Some(zone.as_str()))
        .map(|(i, c)| {
            Json::Array(vec![
                Json::from(i),
                sawmill_format(c).map_or(Json::Null, Json::String),
            ])
        })
        .collect();
    println!("SAWMILL-RESULTS {}", Json::Array(results));
}

fn parse_results(text: &str) -> BTreeMap<u64, Option<String>> {
    let list: Json = serde_json::from_str(text).expect("results JSON");
    list.as_array()
        .expect("list")
        .iter()
        .map(|pair| {
            (
                pair[0].as_u64().expect("index"),
                pair[1].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn formatter_matches_cpython() {
    let cases = load_cases();
    let mut zones: Vec<&str> = cases.iter().filter_map(|c| c["tz"].as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for zone in zones {
        let python = Command::new("python3")
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/format_oracle.py"))
            .arg(cases_path())
            .env("TZ", zone)
            .output()
            .expect("python3 runs");
        assert!(
            python.status.success(),
            "oracle failed: {}",
            String::from_utf8_lossy(&python.stderr)
        );
        let expected = parse_results(&String::from_utf8_lossy(&python.stdout));

        let me = std::env::current_exe().expect("test binary");
        let child = Command::new(me)
            .args(["zone_worker", "--exact", "--nocapture", "--test-threads=1"])
            .env(ZONE_ENV, zone)
            .env("TZ", zone)
            .output()
            .expect("child test runs");
        let stdout = String::from_utf8_lossy(&child.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("SAWMILL-RESULTS ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("no results from the {zone} worker: {stdout}"));
        let actual = parse_results(line);
        assert_eq!(expected.len(), actual.len(), "case count for {zone}");
        for (index, want) in &expected {
            compared += 1;
            let got = &actual[index];
            if got != want {
                let case = &cases[*index as usize];
                mismatches.push(format!(
                    "case {index} [{zone}] fmt={:?} style={} datefmt={:?} utc={}\n  cpython: {want:?}\n  sawmill: {got:?}",
                    case["fmt"].as_str().unwrap_or(""),
                    case["style"],
                    case["datefmt"],
                    case["utc"]
                ));
            }
        }
    }
    assert!(compared >= 150, "only {compared} cases compared");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} cases differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
