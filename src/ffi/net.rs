//! Records over the network from C: Socket and Datagram handlers in
//! CPython's wire format, the receiver, and the HTTP and SMTP handlers.

use std::ffi::{c_char, c_int};
use std::time::Duration;

use super::handler::{into_c, sawmill_handler};
use super::{
    check_not_null, optional_str, pointer_call, required_str, sawmill_status, status_call,
    FfiError, FfiResult,
};
use crate::handler::http::{HttpOptions, Method};
use crate::handler::smtp::SmtpOptions;
use crate::handler::{self, NetOptions};
use crate::net::receiver::{Receiver, ReceiverOptions};
use crate::net::Encoding;

unsafe fn net_options(host: *const c_char, port: c_int) -> FfiResult<NetOptions> {
    // SAFETY: C contract: a NUL-terminated string.
    let host = unsafe { required_str(host, "host") }?;
    let port = u16::try_from(port)
        .ok()
        .filter(|&p| p != 0)
        .ok_or_else(|| FfiError::invalid(format!("port {port} is not in 1..65535")))?;
    Ok(NetOptions::new(host, port))
}

/// Python's `SocketHandler(host, port)`: every record's dict (every key
/// CPython sends, `msg` merged, `args` and `exc_info` None, `exc_text`
/// filled) as a pickle behind a 4-byte big-endian length, over TCP, so
/// CPython's `makeLogRecord` + `Logger.handle` accept it unchanged. Connects
/// at the first record (1 s connect timeout, 1 s send timeout); after a
/// failure no connect is tried for 1 s, doubling up to 30 s, and records
/// logged meanwhile are dropped and counted (`sawmill_handler_dropped_count`).
/// NULL host → NULL + SAWMILL_ERR_NULL_ARGUMENT; port outside 1..65535 →
/// SAWMILL_ERR_INVALID_ARGUMENT. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_socket_handler_new(
    host: *const c_char,
    port: c_int,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let options = unsafe { net_options(host, port) }?;
        Ok(into_c(handler::socket_handler(options)))
    })
}

/// `sawmill_socket_handler_new` with its settings: `json` sends the same
/// dict as a UTF-8 JSON object instead of a pickle; timeouts in
/// milliseconds (0 keeps the default of 1000); `buffer_records` > 0 keeps up
/// to that many records while the peer is unreachable and sends them first
/// once it is back (the oldest is dropped and counted when full). The
/// caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_socket_handler_new_ex(
    host: *const c_char,
    port: c_int,
    json: bool,
    connect_timeout_ms: u32,
    send_timeout_ms: u32,
    buffer_records: u32,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let mut options = unsafe { net_options(host, port) }?;
        if json {
            options.encoding = Encoding::Json;
        }
        if connect_timeout_ms > 0 {
            options.connect_timeout = Duration::from_millis(connect_timeout_ms.into());
        }
        if send_timeout_ms > 0 {
            options.send_timeout = Duration::from_millis(send_timeout_ms.into());
        }
        options.buffer_records = buffer_records as usize;
        Ok(into_c(handler::socket_handler(options)))
    })
}

/// Python's `DatagramHandler(host, port)`: the same bytes as
/// `sawmill_socket_handler_new` (length prefix included), one UDP datagram
/// per record; `json` as in `sawmill_socket_handler_new_ex`. A record too
/// large for a datagram, or a failed send, is counted as an I/O error. NULL
/// host → NULL + SAWMILL_ERR_NULL_ARGUMENT; bad port →
/// SAWMILL_ERR_INVALID_ARGUMENT. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_datagram_handler_new(
    host: *const c_char,
    port: c_int,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let options = unsafe { net_options(host, port) }?;
        Ok(into_c(handler::datagram_handler(options)))
    })
}

/// `sawmill_datagram_handler_new` sending JSON objects when `json`.
/// Ownership and errors as there. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_datagram_handler_new_ex(
    host: *const c_char,
    port: c_int,
    json: bool,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let mut options = unsafe { net_options(host, port) }?;
        if json {
            options.encoding = Encoding::Json;
        }
        Ok(into_c(handler::datagram_handler(options)))
    })
}

/// A running receiver (see `sawmill_receiver_start`).
pub struct sawmill_receiver {
    _opaque: [u8; 0],
}

/// Starts receiving records: CPython's SocketHandler/DatagramHandler frames
/// (pickles of protocols 0–5, decoded without ever importing or calling
/// anything) and sawmill's JSON frames, on TCP `tcp_address` and/or UDP
/// `udp_address` ("host:port", port 0 → ephemeral; NULL → not that one).
/// Each record is rebuilt as `makeLogRecord` does and handed to
/// `Logger.handle` of the logger it names, or of `logname` (NULL → the
/// record's name), so local levels, filters and handlers apply. Limits: 1 MiB
/// frames, 64-deep nesting, 256 connections, 600 s idle, 10,000 logger
/// names (further names go to the root logger). A malformed frame closes its
/// connection and is counted (`sawmill_receiver_rejected_count`). Both
/// addresses NULL, or a bad address → NULL + SAWMILL_ERR_INVALID_ARGUMENT; a
/// bind failure → SAWMILL_ERR_IO. The caller owns the receiver and stops it
/// with `sawmill_receiver_stop`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_receiver_start(
    tcp_address: *const c_char,
    udp_address: *const c_char,
    logname: *const c_char,
) -> *mut sawmill_receiver {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings or NULL.
        let tcp = unsafe { optional_str(tcp_address, "tcp_address") }?;
        let udp = unsafe { optional_str(udp_address, "udp_address") }?;
        let logname = unsafe { optional_str(logname, "logname") }?;
        if tcp.is_none() && udp.is_none() {
            return Err(FfiError::invalid(
                "tcp_address and udp_address are both NULL: nothing to listen on",
            ));
        }
        let options = ReceiverOptions {
            tcp: tcp.map(str::to_owned),
            udp: udp.map(str::to_owned),
            logname: logname.map(str::to_owned),
            ..ReceiverOptions::default()
        };
        let receiver = Receiver::start(options).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidInput {
                FfiError::invalid(e.to_string())
            } else {
                FfiError::io(&e)
            }
        })?;
        Ok(Box::into_raw(Box::new(receiver)) as *mut sawmill_receiver)
    })
}

unsafe fn receiver_ref<'a>(r: *const sawmill_receiver) -> FfiResult<&'a Receiver> {
    check_not_null(r, "receiver")?;
    // SAFETY: a non-null pointer came from `sawmill_receiver_start` and is
    // not stopped yet (C contract).
    Ok(unsafe { &*(r as *const Receiver) })
}

/// The port the receiver listens on for UDP (`udp`) or TCP; -1 if it does
/// not listen on that one, or for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_receiver_port(r: *const sawmill_receiver, udp: bool) -> c_int {
    super::boundary(
        |_| -1,
        || {
            // SAFETY: checked handle (C contract: not stopped).
            let receiver = unsafe { receiver_ref(r) }?;
            Ok(receiver.port(udp).map_or(-1, c_int::from))
        },
    )
}

/// Frames refused so far (truncated, empty, over the size limit, not a
/// pickle or JSON object of a dict, a refused global, nested too deeply).
/// 0 for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_receiver_rejected_count(r: *const sawmill_receiver) -> u64 {
    // SAFETY: checked handle (C contract: not stopped).
    super::boundary(|_| 0, || Ok(unsafe { receiver_ref(r) }?.rejected_count()))
}

/// Records handed to a logger so far. 0 for NULL. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_receiver_received_count(r: *const sawmill_receiver) -> u64 {
    // SAFETY: checked handle (C contract: not stopped).
    super::boundary(|_| 0, || Ok(unsafe { receiver_ref(r) }?.received_count()))
}

/// Stops the receiver: no new connection is accepted, what the connections
/// and the UDP socket already hold is read and logged (until a 100 ms pause,
/// at most 2 s), then every thread is joined and the receiver freed; `r`
/// is invalid afterwards. Handlers are not flushed or closed (they belong
/// to the loggers). NULL → SAWMILL_ERR_NULL_ARGUMENT. Call once, from any
/// thread, with no other call on `r` running.
#[no_mangle]
pub unsafe extern "C" fn sawmill_receiver_stop(r: *mut sawmill_receiver) -> sawmill_status {
    status_call(|| {
        check_not_null(r, "receiver")?;
        // SAFETY: the pointer came from `Box::into_raw` in
        // `sawmill_receiver_start`; the caller gives up ownership here.
        let receiver = unsafe { Box::from_raw(r as *mut Receiver) };
        receiver.stop();
        Ok(())
    })
}

unsafe fn credentials(
    username: *const c_char,
    password: *const c_char,
) -> FfiResult<Option<(String, String)>> {
    // SAFETY: C contract: NUL-terminated strings or NULL.
    let user = unsafe { optional_str(username, "username") }?;
    let password = unsafe { optional_str(password, "password") }?;
    Ok(user.map(|u| (u.to_owned(), password.unwrap_or("").to_owned())))
}

/// Python's `HTTPHandler(host, url, method, secure, credentials)`: one
/// request per record with the record's dict url-encoded as CPython's
/// `urlencode(record.__dict__)` (GET: appended to `url` after `?` or `&`;
/// POST: an `application/x-www-form-urlencoded` body); `host` is "host" or
/// "host:port"; `method` "GET"/"POST" in any case (NULL → GET); `secure` →
/// HTTPS; `username` non-NULL → a Basic Authorization header with
/// `password` (NULL → ""). `json` posts the dict as `application/json`
/// instead. The request is bounded by `timeout_ms` (0 → 5000); the response
/// is ignored as in CPython, a failed exchange is counted as an I/O error.
/// NULL host or url → NULL + SAWMILL_ERR_NULL_ARGUMENT; a bad method →
/// SAWMILL_ERR_INVALID_ARGUMENT. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_http_handler_new(
    host: *const c_char,
    url: *const c_char,
    method: *const c_char,
    secure: bool,
    username: *const c_char,
    password: *const c_char,
    json: bool,
    timeout_ms: u32,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings (method may be NULL).
        let host = unsafe { required_str(host, "host") }?;
        let url = unsafe { required_str(url, "url") }?;
        let method = unsafe { optional_str(method, "method") }?.unwrap_or("GET");
        let mut options = HttpOptions::new(host, url);
        options.method = Method::parse(method).map_err(FfiError::invalid)?;
        options.secure = secure;
        // SAFETY: forwarded C contract.
        options.credentials = unsafe { credentials(username, password) }?;
        options.json = json;
        if timeout_ms > 0 {
            options.timeout = Duration::from_millis(timeout_ms.into());
        }
        Ok(into_c(
            handler::http_handler(options).map_err(FfiError::invalid)?,
        ))
    })
}

/// Python's `SMTPHandler(mailhost, fromaddr, toaddrs, subject, credentials,
/// secure, timeout)`: one mail per record to the `n_toaddrs` addresses of
/// `toaddrs`, with From, To, Subject, Date and the formatted record as a
/// UTF-8 text body. `port` 0 → 25. `username` non-NULL → AUTH with
/// `password` (NULL → ""); `secure` → STARTTLS after EHLO, only with
/// credentials (CPython's rule); `ssl` → implicit TLS from the start
/// (Python's SMTP_SSL). Bounded by `timeout_ms` (0 → 5000). A NULL pointer
/// (also inside `toaddrs`) → NULL + SAWMILL_ERR_NULL_ARGUMENT; an address
/// that does not parse or no recipient → SAWMILL_ERR_INVALID_ARGUMENT. A
/// failed send is counted as an I/O error. The caller owns one reference.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_smtp_handler_new(
    mailhost: *const c_char,
    port: c_int,
    fromaddr: *const c_char,
    toaddrs: *const *const c_char,
    n_toaddrs: usize,
    subject: *const c_char,
    username: *const c_char,
    password: *const c_char,
    secure: bool,
    ssl: bool,
    timeout_ms: u32,
) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated strings.
        let mailhost = unsafe { required_str(mailhost, "mailhost") }?;
        let fromaddr = unsafe { required_str(fromaddr, "fromaddr") }?;
        let subject = unsafe { required_str(subject, "subject") }?;
        check_not_null(toaddrs, "toaddrs")?;
        let port = u16::try_from(port)
            .map_err(|_| FfiError::invalid(format!("port {port} is not in 0..65535")))?;
        let mut to = Vec::with_capacity(n_toaddrs);
        for i in 0..n_toaddrs {
            // SAFETY: C contract: `toaddrs` holds `n_toaddrs` pointers.
            let addr = unsafe { *toaddrs.add(i) };
            // SAFETY: C contract: each one a NUL-terminated string.
            to.push(unsafe { required_str(addr, "toaddrs[i]") }?);
        }
        let mut options = SmtpOptions::new(mailhost, fromaddr, &to, subject);
        options.port = port;
        // SAFETY: forwarded C contract.
        options.credentials = unsafe { credentials(username, password) }?;
        options.secure = secure;
        options.ssl = ssl;
        if timeout_ms > 0 {
            options.timeout = Duration::from_millis(timeout_ms.into());
        }
        Ok(into_c(
            handler::smtp_handler(options).map_err(FfiError::invalid)?,
        ))
    })
}
