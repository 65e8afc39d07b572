//! Python's `HTTPHandler`: one request per record carrying the record's
//! dict (`mapLogRecord`, i.e. `record.__dict__`) url-encoded as CPython's
//! `urllib.parse.urlencode` writes it — appended to the URL for GET, as an
//! `application/x-www-form-urlencoded` body for POST — with Basic
//! credentials when given; or, as an option, the dict as a JSON body. The
//! request is made by `ureq` with a timeout; the response is not used
//! (CPython ignores it too), but a failed exchange is counted. HTTPS
//! verifies the server against Mozilla's roots, or against only the
//! certificates of `ca_file` when given (what CPython does with
//! `context=ssl.create_default_context(cafile=...)`).

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{EmitError, ErrorKind, Sink};
use crate::net::Item;
use crate::record::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// Everything an HTTPHandler is configured with (Python's names).
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// "host" or "host:port".
    pub host: String,
    /// The path (and optional query) requested.
    pub url: String,
    pub method: Method,
    /// HTTPS instead of HTTP.
    pub secure: bool,
    /// (username, password) for a Basic `Authorization` header.
    pub credentials: Option<(String, String)>,
    /// Longest a whole request may take.
    pub timeout: Duration,
    /// POST the dict as `application/json` instead (sawmill's option).
    pub json: bool,
    /// PEM certificates trusted for HTTPS instead of the default roots
    /// (the `cafile` of CPython's `context`).
    pub ca_file: Option<PathBuf>,
}

impl HttpOptions {
    pub fn new(host: &str, url: &str) -> HttpOptions {
        HttpOptions {
            host: host.to_owned(),
            url: url.to_owned(),
            method: Method::Get,
            secure: false,
            credentials: None,
            timeout: Duration::from_secs(5),
            json: false,
            ca_file: None,
        }
    }
}

impl Method {
    /// Python's check: "GET" or "POST", any case.
    pub fn parse(text: &str) -> Result<Method, String> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            _ => Err("method must be GET or POST".into()),
        }
    }
}

/// Python's `urllib.parse.quote_plus`: letters, digits and `_.-~` kept,
/// space as `+`, every other UTF-8 byte as `%XX`.
pub fn quote_plus(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// `urlencode(record.__dict__)` as CPython's HTTPHandler sends it: `str()`
/// of each value (`args` is the empty tuple: sawmill merges the message).
pub fn urlencode_record(record: &Record<'_>) -> String {
    let mut out = String::with_capacity(512);
    crate::net::for_each_item(record, |key, item| {
        if !out.is_empty() {
            out.push('&');
        }
        quote_plus(key, &mut out);
        out.push('=');
        let value = match (key, item) {
            ("args", _) => "()".to_owned(),
            (_, Item::Str(s)) => s.to_owned(),
            (_, Item::Int(i)) => i.to_string(),
            (_, Item::Float(f)) => crate::format::python_float_repr(f),
            (_, Item::Bool(b)) => (if b { "True" } else { "False" }).to_owned(),
            (_, Item::None) => "None".to_owned(),
        };
        quote_plus(&value, &mut out);
    });
    out
}

pub struct HttpSink {
    options: HttpOptions,
    agent: ureq::Agent,
    authorization: Option<String>,
}

/// The PEM certificates of `path`, for a TLS client's roots; an unreadable
/// file, or one with no certificate, is refused.
pub fn read_ca_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("ca_file {}: {e}", path.display()))?;
    if !pem
        .windows(b"-----BEGIN CERTIFICATE-----".len())
        .any(|w| w == b"-----BEGIN CERTIFICATE-----")
    {
        return Err(format!("ca_file {}: no PEM certificate", path.display()));
    }
    Ok(pem)
}

/// A rustls client trusting only the certificates of `path`.
fn tls_config(path: &std::path::Path) -> Result<Arc<rustls::ClientConfig>, String> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let pem = read_ca_file(path)?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("ca_file {}: {e}", path.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("ca_file {}: {e}", path.display()))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl HttpSink {
    /// Refuses a `ca_file` that cannot be read or holds no certificate.
    pub fn new(options: HttpOptions) -> Result<HttpSink, String> {
        // The DNS lookup is bounded by the timeout too (ureq's is not).
        let dns_wait = options.timeout;
        let mut builder = ureq::AgentBuilder::new()
            .timeout(options.timeout)
            .redirects(0)
            .resolver(move |netloc: &str| {
                let (host, port) = netloc
                    .rsplit_once(':')
                    .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
                    .ok_or_else(|| io::Error::other(format!("bad address {netloc}")))?;
                crate::net::resolve::resolve(host, port, dns_wait)
            });
        if let Some(path) = &options.ca_file {
            builder = builder.tls_config(tls_config(path)?);
        }
        let agent = builder.build();
        let authorization = options.credentials.as_ref().map(|(user, password)| {
            use base64::Engine as _;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            format!("Basic {token}")
        });
        Ok(HttpSink {
            options,
            agent,
            authorization,
        })
    }
}

impl Sink for HttpSink {
    fn kind(&self) -> &'static str {
        "HTTPHandler"
    }

    /// The record goes out as its dict, never as formatted text.
    fn needs_text(&self) -> bool {
        false
    }

    fn emit(&mut self, record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        let scheme = if self.options.secure { "https" } else { "http" };
        let mut url = format!("{scheme}://{}{}", self.options.host, self.options.url);
        let body = if self.options.json {
            let mut json = Vec::with_capacity(512);
            crate::net::json::encode_record(record, &mut json);
            Some((json, "application/json"))
        } else {
            let data = urlencode_record(record);
            match self.options.method {
                Method::Get => {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(&data);
                    None
                }
                Method::Post => Some((data.into_bytes(), "application/x-www-form-urlencoded")),
            }
        };
        let method = match (self.options.method, self.options.json) {
            (Method::Get, false) => "GET",
            _ => "POST",
        };
        let mut request = self.agent.request(method, &url);
        if let Some(auth) = &self.authorization {
            request = request.set("Authorization", auth);
        }
        let result = match body {
            Some((bytes, content_type)) => {
                request.set("Content-type", content_type).send_bytes(&bytes)
            }
            None => request.call(),
        };
        match result {
            // CPython reads the response and ignores its status.
            Ok(_) | Err(ureq::Error::Status(..)) => Ok(()),
            Err(e) => Err(EmitError {
                kind: ErrorKind::Io,
                detail: e.to_string(),
            }),
        }
    }
}
