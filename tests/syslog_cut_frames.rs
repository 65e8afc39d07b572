//! A record cut mid-write on a TCP syslog stream, and what real daemons do
//! with the cut frame when the stream closes: rsyslogd and syslog-ng drop
//! a cut octet-counted frame ("incomplete frame") but log the cut part of
//! an LF-framed one as a message. So SysLogHandler's outage buffer sends a
//! cut record whole again only on an octet-counted stream; on an LF stream
//! it is not sent again (counted as an error). Either way rsyslogd shows
//! the record once.

mod syslogd;

use std::borrow::Cow;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::mpsc;
use std::time::Duration;

use sawmill::handler::syslog::{Address, Framing, SockType, SyslogOptions};
use sawmill::handler::syslog_format::Protocol;
use serde_json::Value as Json;

/// The message of a record as either daemon writes it.
fn msg(record: &Json) -> String {
    record
        .get("msg")
        .or(record.get("MESSAGE"))
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned()
}

fn send_and_close(port: u16, bytes: &[u8]) {
    TcpStream::connect(("127.0.0.1", port))
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

#[test]
fn daemons_drop_a_cut_octet_counted_frame_and_log_a_cut_lf_one() {
    for daemon in [syslogd::rsyslog(), syslogd::syslog_ng()] {
        send_and_close(daemon.tcp_lf, b"<14>1 - h a p m - cut-lf");
        send_and_close(daemon.tcp_octet, b"60 <14>1 - h a p m - cut-octet");
        // Cut inside the length itself.
        send_and_close(daemon.tcp_octet, b"6");
        send_and_close(daemon.tcp_lf, b"<14>1 - h a p m - marker\n");
        // Each connection is its own session in the daemon, so the cut LF
        // record and the marker may be written in either order: wait for
        // both (a daemon that dropped the cut LF frame fails here), give the
        // octet-counted ones time to show up if they were going to, then
        // compare the set.
        let has = |r: &[Json], m: &str| r.iter().any(|x| msg(x) == m);
        daemon.wait_records(|r| has(r, "marker") && has(r, "cut-lf"));
        std::thread::sleep(Duration::from_millis(300));
        let mut msgs: Vec<String> = daemon.wait_records(|_| true).iter().map(msg).collect();
        msgs.sort();
        assert_eq!(msgs, ["cut-lf", "marker"], "{}", daemon.name);
    }
}

/// Forwards connections to `upstream`, except that it stops reading the
/// first one (so a large write into it blocks partway) until `release`,
/// then forwards what had been written into it and closes both ends.
struct StallingProxy {
    port: u16,
    release: mpsc::Sender<()>,
    /// The byte count forwarded from the first connection.
    first: mpsc::Receiver<usize>,
}

fn stalling_proxy(upstream: u16) -> StallingProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    // A small window and segments: the sender's buffer (sized by the MSS,
    // about 2.6 MB with loopback's 64 KiB one) and the window fill after some
    // tens of kilobytes, and its write blocks.
    for (level, option, value) in [
        (libc::SOL_SOCKET, libc::SO_RCVBUF, 4096),
        (libc::IPPROTO_TCP, libc::TCP_MAXSEG, 536),
    ] {
        let value: libc::c_int = value;
        // SAFETY: setsockopt on a socket this test owns, with a c_int value.
        let rc = unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                level,
                option,
                (&value as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        assert_eq!(rc, 0, "setsockopt {option}");
    }
    let port = listener.local_addr().unwrap().port();
    let (release, released) = mpsc::channel();
    let (report, first) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        released.recv().unwrap();
        // The handler closed its end after the failed write; a bound all the same.
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut bytes = Vec::new();
        let _ = client.read_to_end(&mut bytes);
        TcpStream::connect(("127.0.0.1", upstream))
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        report.send(bytes.len()).unwrap();
        for client in listener.incoming() {
            let mut client = client.unwrap();
            std::thread::spawn(move || {
                let mut up = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                let _ = std::io::copy(&mut client, &mut up);
            });
        }
    });
    StallingProxy {
        port,
        release,
        first,
    }
}

fn record(text: String) -> sawmill::Record<'static> {
    sawmill::Record::stamped(
        1_764_740_400.0,
        "cut",
        sawmill::WARNING,
        None,
        1,
        None,
        Cow::Owned(text),
        1,
        "MainThread",
        "MainProcess",
    )
}

#[test]
fn a_record_cut_mid_write_reaches_rsyslog_once() {
    let daemon = syslogd::rsyslog();
    for (name, framing) in [("octet", Framing::OctetCounting), ("lf", Framing::Lf)] {
        let proxy = stalling_proxy(daemon.tcp_octet);
        let handler = sawmill::handler::syslog_handler(SyslogOptions {
            address: Address::Inet("127.0.0.1".into(), proxy.port),
            socktype: SockType::Stream,
            protocol: Protocol::Rfc5424,
            framing,
            // Long enough for the resend through the proxy on a loaded machine.
            timeout: Duration::from_secs(1),
            outage_buffer: 8 << 20,
            ..SyslogOptions::default()
        })
        .unwrap();
        // Under imtcp's frame limit (200,000 bytes), far over what the
        // stalled connection takes.
        let big = format!("big-{name}-{}", "x".repeat(150_000));
        handler.handle(&mut record(big.clone()));
        proxy.release.send(()).unwrap();
        let forwarded = proxy.first.recv().unwrap();
        assert!(
            forwarded > 0 && forwarded < big.len(),
            "{name}: {forwarded} bytes"
        );
        // Past the reconnect backoff (50 ms).
        std::thread::sleep(Duration::from_millis(100));
        let after = format!("after-{name}");
        handler.handle(&mut record(after.clone()));
        handler.close().unwrap();
        let records = daemon.wait_records(|r| r.iter().any(|x| msg(x) == after));
        // The cut part of the first connection is logged before the stream
        // that carries `after` is opened.
        let bigs: Vec<String> = records
            .iter()
            .map(msg)
            .filter(|m| m.starts_with(&format!("big-{name}-")))
            .collect();
        assert_eq!(bigs.len(), 1, "{name}: the big record {} times", bigs.len());
        match framing {
            // Dropped by rsyslog, then sent whole from the outage buffer.
            Framing::OctetCounting => {
                assert_eq!(bigs[0], big, "{name}");
                assert_eq!(handler.error_count(), 0);
            }
            // Logged cut by rsyslog, and not sent again: one error.
            Framing::Lf => {
                assert!(big.starts_with(&bigs[0]) && bigs[0].len() < big.len());
                assert_eq!(handler.error_count(), 1);
            }
        }
        assert_eq!(handler.dropped_count(), 0, "{name}");
    }
}
