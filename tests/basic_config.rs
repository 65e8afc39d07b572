//! basicConfig against CPython 3.11: the default format of each style,
//! filemode without filename, and `force` that changes nothing on failure.
//! One test function: every step works on the one root logger.

use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use sawmill::config::{basic_config, BasicConfig};
use sawmill::{Handler, Style, WARNING};

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sawmill-basic-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// What CPython's basicConfig(force=True, stream=sys.stdout, **kwargs) prints
/// for `logging.getLogger("a.b").warning("hello")`, one line per kwargs.
fn cpython_lines(kwargs: &[&str]) -> Vec<String> {
    let mut script = String::from("import logging, sys\n");
    for k in kwargs {
        script.push_str(&format!(
            "logging.basicConfig(force=True, stream=sys.stdout{k})\n\
             logging.getLogger('a.b').warning('hello')\n\
             sys.stdout.flush()\n"
        ));
    }
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn clear_root() {
    for h in sawmill::root().take_handlers() {
        let _ = h.close();
    }
}

fn root_has(handler: &Arc<Handler>) -> bool {
    sawmill::root()
        .handlers()
        .iter()
        .any(|h| Arc::ptr_eq(h, handler))
}

#[test]
fn basic_config_matches_python() {
    let dir = temp_dir();
    let log = sawmill::get_logger("a.b");

    // Each style without a format uses that style's default format, and
    // filemode without filename is ignored (Python raises nothing).
    let expected = cpython_lines(&["", ", style='{'", ", style='$'", ", filemode='w'"]);
    let out_path = dir.join("stream.txt");
    let out = std::fs::File::create(&out_path).expect("stream file");
    for (style, filemode) in [
        (None, None),
        (Some(Style::Brace), None),
        (Some(Style::Dollar), None),
        (None, Some("w")),
    ] {
        clear_root();
        let config = BasicConfig {
            style,
            filemode: filemode.map(str::to_owned),
            stream_fd: Some(out.as_raw_fd()),
            ..BasicConfig::default()
        };
        basic_config(&config).unwrap_or_else(|e| panic!("{style:?} {filemode:?}: {e}"));
        log.log(WARNING, None, 0, None, "hello");
    }
    let ours = std::fs::read_to_string(&out_path).expect("read");
    assert_eq!(ours.lines().collect::<Vec<_>>(), expected);

    // An empty filename is falsy to Python: the stream (stderr) is used.
    clear_root();
    basic_config(&BasicConfig {
        filename: Some(PathBuf::new()),
        ..BasicConfig::default()
    })
    .expect("empty filename");
    assert_eq!(sawmill::root().handlers()[0].kind(), "StreamHandler");

    // stream and filename together are refused, and change nothing.
    clear_root();
    let together = BasicConfig {
        filename: Some(dir.join("x.log")),
        stream_fd: Some(1),
        ..BasicConfig::default()
    };
    assert!(basic_config(&together).is_err());
    assert!(sawmill::root().handlers().is_empty());

    // force with a file that cannot be opened: the old handler stays,
    // open and attached.
    let old_path = dir.join("old.log");
    basic_config(&BasicConfig {
        filename: Some(old_path.clone()),
        ..BasicConfig::default()
    })
    .expect("first config");
    let old = sawmill::root().handlers()[0].clone();
    let failing = BasicConfig {
        filename: Some(dir.join("no-such-dir").join("new.log")),
        force: true,
        ..BasicConfig::default()
    };
    let err = basic_config(&failing).expect_err("unopenable file");
    assert!(err.0.contains("no-such-dir"), "{err}");
    assert!(root_has(&old));
    assert_eq!(sawmill::root().handlers().len(), 1);
    assert!(!old.is_closed());
    log.log(WARNING, None, 0, None, "still here");
    assert_eq!(
        std::fs::read_to_string(&old_path).expect("old log"),
        "WARNING:a.b:still here\n"
    );

    // Without force, a configured root is left alone: no file is created.
    let ignored = dir.join("ignored.log");
    basic_config(&BasicConfig {
        filename: Some(ignored.clone()),
        ..BasicConfig::default()
    })
    .expect("no-op");
    assert!(!ignored.exists());
    assert!(root_has(&old));
    // ... even when its arguments are invalid: Python checks them only when
    // it would configure (CPython 3.11 prints "quiet" below, no exception).
    let python = Command::new("python3")
        .args([
            "-c",
            "import logging, sys\n\
             logging.basicConfig(stream=sys.stdout)\n\
             logging.basicConfig(stream=sys.stdout, filename='x.log')\n\
             logging.basicConfig(format='no fields', style='{')\n\
             print('quiet')",
        ])
        .output()
        .expect("python3 runs");
    assert_eq!(String::from_utf8_lossy(&python.stdout), "quiet\n");
    for invalid in [
        BasicConfig {
            filename: Some(dir.join("x.log")),
            stream_fd: Some(1),
            ..BasicConfig::default()
        },
        BasicConfig {
            format: Some("no fields".into()),
            style: Some(Style::Brace),
            ..BasicConfig::default()
        },
    ] {
        basic_config(&invalid).expect("a configured root ignores the call");
    }
    assert!(root_has(&old));
    assert_eq!(sawmill::root().handlers().len(), 1);

    // force that succeeds replaces and closes the old handler.
    let new_path = dir.join("new.log");
    basic_config(&BasicConfig {
        filename: Some(new_path.clone()),
        filemode: Some("w".into()),
        format: Some("{name}|{message}".into()),
        style: Some(Style::Brace),
        force: true,
        ..BasicConfig::default()
    })
    .expect("force");
    assert!(!root_has(&old));
    assert!(old.is_closed());
    log.log(WARNING, None, 0, None, "moved");
    assert_eq!(
        std::fs::read_to_string(&new_path).expect("new log"),
        "a.b|moved\n"
    );
    assert_eq!(
        std::fs::read_to_string(&old_path).expect("old log"),
        "WARNING:a.b:still here\n"
    );
    clear_root();
    let _ = std::fs::remove_dir_all(&dir);
}
