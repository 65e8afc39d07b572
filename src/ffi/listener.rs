//! The config server from C: CPython's `logging.config.listen()` /
//! `stopListening()` with a verify callback, safe by construction (nothing
//! received is evaluated; classes that run programs are refused).

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::handler::UserData;
use super::{optional_str, sawmill_status, status_call, FfiError};
use crate::config::listener::{self, ListenOptions};

/// Whether a received message may be applied: `data` holds `len` bytes
/// (not NUL-terminated), valid only during the call. Return false to drop
/// the message. Called from a connection thread of the server.
pub type sawmill_verify_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, data: *const c_char, len: usize) -> bool>;

static MAX_SIZE: AtomicUsize = AtomicUsize::new(listener::DEFAULT_MAX_SIZE);
static TIMEOUT_MS: AtomicU32 = AtomicU32::new(listener::DEFAULT_TIMEOUT.as_millis() as u32);

/// Limits for the config servers started after this call: the largest
/// message in bytes (checked against the length prefix before anything is
/// allocated; 0 → the default, 1 MiB) and the time in milliseconds a client
/// has for its whole message (0 → the default, 5000). Always SAWMILL_OK.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_config_listen_set_limits(
    max_size: usize,
    timeout_ms: u32,
) -> sawmill_status {
    status_call(|| {
        let size = if max_size == 0 {
            listener::DEFAULT_MAX_SIZE
        } else {
            max_size
        };
        let ms = if timeout_ms == 0 {
            listener::DEFAULT_TIMEOUT.as_millis() as u32
        } else {
            timeout_ms
        };
        MAX_SIZE.store(size, Ordering::Relaxed);
        TIMEOUT_MS.store(ms, Ordering::Relaxed);
        Ok(())
    })
}

/// Starts the config server (CPython's `logging.config.listen`) on a thread
/// of its own: `host` NULL → "127.0.0.1"; `port` 0 → a free port, written
/// to `*bound_port` (which may be NULL when not wanted). Each connection
/// carries one message: a 4-byte big-endian length, then a JSON dictConfig
/// document or a fileConfig INI text; no reply. `verify` (may be NULL) sees
/// each message first and drops it by returning false; it and `user_data`
/// must stay valid until `sawmill_config_stop_listening` returns and be
/// callable from any thread. Messages are applied with remote trust
/// (classes that run programs are refused); one that fails to apply is
/// reported on stderr and the running configuration stays. One server at a
/// time: a second call → SAWMILL_ERR_INVALID_ARGUMENT; a port out of range
/// → SAWMILL_ERR_INVALID_ARGUMENT; an address that cannot be bound →
/// SAWMILL_ERR_CONFIG; invalid UTF-8 host → SAWMILL_ERR_INVALID_UTF8.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_config_listen(
    host: *const c_char,
    port: c_int,
    verify: sawmill_verify_fn,
    user_data: *mut c_void,
    bound_port: *mut c_int,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: NULL or a NUL-terminated string.
        let host = unsafe { optional_str(host, "host") }?.unwrap_or("127.0.0.1");
        let port = u16::try_from(port)
            .map_err(|_| FfiError::invalid(format!("port {port} is out of range")))?;
        let verify = verify.map(|f| {
            let data = UserData {
                ptr: user_data,
                destroy: None,
            };
            Arc::new(move |body: &[u8]| {
                let data = &data;
                // SAFETY: the C caller promised a callable verify and a
                // user_data valid until the server stops; the body is
                // valid for the call.
                unsafe { f(data.ptr, body.as_ptr().cast(), body.len()) }
            }) as listener::Verify
        });
        let options = ListenOptions {
            host: host.to_owned(),
            port,
            max_size: MAX_SIZE.load(Ordering::Relaxed),
            timeout: Duration::from_millis(u64::from(TIMEOUT_MS.load(Ordering::Relaxed))),
            verify,
        };
        let bound = listener::listen(options).map_err(|e| {
            let status = if e.0.contains("already listening") {
                sawmill_status::SAWMILL_ERR_INVALID_ARGUMENT
            } else {
                sawmill_status::SAWMILL_ERR_CONFIG
            };
            FfiError::new(status, e.0)
        })?;
        if !bound_port.is_null() {
            // SAFETY: the caller passes NULL or a writable int.
            unsafe { bound_port.write(c_int::from(bound)) };
        }
        Ok(())
    })
}

/// Stops the config server started by `sawmill_config_listen` and waits
/// for its accept loop to end; a message still being read is not applied.
/// Not listening (or a server inherited through fork, whose thread stayed
/// in the parent) → SAWMILL_OK. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_config_stop_listening() -> sawmill_status {
    status_call(|| {
        listener::stop_listening()
            .map_err(|e| FfiError::new(sawmill_status::SAWMILL_ERR_CONFIG, e.0))
    })
}

/// The config server's counters since the process started: messages
/// applied, dropped (by verify, or turned away while 8 connections were
/// busy) and failed (too large, cut short, timed out, or not applicable).
/// Each pointer may be NULL when that count is not wanted. Always
/// SAWMILL_OK. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_config_listener_stats(
    applied: *mut u64,
    dropped: *mut u64,
    failed: *mut u64,
) -> sawmill_status {
    status_call(|| {
        let s = listener::stats();
        for (ptr, value) in [
            (applied, s.applied),
            (dropped, s.dropped),
            (failed, s.failed),
        ] {
            if !ptr.is_null() {
                // SAFETY: the caller passes NULL or a writable uint64_t.
                unsafe { ptr.write(value) };
            }
        }
        Ok(())
    })
}
