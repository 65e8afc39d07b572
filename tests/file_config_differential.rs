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

use std::path::Path;

use serde_json::Value as Json;

#[path = "common/config_differential.rs"]
mod config_differential;
use config_differential::Differential;

/// Writes the INI text next to the case's folder and applies it.
fn apply(ini: &Json, dir: &Path) -> Result<(), String> {
    let ini_path = dir.parent().expect("parent").join("sm.ini");
    std::fs::write(&ini_path, ini[0].as_str().expect("text")).expect("ini");
    let disable = ini[1].as_bool().expect("flag");
    sawmill::config::file::file_config(&ini_path, disable).map_err(|e| e.0)
}

const DIFFERENTIAL: Differential = Differential {
    cases: include_str!("data/ini_cases.json"),
    driver: "tests/data/ini_driver.py",
    env: "SAWMILL_INI",
    config_step: "ini",
    apply,
    prepare: || {},
};

#[test]
fn child() {
    DIFFERENTIAL.child();
}

#[test]
fn file_config_matches_cpython() {
    if DIFFERENTIAL.in_child() {
        return;
    }
    let tally = DIFFERENTIAL.run_all(30);
    eprintln!("fileConfig differential: {tally:?}");
}

/// `args` that CPython would `eval` into a call are refused before anything
/// runs, with the section named; the running configuration stays.
#[test]
fn code_in_args_is_refused() {
    if DIFFERENTIAL.in_child() {
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
