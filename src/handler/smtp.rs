//! Python's `SMTPHandler`: one mail per record — From, To (the addresses
//! joined), Subject, Date, and the formatted record as a UTF-8 text body —
//! sent by `lettre` with a timeout. As in CPython, `secure` means STARTTLS
//! after EHLO and only applies with credentials; `mailhost` may carry a
//! port. sawmill adds `ssl` (implicit TLS, Python's SMTP_SSL) as an option.
//!
//! `mailhost` is resolved by sawmill's resolver (`net::resolve`), waiting
//! at most `timeout` for the DNS (lettre's own lookup has no bound): lettre
//! connects to the address, while TLS still verifies the certificate for
//! the host name.
//!
//! `secure`'s (keyfile, certfile) present a client certificate as CPython's
//! does. Unlike CPython — whose `starttls()` context checks neither the
//! certificate nor the host name — the server is always verified: against
//! Mozilla's roots, or only the certificates of `ca_file` when given.

use std::net::SocketAddr;
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

    /// Checks the addresses and the TLS settings: errors surface when the
    /// handler is made, not at the first record.
    fn check(&self) -> Result<(Tls, Mailbox, Vec<Mailbox>), String> {
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
        Ok((mode, from, to))
    }

    fn port(&self) -> u16 {
        if self.port == 0 {
            25
        } else {
            self.port
        }
    }

    /// A transport to `address` (the mailhost's, resolved): TLS parameters
    /// carry the host name, so the certificate is checked for it.
    fn transport_to(&self, address: SocketAddr, tls: Tls) -> SmtpTransport {
        let mut builder = SmtpTransport::builder_dangerous(address.ip().to_string())
            .port(address.port())
            .tls(tls)
            .timeout(Some(self.timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        builder.build()
    }
}

pub struct SmtpSink {
    options: SmtpOptions,
    tls: Tls,
    /// The transport to the address the mailhost last resolved to.
    transport: Option<(SocketAddr, SmtpTransport)>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl SmtpSink {
    pub fn new(options: SmtpOptions) -> Result<SmtpSink, String> {
        let (tls, from, to) = options.check()?;
        Ok(SmtpSink {
            options,
            tls,
            transport: None,
            from,
            to,
        })
    }

    /// The transport to the mailhost's current address, waiting at most
    /// the timeout for the DNS.
    fn transport(&mut self) -> std::io::Result<&SmtpTransport> {
        let o = &self.options;
        let address = crate::net::resolve::resolve(&o.mailhost, o.port(), o.timeout)?
            .first()
            .copied()
            .ok_or_else(|| std::io::Error::other(format!("{} has no address", o.mailhost)))?;
        if self.transport.as_ref().is_none_or(|(at, _)| *at != address) {
            let transport = self.options.transport_to(address, self.tls.clone());
            self.transport = Some((address, transport));
        }
        Ok(&self.transport.as_ref().expect("just set").1)
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
            .subject(self.options.subject.clone())
            .date_now()
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        // lettre ends the body with a line break, as EmailMessage.set_content does.
        let message = builder
            .body(text.clone())
            .map_err(|e| fail(e.to_string()))?;
        self.transport()
            .map_err(|e| fail(e.to_string()))?
            .send(&message)
            .map(|_| ())
            .map_err(|e| fail(e.to_string()))
    }
}
