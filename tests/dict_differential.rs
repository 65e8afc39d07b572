//! dictConfig against CPython 3.11 (`python3`): every case of
//! tests/data/dict_cases.json runs its steps (write files, create loggers,
//! apply configurations, log) in a fresh CPython process
//! (tests/data/dict_driver.py) and in a fresh sawmill process (this test
//! binary re-run as `child`); both must accept and refuse the same
//! configurations and leave the same bytes on stdout, stderr and in every
//! file. Cases marked `stricter` are ones CPython accepts and sawmill
//! refuses on purpose (the reason is in the case); for them only that is
//! checked; cases marked `extension` use a sawmill-only key that CPython
//! refuses and sawmill takes; cases marked `outcome_only` are refused by both, but CPython
//! had already changed part of its configuration (sawmill is atomic), so
//! only the refusal is compared. Formatter `defaults` follows CPython 3.12 (the driver passes
//! it the way 3.12 does). Factories named by `()` exist on both sides: the
//! case's `py_prelude` defines them for CPython, `register_factories` here.

use std::collections::BTreeMap;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::Value as Json;

use sawmill::config::classes::{as_opt_str, as_str, Entry};
use sawmill::config::factories;
use sawmill::filter::FnFilter;
use sawmill::format::{Formatter, FormatterOptions, Style};
use sawmill::handler::{self, FileMode, FileOptions, Owner};

const CASES: &str = include_str!("data/dict_cases.json");

fn subst(v: &Json, dir: &str) -> Json {
    match v {
        Json::String(s) => Json::String(s.replace("$DIR", dir)),
        Json::Array(items) => Json::Array(items.iter().map(|x| subst(x, dir)).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), subst(x, dir)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The factories the cases name (the cookbook's recipes 10, 13, 14, 18).
fn register_factories() {
    // Recipe 14's MyFilter: drops messages containing `param`, prefixes the rest.
    factories::register_filter_factory(
        "MyFilter",
        Arc::new(|o: &Entry| {
            let param = o.get("param").map(as_opt_str).transpose()?.flatten();
            let param = param.map(str::to_owned);
            Ok(Arc::new(FnFilter(move |r: &mut sawmill::Record<'_>| {
                let allow = param.as_deref().is_none_or(|p| !r.message.contains(p));
                if allow {
                    r.message = format!("changed: {}", r.message).into();
                }
                allow
            })) as Arc<dyn sawmill::Filter>)
        }),
    );
    // Recipe 10's project.logging.SpecialFilter (foo): drops messages containing foo.
    factories::register_filter_factory(
        "SpecialFilter",
        Arc::new(|o: &Entry| {
            let word = o
                .get("foo")
                .map(as_str)
                .transpose()?
                .unwrap_or("")
                .to_owned();
            Ok(Arc::new(FnFilter(move |r: &mut sawmill::Record<'_>| {
                word.is_empty() || !r.message.contains(&word)
            })) as Arc<dyn sawmill::Filter>)
        }),
    );
    // Recipe 18's UTCFormatter.
    factories::register_formatter_factory(
        "UTCFormatter",
        Arc::new(|o: &Entry| {
            let text = |k: &str| {
                o.get(k)
                    .map(as_opt_str)
                    .transpose()
                    .map(|s| s.flatten().map(str::to_owned))
            };
            let style = match text("style")?.as_deref() {
                None => Style::Percent,
                Some(s) => Style::from_char(s.chars().next().unwrap_or('%')).map_err(|e| e.0)?,
            };
            let options = FormatterOptions {
                format: text("format")?,
                datefmt: text("datefmt")?,
                style,
                utc: true,
                ..FormatterOptions::default()
            };
            Ok(Arc::new(Formatter::with_options(options).map_err(|e| e.0)?))
        }),
    );
    // Recipe 13's owned_file_handler(filename, mode, encoding, owner).
    factories::register_handler_factory(
        "owned_file_handler",
        Arc::new(|o: &Entry| {
            let filename = as_str(o.get("filename").ok_or("filename missing")?)?;
            let mut options = FileOptions::new(filename);
            if let Some(mode) = o.get("mode") {
                options.mode = FileMode::parse(as_str(mode)?)?;
            }
            if let Some(Json::Array(owner)) = o.get("owner") {
                let id = |i: usize, user| {
                    owner
                        .get(i)
                        .and_then(Json::as_str)
                        .and_then(|n| sawmill::handler::file::lookup_id(n, user))
                };
                options.owner = Owner {
                    uid: id(0, true),
                    gid: id(1, false),
                };
            }
            handler::file_handler(options).map_err(|e| e.to_string())
        }),
    );
}

/// The sawmill side of one case (in a child process).
fn run_child(case: &Json, dir: &str, result: &Path) {
    register_factories();
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for step in case["steps"].as_array().expect("steps") {
        let step = subst(step, dir);
        if let Some(w) = step.get("write") {
            let name = w[0].as_str().expect("name");
            std::fs::write(Path::new(dir).join(name), w[1].as_str().expect("text")).expect("write");
        } else if let Some(names) = step.get("loggers") {
            for n in names.as_array().expect("names") {
                sawmill::get_logger(n.as_str().expect("name"));
            }
        } else if let Some(config) = step.get("config") {
            match sawmill::config::dict::apply_value(config, Default::default()) {
                Ok(()) => results.push("ok".to_owned()),
                Err(e) => {
                    results.push("error".to_owned());
                    errors.push(e.0);
                }
            }
        } else if let Some(calls) = step.get("log") {
            for call in calls.as_array().expect("calls") {
                let logger = sawmill::get_logger(call[0].as_str().expect("name"));
                let level = call[1].as_i64().expect("level") as i32;
                logger.log(level, None, 0, None, call[2].as_str().expect("msg"));
            }
        }
    }
    sawmill::shutdown();
    let out = serde_json::json!({"results": results, "errors": errors});
    std::fs::write(result, out.to_string()).expect("result");
}

#[test]
fn child() {
    let Ok(index) = std::env::var("SAWMILL_DICT_CASE") else {
        return;
    };
    let cases: Vec<Json> = serde_json::from_str(CASES).expect("cases");
    let case = &cases[index.parse::<usize>().expect("index")];
    let dir = std::env::var("SAWMILL_DICT_DIR").expect("dir");
    let result = PathBuf::from(std::env::var("SAWMILL_DICT_RESULT").expect("result"));
    let redirect = |name: &str, fd: i32| {
        let f = std::fs::File::create(result.with_extension(name)).expect("capture file");
        // SAFETY: dup2 onto a standard descriptor of this (child) process.
        assert!(unsafe { libc::dup2(f.as_raw_fd(), fd) } >= 0);
    };
    redirect("out", 1);
    redirect("err", 2);
    run_child(case, &dir, &result);
    // Without the harness's own report on the captured stdout.
    std::process::exit(0);
}

struct Outcome {
    results: Json,
    errors: Json,
    stdout: String,
    stderr: String,
    files: BTreeMap<String, String>,
}

fn read_outcome(dir: &Path, result: &Path, stdout: String, stderr: String) -> Outcome {
    let parsed: Json = serde_json::from_str(
        &std::fs::read_to_string(result)
            .unwrap_or_else(|e| panic!("{}: {e}\nstderr: {stderr}", result.display())),
    )
    .expect("result json");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).expect("read");
        files.insert(name, String::from_utf8_lossy(&bytes).into_owned());
    }
    Outcome {
        results: parsed["results"].clone(),
        errors: parsed["errors"].clone(),
        stdout,
        stderr,
        files,
    }
}

fn mask(text: &str, digits: bool) -> String {
    if digits {
        text.chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect()
    } else {
        text.to_owned()
    }
}

fn run_case(index: usize, case: &Json, root: &Path) -> Result<(), String> {
    let name = case["name"].as_str().expect("name");
    let tz = case.get("tz").and_then(Json::as_str).unwrap_or("UTC");
    let work = root.join(format!("{index:03}"));
    let (py_dir, sm_dir) = (work.join("py"), work.join("sm"));
    for d in [&py_dir, &sm_dir] {
        std::fs::create_dir_all(d).expect("dirs");
    }
    let case_path = work.join("case.json");
    std::fs::write(&case_path, case.to_string()).expect("case");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dict_driver.py");
    let py_result = work.join("py.json");
    let py = Command::new("python3")
        .arg(&driver)
        .arg(&case_path)
        .arg(&py_dir)
        .arg(&py_result)
        .env("TZ", tz)
        .output()
        .expect("python3 runs");
    let sm_result = work.join("sm.json");
    let _child = Command::new(std::env::current_exe().expect("exe"))
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env("SAWMILL_DICT_CASE", index.to_string())
        .env("SAWMILL_DICT_DIR", &sm_dir)
        .env("SAWMILL_DICT_RESULT", &sm_result)
        .env("TZ", tz)
        .output()
        .expect("child runs");
    let py = read_outcome(
        &py_dir,
        &py_result,
        String::from_utf8_lossy(&py.stdout).into_owned(),
        String::from_utf8_lossy(&py.stderr).into_owned(),
    );
    let read = |ext| std::fs::read_to_string(sm_result.with_extension(ext)).unwrap_or_default();
    let sm = read_outcome(&sm_dir, &sm_result, read("out"), read("err"));
    let why = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
        format!(
            "case {index} '{name}': {what} differ\n  cpython: {a:?}\n  sawmill: {b:?}\n  \
             cpython errors: {}\n  sawmill errors: {}",
            py.errors, sm.errors
        )
    };
    if let Some(reason) = case.get("stricter").and_then(Json::as_str) {
        // CPython accepts it, sawmill refuses it on purpose.
        let (p, s) = (py.results.to_string(), sm.results.to_string());
        if !p.contains("ok") || !s.contains("error") || p == s {
            return Err(why(&format!("outcomes (stricter: {reason})"), &p, &s));
        }
        return Ok(());
    }
    if let Some(reason) = case.get("extension").and_then(Json::as_str) {
        // A sawmill key CPython's class does not take.
        let (p, s) = (py.results.to_string(), sm.results.to_string());
        if !p.contains("error") || s.contains("error") {
            return Err(why(&format!("outcomes (extension: {reason})"), &p, &s));
        }
        return Ok(());
    }
    if py.results != sm.results {
        return Err(why("outcomes", &py.results, &sm.results));
    }
    if case.get("outcome_only").is_some() {
        // CPython changes part of its configuration before refusing the
        // rest; sawmill changes nothing (the reason is in the case).
        return Ok(());
    }
    let digits = case
        .get("mask_digits")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    let (a, b) = (mask(&py.stdout, digits), mask(&sm.stdout, digits));
    if a != b {
        return Err(why("stdout", &a, &b));
    }
    let (a, b) = (mask(&py.stderr, digits), mask(&sm.stderr, digits));
    if a != b {
        return Err(why("stderr", &a, &b));
    }
    let masked = |files: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(k, v)| (k.clone(), mask(v, digits)))
            .collect()
    };
    let (a, b) = (masked(&py.files), masked(&sm.files));
    if a != b {
        return Err(why("files", &a, &b));
    }
    Ok(())
}

#[test]
fn dictconfig_matches_cpython() {
    if std::env::var("SAWMILL_DICT_CASE").is_ok() {
        return;
    }
    let cases: Vec<Json> = serde_json::from_str(CASES).expect("cases parse");
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let root = std::env::temp_dir().join(format!("sawmill-dict-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let only = std::env::var("SAWMILL_DICT_ONLY").ok();
    let failures: Vec<String> = cases
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            only.as_deref()
                .is_none_or(|o| c["name"].as_str() == Some(o))
        })
        .filter_map(|(i, c)| run_case(i, c, &root).err())
        .collect();
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
