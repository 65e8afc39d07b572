//! File handler mode strings, accepted or refused as CPython 3.11's
//! FileHandler does (python3 is asked about each one). sawmill also refuses
//! "r" and "x", which CPython accepts but which cannot write a log.

use std::process::Command;

use sawmill::handler::FileMode;

const MODES: &[&str] = &[
    "", "a", "w", "ab", "wb", "a+", "w+", "at", "wt", "+", "b", "t", "bt", "aw", "wa", "a++",
];

/// Whether CPython's FileHandler accepts each mode (opening at once).
fn cpython_accepts() -> Vec<bool> {
    let script = r#"
import logging, sys, tempfile, os
d = tempfile.mkdtemp()
for i, mode in enumerate(sys.argv[1:]):
    try:
        h = logging.FileHandler(os.path.join(d, "m%d.log" % i), mode=mode)
        h.close()
        print("ok")
    except ValueError:
        print("refused")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(MODES)
        .output()
        .expect("python3");
    assert!(out.status.success(), "python3 ran");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.lines().map(|l| l == "ok").collect()
}

#[test]
fn modes_accepted_and_refused_as_cpython() {
    let cpython = cpython_accepts();
    assert_eq!(cpython.len(), MODES.len());
    for (mode, &accepts) in MODES.iter().zip(&cpython) {
        let ours = FileMode::parse(mode);
        assert_eq!(ours.is_ok(), accepts, "mode {mode:?}: sawmill {ours:?}");
    }
    assert!(FileMode::parse("")
        .unwrap_err()
        .contains("exactly one of create/read/write/append"));
    assert!(FileMode::parse("r").is_err() && FileMode::parse("x").is_err());
}
