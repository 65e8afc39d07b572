//! Python's `SysLogHandler`: CPython's legacy bytes, RFC 3164 or RFC 5424
//! (see `syslog_format`) over a Unix socket, UDP or TCP (RFC 6587 framing).
//!
//! Failure rules (the logging call never waits longer than `timeout`):
//! - connecting and sending each get `timeout`; a stream that times out or
//!   fails mid-write is dropped (its receiver sees a cut frame) and the
//!   record is counted as an I/O error;
//! - after a failed connect or a dropped stream, no new connect is tried
//!   before a backoff (50 ms doubling to 2 s) has passed; records logged
//!   meanwhile are counted as I/O errors at once, without a syscall;
//! - a datagram longer than `max_datagram` bytes (RFC 3164: 1024 at most)
//!   is cut to it at a UTF-8 character boundary (a final NUL is kept),
//!   sent, and counted as one I/O error naming the cut, so no loss is
//!   silent. Streams are never cut.
//!
//! Outage buffer (`outage_buffer` bytes, 0 = off, write-through only):
//! a record that cannot be sent (no daemon, backoff running, send failed,
//! or a stream whose peer has closed — checked before each write, so a
//! record is not written into a connection the daemon has already left)
//! is kept instead of counted as an error. Kept records are sent first, in
//! order, by the next call or flush that finds the daemon back, as far as
//! that call's timeout allows. Beyond the bound the oldest are dropped and
//! counted in the handler's dropped count; a dropped record is never sent
//! later. A record cut mid-write is kept and sent whole again only on an
//! octet-counted stream, whose receivers drop the cut frame (rsyslog 8.2302
//! and syslog-ng checked by tests/syslog_cut_frames.rs); on an LF-framed or
//! unframed stream they log the cut part as a message, so the record is not
//! sent again (at most once, cut) and counted as an I/O error.
//! Records kept at close are dropped and counted. Records the daemon
//! had accepted into its socket but not read when it stopped are lost (no
//! acknowledgement exists in syslog to find them).

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::output::Buffering;
use super::syslog_format::{self as wire, Bom, ClockCache, Header, Protocol};
use super::{EmitError, ErrorKind, Sink};
use crate::record::Record;

/// Where the daemon listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// A Unix socket path (`/dev/log` by default).
    Unix(PathBuf),
    /// A host name or address and a port.
    Inet(String, u16),
}

/// Python's `socktype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SockType {
    /// Unix: datagram, falling back to stream as CPython does; inet: UDP.
    #[default]
    Default,
    /// `socket.SOCK_DGRAM`.
    Dgram,
    /// `socket.SOCK_STREAM`.
    Stream,
}

/// RFC 6587 framing of records over TCP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Framing {
    /// `LEN SP MSG`: safe for multi-line messages.
    #[default]
    OctetCounting,
    /// MSG followed by LF.
    Lf,
}

impl Framing {
    pub fn parse(s: &str) -> Result<Framing, String> {
        match s {
            "octet-counting" => Ok(Framing::OctetCounting),
            "lf" => Ok(Framing::Lf),
            _ => Err(format!("unknown framing {s:?} (octet-counting or lf)")),
        }
    }
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// The largest UDP payload over IPv4.
pub const DEFAULT_MAX_DATAGRAM: usize = 65507;
const BACKOFF_MIN: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(2);
/// A call may overrun its timeout by at most this much (see `fit_timeout`).
const TIMEOUT_SLACK: Duration = Duration::from_millis(20);

/// Everything a `SysLogHandler` is built from (Rust, C and dictConfig alike).
#[derive(Clone, Debug)]
pub struct SyslogOptions {
    pub address: Address,
    pub socktype: SockType,
    /// 0–23 (Python's `LOG_USER` = 1 is the default).
    pub facility: u32,
    pub protocol: Protocol,
    /// Python's `SysLogHandler.ident`: prefixed to the message (legacy only).
    pub ident: String,
    /// Python's `append_nul` (legacy only).
    pub append_nul: bool,
    /// RFC 3164/5424 header fields; `None` = the host's name, the program's
    /// name, the process id, NILVALUE.
    pub hostname: Option<String>,
    pub app_name: Option<String>,
    pub procid: Option<String>,
    pub msgid: Option<String>,
    /// SD-ID → [(PARAM-NAME, value)], sent with every RFC 5424 record.
    pub structured_data: wire::StructuredData,
    pub framing: Framing,
    pub bom: Bom,
    /// Connect and send timeout.
    pub timeout: Duration,
    pub max_datagram: usize,
    /// Level name → severity overrides of Python's `priority_map`.
    pub severities: Vec<(String, u8)>,
    /// Bytes of records kept during an outage (0: none kept, each is an
    /// error); see the module's notes.
    pub outage_buffer: usize,
}

impl Default for SyslogOptions {
    fn default() -> Self {
        SyslogOptions {
            address: Address::Unix(PathBuf::from("/dev/log")),
            socktype: SockType::Default,
            facility: 1,
            protocol: Protocol::Legacy,
            ident: String::new(),
            append_nul: true,
            hostname: None,
            app_name: None,
            procid: None,
            msgid: None,
            structured_data: Vec::new(),
            framing: Framing::OctetCounting,
            bom: Bom::Auto,
            timeout: DEFAULT_TIMEOUT,
            max_datagram: DEFAULT_MAX_DATAGRAM,
            severities: Vec::new(),
            outage_buffer: 0,
        }
    }
}

enum Conn {
    UnixDgram(UnixDatagram),
    UnixStream(UnixStream),
    Udp(UdpSocket),
    Tcp(TcpStream),
}

impl Conn {
    fn is_stream(&self) -> bool {
        matches!(self, Conn::UnixStream(_) | Conn::Tcp(_))
    }
}

/// The socket, its reconnect schedule and the stream's batch buffer.
struct Transport {
    address: Address,
    socktype: SockType,
    timeout: Duration,
    conn: Option<Conn>,
    /// No connect before this instant (backoff after a failure).
    retry_at: Option<Instant>,
    backoff: Duration,
    /// Stream bytes accepted but not yet written (buffered policy only).
    pending: Vec<u8>,
    /// How many records `pending` holds.
    pending_records: u64,
    /// Datagram transports: the length of each datagram in `pending`.
    pending_lens: Vec<usize>,
    /// Records lost with a batch whose write failed (the failure itself is
    /// counted once as an error; this says how many records it took).
    dropped: Arc<AtomicU64>,
    buffering: Buffering,
    last_flush: Instant,
    /// When the current logging call (or flush) must return by.
    deadline: Instant,
    /// The socket's send timeout now (the full timeout, or less while a
    /// call that spent part of its time connecting is writing).
    sock_timeout: Duration,
    /// The host's addresses, resolved at the first connect and kept (as
    /// CPython resolves once, in the constructor): a reconnect never waits
    /// for DNS.
    resolved: Vec<std::net::SocketAddr>,
    /// Records (unframed) kept during an outage, oldest first.
    outage: VecDeque<Vec<u8>>,
    /// Their total length.
    outage_bytes: usize,
    /// The bound on `outage_bytes` (0 = no outage buffer).
    outage_limit: usize,
    /// The last `write_stream` failed after writing part of its bytes.
    cut: bool,
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "send timed out")
}

impl Transport {
    fn new(address: Address, socktype: SockType, timeout: Duration) -> Transport {
        Transport {
            address,
            socktype,
            timeout,
            conn: None,
            retry_at: None,
            backoff: BACKOFF_MIN,
            pending: Vec::new(),
            pending_records: 0,
            pending_lens: Vec::new(),
            dropped: Arc::default(),
            buffering: Buffering::WRITE_THROUGH,
            last_flush: Instant::now(),
            deadline: Instant::now(),
            sock_timeout: timeout,
            resolved: Vec::new(),
            outage: VecDeque::new(),
            outage_bytes: 0,
            outage_limit: 0,
            cut: false,
        }
    }

    /// Keeps a record that could not be sent, dropping (and counting) the
    /// oldest beyond the bound.
    fn keep(&mut self, record: Vec<u8>) {
        self.outage_bytes += record.len();
        self.outage.push_back(record);
        while self.outage_bytes > self.outage_limit {
            let Some(old) = self.outage.pop_front() else {
                break;
            };
            self.outage_bytes -= old.len();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Forgets the kept records, counting them as dropped.
    fn drop_outage(&mut self) {
        self.dropped
            .fetch_add(self.outage.len() as u64, Ordering::Relaxed);
        self.outage.clear();
        self.outage_bytes = 0;
    }

    /// Whether the stream's peer has closed its end (a syslog daemon never
    /// writes to us, so anything readable is an end of file or a reset).
    fn peer_closed(&self) -> bool {
        let fd = match self.conn.as_ref() {
            Some(Conn::Tcp(s)) => s.as_raw_fd(),
            Some(Conn::UnixStream(s)) => s.as_raw_fd(),
            _ => return false,
        };
        let mut byte = 0u8;
        // SAFETY: a one-byte buffer alive for the call; MSG_PEEK|MSG_DONTWAIT
        // neither consumes nor blocks.
        let n = unsafe {
            libc::recv(
                fd,
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return !matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            );
        }
        n == 0
    }

    fn is_stream(&self) -> bool {
        match &self.conn {
            Some(c) => c.is_stream(),
            None => self.socktype == SockType::Stream,
        }
    }

    /// Starts a logging call (or flush): everything it does shares one timeout.
    fn start(&mut self) {
        self.deadline = Instant::now() + self.timeout;
    }

    /// What is left of the call's timeout (at least 1 ms: 0 means "none"
    /// to the socket options).
    fn remaining(&self) -> Duration {
        self.deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    }

    /// Lowers the socket's send timeout to what is left of the call when
    /// that is notably less (after a slow connect, a partial write); in
    /// steady state it costs no system call.
    fn fit_timeout(&mut self) {
        let left = self.remaining();
        if left + TIMEOUT_SLACK < self.sock_timeout {
            self.set_sock_timeout(left);
        }
    }

    /// Gives the socket its full send timeout back for the next call.
    fn restore_timeout(&mut self) {
        if self.sock_timeout < self.timeout {
            self.set_sock_timeout(self.timeout);
        }
    }

    fn set_sock_timeout(&mut self, t: Duration) {
        let t = t.max(Duration::from_millis(1));
        let _ = match self.conn.as_ref() {
            Some(Conn::Tcp(s)) => s.set_write_timeout(Some(t)),
            Some(Conn::UnixStream(s)) => s.set_write_timeout(Some(t)),
            Some(Conn::UnixDgram(s)) => s.set_write_timeout(Some(t)),
            Some(Conn::Udp(s)) => s.set_write_timeout(Some(t)),
            None => Ok(()),
        };
        self.sock_timeout = t;
    }

    fn connect(&mut self) -> io::Result<Conn> {
        let t = Some(self.timeout.max(Duration::from_millis(1)));
        match &self.address {
            Address::Unix(path) => {
                if self.socktype != SockType::Stream {
                    let dgram = UnixDatagram::unbound().and_then(|s| {
                        s.connect(path)?;
                        s.set_write_timeout(t)?;
                        Ok(s)
                    });
                    match dgram {
                        Ok(s) => return Ok(Conn::UnixDgram(s)),
                        Err(e) if self.socktype == SockType::Dgram => return Err(e),
                        // CPython falls back to a stream socket.
                        Err(_) => {}
                    }
                }
                let s = UnixStream::connect(path)?;
                s.set_write_timeout(t)?;
                Ok(Conn::UnixStream(s))
            }
            Address::Inet(host, port) => {
                if self.resolved.is_empty() {
                    self.resolved = crate::net::resolve::resolve(host, *port, self.remaining())?;
                }
                let mut last = io::Error::new(io::ErrorKind::NotFound, "no address for host");
                for &addr in &self.resolved {
                    let attempt = if self.socktype == SockType::Stream {
                        TcpStream::connect_timeout(&addr, self.remaining()).and_then(|s| {
                            s.set_write_timeout(t)?;
                            s.set_nodelay(true)?;
                            Ok(Conn::Tcp(s))
                        })
                    } else {
                        let bind = if addr.is_ipv4() {
                            "0.0.0.0:0"
                        } else {
                            "[::]:0"
                        };
                        UdpSocket::bind(bind).and_then(|s| {
                            s.connect(addr)?;
                            s.set_write_timeout(t)?;
                            Ok(Conn::Udp(s))
                        })
                    };
                    match attempt {
                        Ok(c) => return Ok(c),
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
        }
    }

    /// Connects unless a backoff is running.
    fn ensure_connected(&mut self) -> io::Result<()> {
        if self.conn.is_some() {
            return Ok(());
        }
        if let Some(at) = self.retry_at {
            if Instant::now() < at {
                return Err(io::Error::new(
                    io::ErrorKind::NotConnected,
                    "not connected to the syslog daemon (waiting before the next connect)",
                ));
            }
        }
        match self.connect() {
            Ok(c) => {
                self.conn = Some(c);
                self.sock_timeout = self.timeout.max(Duration::from_millis(1));
                self.retry_at = None;
                self.backoff = BACKOFF_MIN;
                Ok(())
            }
            Err(e) => {
                self.fail();
                Err(e)
            }
        }
    }

    /// Drops the connection and schedules the next connect.
    fn fail(&mut self) {
        self.conn = None;
        self.drop_pending();
        self.retry_at = Some(Instant::now() + self.backoff);
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
    }

    /// Forgets the batch, counting its records as dropped.
    fn drop_pending(&mut self) {
        if self.pending_records > 0 {
            self.dropped
                .fetch_add(self.pending_records, Ordering::Relaxed);
        }
        self.pending.clear();
        self.pending_lens.clear();
        self.pending_records = 0;
    }

    /// Sends one datagram, or writes one framed record to the stream.
    fn send_datagram(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.fit_timeout();
        let sent = match self.conn.as_ref() {
            Some(Conn::UnixDgram(s)) => s.send(bytes),
            Some(Conn::Udp(s)) => s.send(bytes),
            _ => unreachable!("send_datagram on a stream"),
        };
        self.restore_timeout();
        match sent {
            Ok(_) => Ok(()),
            // A daemon that stopped reading: back off rather than make every
            // following call wait its whole timeout.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.fail();
                Err(timed_out())
            }
            Err(e) => {
                // A Unix daemon restarted: its socket is new, reconnect once
                // (CPython does the same). UDP keeps its socket: the error was
                // a late ICMP report about an earlier datagram.
                if matches!(self.conn, Some(Conn::UnixDgram(_))) {
                    self.conn = None;
                    if self.ensure_connected().is_ok() {
                        if let Some(Conn::UnixDgram(s)) = self.conn.as_ref() {
                            let resent = s.send(bytes).map(drop);
                            if resent.is_err() {
                                self.fail();
                            }
                            return resent;
                        }
                        // Fell back to a stream: the caller frames next time.
                        return self.write_stream(bytes);
                    }
                }
                Err(e)
            }
        }
    }

    /// Writes all of `bytes` to the stream by the call's deadline; a stream
    /// cut mid-record is dropped (and `cut` says so).
    fn write_stream(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut done = 0;
        let result = self.write_stream_from(bytes, &mut done);
        self.cut = result.is_err() && done > 0;
        result
    }

    fn write_stream_from(&mut self, bytes: &[u8], done: &mut usize) -> io::Result<()> {
        while *done < bytes.len() {
            if Instant::now() >= self.deadline {
                self.fail();
                return Err(timed_out());
            }
            self.fit_timeout();
            let rest = &bytes[*done..];
            let result = match self.conn.as_mut() {
                Some(Conn::Tcp(s)) => s.write(rest),
                Some(Conn::UnixStream(s)) => s.write(rest),
                _ => Err(io::Error::new(io::ErrorKind::NotConnected, "no stream")),
            };
            match result {
                Ok(0) => {
                    self.fail();
                    return Err(io::Error::new(io::ErrorKind::WriteZero, "write returned 0"));
                }
                Ok(n) => *done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.fail();
                    return Err(if e.kind() == io::ErrorKind::WouldBlock {
                        timed_out()
                    } else {
                        e
                    });
                }
            }
        }
        self.restore_timeout();
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let records = std::mem::take(&mut self.pending_records);
        let pending = std::mem::take(&mut self.pending);
        let lens = std::mem::take(&mut self.pending_lens);
        let mut sent = 0;
        let result = self.ensure_connected().and_then(|()| {
            if lens.is_empty() {
                self.write_stream(&pending)
            } else {
                let (n, result) = self.send_many(&pending, &lens);
                sent = n as u64;
                result
            }
        });
        if result.is_err() {
            self.dropped
                .fetch_add(records.saturating_sub(sent), Ordering::Relaxed);
        }
        // Kept for their capacity.
        self.pending = pending;
        self.pending.clear();
        self.pending_lens = lens;
        self.pending_lens.clear();
        result
    }

    /// Sends a batch of datagrams with sendmmsg(2), up to 1024 per call.
    /// Returns how many were sent and, if it stopped short, why.
    fn send_many(&mut self, bytes: &[u8], lens: &[usize]) -> (usize, io::Result<()>) {
        let fd = match self.conn.as_ref() {
            Some(Conn::Udp(s)) => s.as_raw_fd(),
            Some(Conn::UnixDgram(s)) => s.as_raw_fd(),
            _ => return (0, Err(io::Error::other("not a datagram socket"))),
        };
        let mut iovs: Vec<libc::iovec> = Vec::with_capacity(lens.len());
        let mut at = 0;
        for len in lens {
            iovs.push(libc::iovec {
                iov_base: bytes[at..].as_ptr() as *mut libc::c_void,
                iov_len: *len,
            });
            at += len;
        }
        // SAFETY: a zeroed mmsghdr is valid (no name, no control).
        let mut msgs: Vec<libc::mmsghdr> = (0..lens.len())
            .map(|_| unsafe { std::mem::zeroed() })
            .collect();
        for (msg, iov) in msgs.iter_mut().zip(iovs.iter_mut()) {
            msg.msg_hdr.msg_iov = iov;
            msg.msg_hdr.msg_iovlen = 1;
        }
        let mut done = 0;
        // A late ICMP report about an earlier UDP datagram fails one call
        // without sending: it is kept as the batch's error, and sending goes on.
        let mut refused = None;
        while done < msgs.len() {
            let chunk = (msgs.len() - done).min(1024);
            // Non-blocking, then poll(2) for what is left of the call's
            // time: a blocking sendmmsg would wait once per datagram.
            // SAFETY: `msgs[done..]` holds `chunk` valid headers whose
            // iovecs point into `bytes`, alive for the call.
            let n = unsafe {
                libc::sendmmsg(
                    fd,
                    msgs[done..].as_mut_ptr(),
                    chunk as u32,
                    libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                match e.kind() {
                    io::ErrorKind::Interrupted => continue,
                    io::ErrorKind::WouldBlock => {
                        let left = self.deadline.saturating_duration_since(Instant::now());
                        if left.is_zero() || !wait_writable(fd, left) {
                            self.fail();
                            return (done, Err(timed_out()));
                        }
                        continue;
                    }
                    _ if e.raw_os_error() == Some(libc::ECONNREFUSED) && refused.is_none() => {
                        refused = Some(e);
                        continue;
                    }
                    _ => return (done, Err(e)),
                }
            }
            done += n as usize;
        }
        (done, refused.map_or(Ok(()), Err))
    }
}

/// Why a record written through (outage buffer on) was not delivered.
enum NotSent {
    /// Keep it and send it whole later: none of it went out, or the stream
    /// is octet-counted, whose receivers drop a cut frame (rsyslog and
    /// syslog-ng log "incomplete frame" and discard it).
    Keep(io::Error),
    /// Part of it went out on an LF-framed (or unframed Unix) stream:
    /// rsyslog and syslog-ng log the cut part as a message when the stream
    /// closes, so sending it again would deliver it twice.
    Cut(io::Error),
}

/// Frames one record for the stream `conn` (RFC 6587) into `out`.
fn frame(out: &mut Vec<u8>, conn: Option<&Conn>, framing: Framing, record: &[u8]) {
    out.clear();
    match (conn, framing) {
        // CPython writes no framing on a Unix stream (its NUL ends a record).
        (Some(Conn::UnixStream(_)), _) => out.extend_from_slice(record),
        (_, Framing::OctetCounting) => {
            let _ = write!(out, "{} ", record.len());
            out.extend_from_slice(record);
        }
        (_, Framing::Lf) => {
            out.extend_from_slice(record);
            out.push(b'\n');
        }
    }
}

/// Waits until `fd` can take a datagram, at most `limit`.
fn wait_writable(fd: std::os::fd::RawFd, limit: Duration) -> bool {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    let ms = limit.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd for the call.
    let n = unsafe { libc::poll(&mut pfd, 1, ms) };
    n > 0
}

/// The sink behind Python's `SysLogHandler`.
pub struct SyslogSink {
    protocol: Protocol,
    facility: u32,
    ident: String,
    append_nul: bool,
    framing: Framing,
    bom: Bom,
    max_datagram: usize,
    header: Header,
    severities: Vec<(String, u8)>,
    transport: Transport,
    clock: ClockCache,
    /// The record's bytes, reused.
    wire: Vec<u8>,
    /// The framed record, reused.
    framed: Vec<u8>,
    scratch: String,
}

impl SyslogSink {
    /// Builds the handler's sink; connects lazily (a missing daemon is an
    /// error on the first record, not here, as for CPython's UDP handler).
    pub fn new(options: SyslogOptions) -> Result<SyslogSink, String> {
        if options.facility > 23 {
            return Err(format!("facility {} is not 0-23", options.facility));
        }
        if options.max_datagram < 16 {
            return Err("max_datagram must be at least 16".to_owned());
        }
        if let Some((name, sev)) = options.severities.iter().find(|(_, s)| *s > 7) {
            return Err(format!("severity {sev} for {name:?} is not 0-7"));
        }
        wire::render_static_sd(&options.structured_data)?;
        let hostname = options.hostname.unwrap_or_else(wire::local_hostname);
        let app_name = options.app_name.unwrap_or_else(wire::program_name);
        let procid = options
            .procid
            .unwrap_or_else(|| std::process::id().to_string());
        let msgid = options.msgid.unwrap_or_default();
        Ok(SyslogSink {
            protocol: options.protocol,
            facility: options.facility,
            ident: options.ident,
            append_nul: options.append_nul,
            framing: options.framing,
            bom: options.bom,
            max_datagram: options.max_datagram,
            header: Header::new(
                &hostname,
                &app_name,
                &procid,
                &msgid,
                &options.structured_data,
            ),
            severities: options.severities,
            transport: Transport {
                outage_limit: options.outage_buffer,
                ..Transport::new(options.address, options.socktype, options.timeout)
            },
            clock: ClockCache::default(),
            wire: Vec::with_capacity(512),
            framed: Vec::with_capacity(512),
            scratch: String::new(),
        })
    }

    /// Maps a level name to a severity (Python's `priority_map`, by name).
    pub fn map_level(&mut self, levelname: &str, severity: u8) -> Result<(), String> {
        if severity > 7 {
            return Err(format!("severity {severity} is not 0-7"));
        }
        self.severities.retain(|(n, _)| n != levelname);
        self.severities.push((levelname.to_owned(), severity));
        Ok(())
    }

    fn severity(&self, levelname: &str) -> u8 {
        if let Some((_, s)) = self.severities.iter().find(|(n, _)| n == levelname) {
            return *s;
        }
        wire::DEFAULT_SEVERITIES
            .iter()
            .find(|(n, _)| *n == levelname)
            .map_or(4, |(_, s)| *s)
    }

    /// The record's bytes (before framing) into `self.wire`.
    fn build(&mut self, record: &Record<'_>, text: &str) {
        let pri = (self.facility << 3) | u32::from(self.severity(&record.levelname));
        self.wire.clear();
        match self.protocol {
            Protocol::Legacy => {
                wire::legacy(&mut self.wire, pri, &self.ident, text, self.append_nul)
            }
            Protocol::Rfc3164 => wire::rfc3164(
                &mut self.wire,
                &mut self.clock,
                pri,
                &self.header,
                record,
                text,
            ),
            Protocol::Rfc5424 => wire::rfc5424(
                &mut self.wire,
                &mut self.scratch,
                &mut self.clock,
                pri,
                &self.header,
                self.bom,
                record,
                text,
            ),
        }
    }

    /// Sends `self.wire` on the connected transport.
    fn send(&mut self, levelno: i32) -> Result<(), EmitError> {
        if self.transport.outage_limit > 0 && self.transport.buffering.is_write_through() {
            return self.send_or_keep();
        }
        self.transport.ensure_connected()?;
        if !self.transport.is_stream() {
            let before = self.wire.len();
            let limit = self.datagram_limit();
            let cut = wire::truncate_datagram(&mut self.wire, limit);
            let policy = self.transport.buffering;
            if policy.is_write_through() {
                self.transport.send_datagram(&self.wire)?;
            } else {
                if self.transport.pending.len() + self.wire.len() > policy.capacity {
                    self.flush_batch()?;
                }
                let t = &mut self.transport;
                t.pending.extend_from_slice(&self.wire);
                t.pending_lens.push(self.wire.len());
                t.pending_records += 1;
                if levelno >= policy.flush_level || t.pending.len() >= policy.capacity {
                    self.flush_batch()?;
                }
            }
            if cut {
                return Err(EmitError {
                    kind: ErrorKind::Io,
                    detail: format!(
                        "a record of {before} bytes was cut to {} (datagram limit {limit})",
                        self.wire.len()
                    ),
                });
            }
            return Ok(());
        }
        frame(
            &mut self.framed,
            self.transport.conn.as_ref(),
            self.framing,
            &self.wire,
        );
        let policy = self.transport.buffering;
        if policy.is_write_through() {
            return Ok(self.transport.write_stream(&self.framed)?);
        }
        if self.transport.pending.len() + self.framed.len() > policy.capacity {
            self.flush_batch()?;
        }
        self.transport.pending.extend_from_slice(&self.framed);
        self.transport.pending_records += 1;
        if levelno >= policy.flush_level || self.transport.pending.len() >= policy.capacity {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> io::Result<()> {
        self.transport.flush()?;
        if !self.transport.outage.is_empty() {
            self.drain_outage()?;
        }
        Ok(())
    }

    /// The datagram limit of the protocol.
    fn datagram_limit(&self) -> usize {
        match self.protocol {
            // RFC 3164 packets are 1024 bytes at most.
            Protocol::Rfc3164 => self.max_datagram.min(wire::RFC3164_MAX),
            _ => self.max_datagram,
        }
    }

    /// Writes one unframed record now (write-through), refusing a stream
    /// whose daemon has gone.
    fn deliver(&mut self, record: &[u8]) -> Result<(), NotSent> {
        let limit = self.datagram_limit();
        let t = &mut self.transport;
        if t.peer_closed() {
            t.fail();
        }
        t.ensure_connected().map_err(NotSent::Keep)?;
        if !t.is_stream() {
            let mut bytes = record.to_vec();
            wire::truncate_datagram(&mut bytes, limit);
            return t.send_datagram(&bytes).map_err(NotSent::Keep);
        }
        // Only an octet count tells the receiver a frame was cut.
        let cut_part_kept =
            self.framing == Framing::Lf || matches!(t.conn, Some(Conn::UnixStream(_)));
        frame(&mut self.framed, t.conn.as_ref(), self.framing, record);
        t.write_stream(&self.framed).map_err(|e| {
            if t.cut && cut_part_kept {
                NotSent::Cut(e)
            } else {
                NotSent::Keep(e)
            }
        })
    }

    /// Sends the kept records in order while the call has time left.
    fn drain_outage(&mut self) -> io::Result<()> {
        while let Some(record) = self.transport.outage.pop_front() {
            let result = if Instant::now() >= self.transport.deadline {
                Err(NotSent::Keep(timed_out()))
            } else {
                self.deliver(&record)
            };
            match result {
                Ok(()) => {}
                Err(NotSent::Keep(e)) => {
                    self.transport.outage.push_front(record);
                    return Err(e);
                }
                Err(NotSent::Cut(e)) => {
                    self.transport.outage_bytes -= record.len();
                    self.transport.dropped.fetch_add(1, Ordering::Relaxed);
                    return Err(e);
                }
            }
            self.transport.outage_bytes -= record.len();
        }
        Ok(())
    }

    /// Write-through with an outage buffer: kept records first, then this
    /// one; what cannot be sent is kept, not counted as an error.
    fn send_or_keep(&mut self) -> Result<(), EmitError> {
        let record = std::mem::take(&mut self.wire);
        let sent = if self.transport.outage.is_empty() || self.drain_outage().is_ok() {
            self.deliver(&record)
        } else {
            Err(NotSent::Keep(timed_out()))
        };
        let result = match sent {
            Ok(()) => Ok(()),
            Err(NotSent::Keep(_)) => {
                self.transport.keep(record.clone());
                Ok(())
            }
            Err(NotSent::Cut(e)) => Err(EmitError {
                kind: ErrorKind::Io,
                detail: format!(
                    "a record was cut mid-write ({e}) and is not sent again: \
                     the receiver of an LF-framed stream keeps the cut part"
                ),
            }),
        };
        self.wire = record;
        result
    }
}

impl Sink for SyslogSink {
    fn kind(&self) -> &'static str {
        "SysLogHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        self.transport.start();
        self.build(record, text);
        self.send(record.levelno)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.transport.start();
        self.flush_batch()
    }

    fn close(&mut self) -> io::Result<()> {
        self.transport.start();
        let result = self.flush_batch();
        self.transport.drop_outage();
        self.transport.conn = None;
        result
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        let interval = self.transport.buffering.flush_interval;
        if !interval.is_zero() && self.transport.last_flush.elapsed() >= interval {
            self.transport.start();
            return self.flush_batch();
        }
        Ok(())
    }

    fn after_fork(&mut self, interrupted: bool) {
        // The parent owns the connection and its batch; the child opens its
        // own. Closing our copy leaves the parent's connection open; after an
        // interrupted fork the descriptor may be stale, so it is only forgotten.
        if let Some(conn) = self.transport.conn.take() {
            if interrupted {
                std::mem::forget(conn);
            }
        }
        self.transport.pending.clear();
        self.transport.pending_records = 0;
        self.transport.outage.clear();
        self.transport.outage_bytes = 0;
    }

    fn as_syslog(&mut self) -> Option<&mut SyslogSink> {
        Some(self)
    }

    fn dropped_counter(&self) -> Option<Arc<AtomicU64>> {
        Some(self.transport.dropped.clone())
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        self.transport.start();
        self.flush_batch().map_err(|e| e.to_string())?;
        self.transport.buffering = policy;
        self.transport.pending = Vec::with_capacity(policy.capacity + 1024);
        Ok(())
    }
}
