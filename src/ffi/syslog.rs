//! SysLogHandler from C: one options struct, zeroed = defaults.

use std::ffi::{c_char, c_int};
use std::time::Duration;

use super::handler::{enter_handler_lock, handler_ref, into_c, sawmill_handler};
use super::FfiResult;
use super::{optional_str, pointer_call, required_str, sawmill_status, status_call, FfiError};
use crate::handler::syslog::{Address, Framing, SockType, SyslogOptions, DEFAULT_TIMEOUT};
use crate::handler::syslog_format::{facility_from_name, Bom, Protocol};
use crate::handler::{self, Handler};

/// `sawmill_syslog_options.socktype`.
#[repr(C)]
pub enum sawmill_syslog_socktype {
    /// Unix path: datagram, falling back to stream (as CPython); host: UDP.
    SAWMILL_SYSLOG_SOCK_DEFAULT = 0,
    SAWMILL_SYSLOG_SOCK_DGRAM = 1,
    SAWMILL_SYSLOG_SOCK_STREAM = 2,
}

/// `sawmill_syslog_options.protocol`.
#[repr(C)]
pub enum sawmill_syslog_protocol {
    /// CPython's bytes: `<PRI>` + ident + message + NUL.
    SAWMILL_SYSLOG_LEGACY = 0,
    SAWMILL_SYSLOG_RFC3164 = 1,
    SAWMILL_SYSLOG_RFC5424 = 2,
}

/// `sawmill_syslog_options.framing` (TCP only).
#[repr(C)]
pub enum sawmill_syslog_framing {
    /// RFC 6587 `LEN SP MSG`.
    SAWMILL_SYSLOG_OCTET_COUNTING = 0,
    /// MSG + LF.
    SAWMILL_SYSLOG_LF = 1,
}

/// `sawmill_syslog_options.bom` (RFC 5424 only).
#[repr(C)]
pub enum sawmill_syslog_bom {
    /// Before a MSG that is not pure ASCII, unless the text has U+FEFF.
    SAWMILL_SYSLOG_BOM_AUTO = 0,
    SAWMILL_SYSLOG_BOM_ALWAYS = 1,
    SAWMILL_SYSLOG_BOM_NEVER = 2,
}

/// One RFC 5424 SD-PARAM: consecutive entries with the same `sd_id` form
/// one SD-ELEMENT. All three strings are required.
#[repr(C)]
pub struct sawmill_sd_param {
    pub sd_id: *const c_char,
    pub name: *const c_char,
    pub value: *const c_char,
}

/// Python's `SysLogHandler` arguments plus sawmill's syslog keys. A zeroed
/// struct means all defaults: `/dev/log`, facility "user", legacy bytes
/// with the NUL, octet counting, BOM auto, 1000 ms timeout, 65507-byte
/// datagrams. `path` (a Unix socket) and `host` (with `port`, 0 = 514)
/// exclude each other. `socktype`, `protocol`, `framing` and `bom` take the
/// values of the enums of the same names. `facility` is Python's name
/// ("local0", "daemon", …) or a decimal number. `hostname`, `app_name`,
/// `procid`, `msgid`: NULL = the host's name, the program's name, the
/// process id, NILVALUE.
#[repr(C)]
pub struct sawmill_syslog_options {
    pub path: *const c_char,
    pub host: *const c_char,
    pub port: u16,
    pub socktype: c_int,
    pub facility: *const c_char,
    pub protocol: c_int,
    pub ident: *const c_char,
    /// Python's `append_nul = False`.
    pub omit_nul: bool,
    pub hostname: *const c_char,
    pub app_name: *const c_char,
    pub procid: *const c_char,
    pub msgid: *const c_char,
    pub structured_data: *const sawmill_sd_param,
    pub structured_data_len: usize,
    pub framing: c_int,
    pub bom: c_int,
    pub timeout_ms: u32,
    pub max_datagram: u32,
    /// Bytes of records kept while the daemon is unreachable and sent in
    /// order when it is back (write-through only); beyond it the oldest
    /// are dropped and counted in `sawmill_handler_dropped_count`.
    /// 0 = none kept: each such record is a handler error.
    pub outage_buffer: u32,
}

fn pick<T: Copy>(value: c_int, what: &str, choices: &[(c_int, T)]) -> FfiResult<T> {
    choices
        .iter()
        .find(|(c, _)| *c == value)
        .map(|(_, t)| *t)
        .ok_or_else(|| FfiError::invalid(format!("invalid {what} {value}")))
}

unsafe fn options_from_c(c: &sawmill_syslog_options) -> FfiResult<SyslogOptions> {
    // SAFETY (all calls below): C contract: NUL-terminated strings or NULL.
    let text = |p, what| unsafe { optional_str(p, what) }.map(|s| s.map(str::to_owned));
    let mut o = SyslogOptions::default();
    match (text(c.path, "path")?, text(c.host, "host")?) {
        (Some(_), Some(_)) => return Err(FfiError::invalid("give path or host, not both")),
        (Some(path), None) => o.address = Address::Unix(path.into()),
        (None, Some(host)) => {
            o.address = Address::Inet(host, if c.port == 0 { 514 } else { c.port })
        }
        (None, None) => {}
    }
    o.socktype = pick(
        c.socktype,
        "socktype",
        &[
            (
                sawmill_syslog_socktype::SAWMILL_SYSLOG_SOCK_DEFAULT as c_int,
                SockType::Default,
            ),
            (
                sawmill_syslog_socktype::SAWMILL_SYSLOG_SOCK_DGRAM as c_int,
                SockType::Dgram,
            ),
            (
                sawmill_syslog_socktype::SAWMILL_SYSLOG_SOCK_STREAM as c_int,
                SockType::Stream,
            ),
        ],
    )?;
    if let Some(f) = text(c.facility, "facility")? {
        o.facility = facility_from_name(&f).map_err(FfiError::invalid)?;
    }
    o.protocol = pick(
        c.protocol,
        "protocol",
        &[
            (
                sawmill_syslog_protocol::SAWMILL_SYSLOG_LEGACY as c_int,
                Protocol::Legacy,
            ),
            (
                sawmill_syslog_protocol::SAWMILL_SYSLOG_RFC3164 as c_int,
                Protocol::Rfc3164,
            ),
            (
                sawmill_syslog_protocol::SAWMILL_SYSLOG_RFC5424 as c_int,
                Protocol::Rfc5424,
            ),
        ],
    )?;
    o.ident = text(c.ident, "ident")?.unwrap_or_default();
    o.append_nul = !c.omit_nul;
    o.hostname = text(c.hostname, "hostname")?;
    o.app_name = text(c.app_name, "app_name")?;
    o.procid = text(c.procid, "procid")?;
    o.msgid = text(c.msgid, "msgid")?;
    if c.structured_data_len > 0 {
        if c.structured_data.is_null() {
            return Err(FfiError::null("structured_data"));
        }
        // SAFETY: C contract: `structured_data_len` readable entries.
        let params =
            unsafe { std::slice::from_raw_parts(c.structured_data, c.structured_data_len) };
        for p in params {
            // SAFETY: C contract: NUL-terminated strings.
            let id = unsafe { required_str(p.sd_id, "sd_id") }?;
            let name = unsafe { required_str(p.name, "name") }?.to_owned();
            let value = unsafe { required_str(p.value, "value") }?.to_owned();
            match o.structured_data.last_mut() {
                Some((last, list)) if last == id => list.push((name, value)),
                _ => o.structured_data.push((id.to_owned(), vec![(name, value)])),
            }
        }
    }
    o.framing = pick(
        c.framing,
        "framing",
        &[
            (
                sawmill_syslog_framing::SAWMILL_SYSLOG_OCTET_COUNTING as c_int,
                Framing::OctetCounting,
            ),
            (
                sawmill_syslog_framing::SAWMILL_SYSLOG_LF as c_int,
                Framing::Lf,
            ),
        ],
    )?;
    o.bom = pick(
        c.bom,
        "bom",
        &[
            (
                sawmill_syslog_bom::SAWMILL_SYSLOG_BOM_AUTO as c_int,
                Bom::Auto,
            ),
            (
                sawmill_syslog_bom::SAWMILL_SYSLOG_BOM_ALWAYS as c_int,
                Bom::Always,
            ),
            (
                sawmill_syslog_bom::SAWMILL_SYSLOG_BOM_NEVER as c_int,
                Bom::Never,
            ),
        ],
    )?;
    o.timeout = if c.timeout_ms == 0 {
        DEFAULT_TIMEOUT
    } else {
        Duration::from_millis(u64::from(c.timeout_ms))
    };
    if c.max_datagram != 0 {
        o.max_datagram = c.max_datagram as usize;
    }
    o.outage_buffer = c.outage_buffer as usize;
    Ok(o)
}

/// Python's `logging.handlers.SysLogHandler`. NULL `opts` = all defaults.
/// Connects at the first record, not here: a daemon that is absent or gone
/// makes records fail as counted handler errors (reported once), a logging
/// call never waits longer than the timeout, and the handler reconnects
/// after a backoff (50 ms doubling to 2 s). Bad values (facility, enum
/// values, an invalid SD-ID or PARAM-NAME) → NULL +
/// SAWMILL_ERR_INVALID_ARGUMENT; a NULL string inside
/// `structured_data` (or NULL `structured_data` with a length) →
/// SAWMILL_ERR_NULL_ARGUMENT. Strings are copied. The
/// caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_syslog_handler_new(
    opts: *const sawmill_syslog_options,
) -> *mut sawmill_handler {
    pointer_call(|| {
        let options = if opts.is_null() {
            SyslogOptions::default()
        } else {
            // SAFETY: C contract: a valid struct.
            unsafe { options_from_c(&*opts) }?
        };
        let handler = handler::syslog_handler(options).map_err(FfiError::invalid)?;
        Ok(into_c(handler))
    })
}

/// Maps the level named `levelname` to a syslog severity (0-7), as adding
/// to Python's `SysLogHandler.priority_map` does (keyed by level name; a
/// name without an entry maps to warning, 4). NULL `h` or `levelname` →
/// SAWMILL_ERR_NULL_ARGUMENT; severity out of range or not a syslog handler
/// → SAWMILL_ERR_INVALID_ARGUMENT. The name is copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_syslog_handler_map_level(
    h: *mut sawmill_handler,
    levelname: *const c_char,
    severity: c_int,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: checked handle; the caller holds a reference.
        let handler: &Handler = unsafe { handler_ref(h) }?;
        // SAFETY: C contract: NUL-terminated string.
        let levelname = unsafe { required_str(levelname, "levelname") }?;
        let severity = u8::try_from(severity)
            .map_err(|_| FfiError::invalid(format!("severity {severity} is not 0-7")))?;
        let _waiting = enter_handler_lock(handler, "sawmill_syslog_handler_map_level")?;
        handler.with_sink(|sink| match sink.as_syslog() {
            Some(s) => s.map_level(levelname, severity).map_err(FfiError::invalid),
            None => Err(FfiError::invalid("not a syslog handler")),
        })
    })
}

/// One constant journal field of `sawmill_journal_options`.
#[repr(C)]
pub struct sawmill_journal_field {
    pub name: *const c_char,
    pub value: *const c_char,
}

/// `sawmill.JournalHandler` arguments. Zeroed = defaults:
/// `/run/systemd/journal/socket`, SYSLOG_IDENTIFIER = the program's name,
/// no constant fields, 1000 ms send timeout.
#[repr(C)]
pub struct sawmill_journal_options {
    /// journald's socket (a namespace's is /run/systemd/journal.NS/socket).
    pub socket_path: *const c_char,
    pub syslog_identifier: *const c_char,
    /// Constant fields sent with every record: names A-Z, 0-9 and `_`.
    pub fields: *const sawmill_journal_field,
    pub fields_len: usize,
    pub timeout_ms: u32,
}

unsafe fn journal_options_from_c(
    c: &sawmill_journal_options,
) -> FfiResult<crate::handler::journal::JournalOptions> {
    let mut o = crate::handler::journal::JournalOptions::default();
    // SAFETY (all calls below): C contract: NUL-terminated strings or NULL.
    if let Some(p) = unsafe { optional_str(c.socket_path, "socket_path") }? {
        o.socket = p.into();
    }
    o.identifier =
        unsafe { optional_str(c.syslog_identifier, "syslog_identifier") }?.map(str::to_owned);
    if c.fields_len > 0 {
        if c.fields.is_null() {
            return Err(FfiError::null("fields"));
        }
        // SAFETY: C contract: `fields_len` readable entries.
        let fields = unsafe { std::slice::from_raw_parts(c.fields, c.fields_len) };
        for f in fields {
            // SAFETY: C contract: NUL-terminated strings.
            let name = unsafe { required_str(f.name, "field name") }?;
            let value = unsafe { required_str(f.value, "field value") }?;
            o.fields.push((name.to_owned(), value.to_owned()));
        }
    }
    if c.timeout_ms != 0 {
        o.timeout = Duration::from_millis(u64::from(c.timeout_ms));
    }
    Ok(o)
}

/// `sawmill.JournalHandler`: systemd's native journal protocol (MESSAGE,
/// PRIORITY, SYSLOG_IDENTIFIER, LOGGER, THREAD_NAME, PROCESS_NAME,
/// CODE_FILE/LINE/FUNC, EXCEPTION_TEXT, STACK_INFO, the constant fields,
/// the record's extras with upper-cased names; a record too large for one
/// datagram goes in a sealed memfd). NULL `opts` = all defaults. Connects
/// at the first record: an absent journald makes records counted handler
/// errors. An invalid field name → NULL + SAWMILL_ERR_INVALID_ARGUMENT; a
/// NULL string inside `fields` (or NULL `fields` with a length) →
/// SAWMILL_ERR_NULL_ARGUMENT. Strings are copied. The caller owns one
/// reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_journal_handler_new(
    opts: *const sawmill_journal_options,
) -> *mut sawmill_handler {
    pointer_call(|| {
        let options = if opts.is_null() {
            crate::handler::journal::JournalOptions::default()
        } else {
            // SAFETY: C contract: a valid struct.
            unsafe { journal_options_from_c(&*opts) }?
        };
        let handler = handler::journal_handler(options).map_err(FfiError::invalid)?;
        Ok(into_c(handler))
    })
}
