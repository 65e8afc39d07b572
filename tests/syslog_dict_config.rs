//! dictConfig for `logging.handlers.SysLogHandler` and
//! `sawmill.JournalHandler`. A config with Python's keys only (address as
//! [host, port] or a path, facility, socktype incl. ext://socket.SOCK_STREAM)
//! is applied by CPython's dictConfig and by sawmill's, and the bytes each
//! sends are compared; sawmill's keys produce RFC 5424 as configured; bad
//! keys are refused with the key named.

use std::io::Read;
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::UnixDatagram;
use std::process::Command;
use std::time::Duration;

use sawmill::config::dict_config_json;

/// CPython applies `config` and logs `msg` at WARNING on logger `app`.
fn cpython(config: &str, msg: &str) {
    let script = format!(
        "import json, logging, logging.config\n\
         logging.config.dictConfig(json.loads({config:?}))\n\
         logging.getLogger('app').warning({msg:?})\n\
         logging.shutdown()\n"
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sawmill_logs(config: &str, msg: &str) {
    dict_config_json(config).unwrap();
    sawmill::get_logger("app").log(30, None, 0, None, msg);
    sawmill::shutdown();
}

fn config(handler: &str) -> String {
    format!(
        r#"{{"version": 1, "disable_existing_loggers": false,
            "formatters": {{"f": {{"format": "%(name)s %(levelname)s: %(message)s"}}}},
            "handlers": {{"s": {handler}}},
            "loggers": {{"app": {{"handlers": ["s"], "level": "DEBUG", "propagate": false}}}}}}"#
    )
}

#[test]
fn python_keys_match_cpython_over_udp_tcp_and_unix() {
    // UDP: address [host, port], facility by name.
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let port = udp.local_addr().unwrap().port();
    let c = config(&format!(
        r#"{{"class": "logging.handlers.SysLogHandler", "formatter": "f",
            "address": ["127.0.0.1", {port}], "facility": "local2"}}"#
    ));
    let mut buf = [0u8; 2048];
    cpython(&c, "héllo udp");
    let n = udp.recv(&mut buf).unwrap();
    let want = buf[..n].to_vec();
    sawmill_logs(&c, "héllo udp");
    let n = udp.recv(&mut buf).unwrap();
    assert_eq!(buf[..n], want[..]);
    assert_eq!(want, "<148>app WARNING: héllo udp\0".as_bytes());

    // TCP: socktype ext://socket.SOCK_STREAM. CPython writes no framing;
    // sawmill frames with octet counting by default (RFC 6587).
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    let c = config(&format!(
        r#"{{"class": "logging.handlers.SysLogHandler", "formatter": "f",
            "address": ["127.0.0.1", {port}], "facility": 3,
            "socktype": "ext://socket.SOCK_STREAM"}}"#
    ));
    let read_all = |tcp: &TcpListener| {
        let (mut conn, _) = tcp.accept().unwrap();
        let mut got = Vec::new();
        conn.read_to_end(&mut got).unwrap();
        got
    };
    let py = std::thread::scope(|s| {
        let reader = s.spawn(|| read_all(&tcp));
        cpython(&c, "over tcp");
        reader.join().unwrap()
    });
    let ours = std::thread::scope(|s| {
        let reader = s.spawn(|| read_all(&tcp));
        sawmill_logs(&c, "over tcp");
        reader.join().unwrap()
    });
    assert_eq!(py, b"<28>app WARNING: over tcp\0");
    assert_eq!(ours, [format!("{} ", py.len()).as_bytes(), &py].concat());

    // Unix datagram: address as a path.
    let dir = std::env::temp_dir().join(format!("sawmill-dict-syslog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log");
    let _ = std::fs::remove_file(&path);
    let unix = UnixDatagram::bind(&path).unwrap();
    unix.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let c = config(&format!(
        r#"{{"class": "logging.handlers.SysLogHandler", "formatter": "f",
            "address": {:?}}}"#,
        path.display().to_string()
    ));
    cpython(&c, "unix");
    let n = unix.recv(&mut buf).unwrap();
    let want = buf[..n].to_vec();
    sawmill_logs(&c, "unix");
    let n = unix.recv(&mut buf).unwrap();
    assert_eq!(buf[..n], want[..]);
    let _ = std::fs::remove_dir_all(&dir);

    // sawmill's keys: RFC 5424 with structured data and a custom priority.
    let port = udp.local_addr().unwrap().port();
    let c = config(&format!(
        r#"{{"class": "logging.handlers.SysLogHandler", "formatter": "f",
            "address": ["127.0.0.1", {port}], "facility": "local0",
            "protocol": "rfc5424", "app_name": "web", "hostname": "h1", "procid": "9",
            "msgid": "REQ", "structured_data": {{"ex@32473": {{"zone": "eu]1"}}}},
            "priority_map": {{"WARNING": "notice"}}, "bom": "never"}}"#
    ));
    sawmill_logs(&c, "héllo");
    let n = udp.recv(&mut buf).unwrap();
    let got = String::from_utf8(buf[..n].to_vec()).unwrap();
    assert!(got.starts_with("<133>1 "), "{got}");
    assert!(
        got.ends_with(r#" h1 web 9 REQ [ex@32473 zone="eu\]1"] app WARNING: héllo"#),
        "{got}"
    );

    // Errors name the key.
    let bad = |handler: &str| dict_config_json(&config(handler)).unwrap_err().0;
    let e = bad(r#"{"class": "logging.handlers.SysLogHandler", "facilty": "user"}"#);
    assert!(
        e.contains("facilty") && e.contains("did you mean 'facility'"),
        "{e}"
    );
    let e = bad(r#"{"class": "logging.handlers.SysLogHandler", "facility": "local9"}"#);
    assert!(e.contains("facility"), "{e}");
    let e = bad(r#"{"class": "logging.handlers.SysLogHandler", "structured_data": {"noat": {}}}"#);
    assert!(e.contains("structured_data") && e.contains("SD-ID"), "{e}");
    let e =
        bad(r#"{"class": "logging.handlers.SysLogHandler", "socktype": "ext://socket.SOCK_RAW"}"#);
    assert!(e.contains("socktype"), "{e}");

    // JournalHandler: SYSLOG_IDENTIFIER and upper-case constant fields.
    dict_config_json(&config(
        r#"{"class": "sawmill.JournalHandler", "SYSLOG_IDENTIFIER": "web", "DEPLOYMENT": "blue",
            "socket": "/nonexistent/journal/socket"}"#,
    ))
    .unwrap();
    let e = bad(r#"{"class": "sawmill.JournalHandler", "deployment": "blue"}"#);
    assert!(e.contains("deployment") && e.contains("UPPER_CASE"), "{e}");
    sawmill::shutdown();
}
