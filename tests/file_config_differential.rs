//! fileConfig against CPython 3.11 (`python3`): every case of
//! tests/data/ini_cases.json (written by tests/data/gen_ini_cases.py) runs
//! its steps (write files, create loggers, apply INI files, log) in a fresh
//! CPython process (tests/data/ini_driver.py, `logging.config.fileConfig`)
//! and in a fresh sawmill process (this test binary re-run as `child`,
//! `sawmill::config::file::file_config`); both must accept and refuse the
//! same files and leave the same bytes on stdout, stderr and in every file.
//! Marks: `stricter` — CPython accepts, sawmill refuses on purpose;
//! `outcome_only` — both refuse, but CPython had already changed part of
//! its configuration (sawmill is atomic), so only the refusal is compared;
//! `mask_digits` — timestamps. A separate test checks that an `args` CPython
//! would evaluate into code is refused, names its section and runs nothing.

use std::collections::BTreeMap;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

const CASES: &str = include_str!("data/ini_cases.json");

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

/// The sawmill side of one case (in a child process).
fn run_child(case: &Json, dir: &Path, result: &Path) {
    let ini_path = dir.parent().expect("parent").join("sm.ini");
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for step in case["steps"].as_array().expect("steps") {
        let step = subst(step, dir.to_str().expect("utf-8 dir"));
        if let Some(w) = step.get("write") {
            let name = w[0].as_str().expect("name");
            std::fs::write(dir.join(name), w[1].as_str().expect("text")).expect("write");
        } else if let Some(names) = step.get("loggers") {
            for n in names.as_array().expect("names") {
                sawmill::get_logger(n.as_str().expect("name"));
            }
        } else if let Some(ini) = step.get("ini") {
            std::fs::write(&ini_path, ini[0].as_str().expect("text")).expect("ini");
            let disable = ini[1].as_bool().expect("flag");
            match sawmill::config::file::file_config(&ini_path, disable) {
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
    let Ok(index) = std::env::var("SAWMILL_INI_CASE") else {
        return;
    };
    let cases: Vec<Json> = serde_json::from_str(CASES).expect("cases");
    let case = &cases[index.parse::<usize>().expect("index")];
    let dir = PathBuf::from(std::env::var("SAWMILL_INI_DIR").expect("dir"));
    let result = PathBuf::from(std::env::var("SAWMILL_INI_RESULT").expect("result"));
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
    let text = std::fs::read_to_string(result)
        .unwrap_or_else(|e| panic!("{}: {e}\nstderr: {stderr}", result.display()));
    let parsed: Json = serde_json::from_str(&text).expect("result json");
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
    if !digits {
        return text.to_owned();
    }
    text.chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect()
}

fn run_case(index: usize, case: &Json, root: &Path) -> Result<&'static str, String> {
    let name = case["name"].as_str().expect("name");
    let work = root.join(format!("{index:03}"));
    let (py_dir, sm_dir) = (work.join("py"), work.join("sm"));
    for d in [&py_dir, &sm_dir] {
        std::fs::create_dir_all(d).expect("dirs");
    }
    let case_path = work.join("case.json");
    std::fs::write(&case_path, case.to_string()).expect("case");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ini_driver.py");
    let py_result = work.join("py.json");
    let py = Command::new("python3")
        .arg(&driver)
        .arg(&case_path)
        .arg(&py_dir)
        .arg(&py_result)
        .env("TZ", "UTC")
        .output()
        .expect("python3 runs");
    let sm_result = work.join("sm.json");
    let _child = Command::new(std::env::current_exe().expect("exe"))
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env("SAWMILL_INI_CASE", index.to_string())
        .env("SAWMILL_INI_DIR", &sm_dir)
        .env("SAWMILL_INI_RESULT", &sm_result)
        .env("TZ", "UTC")
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
    let (p, s) = (py.results.to_string(), sm.results.to_string());
    if let Some(reason) = case.get("stricter").and_then(Json::as_str) {
        if !p.contains("ok") || !s.contains("error") || p == s {
            return Err(why(&format!("outcomes (stricter: {reason})"), &p, &s));
        }
        return Ok("stricter");
    }
    if py.results != sm.results {
        return Err(why("outcomes", &py.results, &sm.results));
    }
    if case.get("outcome_only").is_some() {
        return Ok("same outcome only");
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
    Ok(if p.contains("error") {
        "refused"
    } else {
        "same"
    })
}

#[test]
fn file_config_matches_cpython() {
    if std::env::var("SAWMILL_INI_CASE").is_ok() {
        return;
    }
    let cases: Vec<Json> = serde_json::from_str(CASES).expect("cases parse");
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let root = std::env::temp_dir().join(format!("sawmill-ini-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let only = std::env::var("SAWMILL_INI_ONLY").ok();
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        if only
            .as_deref()
            .is_some_and(|o| c["name"].as_str() != Some(o))
        {
            continue;
        }
        match run_case(i, c, &root) {
            Ok(kind) => *tally.entry(kind).or_default() += 1,
            Err(e) => failures.push(e),
        }
    }
    eprintln!("fileConfig differential: {tally:?}");
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

/// `args` that CPython would `eval` into a call are refused before anything
/// runs, with the section named; the running configuration stays.
#[test]
fn code_in_args_is_refused() {
    if std::env::var("SAWMILL_INI_CASE").is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sawmill-ini-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let marker = dir.join("pwned");
    for (key, text) in [
        (
            "args",
            format!("__import__('os').system('touch {}')", marker.display()),
        ),
        ("args", format!("(open('{}', 'w'),)", marker.display())),
        ("kwargs", "{'stream': sys.stdout.write}".to_owned()),
        (
            "class",
            "__import__('os').system('true') or StreamHandler".to_owned(),
        ),
    ] {
        let ini = format!(
            "[loggers]\nkeys=root\n[handlers]\nkeys=evil\n[formatters]\nkeys=\n\
             [logger_root]\nhandlers=evil\n[handler_evil]\n{}\n",
            if key == "class" {
                format!("class={text}")
            } else {
                format!("class=StreamHandler\n{key}={text}")
            }
        );
        let err = sawmill::config::file::translate(&ini, true).expect_err("refused");
        assert!(err.0.contains("[handler_evil]"), "{}", err.0);
        assert!(err.0.contains(key) || key == "class", "{}", err.0);
        assert!(!marker.exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
