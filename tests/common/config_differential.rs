//! The harness shared by the configuration differentials against CPython
//! (tests/dict_differential.rs, tests/file_config_differential.rs). Each case
//! of a JSON case file is a list of steps (write a file, create loggers,
//! apply a configuration, log); it runs in a fresh CPython process (a driver
//! script under tests/data/) and in a fresh sawmill process (the test binary
//! re-run as its `child` test), and both must accept and refuse the same
//! configurations and leave the same bytes on stdout, stderr and in every
//! file. Case marks: `stricter` (CPython accepts, sawmill refuses on
//! purpose), `extension` (a sawmill-only key CPython refuses), `outcome_only`
//! (both refuse, but CPython had already changed part of its configuration;
//! sawmill is atomic), `mask_digits` (timestamps), `tz` (default UTC).

use std::collections::BTreeMap;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

/// One differential: its cases, the CPython driver and the names that keep
/// its child processes and temporary folders apart.
pub struct Differential {
    /// The case file's text.
    pub cases: &'static str,
    /// The CPython side, relative to the crate: `DRIVER CASE DIR RESULT`.
    pub driver: &'static str,
    /// Prefix of the child's environment variables (`<P>_CASE`, `_DIR`, `_RESULT`, `_ONLY`).
    pub env: &'static str,
    /// The step key that holds a configuration ("config", "ini").
    pub config_step: &'static str,
    /// Applies one configuration step in the child; `Err` carries the refusal.
    pub apply: fn(config: &Json, dir: &Path) -> Result<(), String>,
    /// Runs in the child before the steps (e.g. registering factories).
    pub prepare: fn(),
}

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

impl Differential {
    fn var(&self, name: &str) -> String {
        format!("{}_{name}", self.env)
    }

    fn parsed_cases(&self) -> Vec<Json> {
        serde_json::from_str(self.cases).expect("cases parse")
    }

    /// Whether this process is a child running one case.
    pub fn in_child(&self) -> bool {
        std::env::var(self.var("CASE")).is_ok()
    }

    /// The body of the `child` test: runs the case named by the environment
    /// with stdout and stderr captured into files next to the result, then
    /// exits (without the harness's own report on the captured stdout).
    pub fn child(&self) {
        let Ok(index) = std::env::var(self.var("CASE")) else {
            return;
        };
        let cases = self.parsed_cases();
        let case = &cases[index.parse::<usize>().expect("index")];
        let dir = PathBuf::from(std::env::var(self.var("DIR")).expect("dir"));
        let result = PathBuf::from(std::env::var(self.var("RESULT")).expect("result"));
        let redirect = |name: &str, fd: i32| {
            let f = std::fs::File::create(result.with_extension(name)).expect("capture file");
            // SAFETY: dup2 onto a standard descriptor of this (child) process.
            assert!(unsafe { libc::dup2(f.as_raw_fd(), fd) } >= 0);
        };
        redirect("out", 1);
        redirect("err", 2);
        self.run_steps(case, &dir, &result);
        std::process::exit(0);
    }

    fn run_steps(&self, case: &Json, dir: &Path, result: &Path) {
        (self.prepare)();
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
            } else if let Some(config) = step.get(self.config_step) {
                match (self.apply)(config, dir) {
                    Ok(()) => results.push("ok".to_owned()),
                    Err(e) => {
                        results.push("error".to_owned());
                        errors.push(e);
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

    /// Runs every case (or the one named by `<P>_ONLY`) on both sides and
    /// fails with every difference; returns how many cases ended each way.
    pub fn run_all(&self, min_cases: usize) -> BTreeMap<&'static str, usize> {
        let cases = self.parsed_cases();
        assert!(cases.len() >= min_cases, "only {} cases", cases.len());
        let root = std::env::temp_dir().join(format!(
            "{}-{}",
            self.env.to_lowercase(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        let only = std::env::var(self.var("ONLY")).ok();
        let mut tally = BTreeMap::new();
        let mut failures = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            if only
                .as_deref()
                .is_some_and(|o| c["name"].as_str() != Some(o))
            {
                continue;
            }
            match self.run_case(i, c, &root) {
                Ok(kind) => *tally.entry(kind).or_default() += 1,
                Err(e) => failures.push(e),
            }
        }
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
        tally
    }

    fn run_case(&self, index: usize, case: &Json, root: &Path) -> Result<&'static str, String> {
        let name = case["name"].as_str().expect("name");
        let tz = case.get("tz").and_then(Json::as_str).unwrap_or("UTC");
        let work = root.join(format!("{index:03}"));
        let (py_dir, sm_dir) = (work.join("py"), work.join("sm"));
        for d in [&py_dir, &sm_dir] {
            std::fs::create_dir_all(d).expect("dirs");
        }
        let case_path = work.join("case.json");
        std::fs::write(&case_path, case.to_string()).expect("case");
        let py_result = work.join("py.json");
        let py = Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(self.driver))
            .arg(&case_path)
            .arg(&py_dir)
            .arg(&py_result)
            .env("TZ", tz)
            .output()
            .expect("python3 runs");
        let sm_result = work.join("sm.json");
        let _child = Command::new(std::env::current_exe().expect("exe"))
            .args(["--exact", "child", "--nocapture", "--test-threads=1"])
            .env(self.var("CASE"), index.to_string())
            .env(self.var("DIR"), &sm_dir)
            .env(self.var("RESULT"), &sm_result)
            .env("TZ", tz)
            .output()
            .expect("child runs");
        let py = Outcome::read(
            &py_dir,
            &py_result,
            String::from_utf8_lossy(&py.stdout).into_owned(),
            String::from_utf8_lossy(&py.stderr).into_owned(),
        );
        let read = |ext| std::fs::read_to_string(sm_result.with_extension(ext)).unwrap_or_default();
        let sm = Outcome::read(&sm_dir, &sm_result, read("out"), read("err"));
        compare(case, &py, &sm).map_err(|(what, a, b)| {
            format!(
                "case {index} '{name}': {what} differ\n  cpython: {a}\n  sawmill: {b}\n  \
                 cpython errors: {}\n  sawmill errors: {}",
                py.errors, sm.errors
            )
        })
    }
}

/// What one side left behind.
struct Outcome {
    results: Json,
    errors: Json,
    stdout: String,
    stderr: String,
    files: BTreeMap<String, String>,
}

impl Outcome {
    fn read(dir: &Path, result: &Path, stdout: String, stderr: String) -> Outcome {
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
}

fn mask(text: &str, digits: bool) -> String {
    if !digits {
        return text.to_owned();
    }
    text.chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect()
}

/// How a case ended, or (what differs, CPython's, sawmill's).
fn compare(
    case: &Json,
    py: &Outcome,
    sm: &Outcome,
) -> Result<&'static str, (String, String, String)> {
    let (p, s) = (py.results.to_string(), sm.results.to_string());
    if let Some(reason) = case.get("stricter").and_then(Json::as_str) {
        if !p.contains("ok") || !s.contains("error") || p == s {
            return Err((format!("outcomes (stricter: {reason})"), p, s));
        }
        return Ok("stricter");
    }
    if let Some(reason) = case.get("extension").and_then(Json::as_str) {
        if !p.contains("error") || s.contains("error") {
            return Err((format!("outcomes (extension: {reason})"), p, s));
        }
        return Ok("extension");
    }
    if py.results != sm.results {
        return Err(("outcomes".to_owned(), p, s));
    }
    if case.get("outcome_only").is_some() {
        return Ok("same outcome only");
    }
    let digits = case
        .get("mask_digits")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    let differ = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
        Err((what.to_owned(), format!("{a:?}"), format!("{b:?}")))
    };
    let (a, b) = (mask(&py.stdout, digits), mask(&sm.stdout, digits));
    if a != b {
        return differ("stdout", &a, &b);
    }
    let (a, b) = (mask(&py.stderr, digits), mask(&sm.stderr, digits));
    if a != b {
        return differ("stderr", &a, &b);
    }
    let masked = |files: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(k, v)| (k.clone(), mask(v, digits)))
            .collect()
    };
    let (a, b) = (masked(&py.files), masked(&sm.files));
    if a != b {
        return differ("files", &a, &b);
    }
    Ok(if p.contains("error") {
        "refused"
    } else {
        "same"
    })
}
