//! The network handler classes of configurations (issue 11): Python's
//! SocketHandler, DatagramHandler, HTTPHandler and SMTPHandler with
//! Python's keyword names, plus sawmill's snake_case options. They reach
//! destinations a configuration names, so a configuration that came over
//! the network (the config listener) may not build them.

use std::time::Duration;

use serde_json::Value as Json;

use super::classes::{as_bool, as_str, as_u32, buffering, kind_of, Class, Key, Refs, Remote};
use crate::handler::http::{HttpOptions, Method};
use crate::handler::smtp::SmtpOptions;
use crate::handler::{self, NetOptions};
use crate::net::Encoding;

fn port(v: &Json) -> Result<u16, String> {
    v.as_u64()
        .and_then(|p| u16::try_from(p).ok())
        .filter(|&p| p != 0)
        .ok_or_else(|| format!("expected a port number 1..65535, got {}", kind_of(v)))
}

/// A timeout in seconds, as Python gives them (int or float, > 0).
fn seconds(v: &Json) -> Result<Duration, String> {
    v.as_f64()
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("expected a positive number of seconds, got {}", kind_of(v)))
}

/// Python's `credentials`: a (username, password) pair, or null.
fn credentials(v: &Json) -> Result<Option<(String, String)>, String> {
    match v {
        Json::Null => Ok(None),
        Json::Array(pair) if pair.len() == 2 => Ok(Some((
            as_str(&pair[0])?.to_owned(),
            as_str(&pair[1])?.to_owned(),
        ))),
        _ => Err(format!("expected [username, password], got {}", kind_of(v))),
    }
}

fn encoding(v: &Json) -> Result<Encoding, String> {
    match as_str(v)? {
        "pickle" => Ok(Encoding::Pickle),
        "json" => Ok(Encoding::Json),
        other => Err(format!("expected \"pickle\" or \"json\", got {other:?}")),
    }
}

static NET_KEYS: &[Key<NetOptions>] = &[
    Key {
        name: "host",
        python: true,
        refs: Refs::None,
        doc: "host name or address of the receiver (required)",
        set: |o, v, _| {
            o.host = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "port",
        python: true,
        refs: Refs::None,
        doc: "port of the receiver (required; 9020 TCP / 9021 UDP are CPython's defaults)",
        set: |o, v, _| {
            o.port = port(v)?;
            Ok(())
        },
    },
    Key {
        name: "encoding",
        python: false,
        refs: Refs::None,
        doc: "\"pickle\" (CPython's frames, default) or \"json\"",
        set: |o, v, _| {
            o.encoding = encoding(v)?;
            Ok(())
        },
    },
    Key {
        name: "send_timeout",
        python: false,
        refs: Refs::None,
        doc: "seconds one record's send may block (default 1)",
        set: |o, v, _| {
            o.send_timeout = seconds(v)?;
            Ok(())
        },
    },
];

static SOCKET_KEYS: &[Key<NetOptions>] = &[
    Key {
        name: "connect_timeout",
        python: false,
        refs: Refs::None,
        doc: "seconds a connect may take (default 1, as CPython's makeSocket)",
        set: |o, v, _| {
            o.connect_timeout = seconds(v)?;
            Ok(())
        },
    },
    Key {
        name: "buffer_records",
        python: false,
        refs: Refs::None,
        doc: "records kept while the receiver is unreachable (default 0: dropped, counted)",
        set: |o, v, _| {
            o.buffer_records = as_u32(v)? as usize;
            Ok(())
        },
    },
    Key {
        name: "buffering",
        python: false,
        refs: Refs::None,
        doc: "{capacity, flush_level, interval_ms}: send frames in batches",
        set: |o, v, _| {
            o.batching = Some(buffering(v)?);
            Ok(())
        },
    },
];

fn check_net(o: &NetOptions) -> Result<(), String> {
    if o.host.is_empty() {
        return Err("host: empty".into());
    }
    Ok(())
}

pub static SOCKET_HANDLER: Class<NetOptions> = Class {
    name: "logging.handlers.SocketHandler",
    aliases: &["SocketHandler"],
    doc: "Python's SocketHandler: pickled records over TCP (connects at the first record).",
    remote: Remote::LocalOnly,
    required: &["host", "port"],
    new: || NetOptions::new("", 9020),
    keys: &[NET_KEYS, SOCKET_KEYS],
    build: |o, ctx| {
        check_net(&o)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(handler::socket_handler(o))
    },
};

pub static DATAGRAM_HANDLER: Class<NetOptions> = Class {
    name: "logging.handlers.DatagramHandler",
    aliases: &["DatagramHandler"],
    doc: "Python's DatagramHandler: one pickled record per UDP datagram.",
    remote: Remote::LocalOnly,
    required: &["host", "port"],
    new: || NetOptions::new("", 9021),
    keys: &[NET_KEYS],
    build: |o, ctx| {
        check_net(&o)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(handler::datagram_handler(o))
    },
};

static HTTP_KEYS: &[Key<HttpOptions>] = &[
    Key {
        name: "host",
        python: true,
        refs: Refs::None,
        doc: "\"host\" or \"host:port\" (required)",
        set: |o, v, _| {
            o.host = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "url",
        python: true,
        refs: Refs::None,
        doc: "path (and query) requested (required)",
        set: |o, v, _| {
            o.url = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "method",
        python: true,
        refs: Refs::None,
        doc: "\"GET\" (default) or \"POST\"",
        set: |o, v, _| {
            o.method = Method::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "secure",
        python: true,
        refs: Refs::None,
        doc: "true: HTTPS",
        set: |o, v, _| {
            o.secure = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "credentials",
        python: true,
        refs: Refs::None,
        doc: "[username, password] for Basic authentication",
        set: |o, v, _| {
            o.credentials = credentials(v)?;
            Ok(())
        },
    },
    Key {
        name: "context",
        python: true,
        refs: Refs::None,
        doc: "only null (an ssl.SSLContext cannot be expressed: Mozilla's roots, or ca_file, verify HTTPS)",
        set: |_, v, _| match v {
            Json::Null => Ok(()),
            _ => Err("an SSL context cannot be configured here; leave it null".into()),
        },
    },
    Key {
        name: "ca_file",
        python: false,
        refs: Refs::None,
        doc: "PEM file of the certificates HTTPS trusts instead of the default roots (the cafile of Python's context)",
        set: |o, v, _| {
            o.ca_file = Some(as_str(v)?.into());
            Ok(())
        },
    },
    Key {
        name: "json",
        python: false,
        refs: Refs::None,
        doc: "true: POST the record's dict as application/json",
        set: |o, v, _| {
            o.json = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "timeout",
        python: false,
        refs: Refs::None,
        doc: "seconds a request may take (default 5)",
        set: |o, v, _| {
            o.timeout = seconds(v)?;
            Ok(())
        },
    },
];

pub static HTTP_HANDLER: Class<HttpOptions> = Class {
    name: "logging.handlers.HTTPHandler",
    aliases: &["HTTPHandler"],
    doc: "Python's HTTPHandler: each record's dict url-encoded to a web server.",
    remote: Remote::LocalOnly,
    required: &["host", "url"],
    new: || HttpOptions::new("", ""),
    keys: &[HTTP_KEYS],
    build: |o, ctx| {
        if o.host.is_empty() {
            return Err("host: empty".into());
        }
        // Reads ca_file: a missing one is refused with the configuration.
        let h = handler::http_handler(o)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(h)
    },
};

fn address_list(v: &Json) -> Result<Vec<String>, String> {
    match v {
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(items) => items.iter().map(|i| as_str(i).map(str::to_owned)).collect(),
        _ => Err(format!(
            "expected an address or a list of them, got {}",
            kind_of(v)
        )),
    }
}

static SMTP_KEYS: &[Key<SmtpOptions>] = &[
    Key {
        name: "mailhost",
        python: true,
        refs: Refs::None,
        doc: "\"host\" or [host, port] (required)",
        set: |o, v, _| {
            match v {
                Json::Array(pair) if pair.len() == 2 => {
                    o.mailhost = as_str(&pair[0])?.to_owned();
                    o.port = port(&pair[1])?;
                }
                _ => o.mailhost = as_str(v)?.to_owned(),
            }
            Ok(())
        },
    },
    Key {
        name: "fromaddr",
        python: true,
        refs: Refs::None,
        doc: "sender address (required)",
        set: |o, v, _| {
            o.fromaddr = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "toaddrs",
        python: true,
        refs: Refs::None,
        doc: "recipient address or list of them (required)",
        set: |o, v, _| {
            o.toaddrs = address_list(v)?;
            Ok(())
        },
    },
    Key {
        name: "subject",
        python: true,
        refs: Refs::None,
        doc: "Subject header (required)",
        set: |o, v, _| {
            o.subject = as_str(v)?.to_owned();
            Ok(())
        },
    },
    Key {
        name: "credentials",
        python: true,
        refs: Refs::None,
        doc: "[username, password]: AUTH after EHLO",
        set: |o, v, _| {
            o.credentials = credentials(v)?;
            Ok(())
        },
    },
    Key {
        name: "secure",
        python: true,
        refs: Refs::None,
        doc: "[] / [keyfile, certfile]: STARTTLS (presenting that client certificate), with credentials only, as CPython; the server is verified (see ca_file)",
        set: |o, v, _| {
            match v {
                Json::Null => o.secure = false,
                Json::Array(items) if items.is_empty() => o.secure = true,
                Json::Array(items) if items.len() == 2 => {
                    o.secure = true;
                    o.client_cert = Some((as_str(&items[0])?.into(), as_str(&items[1])?.into()));
                }
                // CPython's ssl refuses a keyfile without a certfile too.
                _ => return Err("expected null, [] or [keyfile, certfile]".into()),
            }
            Ok(())
        },
    },
    Key {
        name: "timeout",
        python: true,
        refs: Refs::None,
        doc: "seconds (default 5.0)",
        set: |o, v, _| {
            o.timeout = seconds(v)?;
            Ok(())
        },
    },
    Key {
        name: "ssl",
        python: false,
        refs: Refs::None,
        doc: "true: implicit TLS from the first byte (Python's SMTP_SSL)",
        set: |o, v, _| {
            o.ssl = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "ca_file",
        python: false,
        refs: Refs::None,
        doc: "PEM file of the certificates TLS trusts instead of the default roots",
        set: |o, v, _| {
            o.ca_file = Some(as_str(v)?.into());
            Ok(())
        },
    },
];

pub static SMTP_HANDLER: Class<SmtpOptions> = Class {
    name: "logging.handlers.SMTPHandler",
    aliases: &["SMTPHandler"],
    doc: "Python's SMTPHandler: one mail per record.",
    remote: Remote::LocalOnly,
    required: &["mailhost", "fromaddr", "toaddrs", "subject"],
    new: || SmtpOptions::new("", "", &[], ""),
    keys: &[SMTP_KEYS],
    build: |o, ctx| {
        // Parses the addresses; connects nowhere (lettre connects per mail).
        let h = handler::smtp_handler(o)?;
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(h)
    },
};
