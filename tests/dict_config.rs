//! dictConfig through the Rust API: errors name the spot, a refused
//! configuration changes nothing, a "w" file is not truncated by a refused one.

use sawmill::config::dict_config_json;

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
