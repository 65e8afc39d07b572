//! `sawmill check-config`: good and bad .json and .ini files, checked
//! without applying (no log file is created), each error naming its section
//! and key; exit status 0, 1, or 2 for a usage error.

use std::path::Path;
use std::process::Command;

fn check(path: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sawmill"))
        .arg("check-config")
        .arg(path)
        .output()
        .expect("sawmill runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_config_reports_and_applies_nothing() {
    let dir = std::env::temp_dir().join(format!("sawmill-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let log = dir.join("never.log");
    let ini = |handler: &str| {
        format!(
            "[loggers]\nkeys=root\n[handlers]\nkeys=file\n[formatters]\nkeys=f\n\
             [logger_root]\nlevel=INFO\nhandlers=file\n[handler_file]\n{handler}\n\
             [formatter_f]\nformat=%(levelname)s %(message)s\n"
        )
    };
    let good_handler = format!(
        "class=FileHandler\nformatter=f\nargs=('{}', 'w')",
        log.display()
    );
    let cases: Vec<(&str, String, i32, &[&str])> = vec![
        ("good.ini", ini(&good_handler), 0, &["ok"]),
        (
            "badlevel.ini",
            ini(&format!("{good_handler}\nlevel=LOUD")),
            1,
            &["handler", "file", "LOUD"],
        ),
        (
            "eval.ini",
            ini("class=StreamHandler\nargs=__import__('os').system('true')"),
            1,
            &["[handler_file]", "args"],
        ),
        (
            "nosection.ini",
            "[loggers]\nkeys=root\n".into(),
            1,
            &["[formatters]"],
        ),
        (
            "good.json",
            serde_json::json!({"version": 1,
                "handlers": {"file": {"class": "logging.FileHandler", "filename": log}},
                "root": {"handlers": ["file"]}})
            .to_string(),
            0,
            &["ok"],
        ),
        (
            "badkey.json",
            serde_json::json!({"version": 1,
                "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler",
                                      "filename": log, "maxbytes": 10}}})
            .to_string(),
            1,
            &["handler 'file'", "maxbytes", "maxBytes"],
        ),
        ("broken.json", "{\"version\": 1,".into(), 1, &["JSON"]),
        (
            // Three independent mistakes: each is reported, and the logger
            // that uses the broken handler is not reported as well.
            "three.json",
            serde_json::json!({"version": 1,
                "formatters": {"f": {"format": "%(message)s", "style": "?"}},
                "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler",
                                      "filename": log, "maxbytes": 10},
                             "out": {"class": "logging.StreamHandler", "formatter": "f"}},
                "loggers": {"app": {"level": "LOUD"}, "db": {"handlers": ["file"]}},
                "root": {"handlers": ["file", "out"]}})
            .to_string(),
            1,
            &[
                "formatter 'f'",
                "handler 'file'",
                "maxbytes",
                "logger 'app'",
                "LOUD",
            ],
        ),
    ];
    for (name, text, status, needles) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let (code, out) = check(&path);
        assert_eq!(code, status, "{name}: {out}");
        for n in needles {
            assert!(out.contains(n), "{name}: {out:?} lacks {n:?}");
        }
        if name == "three.json" {
            assert_eq!(out.lines().count(), 3, "one line per error: {out}");
        }
    }
    assert!(!log.exists(), "check-config must not open log files");
    let usage = Command::new(env!("CARGO_BIN_EXE_sawmill"))
        .arg("check-config")
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
    let (code, _) = check(&dir.join("missing.ini"));
    assert_eq!(code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
