//! Timed rotation against CPython's TimedRotatingFileHandler, with an
//! injected clock, in America/New_York: every `when`, DST spring-forward and
//! fall-back, `atTime`, UTC on and off, backup_count cleanup. Plus what we do
//! differently on purpose: an existing backup name is never overwritten.
//! (One test per binary: it sets the process time zone.)

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sawmill::handler::timed::{TimedOptions, When};
use sawmill::handler::{self, FileOptions, Rotation};
use sawmill::record::Record;
use serde_json::{json, Value};

extern "C" {
    fn tzset();
}

struct Scenario {
    when: &'static str,
    interval: u32,
    utc: bool,
    backup_count: u32,
    at_time: Option<(u32, u32, u32)>,
    start: f64,
    events: Vec<f64>,
    /// The log already exists, last modified at this time (Python then
    /// computes the first rollover from its mtime, not from now).
    existing_mtime: Option<f64>,
}

/// What an existing log holds before the handler opens it.
const EXISTING_TEXT: &str = "from an earlier run\n";

fn every(start: f64, step: f64, count: usize) -> Vec<f64> {
    (1..=count).map(|i| start + step * i as f64).collect()
}

fn scenarios() -> Vec<Scenario> {
    let spring = 1710000000.0; // 2024-03-09 11:00 EST, the day before DST starts
    let fall = 1730520000.0; // 2024-11-02 00:00 EDT, the day before DST ends
    let s = |when, interval, utc, backup_count, at_time, start, events| Scenario {
        when,
        interval,
        utc,
        backup_count,
        at_time,
        start,
        events,
        existing_mtime: None,
    };
    let existing = |mtime, scenario: Scenario| Scenario {
        existing_mtime: Some(mtime),
        ..scenario
    };
    vec![
        s(
            "S",
            1,
            false,
            0,
            None,
            1700000000.2,
            vec![
                1700000000.5,
                1700000001.0,
                1700000001.5,
                1700000003.1,
                1700000003.2,
                1700000010.0,
            ],
        ),
        s(
            "M",
            2,
            false,
            0,
            None,
            1700000000.0,
            every(1700000000.0, 59.5, 12),
        ),
        s("H", 1, false, 0, None, spring, every(spring, 1800.0, 40)),
        s("H", 3, true, 0, None, spring, every(spring, 2700.0, 30)),
        s("D", 1, false, 0, None, fall, every(fall, 6.0 * 3600.0, 14)),
        s(
            "midnight",
            1,
            false,
            0,
            None,
            spring,
            every(spring, 5.0 * 3600.0, 16),
        ),
        s(
            "midnight",
            1,
            true,
            0,
            None,
            spring,
            every(spring, 5.0 * 3600.0, 16),
        ),
        s(
            "MIDNIGHT",
            1,
            false,
            0,
            Some((3, 0, 0)),
            fall,
            every(fall, 4.0 * 3600.0, 20),
        ),
        s(
            "midnight",
            1,
            false,
            0,
            Some((1, 30, 0)),
            fall,
            every(fall, 1800.0, 100),
        ),
        s(
            "W0",
            1,
            false,
            0,
            None,
            spring - 5.0 * 86400.0,
            every(spring - 5.0 * 86400.0, 86400.0, 24),
        ),
        s(
            "W6",
            1,
            true,
            0,
            None,
            fall - 10.0 * 86400.0,
            every(fall - 10.0 * 86400.0, 2.0 * 86400.0, 15),
        ),
        s("w3", 2, false, 0, None, fall, every(fall, 86400.0, 30)),
        s(
            "S",
            1,
            false,
            2,
            None,
            1700000000.0,
            every(1700000000.0, 1.5, 12),
        ),
        s(
            "midnight",
            1,
            false,
            3,
            None,
            fall,
            every(fall, 10.0 * 3600.0, 20),
        ),
        // The first rollover from an existing file's mtime: 30 minutes
        // before the start, so an hourly file rolls 30 minutes in, not 60.
        existing(
            spring - 1800.0,
            s(
                "H",
                1,
                false,
                3,
                None,
                spring,
                vec![
                    spring + 600.0,
                    spring + 1500.0,
                    spring + 2100.0,
                    spring + 4000.0,
                ],
            ),
        ),
        // Written yesterday evening: the first record of today rolls it
        // into yesterday's backup.
        existing(
            spring - 12.0 * 3600.0,
            s(
                "midnight",
                1,
                false,
                3,
                None,
                spring,
                vec![spring + 60.0, spring + 7200.0],
            ),
        ),
        existing(
            spring - 20.0 * 3600.0,
            s(
                "D",
                1,
                true,
                2,
                None,
                spring,
                vec![spring + 3.0 * 3600.0, spring + 5.0 * 3600.0],
            ),
        ),
    ]
}

fn listing(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Runs one scenario through sawmill with an injected clock.
fn run_sawmill(s: &Scenario, dir: &Path) -> BTreeMap<String, String> {
    let now = Arc::new(AtomicU64::new(s.start.to_bits()));
    let clock_now = now.clone();
    let mut timed = TimedOptions::new(
        When::parse(s.when).expect("when"),
        s.interval,
        s.backup_count,
        s.utc,
    );
    timed.at_time = s.at_time;
    timed.clock = Arc::new(move || f64::from_bits(clock_now.load(Ordering::SeqCst)));
    let path = dir.join("app.log");
    if let Some(mtime) = s.existing_mtime {
        std::fs::write(&path, EXISTING_TEXT).expect("existing log");
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("existing log");
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(mtime);
        file.set_modified(when).expect("set mtime");
    }
    let mut options = FileOptions::new(&path);
    options.delay = true;
    options.rotation = Rotation::Timed(timed);
    let h = handler::file_handler(options).expect("handler");
    for (i, t) in s.events.iter().enumerate() {
        now.store(t.to_bits(), Ordering::SeqCst);
        let message = format!("event {i}");
        let mut record = Record::at(*t, "timed", 30, None, 0, None, Cow::Borrowed(&message));
        h.handle(&mut record);
    }
    h.close().expect("close");
    assert_eq!(h.error_count(), 0);
    listing(dir)
}

/// Equal to CPython's result, except where CPython overwrote an existing
/// backup (across a DST change it can compute the same name twice and
/// deletes the older file): there we keep both, the newer as `name.1`, and
/// no record is lost.
fn same_except_kept_backups(
    ours: &BTreeMap<String, String>,
    cpython: &BTreeMap<String, String>,
    events: usize,
) -> bool {
    let all_kept = (0..events).all(|i| {
        ours.values()
            .any(|text| text.lines().any(|l| l == format!("event {i}")))
    });
    let cpython_files_match = cpython.iter().all(|(name, text)| {
        ours.get(name) == Some(text) || ours.get(&format!("{name}.1")) == Some(text)
    });
    let extras_are_kept_backups = ours.keys().all(|name| {
        cpython.contains_key(name)
            || name
                .rsplit_once('.')
                .is_some_and(|(head, n)| n == "1" && cpython.contains_key(head))
    });
    all_kept && cpython_files_match && extras_are_kept_backups
}

#[test]
fn timed_rotation_matches_cpython_and_never_overwrites() {
    std::env::set_var("TZ", "America/New_York");
    // SAFETY: tzset has no preconditions; this binary runs only this test.
    unsafe { tzset() };
    let all = scenarios();
    let input: Vec<Value> = all
        .iter()
        .map(|s| json!({"when": s.when, "interval": s.interval, "utc": s.utc, "backup_count": s.backup_count,
                        "at_time": s.at_time.map(|(h, m, sec)| vec![h, m, sec]), "start": s.start, "events": s.events,
                        "existing_mtime": s.existing_mtime, "existing_text": EXISTING_TEXT}))
        .collect();
    let mut python = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/timed_oracle.py"))
        .env("TZ", "America/New_York")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(Value::Array(input).to_string().as_bytes())
        .expect("write");
    let out = python.wait_with_output().expect("oracle");
    assert!(out.status.success(), "oracle failed");
    let expected: Vec<BTreeMap<String, String>> =
        serde_json::from_slice(&out.stdout).expect("oracle JSON");

    let root = std::env::temp_dir().join(format!("sawmill-timed-{}", std::process::id()));
    let mut failures = Vec::new();
    for (i, s) in all.iter().enumerate() {
        let dir = root.join(i.to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        let got = run_sawmill(s, &dir);
        let same = if s.backup_count > 0 {
            got == expected[i]
        } else {
            same_except_kept_backups(&got, &expected[i], s.events.len())
        };
        if !same {
            failures.push(format!(
                "scenario {i} ({} x{} utc={} at={:?}):\n  cpython: {:?}\n  sawmill: {:?}",
                s.when, s.interval, s.utc, s.at_time, expected[i], got
            ));
        }
        assert!(
            got.len() > 1 || s.events.len() < 2,
            "scenario {i} rolled over at least once"
        );
    }

    // An existing backup name is never overwritten: a `.1` is appended.
    let dir = root.join("existing");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("app.log.2023-11-14_17-13-20"), "precious\n").expect("seed");
    let s = Scenario {
        when: "S",
        interval: 1,
        utc: false,
        backup_count: 0,
        at_time: None,
        start: 1700000000.0,
        events: vec![1700000000.5, 1700000001.5],
        existing_mtime: None,
    };
    let got = run_sawmill(&s, &dir);
    assert_eq!(
        got.get("app.log.2023-11-14_17-13-20").map(String::as_str),
        Some("precious\n")
    );
    assert_eq!(
        got.get("app.log.2023-11-14_17-13-20.1").map(String::as_str),
        Some("event 0\n")
    );
    assert_eq!(got.get("app.log").map(String::as_str), Some("event 1\n"));

    std::fs::remove_dir_all(&root).expect("cleanup");
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ from CPython:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
