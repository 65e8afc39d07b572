//! RFC 5424 from sawmill as real daemons parse it: rsyslogd and syslog-ng,
//! each started by the test on loopback, over UDP, TCP with octet counting,
//! TCP with LF framing and a Unix datagram socket. Every field each daemon
//! parsed is compared with what was logged: pri, version, timestamp (the
//! expected text from CPython's datetime), hostname, app-name, procid,
//! msgid, structured data, msg — non-ASCII text, multi-line messages, SD
//! values with `"` `\` `]`, the BOM's position, header fields cut by us.

mod syslogd;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use sawmill::format::{Formatter, Style};
use sawmill::handler::syslog::{Address, Framing, SockType, SyslogOptions};
use sawmill::handler::syslog_format::Protocol;
use sawmill::{Record, Value};
use serde_json::Value as Json;
use syslogd::Daemon;

const FACILITY: u32 = 19; // local3
const BASE_TIME: f64 = 1_764_740_400.0;
const STATIC_SD: (&str, &str, &str) = ("ex@32473", "a", "q\"b\\c]d");
const RECIPE_11: &str = "%(levelname)s %(name)s\u{feff}%(message)s";

#[derive(Clone)]
struct Transport {
    name: &'static str,
    address: Address,
    socktype: SockType,
    framing: Framing,
}

fn transports(d: &Daemon) -> Vec<Transport> {
    let inet = |port| Address::Inet("127.0.0.1".into(), port);
    vec![
        Transport {
            name: "udp",
            address: inet(d.udp),
            socktype: SockType::Dgram,
            framing: Framing::OctetCounting,
        },
        Transport {
            name: "tcp-octet",
            address: inet(d.tcp_octet),
            socktype: SockType::Stream,
            framing: Framing::OctetCounting,
        },
        Transport {
            name: "tcp-lf",
            address: inet(d.tcp_lf),
            socktype: SockType::Stream,
            framing: Framing::Lf,
        },
        Transport {
            name: "unix",
            address: Address::Unix(PathBuf::from(&d.unix)),
            socktype: SockType::Dgram,
            framing: Framing::OctetCounting,
        },
    ]
}

/// One logged record and everything a daemon should report for it.
struct Expected {
    token: String,
    levelname: &'static str,
    created: f64,
    hostname: String,
    app_name: String,
    procid: String,
    msgid: String,
    sd: BTreeMap<String, BTreeMap<String, String>>,
    /// The message as formatted (before any BOM the handler adds).
    text: String,
    /// Whether the handler puts a BOM before it.
    bom: bool,
}

fn handler(
    t: &Transport,
    fmt: Option<&str>,
    tweak: impl FnOnce(&mut SyslogOptions),
) -> Arc<sawmill::Handler> {
    let mut o = SyslogOptions {
        address: t.address.clone(),
        socktype: t.socktype,
        framing: t.framing,
        facility: FACILITY,
        protocol: Protocol::Rfc5424,
        hostname: Some("testhost".into()),
        app_name: Some("sawtest".into()),
        procid: Some("4242".into()),
        ..SyslogOptions::default()
    };
    tweak(&mut o);
    let h = sawmill::handler::syslog_handler(o).unwrap();
    if let Some(f) = fmt {
        h.set_formatter(Some(Arc::new(
            Formatter::new(Some(f), None, Style::Percent).unwrap(),
        )));
    }
    h
}

fn sd_of(list: &[(&str, &str, &str)]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut m: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (id, k, v) in list {
        m.entry(id.to_string())
            .or_default()
            .insert(k.to_string(), v.to_string());
    }
    m
}

/// A handler, level name, message and `(SD-ID, PARAM, value)` extras.
type Case<'h> = (
    &'h Arc<sawmill::Handler>,
    &'static str,
    String,
    Vec<(&'static str, &'static str, &'static str)>,
);

/// Logs every case over `t` and returns what should arrive.
fn log_cases(t: &Transport, index: usize) -> Vec<Expected> {
    let mut out = Vec::new();
    let plain = handler(t, None, |o| {
        o.msgid = Some(format!("id-{}", t.name));
        o.structured_data = vec![(
            STATIC_SD.0.into(),
            vec![(STATIC_SD.1.into(), STATIC_SD.2.into())],
        )];
    });
    let recipe = handler(t, Some(RECIPE_11), |_| {});
    let long = handler(t, None, |o| {
        o.hostname = Some("h".repeat(300));
        o.app_name = Some(format!("app name {}", "a".repeat(60)));
        o.procid = Some("p".repeat(200));
        o.msgid = Some("m".repeat(40));
    });
    let mut messages: Vec<Case> = vec![
        (&plain, "INFO", "plain ascii message".into(), vec![]),
        (&plain, "WARNING", "héllo wörld ✓ 日本".into(), vec![]),
        (
            &plain,
            "ERROR",
            "structured".into(),
            vec![
                ("extra@32473", "q", "he said \"hi\" \\ back]slash"),
                ("extra@32473", "n", "7"),
            ],
        ),
        (
            &plain,
            "CRITICAL",
            "critical ünïcode".into(),
            vec![("origin", "ip", "1.2.3.4")],
        ),
        (&recipe, "INFO", "Unicode sectiön".into(), vec![]),
        (&long, "DEBUG", "long header fields".into(), vec![]),
    ];
    if t.framing != Framing::Lf || t.socktype != SockType::Stream {
        messages.push((
            &plain,
            "INFO",
            "first line\nsecond line\n\tthird".into(),
            vec![],
        ));
    }
    for (c, (h, levelname, msg, extras)) in messages.into_iter().enumerate() {
        let token = format!("T{index}C{c}");
        let msg = format!("{msg} {token}");
        let levelno = match levelname {
            "DEBUG" => 10,
            "INFO" => 20,
            "WARNING" => 30,
            "ERROR" => 40,
            _ => 50,
        };
        let created = BASE_TIME + index as f64 * 10.0 + c as f64 + 0.125_25 + c as f64 * 0.001;
        let mut record = Record::at(created, "app", levelno, None, 1, None, Cow::Borrowed(&msg));
        for (id, k, v) in &extras {
            let value = match v.parse::<i64>() {
                Ok(n) => Value::Int(n),
                Err(_) => Value::Str(Cow::Owned(v.to_string())),
            };
            record.extras.push((Cow::Owned(format!("{id} {k}")), value));
        }
        assert!(h.handle(&mut record));
        let mut sd_list = extras.clone();
        let is_recipe = Arc::ptr_eq(h, &recipe);
        let is_long = Arc::ptr_eq(h, &long);
        if !is_recipe && !is_long {
            sd_list.insert(0, STATIC_SD);
        }
        let text = if is_recipe {
            format!("{levelname} app\u{feff}{msg}")
        } else {
            msg.clone()
        };
        out.push(Expected {
            token,
            levelname,
            created,
            hostname: if is_long {
                "h".repeat(255)
            } else {
                "testhost".into()
            },
            app_name: if is_long {
                format!("app_name_{}", "a".repeat(39))
            } else {
                "sawtest".into()
            },
            procid: if is_long {
                "p".repeat(128)
            } else {
                "4242".into()
            },
            msgid: if is_long {
                "m".repeat(32)
            } else if is_recipe {
                "-".into()
            } else {
                format!("id-{}", t.name)
            },
            sd: sd_of(&sd_list),
            bom: !is_recipe && !text.is_ascii(),
            text,
        });
    }
    for h in [&plain, &recipe, &long] {
        h.flush().unwrap();
        h.close().unwrap();
        assert_eq!(h.error_count(), 0, "{}: handler errors", t.name);
    }
    out
}

/// CPython's view of the expected pri and timestamp of each record.
fn cpython_pri_and_time(cases: &[&Expected]) -> Vec<(String, String)> {
    let input: Vec<Json> = cases
        .iter()
        .map(|c| serde_json::json!([c.levelname, c.created]))
        .collect();
    let script = r#"
import datetime, json, sys, logging.handlers as h
out = []
for levelname, created in json.load(sys.stdin):
    s = h.SysLogHandler.__new__(h.SysLogHandler)
    pri = s.encodePriority(19, s.mapPriority(levelname))
    t = datetime.datetime.fromtimestamp(created).astimezone().isoformat(timespec="microseconds")
    out.append([str(pri), t])
json.dump(out, sys.stdout)
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(Json::Array(input).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `+00:00` and `Z` name the same offset.
fn norm_time(t: &str) -> String {
    match t.strip_suffix('Z') {
        Some(head) => format!("{head}+00:00"),
        None => t.to_owned(),
    }
}

/// Parses RFC 5424 STRUCTURED-DATA text (rsyslog reports it raw).
fn parse_sd(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if text == "-" {
        return out;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        assert_eq!(c, '[', "SD {text:?}");
        let mut id = String::new();
        while let Some(&c) = chars.peek() {
            if c == ' ' || c == ']' {
                break;
            }
            id.push(c);
            chars.next();
        }
        let params = out.entry(id).or_default();
        loop {
            match chars.next() {
                Some(']') => break,
                Some(' ') => {
                    let mut name = String::new();
                    for c in chars.by_ref() {
                        if c == '=' {
                            break;
                        }
                        name.push(c);
                    }
                    assert_eq!(chars.next(), Some('"'), "SD {text:?}");
                    let mut value = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => value.push(chars.next().unwrap()),
                            '"' => break,
                            c => value.push(c),
                        }
                    }
                    params.insert(name, value);
                }
                other => panic!("SD {text:?}: unexpected {other:?}"),
            }
        }
    }
    out
}

fn token_of(msg: &str) -> String {
    msg.rsplit(' ').next().unwrap_or("").to_owned()
}

fn run(daemon: &Daemon, check: impl Fn(&Expected, &(String, String), &Json)) {
    let mut cases = Vec::new();
    for (i, t) in transports(daemon).iter().enumerate() {
        for e in log_cases(t, i) {
            cases.push((t.name, e));
        }
    }
    let expected: Vec<&Expected> = cases.iter().map(|(_, e)| e).collect();
    let py = cpython_pri_and_time(&expected);
    let records = daemon.wait_records(|r| r.len() >= expected.len());
    eprintln!(
        "{}: {} records, e.g. {}",
        daemon.name,
        records.len(),
        records[4]
    );
    assert_eq!(
        records.len(),
        expected.len(),
        "{}: extra records",
        daemon.name
    );
    let mut by_token = BTreeMap::new();
    for r in &records {
        let msg = r
            .get("msg")
            .or_else(|| r.get("MESSAGE"))
            .and_then(Json::as_str)
            .unwrap();
        by_token.insert(token_of(msg), r);
    }
    for (i, (transport, e)) in cases.iter().enumerate() {
        let r = by_token
            .get(&e.token)
            .unwrap_or_else(|| panic!("{}: {transport} {} missing", daemon.name, e.token));
        check(e, &py[i], r);
    }
}

fn s<'a>(r: &'a Json, key: &str) -> &'a str {
    r.get(key)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("no {key} in {r}"))
}

#[test]
fn rsyslog_parses_every_field() {
    let daemon = syslogd::rsyslog();
    run(&daemon, |e, (pri, time), r| {
        let what = &e.token;
        assert_eq!(s(r, "pri"), pri, "{what}");
        assert_eq!(s(r, "version"), "1", "{what}");
        assert_eq!(norm_time(s(r, "timestamp")), norm_time(time), "{what}");
        assert_eq!(s(r, "hostname"), e.hostname, "{what}");
        assert_eq!(s(r, "app_name"), e.app_name, "{what}");
        assert_eq!(s(r, "procid"), e.procid, "{what}");
        assert_eq!(s(r, "msgid"), e.msgid, "{what}");
        assert_eq!(parse_sd(s(r, "sd")), e.sd, "{what}");
        // rsyslog keeps the BOM in msg: its exact position shows here.
        let want = if e.bom {
            format!("\u{feff}{}", e.text)
        } else {
            e.text.clone()
        };
        assert_eq!(s(r, "msg"), want, "{what}");
    });
}

#[test]
fn syslog_ng_parses_the_same_fields() {
    let daemon = syslogd::syslog_ng();
    run(&daemon, |e, (pri, time), r| {
        let what = &e.token;
        assert_eq!(s(r, "PRI"), pri, "{what}");
        assert_eq!(norm_time(s(r, "ISODATE")), norm_time(time), "{what}");
        assert_eq!(s(r, "HOST"), e.hostname, "{what}");
        assert_eq!(s(r, "PROGRAM"), e.app_name, "{what}");
        assert_eq!(s(r, "PID"), e.procid, "{what}");
        let msgid = r.get("MSGID").and_then(Json::as_str).unwrap_or("-");
        assert_eq!(msgid, e.msgid, "{what}");
        let sd: BTreeMap<String, BTreeMap<String, String>> = r
            .get("_SDATA")
            .map(|v| serde_json::from_value(v.clone()).unwrap())
            .unwrap_or_default();
        assert_eq!(sd, e.sd, "{what}");
        // syslog-ng drops a BOM that starts MSG (it marks the text UTF-8).
        assert_eq!(s(r, "MESSAGE"), e.text, "{what}");
    });
}

#[test]
fn rsyslog_parses_rfc3164() {
    let daemon = syslogd::rsyslog();
    let mut sent = Vec::new();
    for (i, t) in transports(&daemon).iter().enumerate() {
        let h = handler(t, None, |o| o.protocol = Protocol::Rfc3164);
        let msg = format!("bsd style message ünï T3164C{i}");
        let mut record = Record::at(
            BASE_TIME + 0.5,
            "app",
            40,
            None,
            1,
            None,
            Cow::Borrowed(&msg),
        );
        assert!(h.handle(&mut record));
        h.close().unwrap();
        assert_eq!(h.error_count(), 0, "{}", t.name);
        sent.push(msg);
    }
    let records = daemon.wait_records(|r| r.len() >= sent.len());
    for msg in &sent {
        let r = records
            .iter()
            .find(|r| s(r, "msg").trim_start() == msg)
            .unwrap_or_else(|| panic!("{msg} missing from {records:?}"));
        assert_eq!(s(r, "pri"), "155"); // local3.err
        assert_eq!(s(r, "hostname"), "testhost");
        assert_eq!(s(r, "app_name"), "sawtest");
        assert_eq!(s(r, "procid"), "4242");
    }
}
