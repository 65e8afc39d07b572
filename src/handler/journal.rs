//! `sawmill.JournalHandler`: systemd's native journal protocol. One
//! datagram per record of `NAME=value\n` fields (a value with a newline is
//! `NAME\n` + 64-bit little-endian length + bytes + `\n`); a record too big
//! for one datagram goes in a sealed memfd passed with SCM_RIGHTS, as
//! sd_journal_sendv does. Fields: MESSAGE, PRIORITY (python-systemd's map
//! by level number), SYSLOG_IDENTIFIER, LOGGER, THREAD_NAME, PROCESS_NAME,
//! CODE_FILE, CODE_LINE, CODE_FUNC, EXCEPTION_TEXT and STACK_INFO when the
//! record has them, the handler's constant fields, then the record's extras
//! with upper-cased names.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::time::Duration;

use super::{EmitError, Sink};
use crate::record::{Record, Value};

pub const DEFAULT_SOCKET: &str = "/run/systemd/journal/socket";
/// journald's limit on a field name.
const FIELD_NAME_MAX: usize = 64;

/// Everything a `JournalHandler` is built from.
#[derive(Clone, Debug)]
pub struct JournalOptions {
    /// journald's socket (`/run/systemd/journal/socket`; a namespace's is
    /// `/run/systemd/journal.NAMESPACE/socket`).
    pub socket: PathBuf,
    /// SYSLOG_IDENTIFIER; `None` = the program's name.
    pub identifier: Option<String>,
    /// Constant fields sent with every record (names as journald takes them).
    pub fields: Vec<(String, String)>,
    pub timeout: Duration,
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions {
            socket: PathBuf::from(DEFAULT_SOCKET),
            identifier: None,
            fields: Vec::new(),
            timeout: Duration::from_secs(1),
        }
    }
}

/// A valid journal field name: A-Z, 0-9 and `_`, not starting with `_` or a
/// digit, at most 64 bytes.
pub fn valid_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= FIELD_NAME_MAX
        && !name.starts_with(|c: char| c == '_' || c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// An extra's name as a journal field: upper-cased, other characters as
/// `_`, leading `_` and digits dropped, cut to 64; `None` if nothing is left.
fn field_name_of(key: &str, out: &mut String) -> bool {
    out.clear();
    for c in key.chars() {
        let c = c.to_ascii_uppercase();
        let c = if c.is_ascii_uppercase() || c.is_ascii_digit() {
            c
        } else {
            '_'
        };
        if out.is_empty() && (c == '_' || c.is_ascii_digit()) {
            continue;
        }
        if out.len() == FIELD_NAME_MAX {
            break;
        }
        out.push(c);
    }
    !out.is_empty()
}

/// python-systemd's `JournalHandler.map_priority`.
pub fn priority_of(levelno: i32) -> u8 {
    match levelno {
        i32::MIN..=10 => 7,
        11..=20 => 6,
        21..=30 => 4,
        31..=40 => 3,
        41..=50 => 2,
        _ => 1,
    }
}

/// Appends one field in the native protocol's encoding.
pub fn put_field(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.extend_from_slice(name.as_bytes());
    if value.contains(&b'\n') {
        out.push(b'\n');
        out.extend_from_slice(&(value.len() as u64).to_le_bytes());
    } else {
        out.push(b'=');
    }
    out.extend_from_slice(value);
    out.push(b'\n');
}

pub struct JournalSink {
    options: JournalOptions,
    identifier: String,
    socket: Option<UnixDatagram>,
    payload: Vec<u8>,
    name: String,
    value: String,
}

impl JournalSink {
    pub fn new(options: JournalOptions) -> Result<JournalSink, String> {
        if let Some((name, _)) = options.fields.iter().find(|(n, _)| !valid_field_name(n)) {
            return Err(format!(
                "invalid journal field name {name:?} (A-Z, 0-9 and _, not starting with _ or a digit, at most 64)"
            ));
        }
        let identifier = options
            .identifier
            .clone()
            .unwrap_or_else(super::syslog_format::program_name);
        Ok(JournalSink {
            options,
            identifier,
            socket: None,
            payload: Vec::with_capacity(1024),
            name: String::new(),
            value: String::new(),
        })
    }

    fn build(&mut self, record: &Record<'_>, text: &str) {
        let p = &mut self.payload;
        p.clear();
        put_field(p, "MESSAGE", text.as_bytes());
        put_field(p, "PRIORITY", &[b'0' + priority_of(record.levelno)]);
        put_field(p, "SYSLOG_IDENTIFIER", self.identifier.as_bytes());
        put_field(p, "LOGGER", record.name.as_bytes());
        put_field(p, "THREAD_NAME", record.thread_name.as_bytes());
        put_field(p, "PROCESS_NAME", record.process_name.as_bytes());
        if let Some(path) = &record.pathname {
            put_field(p, "CODE_FILE", path.as_bytes());
        }
        self.value.clear();
        let _ = std::fmt::Write::write_fmt(&mut self.value, format_args!("{}", record.lineno));
        put_field(p, "CODE_LINE", self.value.as_bytes());
        if let Some(func) = &record.func_name {
            put_field(p, "CODE_FUNC", func.as_bytes());
        }
        if let Some(exc) = &record.exc_text {
            put_field(p, "EXCEPTION_TEXT", exc.as_bytes());
        }
        if let Some(stack) = &record.stack_info {
            put_field(p, "STACK_INFO", stack.as_bytes());
        }
        for (name, value) in &self.options.fields {
            put_field(p, name, value.as_bytes());
        }
        for (key, value) in &record.extras {
            if !field_name_of(key, &mut self.name) {
                continue;
            }
            self.value.clear();
            match value {
                Value::Str(s) | Value::Json(s) => self.value.push_str(s),
                Value::Int(i) => {
                    let _ = std::fmt::Write::write_fmt(&mut self.value, format_args!("{i}"));
                }
                Value::Float(f) => crate::format::write_float_repr(&mut self.value, *f),
                Value::Bool(b) => self.value.push_str(if *b { "True" } else { "False" }),
                Value::Null => self.value.push_str("None"),
            }
            put_field(p, &self.name, self.value.as_bytes());
        }
    }

    fn connect(&mut self) -> io::Result<()> {
        if self.socket.is_none() {
            let s = UnixDatagram::unbound()?;
            s.connect(&self.options.socket)?;
            s.set_write_timeout(Some(self.options.timeout.max(Duration::from_millis(1))))?;
            self.socket = Some(s);
        }
        Ok(())
    }

    fn send(&mut self) -> io::Result<()> {
        self.connect()?;
        let socket = self.socket.as_ref().expect("connected");
        match socket.send(&self.payload) {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EMSGSIZE) | Some(libc::ENOBUFS)) => {
                send_memfd(socket, &self.payload)
            }
            Err(e) => {
                // journald restarted: its socket is new; reconnect once.
                self.socket = None;
                self.connect().map_err(|_| e)?;
                let socket = self.socket.as_ref().expect("connected");
                socket.send(&self.payload).map(drop)
            }
        }
    }
}

/// Sends `payload` in a sealed memfd (journald reads a sealed memfd
/// passed with SCM_RIGHTS and an empty datagram).
fn send_memfd(socket: &UnixDatagram, payload: &[u8]) -> io::Result<()> {
    // SAFETY: a static NUL-terminated name; flags are valid.
    let fd = unsafe {
        libc::memfd_create(
            c"sawmill-journal".as_ptr(),
            libc::MFD_ALLOW_SEALING | libc::MFD_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a new descriptor we own.
    let mut file = unsafe { File::from_raw_fd(fd) };
    file.write_all(payload)?;
    let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
    // SAFETY: fcntl on our open memfd.
    if unsafe { libc::fcntl(fd, libc::F_ADD_SEALS, seals) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: CMSG_SPACE is a pure size computation.
    let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<libc::c_int>() as u32) } as usize;
    let mut control = vec![0u8; space];
    // SAFETY: a zeroed msghdr is valid; every pointer set below lives
    // until sendmsg returns, and the control buffer holds one cmsg.
    let rc = unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<libc::c_int>() as u32) as _;
        std::ptr::write_unaligned(
            libc::CMSG_DATA(cmsg).cast::<libc::c_int>(),
            file.as_raw_fd(),
        );
        libc::sendmsg(socket.as_raw_fd(), &msg, libc::MSG_NOSIGNAL)
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

impl Sink for JournalSink {
    fn kind(&self) -> &'static str {
        "JournalHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        self.build(record, text);
        self.send()?;
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        self.socket = None;
        Ok(())
    }

    fn after_fork(&mut self, interrupted: bool) {
        if let Some(s) = self.socket.take() {
            if interrupted {
                std::mem::forget(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_encoded_binary_safe() {
        let mut out = Vec::new();
        put_field(&mut out, "A", b"x");
        put_field(&mut out, "B", b"1\n2");
        let mut want = b"A=x\nB\n".to_vec();
        want.extend_from_slice(&3u64.to_le_bytes());
        want.extend_from_slice(b"1\n2\n");
        assert_eq!(out, want);
    }

    #[test]
    fn names_and_priorities() {
        let mut n = String::new();
        assert!(field_name_of("request_id", &mut n));
        assert_eq!(n, "REQUEST_ID");
        assert!(field_name_of("_x.y-z", &mut n));
        assert_eq!(n, "X_Y_Z");
        assert!(!field_name_of("__", &mut n));
        assert!(valid_field_name("MY_FIELD"));
        assert!(!valid_field_name("_TRUSTED"));
        assert!(!valid_field_name("lower"));
        assert_eq!(
            [5, 10, 20, 25, 30, 40, 50, 60].map(priority_of),
            [7, 7, 6, 4, 4, 3, 2, 1]
        );
    }
}
