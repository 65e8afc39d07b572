//! Python's `SMTPHandler`: one mail per record — From, To (the addresses
//! joined), Subject, Date, and the formatted record as a UTF-8 text body —
//! sent by `lettre` with a timeout. As in CPython, `secure` means STARTTLS
//! after EHLO and only applies with credentials; `mailhost` may carry a
//! port. sawmill adds `ssl` (implicit TLS, Python's SMTP_SSL) as an option.
//!
//! `secure`'s (keyfile, certfile) present a client certificate as CPython's
//! does. Unlike CPython — whose `starttls()` context checks neither the
//! certificate nor the host name — the server is always verified: against
//! Mozilla's roots, or only the certificates of `ca_file` when given.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{
    Certificate, CertificateStore, Identity, Tls, TlsParameters,
};
use lettre::{Message, SmtpTransport, Transport};

use super::{EmitError, ErrorKind, Sink};
use crate::record::Record;

/// Everything an SMTPHandler is configured with (Python's names).
#[derive(Clone, Debug)]
pub struct SmtpOptions {
    pub mailhost: String,
    /// 0: smtplib's SMTP_PORT (25).
    pub port: u16,
    pub fromaddr: String,
    pub toaddrs: Vec<String>,
    pub subject: String,
    pub credentials: Option<(String, String)>,
    /// Python's `secure`: STARTTLS after EHLO (with credentials only).
    pub secure: bool,
    /// Implicit TLS from the first byte (sawmill's option).
    pub ssl: bool,
    /// `secure = (keyfile, certfile)`: the client's key and certificate
    /// chain (PEM), presented when the server asks.
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// PEM certificates trusted instead of the default roots.
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

impl SmtpOptions {
    pub fn new(mailhost: &str, fromaddr: &str, toaddrs: &[&str], subject: &str) -> SmtpOptions {
        SmtpOptions {
            mailhost: mailhost.to_owned(),
            port: 0,
            fromaddr: fromaddr.to_owned(),
            toaddrs: toaddrs.iter().map(|s| (*s).to_owned()).collect(),
            subject: subject.to_owned(),
            credentials: None,
            secure: false,
            ssl: false,
            client_cert: None,
            ca_file: None,
            timeout: Duration::from_secs(5),
        }
    }

    /// Checks the addresses and builds the transport: errors surface when
    /// the handler is made, not at the first record.
    fn transport(&self) -> Result<(SmtpTransport, Mailbox, Vec<Mailbox>), String> {
        let from: Mailbox = self
            .fromaddr
            .parse()
            .map_err(|e| format!("fromaddr {:?}: {e}", self.fromaddr))?;
        let to = self
            .toaddrs
            .iter()
            .map(|a| a.parse().map_err(|e| format!("toaddr {a:?}: {e}")))
            .collect::<Result<Vec<Mailbox>, String>>()?;
        if to.is_empty() {
            return Err("toaddrs is empty".into());
        }
        let port = if self.port == 0 { 25 } else { self.port };
        let tls = |wrapper: bool| -> Result<Tls, String> {
            let mut params = TlsParameters::builder(self.mailhost.clone());
            if let Some(path) = &self.ca_file {
                let pem = super::http::read_ca_file(path)?;
                let certs = Certificate::from_pem(&pem)
                    .map_err(|e| format!("ca_file {}: {e}", path.display()))?;
                params = params
                    .certificate_store(CertificateStore::None)
                    .add_root_certificate(certs);
            }
            if let Some((keyfile, certfile)) = &self.client_cert {
                let read = |p: &PathBuf| {
                    std::fs::read(p).map_err(|e| format!("secure {}: {e}", p.display()))
                };
                // lettre 0.11's rustls Identity::from_pem takes the key as
                // PEM but the certificate as DER (it does not decode it):
                // hand it the DER of certfile's first certificate, so only
                // the leaf is presented (no intermediates).
                use rustls::pki_types::{pem::PemObject, CertificateDer};
                let leaf = CertificateDer::from_pem_slice(&read(certfile)?)
                    .map_err(|e| format!("secure certfile {}: {e}", certfile.display()))?;
                let identity = Identity::from_pem(&leaf, &read(keyfile)?)
                    .map_err(|e| format!("secure ({keyfile:?}, {certfile:?}): {e}"))?;
                params = params.identify_with(identity);
            }
            let params = params.build().map_err(|e| e.to_string())?;
            Ok(if wrapper {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            })
        };
        let mode = if self.ssl {
            tls(true)?
        } else if self.secure && self.credentials.is_some() {
            tls(false)?
        } else {
            Tls::None
        };
        let mut builder = SmtpTransport::builder_dangerous(&self.mailhost)
            .port(port)
            .tls(mode)
            .timeout(Some(self.timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok((builder.build(), from, to))
    }
}

pub struct SmtpSink {
    transport: SmtpTransport,
    from: Mailbox,
    to: Vec<Mailbox>,
    subject: String,
}

impl SmtpSink {
    pub fn new(options: SmtpOptions) -> Result<SmtpSink, String> {
        let (transport, from, to) = options.transport()?;
        Ok(SmtpSink {
            transport,
            from,
            to,
            subject: options.subject,
        })
    }
}

impl Sink for SmtpSink {
    fn kind(&self) -> &'static str {
        "SMTPHandler"
    }

    fn emit(&mut self, _record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        let fail = |detail: String| EmitError {
            kind: ErrorKind::Io,
            detail,
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(self.subject.clone())
            .date_now()
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        // lettre ends the body with a line break, as EmailMessage.set_content does.
        let message = builder
            .body(text.clone())
            .map_err(|e| fail(e.to_string()))?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| fail(e.to_string()))
    }
}
