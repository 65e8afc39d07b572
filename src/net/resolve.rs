//! Host name resolution with a bounded wait, for the handlers that connect
//! by name (Socket, Datagram, SysLog, HTTP). `getaddrinfo` has no timeout:
//! a slow or unreachable DNS server would hold the logging call for as long
//! as the resolver's own retries take (tens of seconds), past every timeout
//! the handler promises. Here the lookup runs on a helper thread and the
//! caller waits at most its timeout; a lookup that is still running is not
//! started twice, and a later call picks up its answer.
//!
//! Answers are kept: a good one for `FRESH` (then looked up again, the old
//! answer still used while the new lookup is slow or fails), a failure for
//! `FAILED_FOR` (so a handler that resolves per record does not wait on
//! every record). Literal addresses never reach the resolver.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::sync::Lock;

/// How long a good answer is used before it is looked up again.
const FRESH: Duration = Duration::from_secs(60);
/// How long a failed lookup is reported without asking again.
const FAILED_FOR: Duration = Duration::from_secs(5);
/// Names kept at most (they come from configurations: a handful).
const MAX_NAMES: usize = 256;

/// What a lookup gives: the addresses, or why there are none.
type Answer = Result<Vec<SocketAddr>, (io::ErrorKind, String)>;

/// The resolver the helper threads call (`getaddrinfo` unless a test set
/// another one), with port 0: answers are kept per name, whatever the port.
pub type ResolveFn = fn(&str, u16) -> io::Result<Vec<SocketAddr>>;

static RESOLVER: Lock<Option<ResolveFn>> = Lock::new(None);

/// Tests only: every later lookup calls `resolver` instead of the system's
/// (None: the system's again). Answers already kept are forgotten.
#[doc(hidden)]
pub fn set_resolver_for_tests(resolver: Option<ResolveFn>) {
    *RESOLVER.lock() = resolver;
    CACHE.lock().take();
}

/// One running lookup; its helper thread fills `answer`.
struct Lookup {
    answer: Mutex<Option<Answer>>,
    done: Condvar,
}

#[derive(Default)]
struct Entry {
    good: Option<(Vec<SocketAddr>, Instant)>,
    failed: Option<((io::ErrorKind, String), Instant)>,
    running: Option<Arc<Lookup>>,
}

impl Entry {
    /// Takes in the answer of a finished lookup, if any.
    fn settle(&mut self) {
        let finished = self
            .running
            .as_ref()
            .and_then(|l| l.answer.lock().unwrap_or_else(|e| e.into_inner()).clone());
        if let Some(answer) = finished {
            self.running = None;
            self.record(answer);
        }
    }

    fn record(&mut self, answer: Answer) {
        let now = Instant::now();
        match answer {
            Ok(addrs) => {
                self.good = Some((addrs, now));
                self.failed = None;
            }
            Err(why) => self.failed = Some((why, now)),
        }
    }
}

/// Host name → what is known of it (ports are set by the caller).
static CACHE: Lock<Option<HashMap<String, Entry>>> = Lock::new(None);

fn system_resolve(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    Ok((host, port).to_socket_addrs()?.collect())
}

fn lookup_now(host: &str) -> Answer {
    let resolver = RESOLVER.lock().unwrap_or(system_resolve);
    match resolver(host, 0) {
        Ok(addrs) if addrs.is_empty() => Err((
            io::ErrorKind::NotFound,
            format!("{host} resolves to no address"),
        )),
        Ok(addrs) => Ok(addrs),
        Err(e) => Err((e.kind(), format!("cannot resolve {host}: {e}"))),
    }
}

/// Starts a helper thread looking `host` up.
fn start(host: &str) -> Option<Arc<Lookup>> {
    let lookup = Arc::new(Lookup {
        answer: Mutex::new(None),
        done: Condvar::new(),
    });
    let (theirs, name) = (Arc::clone(&lookup), host.to_owned());
    std::thread::Builder::new()
        .name("sawmill-dns".into())
        .spawn(move || {
            let answer = lookup_now(&name);
            *theirs.answer.lock().unwrap_or_else(|e| e.into_inner()) = Some(answer);
            theirs.done.notify_all();
        })
        .ok()?;
    Some(lookup)
}

fn to_error((kind, text): (io::ErrorKind, String)) -> io::Error {
    io::Error::new(kind, text)
}

/// The addresses of `host:port`, waiting at most `timeout` for the DNS.
/// A literal IPv4 or IPv6 address (brackets allowed) is returned at once.
pub fn resolve(host: &str, port: u16, timeout: Duration) -> io::Result<Vec<SocketAddr>> {
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let mut addrs = resolve_name(host, timeout)?;
    for addr in &mut addrs {
        addr.set_port(port);
    }
    Ok(addrs)
}

/// The addresses of a host name (port 0), by the kept answers or a lookup.
fn resolve_name(host: &str, timeout: Duration) -> io::Result<Vec<SocketAddr>> {
    let key = host.to_owned();
    let lookup = {
        let mut cache = CACHE.lock();
        let cache = cache.get_or_insert_with(HashMap::new);
        if cache.len() >= MAX_NAMES && !cache.contains_key(&key) {
            cache.retain(|_, e| e.running.is_some());
        }
        let entry = cache.entry(key.clone()).or_default();
        entry.settle();
        let now = Instant::now();
        if let Some((addrs, at)) = &entry.good {
            if now.duration_since(*at) < FRESH {
                return Ok(addrs.clone());
            }
        }
        if let Some((why, at)) = &entry.failed {
            if now.duration_since(*at) < FAILED_FOR {
                return match &entry.good {
                    Some((addrs, _)) => Ok(addrs.clone()),
                    None => Err(to_error(why.clone())),
                };
            }
        }
        if entry.running.is_none() {
            match start(host) {
                Some(lookup) => entry.running = Some(lookup),
                // No thread to spare: look it up here, unbounded.
                None => {
                    let answer = lookup_now(host);
                    entry.record(answer.clone());
                    return choose(Some(answer), entry, host, timeout);
                }
            }
        }
        Arc::clone(entry.running.as_ref().expect("running"))
    };
    // Wait for the helper thread, outside the cache's lock.
    let answer = {
        let guard = lookup.answer.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = lookup
            .done
            .wait_timeout_while(guard, timeout, |a| a.is_none())
            .unwrap_or_else(|e| e.into_inner());
        guard.clone()
    };
    let mut cache = CACHE.lock();
    let entry = cache
        .get_or_insert_with(HashMap::new)
        .entry(key)
        .or_default();
    entry.settle();
    choose(answer, entry, host, timeout)
}

/// The lookup's answer (None: not in time); a kept good answer rather than
/// a failure or a lookup still running.
fn choose(
    answer: Option<Answer>,
    entry: &Entry,
    host: &str,
    timeout: Duration,
) -> io::Result<Vec<SocketAddr>> {
    match (answer, &entry.good) {
        (Some(Ok(addrs)), _) => Ok(addrs),
        (_, Some((addrs, _))) => Ok(addrs.clone()),
        (Some(Err(why)), None) => Err(to_error(why)),
        (None, None) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "resolving {host} took longer than {:.3} s (still trying in the background)",
                timeout.as_secs_f64()
            ),
        )),
    }
}

/// In a fork child: the helper threads of running lookups do not exist
/// there, so those lookups are forgotten (kept answers stay).
pub(crate) fn reset_after_fork() {
    if let Some(cache) = CACHE.lock().as_mut() {
        for entry in cache.values_mut() {
            entry.running = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_addresses_need_no_lookup() {
        let got = resolve("127.0.0.1", 9, Duration::ZERO).unwrap();
        assert_eq!(got, vec!["127.0.0.1:9".parse().unwrap()]);
        let got = resolve("[::1]", 9, Duration::ZERO).unwrap();
        assert_eq!(got, vec!["[::1]:9".parse().unwrap()]);
        let got = resolve("::1", 9, Duration::ZERO).unwrap();
        assert_eq!(got, vec!["[::1]:9".parse().unwrap()]);
    }
}
