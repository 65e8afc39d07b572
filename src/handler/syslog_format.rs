//! The three syslog wire formats a `SysLogHandler` writes: CPython's legacy
//! bytes, RFC 3164 and RFC 5424. Pure functions over a reused byte buffer,
//! so the sink allocates nothing per record in steady state.
//!
//! Crates: `chrono` gives the local calendar time and UTC offset of a
//! record's `created` (RFC 3339 for RFC 5424, `Mmm dd hh:mm:ss` for RFC
//! 3164), looked up once per second of log time. The `syslog` crate the
//! design card names is not used: its formatters write their own header
//! layout with no way to produce CPython's legacy bytes, to cut and sanitise
//! header fields, to place the BOM by our rule or to take SD from extras,
//! and its loggers block without a timeout; what we need of it is the few
//! lines of framing below and in `syslog.rs`.

use std::fmt::Write as _;

use chrono::{Datelike, Local, Offset, TimeZone};

use crate::record::{Record, Value};

/// Which wire format the handler writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Protocol {
    /// CPython's bytes: `<PRI>` + ident + message (+ NUL).
    #[default]
    Legacy,
    /// `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG`.
    Rfc3164,
    /// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]`.
    Rfc5424,
}

impl Protocol {
    pub fn parse(s: &str) -> Result<Protocol, String> {
        match s {
            "legacy" => Ok(Protocol::Legacy),
            "rfc3164" => Ok(Protocol::Rfc3164),
            "rfc5424" => Ok(Protocol::Rfc5424),
            _ => Err(format!(
                "unknown syslog protocol {s:?} (legacy, rfc3164 or rfc5424)"
            )),
        }
    }
}

/// Where RFC 5424's BOM goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Bom {
    /// Before a MSG that is not pure ASCII, unless the text carries U+FEFF.
    #[default]
    Auto,
    /// Before every MSG, unless the text carries U+FEFF.
    Always,
    /// Never added (a U+FEFF in the text is sent as it is).
    Never,
}

impl Bom {
    pub fn parse(s: &str) -> Result<Bom, String> {
        match s {
            "auto" => Ok(Bom::Auto),
            "always" => Ok(Bom::Always),
            "never" => Ok(Bom::Never),
            _ => Err(format!("unknown bom {s:?} (auto, always or never)")),
        }
    }
}

pub const NILVALUE: &str = "-";
pub const HOSTNAME_MAX: usize = 255;
pub const APP_NAME_MAX: usize = 48;
pub const PROCID_MAX: usize = 128;
pub const MSGID_MAX: usize = 32;
pub const SD_NAME_MAX: usize = 32;
/// RFC 3164's TAG limit.
pub const TAG_MAX: usize = 32;
/// RFC 3164's packet limit (datagram transports).
pub const RFC3164_MAX: usize = 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// SD-IDs without `@` that IANA registered (RFC 5424 section 7).
const IANA_SD_IDS: [&str; 3] = ["timeQuality", "origin", "meta"];

/// Python's `SysLogHandler.facility_names`.
pub const FACILITIES: [(&str, u32); 24] = [
    ("kern", 0),
    ("user", 1),
    ("mail", 2),
    ("daemon", 3),
    ("auth", 4),
    ("syslog", 5),
    ("lpr", 6),
    ("news", 7),
    ("uucp", 8),
    ("cron", 9),
    ("authpriv", 10),
    ("ftp", 11),
    ("ntp", 12),
    ("security", 13),
    ("console", 14),
    ("solaris-cron", 15),
    ("local0", 16),
    ("local1", 17),
    ("local2", 18),
    ("local3", 19),
    ("local4", 20),
    ("local5", 21),
    ("local6", 22),
    ("local7", 23),
];

/// A facility by Python's name (`local0`, `user`, …) or number (0–23).
pub fn facility_from_name(name: &str) -> Result<u32, String> {
    if let Some((_, n)) = FACILITIES.iter().find(|(f, _)| *f == name) {
        return Ok(*n);
    }
    match name.parse::<u32>() {
        Ok(n) if n <= 23 => Ok(n),
        _ => Err(format!("unknown syslog facility {name:?}")),
    }
}

/// Python's `SysLogHandler.priority_map` as severities, keyed by level name
/// as Python keys it; any other name maps to warning (4).
pub const DEFAULT_SEVERITIES: [(&str, u8); 5] = [
    ("DEBUG", 7),
    ("INFO", 6),
    ("WARNING", 4),
    ("ERROR", 3),
    ("CRITICAL", 2),
];

/// Python's priority names (`SysLogHandler.priority_names`) to severities.
pub fn severity_from_name(name: &str) -> Result<u8, String> {
    let n = match name {
        "emerg" | "panic" => 0,
        "alert" => 1,
        "crit" | "critical" => 2,
        "err" | "error" => 3,
        "warn" | "warning" => 4,
        "notice" => 5,
        "info" => 6,
        "debug" => 7,
        _ => return Err(format!("unknown syslog priority {name:?}")),
    };
    Ok(n)
}

/// `true` if `name` is a valid SD-NAME: 1–32 PRINTUSASCII except `=`, SP,
/// `]` and `"`.
pub fn valid_sd_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= SD_NAME_MAX
        && name
            .bytes()
            .all(|b| (33..=126).contains(&b) && !matches!(b, b'=' | b']' | b'"'))
}

/// A valid SD-ID: an SD-NAME that is IANA-registered or has the `name@number` form.
pub fn valid_sd_id(id: &str) -> bool {
    if !valid_sd_name(id) {
        return false;
    }
    match id.split_once('@') {
        None => IANA_SD_IDS.contains(&id),
        Some((name, enterprise)) => {
            !name.is_empty()
                && !enterprise.is_empty()
                && !enterprise.contains('@')
                && enterprise.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        }
    }
}

/// A header field: PRINTUSASCII only (others become `_`), cut to `max`
/// bytes, NILVALUE when empty.
pub fn sanitize_field(value: &str, max: usize) -> String {
    let mut out: String = value
        .chars()
        .map(|c| if ('!'..='~').contains(&c) { c } else { '_' })
        .take(max)
        .collect();
    if out.is_empty() {
        out.push_str(NILVALUE);
    }
    out
}

/// Renders STRUCTURED-DATA elements, escaping `"`, `\` and `]` in values.
pub fn write_sd_element(out: &mut String, id: &str, params: &[(String, String)]) {
    out.push('[');
    out.push_str(id);
    for (name, value) in params {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_param_value(out, value);
        out.push('"');
    }
    out.push(']');
}

fn escape_param_value(out: &mut String, value: &str) {
    for c in value.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The `structured_data` option: SD-ID → [(PARAM-NAME, value)], in order.
pub type StructuredData = Vec<(String, Vec<(String, String)>)>;

/// The `structured_data` option with each SD-ID once (RFC 5424 wants them
/// unique): the params of a repeated SD-ID join its first element.
pub fn merge_sd(sd: &[(String, Vec<(String, String)>)]) -> StructuredData {
    let mut out: StructuredData = Vec::new();
    for (id, params) in sd {
        match out.iter_mut().find(|(seen, _)| seen == id) {
            Some((_, have)) => have.extend(params.iter().cloned()),
            None => out.push((id.clone(), params.clone())),
        }
    }
    out
}

/// Checks and renders the `structured_data` option once, at construction.
pub fn render_static_sd(sd: &[(String, Vec<(String, String)>)]) -> Result<String, String> {
    let mut out = String::new();
    for (id, params) in &merge_sd(sd) {
        if !valid_sd_id(id) {
            return Err(format!(
                "invalid SD-ID {id:?} (1-32 printable ASCII without = ] \" or space; \
                 name@enterprise-number unless IANA-registered)"
            ));
        }
        if let Some((name, _)) = params.iter().find(|(n, _)| !valid_sd_name(n)) {
            return Err(format!("invalid SD PARAM-NAME {name:?} in [{id}]"));
        }
        write_sd_element(&mut out, id, params);
    }
    Ok(out)
}

/// A record extra names an SD parameter when its key is `SD-ID SP PARAM-NAME`
/// (as it reads on the wire, `[SD-ID PARAM-NAME="…"]`) with both names
/// valid; other extras are not structured data.
pub fn sd_extra_key(key: &str) -> Option<(&str, &str)> {
    let (id, name) = key.split_once(' ')?;
    (valid_sd_id(id) && valid_sd_name(name)).then_some((id, name))
}

fn value_text(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Str(s) | Value::Json(s) => escape_param_value(out, s),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => crate::format::write_float_repr(out, *f),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Null => out.push_str("None"),
    }
}

/// Appends the params of SD-ID `id` named by record extras.
fn write_extra_params(out: &mut String, record: &Record<'_>, id: &str) {
    for (k, v) in &record.extras {
        if let Some((other, name)) = sd_extra_key(k) {
            if other == id {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                value_text(out, v);
                out.push('"');
            }
        }
    }
}

/// Whether a record extra names SD param `name` of SD-ID `id` (`None`: any).
fn extra_names(record: &Record<'_>, id: &str, name: Option<&str>) -> bool {
    record.extras.iter().any(|(k, _)| {
        sd_extra_key(k).is_some_and(|(i, n)| i == id && name.is_none_or(|want| want == n))
    })
}

/// Appends the `structured_data` option's elements; an element whose SD-ID
/// a record extra also names takes the extras' params in (each SD-ID
/// appears once; for the same PARAM-NAME the extras win).
fn write_static_sd(out: &mut String, header: &Header, record: &Record<'_>) {
    let merged = !record.extras.is_empty()
        && header
            .static_elements
            .iter()
            .any(|(id, _)| extra_names(record, id, None));
    if !merged {
        out.push_str(&header.static_sd);
        return;
    }
    for (id, params) in &header.static_elements {
        out.push('[');
        out.push_str(id);
        for (name, value) in params {
            if !extra_names(record, id, Some(name)) {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                escape_param_value(out, value);
                out.push('"');
            }
        }
        write_extra_params(out, record, id);
        out.push(']');
    }
}

/// Appends the SD elements named by record extras (grouped by SD-ID in the
/// order the IDs first appear), except those of `skip` (the option's,
/// written merged by `write_static_sd`). Returns whether any was written.
fn write_extra_sd(out: &mut String, record: &Record<'_>, skip: &StructuredData) -> bool {
    let mut any = false;
    for (i, (key, _)) in record.extras.iter().enumerate() {
        let Some((id, _)) = sd_extra_key(key) else {
            continue;
        };
        if skip.iter().any(|(s, _)| s == id) {
            continue;
        }
        // Only the first extra of each SD-ID opens its element.
        let seen = record.extras[..i]
            .iter()
            .any(|(k, _)| sd_extra_key(k).is_some_and(|(other, _)| other == id));
        if seen {
            continue;
        }
        any = true;
        out.push('[');
        out.push_str(id);
        write_extra_params(out, record, id);
        out.push(']');
    }
    any
}

/// Everything constant about one handler's RFC 3164 / 5424 header.
#[derive(Clone, Debug)]
pub struct Header {
    pub hostname: String,
    pub app_name: String,
    pub procid: String,
    pub msgid: String,
    /// The rendered `structured_data` option ("" when none).
    pub static_sd: String,
    /// The option's elements, each SD-ID once (for merging with extras).
    pub static_elements: StructuredData,
    /// RFC 3164's TAG (app name cut to 32).
    pub tag: String,
}

impl Header {
    pub fn new(
        hostname: &str,
        app_name: &str,
        procid: &str,
        msgid: &str,
        structured_data: &[(String, Vec<(String, String)>)],
    ) -> Header {
        let static_elements = merge_sd(structured_data);
        let mut static_sd = String::new();
        for (id, params) in &static_elements {
            write_sd_element(&mut static_sd, id, params);
        }
        Header {
            hostname: sanitize_field(hostname, HOSTNAME_MAX),
            app_name: sanitize_field(app_name, APP_NAME_MAX),
            procid: sanitize_field(procid, PROCID_MAX),
            msgid: sanitize_field(msgid, MSGID_MAX),
            static_sd,
            static_elements,
            tag: sanitize_field(app_name, TAG_MAX),
        }
    }
}

/// The host's name (the kernel's nodename), or NILVALUE.
pub fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// The program's name (basename of argv[0]).
pub fn program_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default()
}

/// Caches the calendar text of the last second seen (time zone lookups are
/// the costly part of a timestamp).
#[derive(Default)]
pub struct ClockCache {
    second: Option<i64>,
    /// `YYYY-MM-DDTHH:MM:SS` for RFC 5424.
    iso: String,
    /// `Z` or `+hh:mm`.
    offset: String,
    /// `Mmm dd hh:mm:ss` for RFC 3164.
    bsd: String,
}

impl ClockCache {
    fn update(&mut self, second: i64) {
        if self.second == Some(second) {
            return;
        }
        self.iso.clear();
        self.offset.clear();
        self.bsd.clear();
        // RFC 3339 has four-digit years only.
        let in_range = |t: &chrono::DateTime<Local>| (0..=9999).contains(&t.year());
        match Local.timestamp_opt(second, 0).single().filter(in_range) {
            Some(t) => {
                let _ = write!(self.iso, "{}", t.format("%Y-%m-%dT%H:%M:%S"));
                let _ = write!(self.bsd, "{}", t.format("%b %e %H:%M:%S"));
                let off = t.offset().fix().local_minus_utc();
                if off == 0 {
                    self.offset.push('Z');
                } else {
                    let sign = if off < 0 { '-' } else { '+' };
                    let off = off.abs();
                    let _ = write!(self.offset, "{sign}{:02}:{:02}", off / 3600, off / 60 % 60);
                }
            }
            // Out of the calendar's range: NILVALUE (RFC 5424 allows it;
            // RFC 3164 gets it too rather than a wrong date).
            None => {
                self.iso.push_str(NILVALUE);
                self.bsd.push_str(NILVALUE);
            }
        }
        self.second = Some(second);
    }
}

/// Splits `created` into whole seconds and microseconds (rounded, carried).
fn split_time(created: f64) -> (i64, u32) {
    let created = if created.is_finite() { created } else { 0.0 };
    let mut secs = created.floor();
    let mut micros = ((created - secs) * 1e6).round();
    if micros >= 1e6 {
        secs += 1.0;
        micros = 0.0;
    }
    (secs as i64, micros as u32)
}

/// Appends `<PRI>` to `out`.
pub fn write_pri(out: &mut Vec<u8>, pri: u32) {
    // Writing to a Vec cannot fail.
    let _ = std::io::Write::write_fmt(out, format_args!("<{pri}>"));
}

/// CPython's `SysLogHandler.emit` bytes.
pub fn legacy(out: &mut Vec<u8>, pri: u32, ident: &str, text: &str, append_nul: bool) {
    write_pri(out, pri);
    out.extend_from_slice(ident.as_bytes());
    out.extend_from_slice(text.as_bytes());
    if append_nul {
        out.push(0);
    }
}

/// RFC 3164: `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG`.
pub fn rfc3164(
    out: &mut Vec<u8>,
    clock: &mut ClockCache,
    pri: u32,
    header: &Header,
    record: &Record<'_>,
    text: &str,
) {
    write_pri(out, pri);
    let (second, _) = split_time(record.created);
    clock.update(second);
    out.extend_from_slice(clock.bsd.as_bytes());
    out.push(b' ');
    out.extend_from_slice(header.hostname.as_bytes());
    out.push(b' ');
    out.extend_from_slice(header.tag.as_bytes());
    out.push(b'[');
    out.extend_from_slice(header.procid.as_bytes());
    out.extend_from_slice(b"]: ");
    out.extend_from_slice(text.as_bytes());
}

/// RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]`.
/// `scratch` is a reused buffer for the structured data.
#[allow(clippy::too_many_arguments)]
pub fn rfc5424(
    out: &mut Vec<u8>,
    scratch: &mut String,
    clock: &mut ClockCache,
    pri: u32,
    header: &Header,
    bom: Bom,
    record: &Record<'_>,
    text: &str,
) {
    write_pri(out, pri);
    out.extend_from_slice(b"1 ");
    let (second, micros) = split_time(record.created);
    clock.update(second);
    out.extend_from_slice(clock.iso.as_bytes());
    if clock.iso != NILVALUE {
        scratch.clear();
        let _ = write!(scratch, ".{micros:06}");
        out.extend_from_slice(scratch.as_bytes());
        out.extend_from_slice(clock.offset.as_bytes());
    }
    for field in [
        &header.hostname,
        &header.app_name,
        &header.procid,
        &header.msgid,
    ] {
        out.push(b' ');
        out.extend_from_slice(field.as_bytes());
    }
    out.push(b' ');
    scratch.clear();
    write_static_sd(scratch, header, record);
    write_extra_sd(scratch, record, &header.static_elements);
    if scratch.is_empty() {
        out.extend_from_slice(NILVALUE.as_bytes());
    } else {
        out.extend_from_slice(scratch.as_bytes());
    }
    write_msg(out, bom, text);
}

/// `[SP MSG]` with the BOM placed per `bom`. A U+FEFF in the text marks the
/// BOM's place itself (recipe 11: `ASCII section\ufeffUnicode section`), so
/// nothing is added before it.
fn write_msg(out: &mut Vec<u8>, bom: Bom, text: &str) {
    let add_bom = match bom {
        Bom::Never => false,
        _ if text.contains('\u{feff}') => false,
        Bom::Always => true,
        Bom::Auto => !text.is_ascii(),
    };
    if !add_bom && text.is_empty() {
        return;
    }
    out.push(b' ');
    if add_bom {
        out.extend_from_slice(BOM);
    }
    out.extend_from_slice(text.as_bytes());
}

/// Cuts `bytes` to at most `max` bytes at a UTF-8 character boundary,
/// keeping a final NUL if there was one. Returns whether it cut.
pub fn truncate_datagram(bytes: &mut Vec<u8>, max: usize) -> bool {
    if bytes.len() <= max {
        return false;
    }
    let nul = bytes.last() == Some(&0);
    let mut end = if nul { max - 1 } else { max };
    // Back off continuation bytes so no character is split.
    while end > 0 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    bytes.truncate(end);
    if nul {
        bytes.push(0);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn record(msg: &str) -> Record<'_> {
        Record::at(
            1_700_000_000.25,
            "app",
            20,
            None,
            1,
            None,
            Cow::Borrowed(msg),
        )
    }

    fn header() -> Header {
        Header::new("host", "app", "42", "", &[])
    }

    fn five(rec: &Record<'_>, text: &str, bom: Bom, h: &Header) -> Vec<u8> {
        let mut out = Vec::new();
        rfc5424(
            &mut out,
            &mut String::new(),
            &mut ClockCache::default(),
            14,
            h,
            bom,
            rec,
            text,
        );
        out
    }

    fn after_header(line: &[u8]) -> &[u8] {
        // <PRI>1 TS HOST APP PROCID MSGID SD: the part after the 7th space.
        let mut spaces = 0;
        for (i, b) in line.iter().enumerate() {
            if *b == b' ' {
                spaces += 1;
                if spaces == 6 {
                    return &line[i + 1..];
                }
            }
        }
        &[]
    }

    #[test]
    fn legacy_is_pri_ident_text_nul() {
        let mut out = Vec::new();
        legacy(&mut out, 14, "id: ", "héllo", true);
        assert_eq!(out, b"<14>id: h\xc3\xa9llo\0");
    }

    #[test]
    fn rfc5424_header_and_nilvalues() {
        let rec = record("hi");
        let out = five(&rec, "hi", Bom::Auto, &header());
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("<14>1 20"), "{s}");
        assert!(s.contains(".250000"), "{s}");
        assert!(s.ends_with(" host app 42 - - hi"), "{s}");
    }

    #[test]
    fn bom_rules() {
        let h = header();
        let rec = record("x");
        assert_eq!(after_header(&five(&rec, "abc", Bom::Auto, &h)), b"- abc");
        assert_eq!(
            after_header(&five(&rec, "é", Bom::Auto, &h)),
            b"- \xEF\xBB\xBF\xc3\xa9"
        );
        assert_eq!(
            after_header(&five(&rec, "abc", Bom::Always, &h)),
            b"- \xEF\xBB\xBFabc"
        );
        assert_eq!(
            after_header(&five(&rec, "é", Bom::Never, &h)),
            b"- \xc3\xa9"
        );
        assert_eq!(
            after_header(&five(&rec, "ASCII\u{feff}ünï", Bom::Auto, &h)),
            "- ASCII\u{feff}ünï".as_bytes()
        );
        assert_eq!(after_header(&five(&rec, "", Bom::Auto, &h)), b"-");
    }

    #[test]
    fn header_fields_are_sanitised_and_cut() {
        let long = "h".repeat(300);
        let h = Header::new(&long, "my app é", "", &"m".repeat(40), &[]);
        assert_eq!(h.hostname.len(), 255);
        assert_eq!(h.app_name, "my_app__");
        assert_eq!(h.procid, "-");
        assert_eq!(h.msgid.len(), 32);
    }

    #[test]
    fn structured_data_from_option_and_extras() {
        let option = [(
            "ex@32473".to_owned(),
            vec![("a".to_owned(), "q\"b\\c]d".to_owned())],
        )];
        let sd = render_static_sd(&option).unwrap();
        assert_eq!(sd, r#"[ex@32473 a="q\"b\\c\]d"]"#);
        assert!(render_static_sd(&[("bad id".to_owned(), vec![])]).is_err());
        assert!(render_static_sd(&[("private".to_owned(), vec![])]).is_err());
        assert!(render_static_sd(&[("origin".to_owned(), vec![])]).is_ok());
        let h = Header::new("h", "a", "1", "m", &option);
        let mut rec = record("x");
        rec.extras.push((Cow::Borrowed("o@1 n"), Value::Int(5)));
        rec.extras.push((Cow::Borrowed("plain"), Value::Int(6)));
        rec.extras
            .push((Cow::Borrowed("o@1 s"), Value::Str("]".into())));
        let out = String::from_utf8(five(&rec, "x", Bom::Auto, &h)).unwrap();
        assert!(
            out.ends_with(r#" h a 1 m [ex@32473 a="q\"b\\c\]d"][o@1 n="5" s="\]"] x"#),
            "{out}"
        );
    }

    #[test]
    fn an_sd_id_in_option_and_extras_appears_once() {
        let p = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        let option = [
            ("ex@1".to_owned(), vec![p("a", "1"), p("b", "2")]),
            ("meta".to_owned(), vec![p("sequenceId", "7")]),
            // A repeated SD-ID in the option joins its first element.
            ("ex@1".to_owned(), vec![p("c", "3")]),
        ];
        assert_eq!(
            render_static_sd(&option).unwrap(),
            r#"[ex@1 a="1" b="2" c="3"][meta sequenceId="7"]"#
        );
        let h = Header::new("h", "a", "1", "m", &option);
        let mut rec = record("x");
        rec.extras.push((Cow::Borrowed("o@2 z"), Value::Int(9)));
        rec.extras
            .push((Cow::Borrowed("ex@1 b"), Value::Str("x]".into())));
        rec.extras.push((Cow::Borrowed("ex@1 d"), Value::Int(4)));
        let out = String::from_utf8(five(&rec, "x", Bom::Auto, &h)).unwrap();
        // The extra's `b` wins; its new `d` joins; other IDs keep their place.
        assert!(
            out.ends_with(
                r#" m [ex@1 a="1" c="3" b="x\]" d="4"][meta sequenceId="7"][o@2 z="9"] x"#
            ),
            "{out}"
        );
        // Without a shared SD-ID the option's rendering is used as is.
        let mut rec = record("x");
        rec.extras.push((Cow::Borrowed("o@2 z"), Value::Int(9)));
        let out = String::from_utf8(five(&rec, "x", Bom::Auto, &h)).unwrap();
        assert!(
            out.ends_with(r#" m [ex@1 a="1" b="2" c="3"][meta sequenceId="7"][o@2 z="9"] x"#),
            "{out}"
        );
    }

    #[test]
    fn facilities_and_severities() {
        assert_eq!(facility_from_name("local7"), Ok(23));
        assert_eq!(facility_from_name("user"), Ok(1));
        assert_eq!(facility_from_name("3"), Ok(3));
        assert!(facility_from_name("nope").is_err());
        assert_eq!(severity_from_name("notice"), Ok(5));
    }

    #[test]
    fn truncation_keeps_characters_and_nul() {
        let mut b = "aé".as_bytes().to_vec();
        b.push(0);
        assert!(truncate_datagram(&mut b, 3));
        assert_eq!(b, b"a\0");
        let mut b = b"abcdef".to_vec();
        assert!(truncate_datagram(&mut b, 4));
        assert_eq!(b, b"abcd");
    }

    #[test]
    fn rfc3164_layout() {
        let mut out = Vec::new();
        let rec = record("m");
        rfc3164(
            &mut out,
            &mut ClockCache::default(),
            13,
            &header(),
            &rec,
            "m",
        );
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("<13>Nov "), "{s}");
        assert!(s.ends_with(" host app[42]: m"), "{s}");
    }
}
