//! The config server: CPython's framing from the cookbook's sender script,
//! verify dropping a message, a 4 GiB length prefix refused without
//! allocating, a silent client that does not hold up the next, 200
//! reconfigurations (JSON and INI in turn) while two threads log — every
//! record once, whole, in the configuration current when it was logged —
//! and a fork while listening. The server is process-wide, so the tests
//! take turns.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sawmill::config::listener::{self, ListenOptions};

/// Records the largest single allocation, to show the 4 GiB prefix is
/// refused before any buffer is made for it.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only records sizes.
unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as allocated above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sawmill-listen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn emit(name: &str, level: i32, msg: &str) {
    sawmill::get_logger(name).log(level, None, 0, None, msg);
}

fn send(port: u16, body: &[u8]) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(&(body.len() as u32).to_be_bytes())
        .expect("prefix");
    s.write_all(body).expect("body");
}

/// Waits until `f` holds (at most 10 s).
fn wait_for(what: &str, f: impl Fn() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn file_config_json(path: &Path, format: &str) -> String {
    serde_json::json!({
        "version": 1,
        "formatters": {"f": {"format": format}},
        "handlers": {"file": {"class": "logging.FileHandler", "filename": path, "formatter": "f"}},
        "root": {"level": "DEBUG", "handlers": ["file"]},
    })
    .to_string()
}

fn file_config_ini(path: &Path, format: &str) -> String {
    format!(
        "[loggers]\nkeys=root\n[handlers]\nkeys=file\n[formatters]\nkeys=f\n\
         [logger_root]\nlevel=DEBUG\nhandlers=file\n\
         [handler_file]\nclass=FileHandler\nformatter=f\nargs=('{}', 'a')\n\
         [formatter_f]\nformat={format}\n",
        path.display()
    )
}

#[test]
fn cookbook_sender_reconfigures() {
    let _turn = turn();
    let dir = temp_dir("sender");
    let port = listener::listen(ListenOptions::default()).expect("listen");
    let log = dir.join("out.log");
    let conf = dir.join("logging.conf");
    std::fs::write(
        &conf,
        file_config_ini(&log, "INI %(levelname)s %(message)s"),
    )
    .expect("conf");
    let before = listener::stats().applied;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/python/recipe05_send.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&conf)
        .arg(port.to_string())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "connecting...\nsending config...\ncomplete\n"
    );
    wait_for("applied", || listener::stats().applied > before);
    emit("", sawmill::WARNING, "hello");
    emit("", sawmill::DEBUG, "debug too");
    // JSON works the same way.
    let before = listener::stats().applied;
    send(port, file_config_json(&log, "JSON %(message)s").as_bytes());
    wait_for("applied", || listener::stats().applied > before);
    emit("", sawmill::INFO, "again");
    listener::stop_listening().expect("stop");
    assert_eq!(
        std::fs::read_to_string(&log).expect("log"),
        "INI WARNING hello\nINI DEBUG debug too\nJSON again\n"
    );
    // Stopped: nobody listens on the port any more.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_drops_and_limits_hold() {
    let _turn = turn();
    let dir = temp_dir("verify");
    let log = dir.join("v.log");
    let options = ListenOptions {
        timeout: Duration::from_millis(500),
        verify: Some(Arc::new(|body: &[u8]| {
            !body.windows(4).any(|w| w == b"EVIL")
        })),
        ..ListenOptions::default()
    };
    let port = listener::listen(options).expect("listen");
    assert!(
        listener::listen(ListenOptions::default()).is_err(),
        "one server at a time"
    );
    let s0 = listener::stats();
    // Dropped by verify: nothing changes.
    send(port, file_config_json(&log, "EVIL %(message)s").as_bytes());
    wait_for("dropped", || listener::stats().dropped > s0.dropped);
    // A 4 GiB - 1 length: refused before any buffer is made for it.
    LARGEST.store(0, Ordering::Relaxed);
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(&u32::MAX.to_be_bytes()).expect("prefix");
        s.write_all(b"{}").expect("some");
    }
    wait_for("refused", || listener::stats().failed > s0.failed);
    assert!(
        LARGEST.load(Ordering::Relaxed) < 16 << 20,
        "largest allocation {}",
        LARGEST.load(Ordering::Relaxed)
    );
    // A silent client holds a connection; the next message still applies
    // at once, and the silent one times out.
    let silent = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    (&silent).write_all(&[0, 0]).expect("half a prefix");
    let s1 = listener::stats();
    let start = Instant::now();
    send(port, file_config_json(&log, "OK %(message)s").as_bytes());
    wait_for("applied", || listener::stats().applied > s1.applied);
    assert!(
        start.elapsed() < Duration::from_millis(400),
        "{:?}",
        start.elapsed()
    );
    wait_for("timed out", || listener::stats().failed > s1.failed);
    drop(silent);
    // A configuration that fails keeps the running one.
    let s2 = listener::stats();
    send(
        port,
        b"{\"version\": 1, \"handlers\": {\"h\": {\"class\": \"logging.Nope\"}}}",
    );
    send(port, b"[loggers]\nkeys=root\n");
    send(port, &[0xff, 0xfe]);
    wait_for("failed", || listener::stats().failed >= s2.failed + 3);
    emit("v", sawmill::ERROR, "kept");
    listener::stop_listening().expect("stop");
    listener::stop_listening().expect("stopping twice is fine");
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "OK kept\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reconfigure_200_times_while_two_threads_log() {
    let _turn = turn();
    let dir = temp_dir("storm");
    let log = dir.join("all.log");
    let port = listener::listen(ListenOptions::default()).expect("listen");
    let base = listener::stats().applied;
    let applied = move || listener::stats().applied - base;
    send(port, file_config_json(&log, "%(message)s|0").as_bytes());
    wait_for("first", || applied() >= 1);
    // Config k is applied as the (k+1)-th; its records end in |k.
    let stop = Arc::new(AtomicBool::new(false));
    let counts: Arc<[AtomicU64; 2]> = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
    let workers: Vec<_> = (0..2)
        .map(|t| {
            let (stop, counts) = (stop.clone(), counts.clone());
            std::thread::spawn(move || {
                let root = sawmill::get_logger("");
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let a = applied() - 1;
                    root.log(sawmill::INFO, None, 0, None, &format!("t{t} n{n} a{a}"));
                    let b = applied() - 1;
                    // b is only known after the call: it goes in a second record.
                    root.log(sawmill::INFO, None, 0, None, &format!("t{t} n{n} b{b}"));
                    n += 1;
                }
                counts[t].store(n, Ordering::Relaxed);
            })
        })
        .collect();
    for k in 1..=200u64 {
        let body = if k % 2 == 0 {
            file_config_json(&log, &format!("%(message)s|{k}"))
        } else {
            file_config_ini(&log, &format!("%(message)s|{k}"))
        };
        send(port, body.as_bytes());
        wait_for("applied", || applied() > k);
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
    listener::stop_listening().expect("stop");
    let text = std::fs::read_to_string(&log).expect("log");
    let mut seen = [Vec::new(), Vec::new()];
    let mut pending: [Option<(u64, u64, u64)>; 2] = [None, None];
    for line in text.lines() {
        let (msg, k) = line
            .rsplit_once('|')
            .unwrap_or_else(|| panic!("torn: {line:?}"));
        let k: u64 = k.parse().unwrap_or_else(|_| panic!("torn: {line:?}"));
        let parts: Vec<&str> = msg.split(' ').collect();
        assert_eq!(parts.len(), 3, "torn: {line:?}");
        let t: usize = parts[0][1..].parse().expect("t");
        let n: u64 = parts[1][1..].parse().expect("n");
        let v: u64 = parts[2][1..].parse().expect("a/b");
        if parts[2].starts_with('a') {
            assert!(pending[t].is_none(), "{line}");
            pending[t] = Some((n, v, k));
        } else {
            let (pn, a, ka) = pending[t].take().unwrap_or_else(|| panic!("{line}"));
            assert_eq!(pn, n);
            // The first record was logged between reading a and b.
            assert!(
                a <= ka && ka <= v + 1,
                "t{t} n{n}: a={a} b={v} landed in {ka}"
            );
            seen[t].push(n);
        }
    }
    for t in 0..2 {
        let total = counts[t].load(Ordering::Relaxed);
        assert!(total > 0);
        assert_eq!(
            seen[t],
            (0..total).collect::<Vec<_>>(),
            "thread {t} lost records"
        );
    }
    eprintln!(
        "200 reconfigurations; records per thread {:?}",
        [
            counts[0].load(Ordering::Relaxed),
            counts[1].load(Ordering::Relaxed)
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fork_while_listening() {
    let _turn = turn();
    let dir = temp_dir("fork");
    let log = dir.join("f.log");
    let port = listener::listen(ListenOptions::default()).expect("listen");
    // SAFETY: the child only logs, stops the inherited server and _exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let ok = listener::stop_listening().is_ok();
        emit("child", sawmill::ERROR, "from the child");
        let again = listener::listen(ListenOptions::default()).is_ok();
        let _ = listener::stop_listening();
        // SAFETY: leaving the child without running the parent's atexit work.
        unsafe { libc::_exit(if ok && again { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waiting for our own child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{status}"
    );
    let before = listener::stats().applied;
    send(
        port,
        file_config_json(&log, "after fork %(message)s").as_bytes(),
    );
    wait_for("applied", || listener::stats().applied > before);
    emit("p", sawmill::ERROR, "parent");
    listener::stop_listening().expect("stop");
    assert_eq!(
        std::fs::read_to_string(&log).expect("log"),
        "after fork parent\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wildcard_addresses_listen_and_stop() {
    let _turn = turn();
    for host in ["0.0.0.0", "::"] {
        let options = ListenOptions {
            host: host.into(),
            ..ListenOptions::default()
        };
        let Ok(port) = listener::listen(options) else {
            assert_eq!(host, "::", "IPv4 wildcard must bind");
            continue; // no IPv6 here
        };
        let before = listener::stats().applied;
        send(port, b"{\"version\": 1, \"incremental\": true}");
        wait_for("applied", || listener::stats().applied > before);
        let start = Instant::now();
        listener::stop_listening().expect("stop");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{host}: stop took {:?}",
            start.elapsed()
        );
    }
}
