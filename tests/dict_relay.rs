//! dictConfig of the handlers that pass records on: MemoryHandler with a
//! `target` naming another handler (built first, wherever it is written;
//! a cycle is refused), QueueHandler with Python 3.12's keys and sawmill's
//! overflow policy, and sawmill.CommandHandler, which a configuration from
//! the network may never build.

use std::sync::Mutex;

use sawmill::config::classes::Trust;
use sawmill::config::dict::apply_json;
use sawmill::config::{dict_config_json, handler_by_name, ApplyOptions};

/// Configurations are process-wide: tests that apply one take turns.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sawmill-relay-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn memory_handler_target_is_built_first_and_flushes_at_its_level() {
    let _turn = serial();
    let d = dir("memory");
    let path = d.join("out.log");
    // The memory handler is written before its target.
    let doc = format!(
        r#"{{"version": 1,
            "handlers": {{
              "buffer": {{"class": "logging.handlers.MemoryHandler", "capacity": 10,
                          "flushLevel": "ERROR", "target": "file", "flushOnClose": false}},
              "file": {{"class": "logging.FileHandler", "filename": "{}"}}}},
            "loggers": {{"relay.mem": {{"level": "DEBUG", "handlers": ["buffer"],
                                         "propagate": false}}}}}}"#,
        path.display()
    );
    dict_config_json(&doc).unwrap();
    let logger = sawmill::get_logger("relay.mem");
    logger.log(sawmill::INFO, None, 0, None, "kept back");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
    logger.log(sawmill::ERROR, None, 0, None, "boom");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept back\nboom\n");
    assert_eq!(handler_by_name("buffer").unwrap().kind(), "MemoryHandler");
}

#[test]
fn memory_handler_cycle_is_refused() {
    let _turn = serial();
    let doc = r#"{"version": 1, "handlers": {
        "a": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "b"},
        "b": {"class": "logging.handlers.MemoryHandler", "capacity": 1, "target": "a"}}}"#;
    let e = dict_config_json(doc).unwrap_err();
    assert!(e.0.to_lowercase().contains("cycle"), "{}", e.0);
    let e = dict_config_json(
        r#"{"version": 1, "handlers": {"a": {"class": "logging.handlers.MemoryHandler",
            "target": "n"}, "n": {"class": "logging.NullHandler"}}}"#,
    )
    .unwrap_err();
    assert!(e.0.contains("capacity"), "{}", e.0);
}

#[test]
fn queue_handler_runs_its_handlers_and_counts_drops() {
    let _turn = serial();
    let d = dir("queue");
    let path = d.join("q.log");
    let doc = format!(
        r#"{{"version": 1,
            "handlers": {{
              "q": {{"class": "logging.handlers.QueueHandler", "handlers": ["file"],
                     "respect_handler_level": true, "queue": {{"maxsize": 4}},
                     "listener": "logging.handlers.QueueListener",
                     "overflow": "timeout", "timeout_ms": 1000, "sync_level": "CRITICAL"}},
              "file": {{"class": "logging.FileHandler", "filename": "{}", "level": "WARNING"}}}},
            "loggers": {{"relay.q": {{"level": "DEBUG", "handlers": ["q"], "propagate": false}}}}}}"#,
        path.display()
    );
    dict_config_json(&doc).unwrap();
    let logger = sawmill::get_logger("relay.q");
    for i in 0..50 {
        logger.log(sawmill::INFO, None, 0, None, &format!("info {i}"));
        logger.log(sawmill::WARNING, None, 0, None, &format!("warn {i}"));
    }
    let q = handler_by_name("q").unwrap();
    q.flush().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let want: String = (0..50).map(|i| format!("warn {i}\n")).collect();
    assert_eq!(text, want, "respect_handler_level drops the INFO records");
    assert_eq!(q.dropped_count(), 0);

    for (value, message) in [
        (
            r#""overflow": "sideways""#,
            "unknown overflow policy 'sideways'",
        ),
        (
            r#""queue": {"maxsize": 4, "()": "my.Queue"}"#,
            "unsupported key '()'",
        ),
        (
            r#""listener": "my.Listener""#,
            "unsupported listener 'my.Listener'",
        ),
        (r#""handlers": ["nowhere"]"#, "nowhere"),
    ] {
        let doc = format!(
            r#"{{"version": 1, "handlers": {{"q": {{"class": "logging.handlers.QueueHandler", {value}}}}}}}"#
        );
        let e = dict_config_json(&doc).unwrap_err();
        assert!(e.0.contains(message), "{value}: {}", e.0);
    }
}

#[test]
fn command_handler_runs_locally_and_is_refused_from_the_network() {
    let _turn = serial();
    let d = dir("command");
    let doc = format!(
        r#"{{"version": 1,
            "handlers": {{"say": {{"class": "sawmill.CommandHandler",
                "argv": ["sh", "-c", "cat > \"$1\"", "sh", "{{path}}"],
                "path": "{}/said-{{seq}}.txt", "message_on_stdin": true,
                "timeout_ms": 5000}}}},
            "loggers": {{"relay.cmd": {{"level": "DEBUG", "handlers": ["say"], "propagate": false}}}}}}"#,
        d.display()
    );
    let remote = apply_json(
        &doc,
        ApplyOptions {
            trust: Trust::Remote,
            check_only: false,
        },
    )
    .unwrap_err();
    assert!(remote.0.contains("sawmill.CommandHandler"), "{}", remote.0);
    assert!(!d.join("said-1.txt").exists());

    dict_config_json(&doc).unwrap();
    let logger = sawmill::get_logger("relay.cmd");
    logger.log(sawmill::INFO, None, 0, None, "Hello; $(rm -rf /)");
    assert_eq!(
        std::fs::read_to_string(d.join("said-1.txt")).unwrap(),
        "Hello; $(rm -rf /)\n"
    );
    let e = dict_config_json(
        r#"{"version": 1, "handlers": {"say": {"class": "sawmill.CommandHandler",
            "argv": ["true", "{oops"]}}}"#,
    )
    .unwrap_err();
    assert!(e.0.contains("placeholder"), "{}", e.0);
}
