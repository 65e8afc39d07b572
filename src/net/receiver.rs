//! The receiver: CPython's cookbook `LogRecordStreamHandler` without the
//! `pickle.loads` that runs whatever arrives. TCP connections (one thread
//! each, up to a limit) and UDP datagrams carry frames; each frame is
//! decoded by the restricted decoders, rebuilt as `makeLogRecord` does, and
//! handed to `Logger.handle` of the record's logger (or a fixed one), so the
//! local levels, filters, handlers and formatters apply.
//!
//! A malformed frame closes its connection and is counted; every limit
//! (frame size, nesting, connections, idle time, loggers created) is checked
//! before the work it bounds. Stopping drains what the kernel already holds.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::frame::{check_length, datagram_body, DEFAULT_MAX_FRAME};
use super::{FrameError, Repeats};
use crate::logger::Logger;
use crate::sync::Lock;

/// Everything a receiver can be configured with.
#[derive(Clone, Debug)]
pub struct ReceiverOptions {
    /// "host:port" to listen on for TCP (port 0: ephemeral), or None.
    pub tcp: Option<String>,
    /// "host:port" for UDP datagrams, or None.
    pub udp: Option<String>,
    /// Every record goes to this logger instead of the one it names.
    pub logname: Option<String>,
    /// The largest frame body accepted (checked before allocating).
    pub max_frame: usize,
    /// TCP connections served at once; more are closed on accept, counted.
    pub max_connections: usize,
    /// A connection silent this long is closed.
    pub idle_timeout: Duration,
    /// Distinct logger names the receiver creates loggers for; records
    /// naming further loggers go to the root logger (their name kept), counted.
    pub max_loggers: usize,
    /// After `stop`, how long connections are still read (what the kernel
    /// holds is read until a pause of `POLL` or this deadline).
    pub drain_timeout: Duration,
}

impl Default for ReceiverOptions {
    fn default() -> ReceiverOptions {
        ReceiverOptions {
            tcp: None,
            udp: None,
            logname: None,
            max_frame: DEFAULT_MAX_FRAME,
            max_connections: 256,
            idle_timeout: Duration::from_secs(600),
            max_loggers: 10_000,
            drain_timeout: Duration::from_secs(2),
        }
    }
}

/// How often blocked reads wake up to look at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// Counters a running receiver keeps.
#[derive(Default)]
pub struct Stats {
    pub received: AtomicU64,
    pub rejected: AtomicU64,
    pub refused_connections: AtomicU64,
    pub logger_cap_hits: AtomicU64,
    pub idle_closed: AtomicU64,
}

struct Shared {
    options: ReceiverOptions,
    stop: AtomicBool,
    stop_deadline: Lock<Option<Instant>>,
    stats: Stats,
    connections: AtomicUsize,
    workers: Lock<Vec<JoinHandle<()>>>,
    loggers: Lock<HashSet<String>>,
    last_rejection: Lock<String>,
}

pub struct Receiver {
    shared: Arc<Shared>,
    tcp_addr: Option<SocketAddr>,
    udp_addr: Option<SocketAddr>,
    threads: Vec<JoinHandle<()>>,
}

fn resolve(address: &str) -> io::Result<SocketAddr> {
    address.to_socket_addrs()?.next().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{address}: no address"),
        )
    })
}

impl Receiver {
    /// Binds the sockets (errors are returned here) and starts serving.
    pub fn start(options: ReceiverOptions) -> io::Result<Receiver> {
        if options.tcp.is_none() && options.udp.is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "neither a TCP nor a UDP address to listen on",
            ));
        }
        let listener = match &options.tcp {
            Some(a) => Some(TcpListener::bind(resolve(a)?)?),
            None => None,
        };
        let udp = match &options.udp {
            Some(a) => Some(UdpSocket::bind(resolve(a)?)?),
            None => None,
        };
        let shared = Arc::new(Shared {
            options,
            stop: AtomicBool::new(false),
            stop_deadline: Lock::new(None),
            stats: Stats::default(),
            connections: AtomicUsize::new(0),
            workers: Lock::new(Vec::new()),
            loggers: Lock::new(HashSet::new()),
            last_rejection: Lock::new(String::new()),
        });
        let mut receiver = Receiver {
            shared: shared.clone(),
            tcp_addr: None,
            udp_addr: None,
            threads: Vec::new(),
        };
        if let Some(listener) = listener {
            receiver.tcp_addr = Some(listener.local_addr()?);
            let shared = shared.clone();
            receiver.threads.push(
                std::thread::Builder::new()
                    .name("sawmill-recv-tcp".into())
                    .spawn(move || accept_loop(listener, shared))?,
            );
        }
        if let Some(socket) = udp {
            receiver.udp_addr = Some(socket.local_addr()?);
            socket.set_read_timeout(Some(POLL))?;
            let shared = shared.clone();
            receiver.threads.push(
                std::thread::Builder::new()
                    .name("sawmill-recv-udp".into())
                    .spawn(move || udp_loop(socket, shared))?,
            );
        }
        Ok(receiver)
    }

    /// The bound port (useful with port 0), or None if not listening.
    pub fn port(&self, udp: bool) -> Option<u16> {
        let addr = if udp { self.udp_addr } else { self.tcp_addr };
        addr.map(|a| a.port())
    }

    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Frames refused (malformed, too large, truncated, not a dict).
    pub fn rejected_count(&self) -> u64 {
        self.shared.stats.rejected.load(Ordering::Relaxed)
    }

    /// Records handed to a logger.
    pub fn received_count(&self) -> u64 {
        self.shared.stats.received.load(Ordering::Relaxed)
    }

    /// Why the last frame was refused ("" if none was).
    pub fn last_rejection(&self) -> String {
        self.shared.last_rejection.lock().clone()
    }

    /// Stops accepting, reads what the connections and the UDP socket still
    /// hold (until a pause or the drain deadline), and joins every thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        *self.shared.stop_deadline.lock() =
            Some(Instant::now() + self.shared.options.drain_timeout);
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(addr) = self.tcp_addr {
            // Wakes the blocked accept; it sees the flag and returns.
            let mut wake = addr;
            if wake.ip().is_unspecified() {
                wake.set_ip(if wake.is_ipv4() {
                    [127, 0, 0, 1].into()
                } else {
                    std::net::Ipv6Addr::LOCALHOST.into()
                });
            }
            let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        let workers = std::mem::take(&mut *self.shared.workers.lock());
        for worker in workers {
            let _ = worker.join();
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn past_drain_deadline(&self) -> bool {
        self.stop_deadline
            .lock()
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    fn reject(&self, why: &str) {
        self.stats.rejected.fetch_add(1, Ordering::Relaxed);
        let mut last = self.last_rejection.lock();
        last.clear();
        last.push_str(why);
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let Ok(stream) = stream else {
            // EMFILE and friends: back off rather than spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if shared.connections.load(Ordering::SeqCst) >= shared.options.max_connections {
            shared
                .stats
                .refused_connections
                .fetch_add(1, Ordering::Relaxed);
            continue;
        }
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let worker_shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("sawmill-recv-conn".into())
            .spawn(move || {
                serve_connection(stream, &worker_shared);
                worker_shared.connections.fetch_sub(1, Ordering::SeqCst);
            });
        match spawned {
            Ok(handle) => {
                let mut workers = shared.workers.lock();
                workers.retain(|w| !w.is_finished());
                workers.push(handle);
            }
            Err(_) => {
                shared.connections.fetch_sub(1, Ordering::SeqCst);
                shared
                    .stats
                    .refused_connections
                    .fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Per-thread logger lookup: the last name (a connection's records mostly
/// come from one logger), names seen by this thread, then the shared set,
/// which is capped. Also the pickle decoder's storage, kept between frames.
struct Loggers<'s> {
    shared: &'s Shared,
    last: Option<(String, &'static Logger)>,
    cache: HashMap<String, &'static Logger>,
    scratch: super::pickle::Scratch,
}

impl<'s> Loggers<'s> {
    fn new(shared: &'s Shared) -> Loggers<'s> {
        Loggers {
            shared,
            last: None,
            cache: HashMap::new(),
            scratch: Default::default(),
        }
    }

    fn get(&mut self, name: &str) -> &'static Logger {
        if let Some((last, logger)) = &self.last {
            if last == name {
                return logger;
            }
        }
        let logger = self.lookup(name);
        match &mut self.last {
            Some((last, cached)) => {
                last.clear();
                last.push_str(name);
                *cached = logger;
            }
            None => self.last = Some((name.to_owned(), logger)),
        }
        logger
    }

    fn lookup(&mut self, name: &str) -> &'static Logger {
        if let Some(logger) = self.cache.get(name) {
            return logger;
        }
        let mut known = self.shared.loggers.lock();
        if !known.contains(name) {
            if known.len() >= self.shared.options.max_loggers {
                drop(known);
                self.shared
                    .stats
                    .logger_cap_hits
                    .fetch_add(1, Ordering::Relaxed);
                return crate::manager::root();
            }
            known.insert(name.to_owned());
        }
        drop(known);
        let logger = crate::manager::get_logger(name);
        self.cache.insert(name.to_owned(), logger);
        logger
    }
}

/// Decodes one frame body and hands the record to its logger.
fn deliver(
    body: &[u8],
    shared: &Shared,
    loggers: &mut Loggers<'_>,
    repeats: &mut Repeats,
) -> Result<(), FrameError> {
    let now = crate::clock::now;
    let mut record = super::blank_record();
    let scratch = &mut loggers.scratch;
    super::decode_record_into(scratch, Some(&*repeats), body, now, &mut record)?;
    let logger = match &shared.options.logname {
        Some(name) => loggers.get(name),
        None => loggers.get(&record.name),
    };
    logger.handle(&mut record);
    loggers
        .scratch
        .give_back_extras(std::mem::take(&mut record.extras));
    drop(record);
    repeats.learn(body);
    shared.stats.received.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

const READ_CHUNK: usize = 64 * 1024;

fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    if stream.set_read_timeout(Some(POLL)).is_err() {
        return;
    }
    let mut loggers = Loggers::new(shared);
    let mut repeats = Repeats::default();
    let max = shared.options.max_frame;
    // `buf[..filled]` holds what was read and not yet delivered. Its bytes
    // are zeroed once, when it grows, not before every read.
    let mut buf: Vec<u8> = vec![0; READ_CHUNK];
    let mut filled = 0;
    let mut last_data = Instant::now();
    loop {
        // Every complete frame in the buffer.
        let mut start = 0;
        let mut wanted = 4;
        while filled - start >= 4 {
            let prefix: [u8; 4] = buf[start..start + 4].try_into().expect("4 bytes");
            let len = match check_length(prefix, max) {
                Ok(len) => len,
                Err(e) => return shared.reject(&e.0),
            };
            if filled - start - 4 < len {
                wanted = 4 + len;
                break;
            }
            let body = &buf[start + 4..start + 4 + len];
            if let Err(e) = deliver(body, shared, &mut loggers, &mut repeats) {
                return shared.reject(&e.0);
            }
            start += 4 + len;
        }
        buf.copy_within(start..filled, 0);
        filled -= start;
        if filled == 0 && buf.len() > 4 * READ_CHUNK {
            // A huge frame's buffer must not pin memory once it is gone.
            buf = vec![0; READ_CHUNK];
        }
        // Room for the frame being read (its size is checked: at most max).
        if buf.len() < wanted.max(READ_CHUNK) {
            buf.resize(wanted.max(READ_CHUNK), 0);
        }
        match stream.read(&mut buf[filled..]) {
            Ok(0) => {
                if filled > 0 {
                    shared.reject("truncated frame (connection closed inside it)");
                }
                return;
            }
            Ok(n) => {
                filled += n;
                last_data = Instant::now();
                if shared.stopping() && shared.past_drain_deadline() {
                    return;
                }
            }
            Err(e) => match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    if shared.stopping() {
                        return;
                    }
                    if last_data.elapsed() >= shared.options.idle_timeout {
                        shared.stats.idle_closed.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
                io::ErrorKind::Interrupted => {}
                _ => return,
            },
        }
    }
}

fn udp_loop(socket: UdpSocket, shared: Arc<Shared>) {
    let mut loggers = Loggers::new(&shared);
    let mut repeats = Repeats::default();
    let mut buf = vec![0u8; 65536];
    loop {
        match socket.recv_from(&mut buf) {
            Ok((n, _)) => {
                let result = datagram_body(&buf[..n], shared.options.max_frame)
                    .and_then(|body| deliver(body, &shared, &mut loggers, &mut repeats));
                if let Err(e) = result {
                    shared.reject(&e.0);
                }
                if shared.stopping() && shared.past_drain_deadline() {
                    return;
                }
            }
            Err(e) => match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    if shared.stopping() {
                        return;
                    }
                }
                io::ErrorKind::Interrupted => {}
                _ => std::thread::sleep(Duration::from_millis(10)),
            },
        }
    }
}
