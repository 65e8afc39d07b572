//! The config server: CPython's `logging.config.listen()`, made safe.
//!
//! Framing is CPython's: one message per connection, a 4-byte big-endian
//! length then that many bytes, no reply. The body is offered to the verify
//! callback (false: dropped); then, if it is a JSON object, applied as
//! dictConfig, otherwise as fileConfig INI (parsed from memory; CPython
//! writes it to a file-like object). Both apply with `Trust::Remote`, so a
//! class that runs programs is refused, and nothing in the body is ever
//! evaluated. The length is checked against the size limit BEFORE anything
//! is allocated; each connection has a deadline for its whole message and
//! runs on its own short-lived thread (at most `MAX_CONNECTIONS` at once),
//! so a slow or silent client cannot hold up the next. A message that
//! cannot be applied is reported on stderr (as CPython prints its
//! traceback) and counted; the running configuration stays as it was.

use std::io::Read;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::classes::Trust;
use super::dict::{apply_value, ApplyOptions};
use super::file::file_config_text;
use super::ConfigError;
use crate::sync::Lock;

/// CPython's default config port (used when a caller asks for it; sawmill's
/// default is an ephemeral port).
pub const DEFAULT_PORT: u16 = 9030;
/// Default largest message (bytes).
pub const DEFAULT_MAX_SIZE: usize = 1 << 20;
/// Default time a client has to deliver its whole message.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections handled at once; more are closed unread (and counted).
pub const MAX_CONNECTIONS: usize = 8;

/// Whether a received body may be applied (false: dropped silently).
pub type Verify = Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// How the config server listens.
#[derive(Clone)]
pub struct ListenOptions {
    /// Address to bind; "127.0.0.1" by default.
    pub host: String,
    /// Port to bind; 0 (the default) picks a free one.
    pub port: u16,
    /// Largest message accepted, checked against the length prefix.
    pub max_size: usize,
    /// Deadline for a client's whole message.
    pub timeout: Duration,
    pub verify: Option<Verify>,
}

impl Default for ListenOptions {
    fn default() -> Self {
        ListenOptions {
            host: "127.0.0.1".into(),
            port: 0,
            max_size: DEFAULT_MAX_SIZE,
            timeout: DEFAULT_TIMEOUT,
            verify: None,
        }
    }
}

/// What the config server has done since the process started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListenerStats {
    /// Messages applied.
    pub applied: u64,
    /// Messages the verify callback dropped, and connections turned away
    /// because `MAX_CONNECTIONS` were busy.
    pub dropped: u64,
    /// Messages refused: too large, cut short, timed out, not UTF-8, or a
    /// configuration that did not apply.
    pub failed: u64,
}

static APPLIED: AtomicU64 = AtomicU64::new(0);
static DROPPED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// The counters.
pub fn stats() -> ListenerStats {
    ListenerStats {
        applied: APPLIED.load(Ordering::Relaxed),
        dropped: DROPPED.load(Ordering::Relaxed),
        failed: FAILED.load(Ordering::Relaxed),
    }
}

struct Running {
    stop: Arc<AtomicBool>,
    wake: SocketAddr,
    thread: Option<JoinHandle<()>>,
    pid: u32,
}

static RUNNING: Lock<Option<Running>> = Lock::new(None);

/// Starts the config server; returns the bound port. One server at a time:
/// a second call while one runs is an error.
pub fn listen(options: ListenOptions) -> Result<u16, ConfigError> {
    let mut running = RUNNING.lock();
    if let Some(r) = running.as_ref() {
        if r.pid == std::process::id() {
            return Err(ConfigError("config listener: already listening".into()));
        }
        // Inherited through fork: its thread stayed in the parent.
        forget(running.take());
    }
    let addr = (options.host.as_str(), options.port)
        .to_socket_addrs()
        .map_err(|e| {
            ConfigError(format!(
                "config listener: bad address {}: {e}",
                options.host
            ))
        })?
        .next()
        .ok_or_else(|| ConfigError(format!("config listener: no address for {}", options.host)))?;
    let listener = TcpListener::bind(addr)
        .map_err(|e| ConfigError(format!("config listener: cannot bind {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ConfigError(format!("config listener: {e}")))?;
    let mut wake = bound;
    if wake.ip().is_unspecified() {
        wake.set_ip(if wake.is_ipv6() {
            Ipv6Addr::LOCALHOST.into()
        } else {
            Ipv4Addr::LOCALHOST.into()
        });
    }
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("sawmill-config-listener".into())
            .spawn(move || serve(listener, options, stop))
            .map_err(|e| ConfigError(format!("config listener: cannot start: {e}")))?
    };
    *running = Some(Running {
        stop,
        wake,
        thread: Some(thread),
        pid: std::process::id(),
    });
    Ok(bound.port())
}

/// Stops the config server and waits for its accept loop to end (a message
/// being read then is not applied). Not listening: Ok.
pub fn stop_listening() -> Result<(), ConfigError> {
    let taken = RUNNING.lock().take();
    let Some(mut r) = taken else {
        return Ok(());
    };
    if r.pid != std::process::id() {
        forget(Some(r));
        return Ok(());
    }
    r.stop.store(true, Ordering::SeqCst);
    // Wake the blocking accept.
    let _ = TcpStream::connect_timeout(&r.wake, Duration::from_secs(1));
    if let Some(t) = r.thread.take() {
        let _ = t.join();
    }
    Ok(())
}

/// A server inherited through fork: its thread is not in this process, so
/// its handle must not be joined (nor dropped, which would detach a thread
/// id that means nothing here).
fn forget(r: Option<Running>) {
    if let Some(mut r) = r {
        std::mem::forget(r.thread.take());
    }
}

fn report(message: &str) {
    FAILED.fetch_add(1, Ordering::Relaxed);
    let text = format!("sawmill: config listener: {message}\n");
    let _ = crate::handler::output::write_all(2, text.as_bytes());
}

fn serve(listener: TcpListener, options: ListenOptions, stop: Arc<AtomicBool>) {
    let active = Arc::new(AtomicUsize::new(0));
    let options = Arc::new(options);
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = conn else {
            // Out of descriptors and the like: do not spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            DROPPED.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let (active2, options, stop) = (active.clone(), options.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name("sawmill-config-conn".into())
            .spawn(move || {
                handle(stream, &options, &stop);
                active2.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
            report("cannot start a thread for a connection");
        }
    }
}

/// Reads exactly `buf.len()` bytes before `deadline`.
fn read_by(stream: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> Result<(), String> {
    let mut got = 0;
    while got < buf.len() {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or("timed out waiting for the message")?;
        stream
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        match stream.read(&mut buf[got..]) {
            Ok(0) => {
                return Err(format!(
                    "connection closed after {got} of {} bytes",
                    buf.len()
                ))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err("timed out waiting for the message".into())
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}

fn handle(mut stream: TcpStream, options: &ListenOptions, stop: &AtomicBool) {
    let deadline = Instant::now() + options.timeout;
    let mut prefix = [0u8; 4];
    if let Err(e) = read_by(&mut stream, &mut prefix, deadline) {
        report(&format!("length prefix: {e}"));
        return;
    }
    let len = u32::from_be_bytes(prefix) as usize;
    if len > options.max_size {
        report(&format!(
            "message of {len} bytes refused: the limit is {} bytes",
            options.max_size
        ));
        return;
    }
    let mut body = vec![0u8; len];
    if let Err(e) = read_by(&mut stream, &mut body, deadline) {
        report(&format!("message: {e}"));
        return;
    }
    drop(stream);
    if stop.load(Ordering::SeqCst) {
        return;
    }
    if let Some(verify) = &options.verify {
        if !verify(&body) {
            DROPPED.fetch_add(1, Ordering::Relaxed);
            return;
        }
    }
    match apply_message(
        &body,
        ApplyOptions {
            trust: Trust::Remote,
            check_only: false,
        },
    ) {
        Ok(()) => {
            APPLIED.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => report(&e.0),
    }
}

/// A message body as the server applies it: a JSON object is a dictConfig
/// document, anything else an INI text (fileConfig with
/// disable_existing_loggers, as CPython's server calls it).
pub fn apply_message(body: &[u8], options: ApplyOptions) -> Result<(), ConfigError> {
    let text =
        std::str::from_utf8(body).map_err(|e| ConfigError(format!("message is not UTF-8: {e}")))?;
    if let Ok(doc @ serde_json::Value::Object(_)) = serde_json::from_str(text) {
        return apply_value(&doc, options);
    }
    file_config_text(text, true, options)
}
