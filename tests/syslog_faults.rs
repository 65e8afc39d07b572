//! SysLogHandler under bad conditions: the logging call returns within the
//! timeout, failures are counted, and delivery resumes when the daemon is back.

use std::borrow::Cow;
use std::io::Read;
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::UnixDatagram;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sawmill::handler::syslog::{Address, SockType, SyslogOptions};
use sawmill::{Handler, Record};

const TIMEOUT: Duration = Duration::from_millis(200);
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(300);

fn handler(address: Address, socktype: SockType) -> Arc<Handler> {
    sawmill::handler::syslog_handler(SyslogOptions {
        address,
        socktype,
        timeout: TIMEOUT,
        ..SyslogOptions::default()
    })
    .unwrap()
}

/// Logs one record and checks the call's duration.
fn log(h: &Handler, msg: &str) {
    let mut record = Record::new("faults", 20, None, 0, None, Cow::Borrowed(msg));
    let start = Instant::now();
    h.handle(&mut record);
    let took = start.elapsed();
    assert!(took < TIMEOUT + SLACK, "a logging call took {took:?}");
}

fn temp_path(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sawmill-faults-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("sock")
}

fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn daemon_absent_over_tcp() {
    let port = free_tcp_port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Stream);
    for i in 0..20 {
        log(&h, &format!("r{i}"));
    }
    assert_eq!(h.error_count(), 20);
}

#[test]
fn socket_path_missing() {
    let h = handler(
        Address::Unix("/nonexistent/sawmill/dev-log".into()),
        SockType::Default,
    );
    for i in 0..20 {
        log(&h, &format!("r{i}"));
    }
    assert_eq!(h.error_count(), 20);
}

/// Receives framed records (octet counting) from a TCP connection.
fn read_frames(stream: &mut std::net::TcpStream, want: usize) -> Vec<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut data = Vec::new();
    let mut frames = Vec::new();
    let mut buf = [0u8; 4096];
    while frames.len() < want {
        let n = stream.read(&mut buf).expect("read");
        assert!(n > 0, "peer closed after {} frames", frames.len());
        data.extend_from_slice(&buf[..n]);
        while let Some(sp) = data.iter().position(|b| *b == b' ') {
            let len: usize = std::str::from_utf8(&data[..sp]).unwrap().parse().unwrap();
            if data.len() < sp + 1 + len {
                break;
            }
            frames.push(String::from_utf8(data[sp + 1..sp + 1 + len].to_vec()).unwrap());
            data.drain(..sp + 1 + len);
        }
    }
    frames
}

#[test]
fn tcp_daemon_stopped_and_restarted() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Stream);
    log(&h, "before");
    let (mut conn, _) = listener.accept().unwrap();
    assert_eq!(read_frames(&mut conn, 1), ["<14>before\0"]);
    // Stop the daemon.
    drop(conn);
    drop(listener);
    let mut failed_at = None;
    for i in 0..50 {
        log(&h, &format!("outage {i}"));
        if h.error_count() > 0 && failed_at.is_none() {
            failed_at = Some(i);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(failed_at.is_some(), "no error while the daemon was gone");
    let errors = h.error_count();
    // Restart it on the same port; delivery resumes after the backoff.
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    listener.set_nonblocking(true).unwrap();
    let mut conn = loop {
        log(&h, "after");
        if let Ok((c, _)) = listener.accept() {
            break c;
        }
        assert!(Instant::now() < deadline, "never reconnected");
        std::thread::sleep(Duration::from_millis(20));
    };
    conn.set_nonblocking(false).unwrap();
    let before = h.error_count();
    log(&h, "resumed");
    let frames = read_frames(&mut conn, 2);
    assert_eq!(frames.last().unwrap(), "<14>resumed\0");
    assert_eq!(h.error_count(), before, "errors after reconnecting");
    assert!(errors >= 1);
}

#[test]
fn unix_daemon_restarted() {
    let path = temp_path("restart");
    let _ = std::fs::remove_file(&path);
    let receiver = UnixDatagram::bind(&path).unwrap();
    let h = handler(Address::Unix(path.clone()), SockType::Default);
    log(&h, "one");
    let mut buf = [0u8; 256];
    let n = receiver.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"<14>one\0");
    drop(receiver);
    std::fs::remove_file(&path).unwrap();
    log(&h, "lost");
    assert!(h.error_count() >= 1);
    let receiver = UnixDatagram::bind(&path).unwrap();
    receiver
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // Past the backoff, the next record reconnects to the new socket.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        log(&h, "two");
        receiver.set_nonblocking(true).unwrap();
        if let Ok(n) = receiver.recv(&mut buf) {
            assert_eq!(&buf[..n], b"<14>two\0");
            break;
        }
        assert!(Instant::now() < deadline, "delivery did not resume");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn peer_that_never_reads() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Stream);
    let big = "x".repeat(256 * 1024);
    let start = Instant::now();
    // The kernel buffers a few MiB at most: 64 records of 256 KiB fill it.
    for _ in 0..64 {
        log(&h, &big);
    }
    let _conn = listener.accept().unwrap();
    assert!(
        h.error_count() >= 1,
        "no error from a peer that never reads"
    );
    // Later calls fail fast (backoff) or time out, never longer.
    for _ in 0..10 {
        log(&h, &big);
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn sixty_four_kib_over_udp() {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    receiver
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let port = receiver.local_addr().unwrap().port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Default);
    log(&h, &"é".repeat(32 * 1024));
    assert_eq!(h.error_count(), 1, "the cut is counted");
    let mut buf = vec![0u8; 1 << 17];
    let n = receiver.recv(&mut buf).unwrap();
    assert!(n <= 65507 && n > 65000, "datagram of {n} bytes");
    assert_eq!(buf[n - 1], 0, "the NUL stays");
    assert!(
        std::str::from_utf8(&buf[..n - 1]).is_ok(),
        "cut inside a character"
    );
    log(&h, "small");
    let n = receiver.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"<14>small\0");
    assert_eq!(h.error_count(), 1);
}

fn buffered(h: &Handler) {
    h.set_buffering(sawmill::handler::Buffering {
        capacity: 16 * 1024,
        flush_level: 40,
        flush_interval: Duration::ZERO,
    })
    .unwrap();
}

#[test]
fn batched_udp_delivers_every_record_in_order() {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    receiver
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let port = receiver.local_addr().unwrap().port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Dgram);
    buffered(&h);
    // (100 small datagrams fit the receiver's default socket buffer.)
    let mut buf = vec![0u8; 70000];
    // Below ERROR, records wait in the batch; an ERROR record sends it.
    for i in 0..100 {
        log(&h, &format!("r{i}"));
    }
    receiver.set_nonblocking(true).unwrap();
    let early = (0..100).filter(|_| receiver.recv(&mut buf).is_ok()).count();
    assert!(early < 100, "nothing was batched");
    receiver.set_nonblocking(false).unwrap();
    let mut record = Record::new("faults", 40, None, 0, None, Cow::Borrowed("error"));
    h.handle(&mut record);
    for i in early..101 {
        let n = receiver.recv(&mut buf).unwrap();
        let want = if i == 100 {
            "<11>error\0".to_owned()
        } else {
            format!("<14>r{i}\0")
        };
        assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), want);
    }
    assert_eq!(h.error_count(), 0);
}

#[test]
fn batched_tcp_delivers_and_counts_what_it_loses() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = handler(Address::Inet("127.0.0.1".into(), port), SockType::Stream);
    buffered(&h);
    for i in 0..500 {
        log(&h, &format!("r{i}"));
    }
    h.flush().unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let frames = read_frames(&mut conn, 500);
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(f, &format!("<14>r{i}\0"));
    }
    // The daemon goes away with records in the batch: they are counted.
    drop(conn);
    drop(listener);
    let mut lost = 0;
    for i in 0..2000 {
        log(&h, &format!("lost {i}"));
        lost += 1;
    }
    let _ = h.flush();
    assert!(h.error_count() >= 1);
    let dropped = h.dropped_count();
    let errors = h.error_count();
    // Every record that never reached the kernel is either an error of its
    // own (refused during the outage) or counted as dropped with its batch.
    assert!(
        dropped > 0 || errors as usize >= lost / 2,
        "dropped {dropped}, errors {errors}"
    );
}

#[test]
fn batched_unix_datagrams_to_a_daemon_that_never_reads() {
    let path = temp_path("stuck");
    let _ = std::fs::remove_file(&path);
    let _receiver = UnixDatagram::bind(&path).unwrap();
    let h = handler(Address::Unix(path.clone()), SockType::Dgram);
    buffered(&h);
    // The receiver's queue fills; each call (and each batch it sends) still
    // returns within the timeout, and what could not be sent is counted.
    let start = Instant::now();
    for i in 0..1500 {
        log(&h, &format!("record {i} {}", "x".repeat(100)));
    }
    let flush_start = Instant::now();
    let _ = h.flush();
    assert!(flush_start.elapsed() < TIMEOUT + SLACK);
    assert!(h.error_count() >= 1, "a stuck daemon went unnoticed");
    assert!(
        h.dropped_count() >= 1,
        "records lost in batches were not counted"
    );
    assert!(start.elapsed() < Duration::from_secs(60));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn write_through_to_a_stuck_unix_daemon_backs_off() {
    let path = temp_path("stuck-wt");
    let _ = std::fs::remove_file(&path);
    let _receiver = UnixDatagram::bind(&path).unwrap();
    let h = handler(Address::Unix(path.clone()), SockType::Dgram);
    let start = Instant::now();
    for i in 0..2000 {
        log(&h, &format!("record {i} {}", "x".repeat(100)));
    }
    // Without the backoff each record after the queue filled would wait
    // the whole timeout (hundreds of seconds here).
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(h.error_count() >= 1);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn rfc3164_datagrams_are_cut_to_1024_bytes() {
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    receiver
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let port = receiver.local_addr().unwrap().port();
    let h = sawmill::handler::syslog_handler(SyslogOptions {
        address: Address::Inet("127.0.0.1".into(), port),
        protocol: sawmill::handler::syslog_format::Protocol::Rfc3164,
        timeout: TIMEOUT,
        ..SyslogOptions::default()
    })
    .unwrap();
    log(&h, &"ü".repeat(1500));
    let mut buf = vec![0u8; 4096];
    let n = receiver.recv(&mut buf).unwrap();
    assert!(n <= 1024 && n > 1000, "{n} bytes");
    assert!(std::str::from_utf8(&buf[..n]).is_ok());
    assert_eq!(h.error_count(), 1, "the cut is counted");
}

/// A TCP handler that keeps up to `bound` bytes of records during an outage.
fn keeping(port: u16, bound: usize) -> Arc<Handler> {
    sawmill::handler::syslog_handler(SyslogOptions {
        address: Address::Inet("127.0.0.1".into(), port),
        socktype: SockType::Stream,
        timeout: TIMEOUT,
        outage_buffer: bound,
        ..SyslogOptions::default()
    })
    .unwrap()
}

/// Stops the daemon, logs `n` records, restarts it on the same port and
/// flushes until it has a connection; returns every frame then received.
fn outage_then_restart(h: &Handler, listener: TcpListener, n: usize) -> Vec<String> {
    let port = listener.local_addr().unwrap().port();
    log(h, "before");
    let (mut conn, _) = listener.accept().unwrap();
    assert_eq!(read_frames(&mut conn, 1), ["<14>before\0"]);
    drop(conn);
    drop(listener);
    std::thread::sleep(Duration::from_millis(20));
    for i in 0..n {
        log(h, &format!("outage {i}"));
    }
    assert_eq!(h.error_count(), 0, "kept records are not errors");
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut conn = loop {
        let _ = h.flush();
        if let Ok((c, _)) = listener.accept() {
            break c;
        }
        assert!(Instant::now() < deadline, "never reconnected");
        std::thread::sleep(Duration::from_millis(20));
    };
    conn.set_nonblocking(false).unwrap();
    // Flushes that found no daemon failed (and were counted); whatever the
    // first successful one could not finish, the next ones send.
    for _ in 0..5 {
        h.flush().unwrap();
    }
    let mut frames = Vec::new();
    conn.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(k) = conn.read(&mut buf) {
        if k == 0 {
            break;
        }
        data.extend_from_slice(&buf[..k]);
    }
    while let Some(sp) = data.iter().position(|b| *b == b' ') {
        let len: usize = std::str::from_utf8(&data[..sp]).unwrap().parse().unwrap();
        frames.push(String::from_utf8(data[sp + 1..sp + 1 + len].to_vec()).unwrap());
        data.drain(..sp + 1 + len);
    }
    assert!(data.is_empty(), "a cut frame: {data:?}");
    frames
}

#[test]
fn outage_buffer_sends_kept_records_in_order_exactly_once() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let h = keeping(listener.local_addr().unwrap().port(), 64 * 1024);
    let n = 200;
    let frames = outage_then_restart(&h, listener, n);
    let want: Vec<String> = (0..n).map(|i| format!("<14>outage {i}\0")).collect();
    assert_eq!(frames, want);
    assert_eq!(h.dropped_count(), 0);
}

#[test]
fn outage_buffer_drops_the_oldest_beyond_its_bound() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    // Room for about 20 of the 15-byte records.
    let h = keeping(listener.local_addr().unwrap().port(), 300);
    let n = 200;
    let frames = outage_then_restart(&h, listener, n);
    let written = frames.len();
    let dropped = h.dropped_count() as usize;
    assert_eq!(written + dropped, n, "written {written}, dropped {dropped}");
    assert!(written > 0 && written <= 300 / 14, "written {written}");
    // The newest are kept, in order; the dropped are never written later.
    let want: Vec<String> = (n - written..n)
        .map(|i| format!("<14>outage {i}\0"))
        .collect();
    assert_eq!(frames, want);
}
