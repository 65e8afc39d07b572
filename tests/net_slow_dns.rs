//! A DNS server that answers late must not hold a logging call past the
//! handler's timeout. The test replaces the system resolver with one that
//! takes 1.5 s for names under `.slow.test`: the first record of each
//! network handler returns within its timeout (the record is counted, or
//! kept by a handler that keeps records), one lookup runs per name, and
//! once it has answered, records are delivered without waiting again
//! (SMTPHandler's to the address the resolver gave).

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sawmill::handler::syslog::{Address, SockType, SyslogOptions};
use sawmill::handler::NetOptions;
use sawmill::Record;

const SLOW: Duration = Duration::from_millis(1500);
const TIMEOUT: Duration = Duration::from_millis(200);

static LOOKUPS: AtomicUsize = AtomicUsize::new(0);

fn slow_resolver(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    if host.ends_with(".slow.test") {
        LOOKUPS.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(SLOW);
        return Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))]);
    }
    Err(io::Error::new(io::ErrorKind::NotFound, "no such name"))
}

fn record(text: &str) -> Record<'static> {
    Record::stamped(
        1700000000.0,
        "dns",
        sawmill::WARNING,
        None,
        1,
        None,
        Cow::Owned(text.to_owned()),
        1,
        "MainThread",
        "MainProcess",
    )
}

/// Runs `f` and checks it returned within the timeout (plus slack for a
/// loaded machine), far below the resolver's 1.5 s.
fn quick<T>(what: &str, f: impl FnOnce() -> T) {
    let t = Instant::now();
    f();
    let took = t.elapsed();
    assert!(
        took < TIMEOUT + Duration::from_millis(600),
        "{what}: {took:?}"
    );
}

/// Waits until the slow lookup of `host` (started by the first record)
/// has answered.
fn after_the_lookup(host: &str) {
    sawmill::net::resolve::resolve(host, 1, Duration::from_secs(10)).unwrap();
}

#[test]
fn first_records_return_within_the_timeout_while_the_dns_is_slow() {
    sawmill::net::resolve::set_resolver_for_tests(Some(slow_resolver));
    std::thread::scope(|s| {
        s.spawn(socket_handler_case);
        s.spawn(datagram_handler_case);
        s.spawn(syslog_handler_case);
        s.spawn(http_handler_case);
        s.spawn(smtp_handler_case);
    });
    // One lookup per name, however many records waited for it.
    assert_eq!(LOOKUPS.load(Ordering::SeqCst), 5);
    // A name that does not resolve fails at once, and the failure is
    // kept a while rather than asked again for every record.
    let err = sawmill::net::resolve::resolve("nowhere.test", 1, TIMEOUT).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
}

fn socket_handler_case() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut options = NetOptions::new("tcp.slow.test", port);
    options.connect_timeout = TIMEOUT;
    options.retry_start = Duration::from_millis(100);
    options.buffer_records = 10;
    let handler = sawmill::handler::socket_handler(options);
    // Kept (buffer_records), not lost: sent with the next record.
    for i in 0..3 {
        quick("socket", || {
            handler.handle(&mut record(&format!("early {i}")))
        });
    }
    after_the_lookup("tcp.slow.test");
    quick("socket after the lookup", || {
        handler.handle(&mut record("late"))
    });
    handler.close().unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let mut bytes = Vec::new();
    conn.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for want in ["early 0", "early 1", "early 2", "late"] {
        assert!(text.contains(want), "{want} not received");
    }
    assert_eq!(handler.dropped_count(), 0);
}

fn datagram_handler_case() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut options = NetOptions::new("udp.slow.test", server.local_addr().unwrap().port());
    options.send_timeout = TIMEOUT;
    let handler = sawmill::handler::datagram_handler(options);
    for _ in 0..3 {
        quick("datagram", || handler.handle(&mut record("early")));
    }
    assert_eq!(handler.error_count(), 3);
    after_the_lookup("udp.slow.test");
    quick("datagram after the lookup", || {
        handler.handle(&mut record("late"))
    });
    let mut buf = [0u8; 4096];
    let n = server.recv(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("late"));
    assert_eq!(handler.error_count(), 3);
}

fn syslog_handler_case() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let options = SyslogOptions {
        address: Address::Inet(
            "syslog.slow.test".into(),
            server.local_addr().unwrap().port(),
        ),
        socktype: SockType::Dgram,
        timeout: TIMEOUT,
        ..SyslogOptions::default()
    };
    let handler = sawmill::handler::syslog_handler(options).unwrap();
    quick("syslog", || handler.handle(&mut record("early")));
    assert_eq!(handler.error_count(), 1);
    after_the_lookup("syslog.slow.test");
    quick("syslog after the lookup", || {
        handler.handle(&mut record("late"))
    });
    let mut buf = [0u8; 4096];
    let n = server.recv(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("late"));
}

fn http_handler_case() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut options =
        sawmill::handler::http::HttpOptions::new(&format!("web.slow.test:{port}"), "/log");
    options.timeout = TIMEOUT;
    let handler = sawmill::handler::http_handler(options).unwrap();
    quick("http", || handler.handle(&mut record("early")));
    assert_eq!(handler.error_count(), 1);
    after_the_lookup("web.slow.test");
    // The server reads the request line and answers; the handler is done
    // once it has the response.
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let n = conn.read(&mut buf).unwrap();
        let request = String::from_utf8_lossy(&buf[..n]).into_owned();
        io::Write::write_all(
            &mut conn,
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        request
    });
    quick("http after the lookup", || {
        handler.handle(&mut record("late"))
    });
    let request = server.join().unwrap();
    assert!(
        request.starts_with("GET /log?name=dns&msg=late&"),
        "{request}"
    );
    assert_eq!(handler.error_count(), 1);
}

fn smtp_handler_case() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut options = sawmill::handler::smtp::SmtpOptions::new(
        "mail.slow.test",
        "log@example.org",
        &["ops@example.org"],
        "dns",
    );
    options.port = port;
    options.timeout = TIMEOUT;
    let handler = sawmill::handler::smtp_handler(options).unwrap();
    quick("smtp", || handler.handle(&mut record("early")));
    assert_eq!(handler.error_count(), 1);
    after_the_lookup("mail.slow.test");
    let server = std::thread::spawn(move || one_mail(&listener));
    quick("smtp after the lookup", || {
        handler.handle(&mut record("late"))
    });
    let mail = server.join().unwrap();
    assert!(mail.contains("late"), "{mail}");
    assert_eq!(handler.error_count(), 1);
}

/// Serves one SMTP session on `listener` (every command accepted) and
/// returns the mail's data.
fn one_mail(listener: &TcpListener) -> String {
    let (conn, _) = listener.accept().unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    conn.write_all(b"220 test ESMTP\r\n").unwrap();
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            return data;
        }
        let command = line.to_ascii_uppercase();
        if command.starts_with("DATA") {
            conn.write_all(b"354 go on\r\n").unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line == ".\r\n" || line.is_empty() {
                    break;
                }
                data.push_str(&line);
            }
            conn.write_all(b"250 queued\r\n").unwrap();
        } else if command.starts_with("QUIT") {
            conn.write_all(b"221 bye\r\n").unwrap();
            return data;
        } else {
            conn.write_all(b"250 ok\r\n").unwrap();
        }
    }
}
