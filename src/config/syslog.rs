//! The configuration tables of `logging.handlers.SysLogHandler` and
//! `sawmill.JournalHandler` (see `classes` for how tables work).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value as Json;

use super::classes::{
    as_bool, as_str, as_u32, buffering, kind_of, unknown_key, Class, Ctx, Entry, HandlerClass,
    Issue, Key, KeyDoc, Refs, Remote,
};
use crate::handler::journal::{valid_field_name, JournalOptions};
use crate::handler::syslog::{Address, Framing, SockType, SyslogOptions};
use crate::handler::syslog_format::{
    facility_from_name, severity_from_name, Bom, Protocol, StructuredData,
};
use crate::handler::{self, Buffering, Handler};

/// SysLogHandler's options and the buffering policy applied once it is built.
pub struct SyslogConfig {
    options: SyslogOptions,
    buffering: Buffering,
}

/// Python's `address`: a Unix socket path, or [host, port].
fn address(v: &Json) -> Result<Address, String> {
    match v {
        Json::String(path) => Ok(Address::Unix(path.into())),
        Json::Array(parts) if parts.len() == 2 => {
            let host = as_str(&parts[0])?.to_owned();
            let port = parts[1]
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| format!("port: expected 0-65535, got {}", kind_of(&parts[1])))?;
            Ok(Address::Inet(host, port))
        }
        other => Err(format!(
            "expected a socket path or [host, port], got {}",
            kind_of(other)
        )),
    }
}

/// Python's `socktype`: `ext://socket.SOCK_STREAM`, `ext://socket.SOCK_DGRAM`,
/// Linux's numbers (1, 2) or null.
fn socktype(v: &Json) -> Result<SockType, String> {
    match v {
        Json::Null => Ok(SockType::Default),
        Json::String(s) => match s.as_str() {
            "ext://socket.SOCK_STREAM" | "SOCK_STREAM" => Ok(SockType::Stream),
            "ext://socket.SOCK_DGRAM" | "SOCK_DGRAM" => Ok(SockType::Dgram),
            other => Err(format!(
                "unsupported socktype {other:?} (ext://socket.SOCK_STREAM or ext://socket.SOCK_DGRAM)"
            )),
        },
        Json::Number(n) => match n.as_u64() {
            Some(1) => Ok(SockType::Stream),
            Some(2) => Ok(SockType::Dgram),
            _ => Err(format!("unsupported socktype {n}")),
        },
        other => Err(format!("expected a socket type, got {}", kind_of(other))),
    }
}

/// Python's `facility`: a name (`local0`, `user`, …) or its number.
fn facility(v: &Json) -> Result<u32, String> {
    match v {
        Json::String(s) => facility_from_name(s),
        Json::Number(_) => {
            let n = as_u32(v)?;
            facility_from_name(&n.to_string())
        }
        other => Err(format!("expected a facility, got {}", kind_of(other))),
    }
}

fn opt_string(v: &Json) -> Result<Option<String>, String> {
    super::classes::as_opt_str(v).map(|s| s.map(str::to_owned))
}

/// `structured_data`: {SD-ID: {PARAM-NAME: value}} (values: strings,
/// numbers or booleans, sent as text).
fn structured_data(v: &Json) -> Result<StructuredData, String> {
    let Json::Object(ids) = v else {
        return Err(format!(
            "expected {{SD-ID: {{PARAM: value}}}}, got {}",
            kind_of(v)
        ));
    };
    let mut out = Vec::new();
    for (id, params) in ids {
        let Json::Object(params) = params else {
            return Err(format!("[{id}]: expected {{PARAM: value}}"));
        };
        let mut list = Vec::new();
        for (name, value) in params {
            let text = match value {
                Json::String(s) => s.clone(),
                Json::Number(n) => n.to_string(),
                Json::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
                other => {
                    return Err(format!(
                        "[{id} {name}]: unsupported value {}",
                        kind_of(other)
                    ))
                }
            };
            list.push((name.clone(), text));
        }
        out.push((id.clone(), list));
    }
    // Validated here so the error names the key.
    crate::handler::syslog_format::render_static_sd(&out)?;
    Ok(out)
}

/// `priority_map`: {level name: severity name or 0-7} (Python's attribute).
fn priority_map(v: &Json) -> Result<Vec<(String, u8)>, String> {
    let Json::Object(map) = v else {
        return Err(format!(
            "expected {{level name: priority}}, got {}",
            kind_of(v)
        ));
    };
    map.iter()
        .map(|(level, p)| {
            let sev = match p {
                Json::String(s) => severity_from_name(s)?,
                Json::Number(n) => n
                    .as_u64()
                    .filter(|n| *n <= 7)
                    .ok_or_else(|| format!("{level}: severity {n} is not 0-7"))?
                    as u8,
                other => {
                    return Err(format!(
                        "{level}: expected a priority, got {}",
                        kind_of(other)
                    ))
                }
            };
            Ok((level.clone(), sev))
        })
        .collect()
}

static SYSLOG_KEYS: &[Key<SyslogConfig>] = &[
    Key {
        name: "address",
        python: true,
        refs: Refs::None,
        doc: "a Unix socket path or [host, port] (default \"/dev/log\"; CPython's default is [\"localhost\", 514])",
        set: |o, v, _| {
            o.options.address = address(v)?;
            Ok(())
        },
    },
    Key {
        name: "facility",
        python: true,
        refs: Refs::None,
        doc: "a facility name (\"user\" default, \"local0\"…\"local7\", \"daemon\", …) or its number",
        set: |o, v, _| {
            o.options.facility = facility(v)?;
            Ok(())
        },
    },
    Key {
        name: "socktype",
        python: true,
        refs: Refs::None,
        doc: "ext://socket.SOCK_DGRAM or ext://socket.SOCK_STREAM (default: datagram, a Unix path falls back to stream)",
        set: |o, v, _| {
            o.options.socktype = socktype(v)?;
            Ok(())
        },
    },
    Key {
        name: "protocol",
        python: false,
        refs: Refs::None,
        doc: "\"legacy\" (CPython's bytes, default), \"rfc3164\" or \"rfc5424\"",
        set: |o, v, _| {
            o.options.protocol = Protocol::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "ident",
        python: false,
        refs: Refs::None,
        doc: "text before the message in the legacy format (Python's attribute; default \"\")",
        set: |o, v, _| {
            o.options.ident = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "append_nul",
        python: false,
        refs: Refs::None,
        doc: "end legacy records with NUL (Python's attribute; default true)",
        set: |o, v, _| {
            o.options.append_nul = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "app_name",
        python: false,
        refs: Refs::None,
        doc: "RFC 3164 TAG / RFC 5424 APP-NAME (default: the program's name)",
        set: |o, v, _| {
            o.options.app_name = opt_string(v)?;
            Ok(())
        },
    },
    Key {
        name: "hostname",
        python: false,
        refs: Refs::None,
        doc: "RFC 3164/5424 HOSTNAME (default: the host's name)",
        set: |o, v, _| {
            o.options.hostname = opt_string(v)?;
            Ok(())
        },
    },
    Key {
        name: "procid",
        python: false,
        refs: Refs::None,
        doc: "RFC 5424 PROCID (default: the process id)",
        set: |o, v, _| {
            o.options.procid = opt_string(v)?;
            Ok(())
        },
    },
    Key {
        name: "msgid",
        python: false,
        refs: Refs::None,
        doc: "RFC 5424 MSGID (default NILVALUE)",
        set: |o, v, _| {
            o.options.msgid = opt_string(v)?;
            Ok(())
        },
    },
    Key {
        name: "structured_data",
        python: false,
        refs: Refs::None,
        doc: "{SD-ID: {PARAM: value}} sent with every RFC 5424 record; a record extra named \"SD-ID PARAM\" adds one parameter to that record",
        set: |o, v, _| {
            o.options.structured_data = structured_data(v)?;
            Ok(())
        },
    },
    Key {
        name: "framing",
        python: false,
        refs: Refs::None,
        doc: "TCP framing: \"octet-counting\" (RFC 6587, default) or \"lf\"",
        set: |o, v, _| {
            o.options.framing = Framing::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "bom",
        python: false,
        refs: Refs::None,
        doc: "RFC 5424 BOM: \"auto\" (default: before non-ASCII MSG unless the text has U+FEFF), \"always\", \"never\"",
        set: |o, v, _| {
            o.options.bom = Bom::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "priority_map",
        python: false,
        refs: Refs::None,
        doc: "{level name: syslog priority name or 0-7} added to Python's map (other names: warning)",
        set: |o, v, _| {
            o.options.severities = priority_map(v)?;
            Ok(())
        },
    },
    Key {
        name: "timeout_ms",
        python: false,
        refs: Refs::None,
        doc: "the longest a logging call waits, connect and send together, in milliseconds (default 1000)",
        set: |o, v, _| {
            o.options.timeout = Duration::from_millis(u64::from(as_u32(v)?.max(1)));
            Ok(())
        },
    },
    Key {
        name: "max_datagram",
        python: false,
        refs: Refs::None,
        doc: "longest datagram in bytes; longer records are cut and counted (default 65507)",
        set: |o, v, _| {
            o.options.max_datagram = as_u32(v)? as usize;
            Ok(())
        },
    },
    Key {
        name: "outage_buffer",
        python: false,
        refs: Refs::None,
        doc: "bytes of records kept while the daemon is unreachable, sent in order when it is back; beyond it the oldest are dropped and counted (default 0: none kept, each is an error)",
        set: |o, v, _| {
            o.options.outage_buffer = as_u32(v)? as usize;
            Ok(())
        },
    },
    Key {
        name: "buffering",
        python: false,
        refs: Refs::None,
        doc: "{capacity, flush_level, interval_ms}: batch records (TCP writes, sendmmsg) (default write-through)",
        set: |o, v, _| {
            o.buffering = buffering(v)?;
            Ok(())
        },
    },
];

pub static SYSLOG_HANDLER: Class<SyslogConfig> = Class {
    name: "logging.handlers.SysLogHandler",
    aliases: &["SysLogHandler"],
    doc: "Python's SysLogHandler: CPython's bytes, RFC 3164 or RFC 5424 over a Unix socket, UDP or TCP.",
    remote: Remote::Allowed,
    required: &[],
    new: || SyslogConfig {
        options: SyslogOptions::default(),
        buffering: Buffering::WRITE_THROUGH,
    },
    keys: &[SYSLOG_KEYS],
    build: |o, ctx| {
        // The sink connects at its first record, so building checks only.
        let sink = crate::handler::syslog::SyslogSink::new(o.options)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        let h = Handler::new(Box::new(sink));
        if !o.buffering.is_write_through() {
            h.set_buffering(o.buffering)?;
        }
        Ok(h)
    },
};

/// `sawmill.JournalHandler`: its fixed keys plus any upper-case key as a
/// constant journal field (as python-systemd's JournalHandler takes them).
pub struct JournalClass;

pub static JOURNAL_HANDLER: JournalClass = JournalClass;

const JOURNAL_KEYS: [(&str, &str); 3] = [
    (
        "SYSLOG_IDENTIFIER",
        "the journal's SYSLOG_IDENTIFIER (default: the program's name)",
    ),
    (
        "socket",
        "journald's socket (default /run/systemd/journal/socket)",
    ),
    ("timeout_ms", "send timeout in milliseconds (default 1000)"),
];

impl HandlerClass for JournalClass {
    fn name(&self) -> &'static str {
        "sawmill.JournalHandler"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["JournalHandler"]
    }

    fn doc(&self) -> &'static str {
        "systemd's journal (native protocol): MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, LOGGER, THREAD_NAME, \
         PROCESS_NAME, CODE_FILE/LINE/FUNC and the record's extras upper-cased; any other UPPER_CASE key \
         is a constant field."
    }

    fn remote(&self) -> Remote {
        Remote::Allowed
    }

    fn key_docs(&self) -> Vec<KeyDoc> {
        let mut docs: Vec<KeyDoc> = JOURNAL_KEYS
            .iter()
            .map(|(name, doc)| KeyDoc {
                name,
                python: false,
                doc,
            })
            .collect();
        docs.push(KeyDoc {
            name: "ANY_UPPER_CASE_NAME",
            python: false,
            doc: "a constant journal field sent with every record",
        });
        docs
    }

    fn references(&self, _args: &Entry) -> Result<Vec<String>, Issue> {
        Ok(Vec::new())
    }

    fn build(&self, args: &Entry, ctx: &Ctx) -> Result<Arc<Handler>, Issue> {
        let mut o = JournalOptions::default();
        for (key, v) in args {
            let set = |o: &mut JournalOptions| -> Result<(), String> {
                match key.as_str() {
                    "SYSLOG_IDENTIFIER" => o.identifier = Some(as_str(v)?.to_owned()),
                    "socket" => o.socket = as_str(v)?.into(),
                    "timeout_ms" => o.timeout = Duration::from_millis(u64::from(as_u32(v)?.max(1))),
                    name if valid_field_name(name) => {
                        let text = match v {
                            Json::String(s) => s.clone(),
                            Json::Number(n) => n.to_string(),
                            other => {
                                return Err(format!("expected a string, got {}", kind_of(other)))
                            }
                        };
                        o.fields.push((name.to_owned(), text));
                    }
                    other => {
                        let known: Vec<&str> = JOURNAL_KEYS.iter().map(|(n, _)| *n).collect();
                        return Err(format!(
                            "{} (constant fields are UPPER_CASE)",
                            unknown_key(other, &known)
                        ));
                    }
                }
                Ok(())
            };
            set(&mut o).map_err(|m| Issue::at(key, m))?;
        }
        let sink = crate::handler::journal::JournalSink::new(o).map_err(Issue::whole)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(Handler::new(Box::new(sink)))
    }
}
