//! Recipe 8's answer for many processes and one file: 4 processes × 2
//! threads × 20,000 numbered records through sawmill's SocketHandler into
//! one `sawmill receive` writing a RotatingFileHandler. Every record must be
//! there exactly once, every line whole.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const PROCESSES: usize = 4;
const THREADS: usize = 2;
const RECORDS: usize = 20_000;
const CHILD_ENV: &str = "SAWMILL_NET_SENDER";

/// In a child (CHILD_ENV = "port index"): log the numbered records. In the
/// normal test run this does nothing.
#[test]
fn sender_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (port, index) = spec.split_once(' ').unwrap();
    let mut options = sawmill::handler::NetOptions::new("127.0.0.1", port.parse().unwrap());
    // Nothing may be dropped here: let a busy receiver take its time.
    options.send_timeout = Duration::from_secs(30);
    let handler = sawmill::handler::socket_handler(options);
    let logger = sawmill::get_logger("many");
    logger.set_level(sawmill::DEBUG);
    logger.add_handler(handler.clone());
    let index: usize = index.parse().unwrap();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let logger = sawmill::get_logger("many");
                for n in 0..RECORDS {
                    logger.log(sawmill::INFO, None, 0, None, &format!("p{index} t{t} n{n}"));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(handler.dropped_count(), 0);
    assert_eq!(handler.error_count(), 0);
}

#[test]
fn many_processes_one_rotating_file() {
    let dir = std::env::temp_dir().join(format!("sawmill-net-many-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("all.log");
    let mut receiver = Command::new(env!("CARGO_BIN_EXE_sawmill"))
        .args([
            "receive",
            "--tcp",
            "127.0.0.1:0",
            "--format",
            "%(name)s %(message)s",
        ])
        .args(["--file", log.to_str().unwrap(), "--max-bytes", "300000"])
        .args(["--backup-count", "50", "--buffer", "65536"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(receiver.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let port = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("tcp="))
        .unwrap()
        .to_owned();
    let children: Vec<_> = (0..PROCESSES)
        .map(|i| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "sender_child", "--test-threads=1", "--quiet"])
                .env(CHILD_ENV, format!("{port} {i}"))
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    // The senders have closed their connections: wait until the receiver
    // has logged all of it, then stop it (SIGTERM flushes the buffer).
    std::thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-TERM", &receiver.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(receiver.wait().unwrap().success());
    assert!(rest.contains("rejected=0"), "{rest}");

    let mut seen = HashSet::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{path:?} ends mid-line"
        );
        for line in text.lines() {
            let ok = line.strip_prefix("many p").and_then(|rest| {
                let mut parts = rest.split(' ');
                let p: usize = parts.next()?.parse().ok()?;
                let t: usize = parts.next()?.strip_prefix('t')?.parse().ok()?;
                let n: usize = parts.next()?.strip_prefix('n')?.parse().ok()?;
                (parts.next().is_none() && p < PROCESSES && t < THREADS && n < RECORDS)
                    .then_some((p, t, n))
            });
            let key = ok.unwrap_or_else(|| panic!("torn or foreign line {line:?} in {path:?}"));
            assert!(seen.insert(key), "duplicate {line:?}");
        }
    }
    assert_eq!(seen.len(), PROCESSES * THREADS * RECORDS, "records lost");
    assert!(files > 3, "expected rollovers, got {files} files");
    let _ = std::fs::remove_dir_all(&dir);
}
