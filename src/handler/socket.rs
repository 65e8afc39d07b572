//! Python's `SocketHandler`: each record's dict as a length-prefixed pickle
//! (or JSON) over TCP. A failed connect is retried no sooner than CPython
//! retries it (1 s, doubling, at most 30 s); records logged meanwhile are
//! dropped and counted, or kept in a bounded buffer when asked. Connect and
//! send are bounded by timeouts, so a dead peer never stalls the caller
//! longer than that.

use std::collections::VecDeque;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Buffering, EmitError, Sink};
use crate::net::{encode_record, Encoding};
use crate::record::Record;

/// Everything a Socket or Datagram handler can be configured with.
#[derive(Clone, Debug)]
pub struct NetOptions {
    pub host: String,
    pub port: u16,
    /// Pickle (CPython's) or JSON frames.
    pub encoding: Encoding,
    /// Longest a connect may take (CPython's `makeSocket(timeout=1)`).
    pub connect_timeout: Duration,
    /// Longest one record's send may block before the connection is dropped.
    pub send_timeout: Duration,
    /// Frames kept while the peer is unreachable and sent once it is back;
    /// 0 drops them (CPython's behaviour), counting each.
    pub buffer_records: usize,
    /// CPython's `retryStart`, `retryFactor`, `retryMax`.
    pub retry_start: Duration,
    pub retry_factor: f64,
    pub retry_max: Duration,
    /// Send frames in batches (see `Sink::set_buffering`); None: one send
    /// per record, as CPython.
    pub batching: Option<super::Buffering>,
}

impl NetOptions {
    pub fn new(host: &str, port: u16) -> NetOptions {
        NetOptions {
            host: host.to_owned(),
            port,
            encoding: Encoding::Pickle,
            connect_timeout: Duration::from_secs(1),
            send_timeout: Duration::from_secs(1),
            buffer_records: 0,
            retry_start: Duration::from_secs(1),
            retry_factor: 2.0,
            retry_max: Duration::from_secs(30),
            batching: None,
        }
    }

    /// The receiver's addresses, waiting at most `timeout` for the DNS.
    pub(crate) fn resolve(&self, timeout: Duration) -> io::Result<Vec<SocketAddr>> {
        crate::net::resolve::resolve(&self.host, self.port, timeout)
    }
}

/// Appends `record`'s frame (length prefix + body) to `frame`, cleared first.
pub(crate) fn build_frame(record: &Record<'_>, encoding: Encoding, frame: &mut Vec<u8>) {
    frame.clear();
    frame.extend_from_slice(&[0; 4]);
    encode_record(record, encoding, frame);
    let len = (frame.len() - 4) as u32;
    frame[..4].copy_from_slice(&len.to_be_bytes());
}

pub struct SocketSink {
    options: NetOptions,
    stream: Option<TcpStream>,
    /// No connect before this instant (CPython's `retryTime`).
    retry_at: Option<Instant>,
    /// The wait after the next failed connect (CPython's `retryPeriod`).
    retry_period: Duration,
    frame: Vec<u8>,
    pending: VecDeque<Vec<u8>>,
    dropped: Arc<AtomicU64>,
    /// Batching (`Sink::set_buffering`): frames collect in `batch` and go
    /// out in one send when it fills, at `flush_level`, on the interval,
    /// on flush and at exit. Write-through (one send per record) by default.
    buffering: Buffering,
    batch: Vec<u8>,
    batch_records: u64,
    last_flush: Instant,
}

impl SocketSink {
    /// Nothing is connected until the first record, as in CPython.
    pub fn new(options: NetOptions) -> SocketSink {
        SocketSink {
            retry_period: options.retry_start,
            options,
            stream: None,
            retry_at: None,
            frame: Vec::with_capacity(1024),
            pending: VecDeque::new(),
            dropped: Arc::new(AtomicU64::new(0)),
            buffering: Buffering::WRITE_THROUGH,
            batch: Vec::new(),
            batch_records: 0,
            last_flush: Instant::now(),
        }
    }

    fn connect(&mut self) -> io::Result<()> {
        let mut last = None;
        for addr in self.options.resolve(self.options.connect_timeout)? {
            match TcpStream::connect_timeout(&addr, self.options.connect_timeout) {
                Ok(stream) => {
                    stream.set_write_timeout(Some(self.options.send_timeout))?;
                    stream.set_nodelay(true)?;
                    self.stream = Some(stream);
                    self.retry_at = None;
                    self.retry_period = self.options.retry_start;
                    return Ok(());
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no address to connect to")))
    }

    /// CPython's `createSocket`: connects unless a retry is not yet due.
    /// Ok(false): still waiting for the retry time.
    fn ensure_connected(&mut self) -> io::Result<bool> {
        if self.stream.is_some() {
            return Ok(true);
        }
        let now = Instant::now();
        if self.retry_at.is_some_and(|at| now < at) {
            return Ok(false);
        }
        match self.connect() {
            Ok(()) => Ok(true),
            Err(e) => {
                // The first failure waits retry_start; each later one longer.
                if self.retry_at.is_some() {
                    let next = self.retry_period.as_secs_f64() * self.options.retry_factor;
                    self.retry_period =
                        Duration::from_secs_f64(next.min(self.options.retry_max.as_secs_f64()));
                }
                self.retry_at = Some(now + self.retry_period);
                Err(e)
            }
        }
    }

    /// Keeps a frame that could not be sent, or drops and counts it.
    fn keep_or_drop(&mut self, frame: Vec<u8>) {
        if self.options.buffer_records == 0 {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if self.pending.len() >= self.options.buffer_records {
            self.pending.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        self.pending.push_back(frame);
    }

    /// Sends the buffered frames, then `self.frame`. On failure the
    /// connection is dropped (a frame may be half sent) and the next record
    /// reconnects at once, as CPython's `send` does.
    fn send_all(&mut self) -> io::Result<()> {
        let Some(stream) = self.stream.as_ref() else {
            return Err(io::Error::from(io::ErrorKind::NotConnected));
        };
        let fd = stream.as_raw_fd();
        while let Some(front) = self.pending.front() {
            send_no_signal(fd, front)?;
            self.pending.pop_front();
        }
        send_no_signal(fd, &self.frame)
    }

    fn disconnect(&mut self) {
        if let Some(stream) = self.stream.take() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// send(2) with MSG_NOSIGNAL: a peer that went away must not raise SIGPIPE
/// in a C program that never asked for it. Blocks at most the socket's
/// send timeout per call.
fn send_no_signal(fd: i32, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: `fd` is an open socket owned by the caller's TcpStream and
        // `bytes` is a valid readable slice for its length.
        let n = unsafe { libc::send(fd, bytes.as_ptr().cast(), bytes.len(), libc::MSG_NOSIGNAL) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            if e.kind() == io::ErrorKind::WouldBlock {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "send timed out"));
            }
            return Err(e);
        }
        bytes = &bytes[n as usize..];
    }
    Ok(())
}

impl Sink for SocketSink {
    fn kind(&self) -> &'static str {
        "SocketHandler"
    }

    /// The record goes out as its dict, never as formatted text.
    fn needs_text(&self) -> bool {
        false
    }

    fn emit(&mut self, record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        build_frame(record, self.options.encoding, &mut self.frame);
        if !self.buffering.is_write_through() {
            self.batch.extend_from_slice(&self.frame);
            self.batch_records += 1;
            if self.batch.len() >= self.buffering.capacity
                || record.levelno >= self.buffering.flush_level
            {
                return self.send_batch().map_err(EmitError::from);
            }
            return Ok(());
        }
        self.send_frame()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_batch()?;
        self.send_pending()
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        let interval = self.buffering.flush_interval;
        if !self.batch.is_empty() && !interval.is_zero() && self.last_flush.elapsed() >= interval {
            self.send_batch()?;
        }
        Ok(())
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        self.send_batch().map_err(|e| e.to_string())?;
        self.buffering = policy;
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        let flushed = self.flush();
        self.disconnect();
        flushed
    }

    fn after_fork(&mut self, interrupted: bool) {
        // The parent keeps its connection; the child makes its own, or
        // frames of both would interleave on one stream.
        match self.stream.take() {
            Some(stream) if interrupted => std::mem::forget(stream),
            other => drop(other),
        }
        self.pending.clear();
        self.batch.clear();
        self.batch_records = 0;
        self.retry_at = None;
    }

    fn dropped_counter(&self) -> Option<Arc<AtomicU64>> {
        Some(self.dropped.clone())
    }
}

impl SocketSink {
    /// Write-through: this record's frame, after any kept from an outage.
    fn send_frame(&mut self) -> Result<(), EmitError> {
        match self.ensure_connected() {
            Ok(true) => {}
            Ok(false) => {
                let frame = self.frame.clone();
                self.keep_or_drop(frame);
                return Ok(());
            }
            Err(e) => {
                let frame = self.frame.clone();
                self.keep_or_drop(frame);
                return Err(e.into());
            }
        }
        match self.send_all() {
            Ok(()) => Ok(()),
            Err(e) => {
                self.disconnect();
                let frame = self.frame.clone();
                self.keep_or_drop(frame);
                Err(e.into())
            }
        }
    }

    /// Sends the frames kept through an outage, if connected.
    fn send_pending(&mut self) -> io::Result<()> {
        let Some(stream) = self.stream.as_ref() else {
            return Ok(());
        };
        let fd = stream.as_raw_fd();
        while let Some(front) = self.pending.front() {
            if let Err(e) = send_no_signal(fd, front) {
                self.disconnect();
                return Err(e);
            }
            self.pending.pop_front();
        }
        Ok(())
    }

    /// Sends the batch in one go; on failure its records are dropped and
    /// counted (a batch may be half sent, so it is not kept).
    fn send_batch(&mut self) -> io::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.last_flush = Instant::now();
        let records = std::mem::take(&mut self.batch_records);
        let result = match self.ensure_connected() {
            Ok(true) => {
                let fd = self.stream.as_ref().map_or(-1, |s| s.as_raw_fd());
                let sent = send_no_signal(fd, &self.batch);
                if sent.is_err() {
                    self.disconnect();
                }
                sent
            }
            Ok(false) => Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "peer unreachable (waiting to retry)",
            )),
            Err(e) => Err(e),
        };
        self.batch.clear();
        if result.is_err() {
            self.dropped.fetch_add(records, Ordering::Relaxed);
        }
        result
    }
}
