//! dictConfig through the Rust API: errors name the spot, a refused
//! configuration changes nothing, a "w" file is not truncated by a refused one.

use std::sync::Mutex;

use sawmill::config::dict_config_json;

/// Configurations are process-wide: tests that apply one take turns.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sawmill-dictcfg-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn unknown_key_is_named_with_a_suggestion() {
    let d = dir("unknown");
    let doc = format!(
        r#"{{"version": 1, "handlers": {{"file": {{"class": "logging.handlers.RotatingFileHandler",
            "filename": "{}/x.log", "maxbytes": 10}}}}}}"#,
        d.display()
    );
    let e = dict_config_json(&doc).unwrap_err();
    assert_eq!(
        e.0,
        "handler 'file': unknown option 'maxbytes' (did you mean 'maxBytes'?)"
    );
}

#[test]
fn refused_config_keeps_w_file_and_old_config() {
    let d = dir("atomic");
    let path = d.join("keep.log");
    std::fs::write(&path, "precious\n").unwrap();
    let doc = format!(
        r#"{{"version": 1, "handlers": {{"w": {{"class": "logging.FileHandler", "mode": "w",
            "filename": "{}"}}, "bad": {{"class": "logging.StreamHandler", "level": "LOUD"}}}},
            "root": {{"handlers": ["w", "bad"]}}}}"#,
        path.display()
    );
    let e = dict_config_json(&doc).unwrap_err();
    assert!(
        e.0.contains("handler 'bad': level: Unknown level: 'LOUD'"),
        "{}",
        e.0
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious\n");
}

#[test]
fn cfg_and_levels_and_names() {
    let _turn = serial();
    let d = dir("cfg");
    let path = d.join("a.log");
    let doc = format!(
        r#"{{"version": 1, "disable_existing_loggers": false,
            "custom": {{"file": "{}", "list": ["WARN"]}},
            "formatters": {{"f": {{"format": "%(levelname)s %(name)s %(message)s"}}}},
            "handlers": {{"h": {{"class": "logging.FileHandler", "filename": "cfg://custom.file",
                "formatter": "f", "level": "cfg://custom.list[0]"}}}},
            "loggers": {{"cfgtest": {{"handlers": ["h"], "level": "DEBUG", "propagate": false}}}}}}"#,
        path.display()
    );
    dict_config_json(&doc).unwrap();
    let log = sawmill::get_logger("cfgtest");
    log.log(sawmill::INFO, None, 1, None, "dropped");
    log.log(sawmill::WARNING, None, 1, None, "kept");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "WARNING cfgtest kept\n"
    );
    let h = sawmill::config::handler_by_name("h").unwrap();
    assert_eq!(h.level(), sawmill::WARNING);
}

/// Each section broken in turn: refused with the spot named, and the
/// running configuration logs on unchanged.
#[test]
fn broken_configs_change_nothing() {
    let _turn = serial();
    use std::sync::Arc;
    let d = dir("broken");
    let good = d.join("good.log");
    let doc = format!(
        r#"{{"version": 1, "disable_existing_loggers": false,
            "formatters": {{"f": {{"format": "%(name)s %(message)s"}}}},
            "handlers": {{"keep": {{"class": "logging.FileHandler", "filename": "{}", "formatter": "f"}}}},
            "loggers": {{"broken": {{"handlers": ["keep"], "level": "INFO", "propagate": false}}}}}}"#,
        good.display()
    );
    dict_config_json(&doc).unwrap();
    sawmill::config::factories::register_handler_factory(
        "failing_factory",
        Arc::new(|_: &sawmill::config::classes::Entry| Err("it said no".to_owned())),
    );
    let stream = r#""class": "logging.StreamHandler""#;
    let cases: Vec<(String, &str)> = vec![
        (
            format!(r#"{{"version": 1, "handlers": {{"h": {{{stream}, "level": "LOUD"}}}}}}"#),
            "handler 'h': level: Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "loggers": {"x": {"level": "LOUD"}}}"#.into(),
            "logger 'x': level: Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "root": {"level": "LOUD"}}"#.into(),
            "root: level: Unknown level: 'LOUD'",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"class": "logging.StreamHandlr"}}}"#.into(),
            "handler 'h': class: unknown class 'logging.StreamHandlr' (did you mean 'logging.StreamHandler'?)",
        ),
        (
            format!(r#"{{"version": 1, "handlers": {{"h": {{{stream}, "strem": null}}}}}}"#),
            "handler 'h': unknown option 'strem' (did you mean 'stream'?)",
        ),
        (
            r#"{"version": 1, "formatters": {"g": {"format": "%(message)z"}}}"#.into(),
            "formatter 'g': format: ",
        ),
        (
            r#"{"version": 1, "filters": {"x": {"nam": "a"}}}"#.into(),
            "filter 'x': unknown option 'nam' (did you mean 'name'?)",
        ),
        (
            format!(
                r#"{{"version": 1, "handlers": {{"h": {{"class": "logging.FileHandler", "filename": "{}/none/x.log"}}}}}}"#,
                d.display()
            ),
            "handler 'h': cannot open",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"()": "ext://app.failing_factory"}}}"#.into(),
            "handler 'h': (): it said no",
        ),
        (
            r#"{"version": 1, "handlers": {"h": {"()": "no_such_factory"}}}"#.into(),
            "handler 'h': (): no handler factory or class named 'no_such_factory'",
        ),
        (
            r#"{"version": 1, "a": "cfg://b", "b": "cfg://a", "root": {"level": "cfg://a"}}"#.into(),
            "config: cfg:// references nest too deep (a cycle?)",
        ),
        (
            format!(r#"{{"version": 1, "handlers": {{"h": {{{stream}, "formatter": "gone"}}}}}}"#),
            "handler 'h': formatter: Unable to set formatter 'gone': no such formatter",
        ),
        (
            r#"{"version": 1, "loggers": {"x": {"handlers": ["gone"]}}}"#.into(),
            "logger 'x': handlers: Unable to add handler 'gone': no such handler",
        ),
        (
            r#"{"version": 1, "loggers": {"x": {"filters": ["gone"]}}}"#.into(),
            "logger 'x': filters: Unable to add filter 'gone': no such filter",
        ),
        (
            r#"{"version": 1, "incremental": true, "handlers": {"gone": {"level": "INFO"}}}"#
                .into(),
            "handler 'gone': No handler found with name 'gone'",
        ),
        (r#"{"version": 2}"#.into(), "config: Unsupported version: 2"),
        (r#"[1]"#.into(), "config: expected an object"),
        (r#"{"version": 1,"#.into(), "config: not valid JSON"),
    ];
    let log = sawmill::get_logger("broken");
    for (i, (doc, want)) in cases.iter().enumerate() {
        let e = dict_config_json(doc).expect_err(doc);
        assert!(
            e.0.starts_with(want),
            "case {i}: {:?} does not start with {want:?}",
            e.0
        );
        log.log(sawmill::INFO, None, 1, None, &format!("still {i}"));
    }
    let text = std::fs::read_to_string(&good).unwrap();
    let want: String = (0..cases.len())
        .map(|i| format!("broken still {i}\n"))
        .collect();
    assert_eq!(text, want);
    assert!(sawmill::config::handler_by_name("keep").is_some());
}

/// 200 reconfigurations while two threads log: every record arrives once,
/// whole, in one of the files (the handlers replaced are closed only once
/// no record still runs through them).
#[test]
fn records_logged_during_swaps_all_arrive() {
    let _turn = serial();
    let d = dir("swap");
    let doc = |file: &str| {
        format!(
            r#"{{"version": 1, "disable_existing_loggers": false,
                "handlers": {{"h": {{"class": "logging.FileHandler", "filename": "{}/{file}"}}}},
                "loggers": {{"swap": {{"handlers": ["h"], "level": "INFO", "propagate": false}}}}}}"#,
            d.display()
        )
    };
    dict_config_json(&doc("a.log")).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let log = sawmill::get_logger("swap");
                let mut n = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || n < 1000 {
                    log.log(sawmill::INFO, None, 1, None, &format!("t{t} r{n}"));
                    n += 1;
                }
                n
            })
        })
        .collect();
    for i in 0..200 {
        dict_config_json(&doc(if i % 2 == 0 { "b.log" } else { "a.log" })).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let counts: Vec<u64> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    sawmill::config::handler_by_name("h")
        .unwrap()
        .flush()
        .unwrap();
    let mut seen = std::collections::HashSet::new();
    for file in ["a.log", "b.log"] {
        for line in std::fs::read_to_string(d.join(file)).unwrap().lines() {
            assert!(seen.insert(line.to_owned()), "twice: {line}");
        }
    }
    for (t, n) in counts.iter().enumerate() {
        for r in 0..*n {
            assert!(seen.contains(&format!("t{t} r{r}")), "lost t{t} r{r}");
        }
    }
    assert_eq!(seen.len() as u64, counts.iter().sum::<u64>());
}
