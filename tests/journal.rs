//! JournalHandler against a real systemd-journald started by the test in a
//! private namespace (its own socket under /run/systemd/journal.NS and its
//! own files, removed afterwards), read back with `journalctl -o json`.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use sawmill::handler::journal::JournalOptions;
use sawmill::{Record, Value};
use serde_json::Value as Json;

struct Journald {
    child: Child,
    namespace: String,
}

impl Journald {
    fn start() -> Journald {
        // SAFETY: geteuid has no preconditions.
        assert_eq!(unsafe { libc::geteuid() }, 0, "journald needs root");
        let namespace = format!("sawmilltest{}", std::process::id());
        let child = Command::new("/lib/systemd/systemd-journald")
            .arg(&namespace)
            .spawn()
            .expect("/lib/systemd/systemd-journald");
        let j = Journald { child, namespace };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !j.socket().exists() {
            assert!(Instant::now() < deadline, "journald did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        j
    }

    fn socket(&self) -> PathBuf {
        PathBuf::from(format!("/run/systemd/journal.{}/socket", self.namespace))
    }

    /// Every entry of `ident`, once `count` are there.
    fn entries(&self, ident: &str, count: usize) -> Vec<Json> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let out = Command::new("journalctl")
                .arg(format!("--namespace={}", self.namespace))
                .args(["-o", "json", "--all", "--no-pager", "-t", ident])
                .output()
                .expect("journalctl");
            let entries: Vec<Json> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.starts_with('{'))
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            if entries.len() >= count {
                return entries;
            }
            assert!(
                Instant::now() < deadline,
                "only {} journal entries",
                entries.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Journald {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(format!("/run/systemd/journal.{}", self.namespace));
        if let Ok(id) = std::fs::read_to_string("/etc/machine-id") {
            let _ = std::fs::remove_dir_all(format!(
                "/var/log/journal/{}.{}",
                id.trim(),
                self.namespace
            ));
        }
    }
}

fn field<'a>(e: &'a Json, name: &str) -> &'a str {
    e.get(name)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("no {name} in {e}"))
}

#[test]
fn journald_receives_every_field() {
    let journald = Journald::start();
    let ident = format!("sawtest{}", std::process::id());
    let handler = sawmill::handler::journal_handler(JournalOptions {
        socket: journald.socket(),
        identifier: Some(ident.clone()),
        fields: vec![("DEPLOYMENT".into(), "blue".into())],
        ..JournalOptions::default()
    })
    .unwrap();
    let big = "0123456789abcdef".repeat(64 * 1024); // 1 MiB
    let messages = [
        "plain message".to_owned(),
        "multi\nline\n\tmessage ünïcode".to_owned(),
        big.clone(),
    ];
    for (i, msg) in messages.iter().enumerate() {
        let mut record = Record::new(
            "app.journal",
            [20, 40, 30][i],
            Some("/src/journal.c"),
            100 + i as u32,
            Some("do_work"),
            Cow::Borrowed(msg),
        );
        record
            .extras
            .push((Cow::Borrowed("request_id"), Value::Int(i as i64)));
        record
            .extras
            .push((Cow::Borrowed("user.name"), Value::Str("ann\nbob".into())));
        assert!(handler.handle(&mut record));
        assert_eq!(handler.error_count(), 0, "record {i}");
    }
    let entries = journald.entries(&ident, 3);
    assert_eq!(entries.len(), 3);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(field(e, "MESSAGE"), messages[i], "record {i}");
        assert_eq!(field(e, "PRIORITY"), ["6", "3", "4"][i]);
        assert_eq!(field(e, "SYSLOG_IDENTIFIER"), ident);
        assert_eq!(field(e, "CODE_FILE"), "/src/journal.c");
        assert_eq!(field(e, "CODE_LINE"), (100 + i).to_string());
        assert_eq!(field(e, "CODE_FUNC"), "do_work");
        assert_eq!(field(e, "LOGGER"), "app.journal");
        assert!(!field(e, "THREAD_NAME").is_empty());
        assert_eq!(field(e, "DEPLOYMENT"), "blue");
        assert_eq!(field(e, "REQUEST_ID"), i.to_string());
        assert_eq!(field(e, "USER_NAME"), "ann\nbob");
    }
    assert_eq!(field(&entries[2], "MESSAGE").len(), 1 << 20);
}
