//! `sawmill receive` against CPython: the cookbook's recipe-6 client (TCP
//! and UDP) and a client sending extras, exceptions, stack info, non-ASCII
//! text and wide thread ids, each compared with what CPython's own cookbook
//! receiver prints for the same records.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Running {
    child: Child,
    tcp: u16,
    udp: u16,
}

/// Spawns `cmd` with stdout and stderr piped; returns it and the first
/// line it printed on stdout.
fn spawn_and_read_line(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

/// Starts `sawmill receive` on ephemeral ports with `extra` arguments.
fn sawmill_receive(extra: &[&str]) -> Running {
    let (child, line) = spawn_and_read_line(
        Command::new(env!("CARGO_BIN_EXE_sawmill"))
            .args(["receive", "--tcp", "127.0.0.1:0", "--udp", "127.0.0.1:0"])
            .args(extra),
    );
    let port = |key: &str| -> u16 {
        let at = line
            .find(key)
            .unwrap_or_else(|| panic!("no {key} in {line:?}"))
            + key.len();
        line[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    Running {
        tcp: port("tcp="),
        udp: port("udp="),
        child,
    }
}

/// SIGTERM, then everything it printed: (stdout after the first line, stderr).
fn stop(mut running: Running) -> (String, String) {
    let status = Command::new("kill")
        .args(["-TERM", &running.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut out = String::new();
    let mut err = String::new();
    running
        .child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    running
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = running.child.wait().unwrap();
    assert!(status.success(), "sawmill receive exited {status}: {err}");
    (out, err)
}

fn python(args: &[&str]) {
    let status = Command::new("python3").args(args).status().unwrap();
    assert!(status.success(), "python3 {args:?} failed");
}

/// Runs CPython's cookbook receiver (Python 3 form) with `format`, feeds it
/// with `client` (given the port), and returns what it printed once `lines`
/// lines arrived (or after 15 s).
fn cpython_receiver(format: Option<&str>, client: &dyn Fn(u16), lines: usize) -> String {
    let port = free_port();
    let script = root().join("examples/python/recipe06_receiver.py");
    let mut cmd = Command::new("python3");
    cmd.arg("-u").arg(script).arg(port.to_string());
    if let Some(f) = format {
        cmd.arg(f);
    }
    let (mut child, line) = spawn_and_read_line(&mut cmd);
    assert!(line.contains("About to start"), "{line:?}");
    client(port);
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while count_lines(&got) < lines && Instant::now() < deadline {
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(50)) {
            got.extend(chunk);
        }
    }
    // A short grace period so that nothing beyond `lines` is missed.
    std::thread::sleep(Duration::from_millis(200));
    while let Ok(chunk) = rx.try_recv() {
        got.extend(chunk);
    }
    let _ = child.kill();
    let _ = child.wait();
    String::from_utf8_lossy(&got).into_owned()
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// relativeCreated masked, as the cookbook's sample output differs in it.
fn mask(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let trimmed = l.trim_start();
            match trimmed.find(' ') {
                Some(i) if trimmed[..i].chars().all(|c| c.is_ascii_digit()) && i > 0 => {
                    format!("<REL>{}", &trimmed[i..])
                }
                _ => l.to_owned(),
            }
        })
        .collect()
}

const COOKBOOK_LINES: [&str; 5] = [
    "<REL> root            INFO     Jackdaws love my big sphinx of quartz.",
    "<REL> myapp.area1     DEBUG    Quick zephyrs blow, vexing daft Jim.",
    "<REL> myapp.area1     INFO     How quickly daft jumping zebras vex.",
    "<REL> myapp.area2     WARNING  Jail zesty vixen who grabbed pay from quack.",
    "<REL> myapp.area2     ERROR    The five boxing wizards jump quickly.",
];

#[test]
fn cookbook_client_over_tcp_and_udp_prints_the_five_lines() {
    let client = root().join("examples/python/recipe06_client.py");
    let client = client.to_str().unwrap();
    let oracle = cpython_receiver(None, &|port| python(&[client, &port.to_string()]), 5);
    assert_eq!(mask(&oracle), COOKBOOK_LINES, "CPython's own receiver");

    let running = sawmill_receive(&[]);
    python(&[client, &running.tcp.to_string()]);
    let (_, tcp_err) = stop(running);
    assert_eq!(mask(&tcp_err), COOKBOOK_LINES);

    let running = sawmill_receive(&[]);
    python(&[client, &running.udp.to_string(), "udp"]);
    std::thread::sleep(Duration::from_millis(200));
    let (out, udp_err) = stop(running);
    assert_eq!(mask(&udp_err), COOKBOOK_LINES);
    assert!(out.contains("received=5 rejected=0"), "{out}");
}

/// A client whose records carry every kind of content worth checking.
const RICH_CLIENT: &str = r#"
import logging, logging.handlers, sys
port = int(sys.argv[1])
h = logging.handlers.DatagramHandler('localhost', port) if sys.argv[2] == 'udp' \
    else logging.handlers.SocketHandler('localhost', port)
class Wide(logging.Filter):
    def filter(self, record):
        record.thread = 2**40 + 5
        record.user = 'ø-ünï ✓'
        record.count = 7
        record.ratio = 0.1
        record.flag = True
        record.nothing = None
        return True
h.addFilter(Wide())
log = logging.getLogger('ünï.cøde')
log.setLevel(logging.DEBUG)
log.addHandler(h)
log.info('héllo ✓ 日本 %s %d', 'args', 42)
try:
    1 / 0
except ZeroDivisionError:
    log.exception('failed: %r', {'k': [1, 2]})
log.warning('with a stack', stack_info=True)
log.error('multi\nline')
"#;

const RICH_FORMAT: &str =
    "%(name)s|%(levelname)s|%(levelno)d|%(message)s|%(thread)d|%(threadName)s|\
%(process)d|%(processName)s|%(user)s|%(count)d|%(ratio)s|%(flag)s|%(nothing)s|%(funcName)s|\
%(lineno)d|%(pathname)s|%(filename)s|%(module)s|%(created)f|%(msecs)d";

#[test]
fn extras_exceptions_stacks_non_ascii_and_wide_thread_ids_arrive_intact() {
    let dir = std::env::temp_dir().join(format!("sawmill-net-rich-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = dir.join("rich_client.py");
    std::fs::write(&client, RICH_CLIENT).unwrap();
    let client = client.to_str().unwrap().to_owned();
    let oracle = cpython_receiver(
        Some(RICH_FORMAT),
        &|port| python(&[&client, &port.to_string(), "tcp"]),
        13,
    );
    assert!(oracle.contains("1099511627781"), "{oracle}");
    assert!(oracle.contains("ZeroDivisionError"), "{oracle}");
    assert!(oracle.contains("Stack (most recent call last)"), "{oracle}");
    for transport in ["tcp", "udp"] {
        let running = sawmill_receive(&["--format", RICH_FORMAT]);
        let port = if transport == "tcp" {
            running.tcp
        } else {
            running.udp
        };
        python(&[&client, &port.to_string(), transport]);
        std::thread::sleep(Duration::from_millis(200));
        let (_, err) = stop(running);
        assert_eq!(mask_run(&err), mask_run(&oracle), "over {transport}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The fields that differ from one client run to the next (process id,
/// created, msecs) masked in RICH_FORMAT's lines.
fn mask_run(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split('|').collect();
            // Counted from the end: a message with a newline splits a line.
            let n = fields.len();
            if n >= 17 {
                for i in [n - 14, n - 2, n - 1] {
                    fields[i] = "<RUN>";
                }
            }
            fields.join("|")
        })
        .collect()
}

#[test]
fn lone_surrogates_and_bad_utf8_are_repaired_not_dropped() {
    // CPython's own receiver cannot print a lone surrogate (its stream
    // handler fails), so this one is checked against U+FFFD directly.
    let running = sawmill_receive(&["--format", "%(name)s:%(message)s"]);
    let script = r#"
import logging, logging.handlers, sys
h = logging.handlers.SocketHandler('localhost', int(sys.argv[1]))
log = logging.getLogger('s')
log.addHandler(h)
log.error('a\udce9b')
log.error('ok')
"#;
    python(&["-c", script, &running.tcp.to_string()]);
    std::thread::sleep(Duration::from_millis(200));
    let (out, err) = stop(running);
    assert_eq!(err, "s:a\u{fffd}\u{fffd}\u{fffd}b\ns:ok\n");
    assert!(out.contains("received=2 rejected=0"), "{out}");
}

#[test]
fn receive_with_a_config_file_writes_where_the_configuration_says() {
    let dir = std::env::temp_dir().join(format!("sawmill-net-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("received.log");
    let json = format!(
        r#"{{"version": 1,
            "formatters": {{"f": {{"format": "%(name)s/%(levelname)s/%(message)s"}}}},
            "handlers": {{"file": {{"class": "logging.FileHandler", "filename": {:?},
                                   "formatter": "f"}}}},
            "root": {{"handlers": ["file"]}}}}"#,
        log.to_str().unwrap()
    );
    let ini = format!(
        "[loggers]\nkeys=root\n[handlers]\nkeys=file\n[formatters]\nkeys=f\n\
         [logger_root]\nlevel=NOTSET\nhandlers=file\n\
         [handler_file]\nclass=FileHandler\nformatter=f\nargs=({:?},)\n\
         [formatter_f]\nformat=%(name)s/%(levelname)s/%(message)s\n",
        log.to_str().unwrap()
    );
    // A .json file is read as dictConfig, anything else as fileConfig INI.
    for (name, text) in [("config.json", json), ("config.ini", ini)] {
        let _ = std::fs::remove_file(&log);
        let config = dir.join(name);
        std::fs::write(&config, text).unwrap();
        let running = sawmill_receive(&["--config", config.to_str().unwrap()]);
        let client = root().join("examples/python/recipe06_client.py");
        python(&[client.to_str().unwrap(), &running.tcp.to_string()]);
        std::thread::sleep(Duration::from_millis(200));
        let (_, err) = stop(running);
        assert_eq!(err, "", "{name}");
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "root/INFO/Jackdaws love my big sphinx of quartz.\n\
             myapp.area1/DEBUG/Quick zephyrs blow, vexing daft Jim.\n\
             myapp.area1/INFO/How quickly daft jumping zebras vex.\n\
             myapp.area2/WARNING/Jail zesty vixen who grabbed pay from quack.\n\
             myapp.area2/ERROR/The five boxing wizards jump quickly.\n",
            "{name}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends records `range` ("n=<i>") to `port` with sawmill's SocketHandler.
fn send_numbered(port: u16, range: std::ops::Range<u32>) {
    let handler =
        sawmill::handler::socket_handler(sawmill::handler::NetOptions::new("127.0.0.1", port));
    for i in range {
        let mut record = sawmill::Record::stamped(
            1700000000.0,
            "rotated",
            sawmill::INFO,
            None,
            1,
            None,
            std::borrow::Cow::Owned(format!("n={i}")),
            1,
            "MainThread",
            "MainProcess",
        );
        handler.handle(&mut record);
    }
    handler.close().unwrap();
    assert_eq!(handler.error_count(), 0);
}

/// The numbers of the "n=<i>" lines of `path`, sorted.
fn numbers_in(path: &std::path::Path) -> Vec<u32> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut n: Vec<u32> = text
        .lines()
        .map(|l| l.strip_prefix("n=").unwrap().parse().unwrap())
        .collect();
    n.sort_unstable();
    n
}

fn wait_for_lines(path: &std::path::Path, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while numbers_in(path).len() < count {
        assert!(Instant::now() < deadline, "{} lines in {path:?}", count);
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// logrotate's way: rename the file away, SIGHUP, go on logging. Records
/// written before the rename stay in the renamed file, records after the
/// receiver's 'reopening files' go to a fresh file; none is lost or written
/// twice — also with a write buffer, whose records are written to the old
/// file before the new one is opened.
#[test]
fn sighup_after_a_rename_reopens_the_file_without_losing_records() {
    let dir = std::env::temp_dir().join(format!("sawmill-net-hup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for buffered in [false, true] {
        let (log, rotated) = (dir.join("r.log"), dir.join("r.log.1"));
        let _ = std::fs::remove_file(&log);
        let _ = std::fs::remove_file(&rotated);
        let mut args = vec!["--format", "%(message)s", "--file", log.to_str().unwrap()];
        if buffered {
            args.extend(["--buffer", "1048576"]);
        }
        let mut running = sawmill_receive(&args);
        send_numbered(running.tcp, 0..1000);
        if !buffered {
            wait_for_lines(&log, 1000);
        }
        std::fs::rename(&log, &rotated).unwrap();
        let pid = running.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success());
        let mut line = String::new();
        BufReader::new(running.child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line, "reopening files\n");
        send_numbered(running.tcp, 1000..2000);
        std::thread::sleep(Duration::from_millis(300));
        let (_, err) = stop(running);
        assert_eq!(err, "");
        let (old, new) = (numbers_in(&rotated), numbers_in(&log));
        let mut all = [old.clone(), new.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, (0..2000).collect::<Vec<_>>(), "buffered: {buffered}");
        // Every record sent after 'reopening files' is in the fresh file.
        assert!(
            new.ends_with(&(1000..2000).collect::<Vec<_>>()),
            "{buffered}"
        );
        if !buffered {
            assert_eq!(old, (0..1000).collect::<Vec<_>>());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
