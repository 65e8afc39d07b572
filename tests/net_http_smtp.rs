//! HTTPHandler against CPython's `http.server` and SMTPHandler against a real
//! SMTP server (aiosmtpd): the same record is sent by CPython's handler and by
//! sawmill's, and what the servers received must match.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use sawmill::handler::http::{HttpOptions, Method};
use sawmill::handler::smtp::SmtpOptions;
use sawmill::Record;

/// The record both sides send, as CPython's makeLogRecord dict.
const RECORD_DICT: &str = r#"{'name': 'web.app', 'msg': 'héllo wörld & more=1 ✓ +~*', 'args': (),
 'levelname': 'WARNING', 'levelno': 30, 'pathname': '/srv/app/main.py', 'filename': 'main.py',
 'module': 'main', 'exc_info': None, 'exc_text': None, 'stack_info': None, 'lineno': 42,
 'funcName': 'handle', 'created': 1700000000.25, 'msecs': 250.0, 'relativeCreated': 1234.5,
 'thread': 140000000000001, 'threadName': 'Worker-1', 'processName': 'MainProcess',
 'process': 4242}"#;

fn the_record() -> Record<'static> {
    let mut r = Record::stamped(
        1700000000.25,
        "web.app",
        sawmill::WARNING,
        Some("/srv/app/main.py"),
        42,
        Some("handle"),
        Cow::Borrowed("héllo wörld & more=1 ✓ +~*"),
        140000000000001,
        "Worker-1",
        "MainProcess",
    );
    r.msecs = 250.0;
    r.relative_created = 1234.5;
    r.process = 4242;
    r.into_owned()
}

struct Server {
    child: Child,
    out: BufReader<ChildStdout>,
    port: u16,
}

impl Server {
    fn start(script: &str) -> Server {
        Server::start_with(script, &[])
    }

    /// The script gets `args` as `sys.argv[1:]`.
    fn start_with(script: &str, args: &[&str]) -> Server {
        let mut child = Command::new("python3")
            .args(["-u", "-c", script])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("{line:?}"));
        Server { child, out, port }
    }

    fn next(&mut self) -> String {
        let mut line = String::new();
        self.out.read_line(&mut line).unwrap();
        line.trim_end().to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python(script: &str) {
    let mut child = Command::new("python3")
        .arg("-")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "{script}");
}

/// Prints one JSON line per request: method, path, the headers that matter,
/// and the body.
const HTTP_RECORDER: &str = r#"
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def record(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n).decode('utf-8')
        print(json.dumps({'method': self.command, 'path': self.path, 'body': body,
                          'content_type': self.headers.get('Content-type'),
                          'authorization': self.headers.get('Authorization')}), flush=True)
        self.send_response(200)
        self.send_header('Content-Length', '0')
        self.end_headers()
    do_GET = do_POST = record
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
if len(sys.argv) > 2:  # HTTPS with this certificate chain and key
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;

/// Drops 3.12's `taskName` (sawmill sends it; CPython 3.11 has none).
fn without_task_name(text: &str) -> String {
    text.replace("&taskName=None", "")
}

#[test]
fn http_handler_sends_what_cpython_sends() {
    let mut server = Server::start(HTTP_RECORDER);
    let port = server.port;
    for (method, url, credentials) in [
        ("GET", "/log", false),
        ("GET", "/log?tag=a+b", true),
        ("POST", "/log", true),
    ] {
        let creds = if credentials {
            "('üser', 'p:w')"
        } else {
            "None"
        };
        python(&format!(
            "import logging, logging.handlers\n\
             r = logging.makeLogRecord({RECORD_DICT})\n\
             h = logging.handlers.HTTPHandler('127.0.0.1:{port}', '{url}', method='{method}', \
             credentials={creds})\n\
             h.handle(r)\n"
        ));
        let want = server.next();
        let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), url);
        options.method = Method::parse(method).unwrap();
        if credentials {
            options.credentials = Some(("üser".into(), "p:w".into()));
        }
        let handler = sawmill::handler::http_handler(options).unwrap();
        handler.handle(&mut the_record());
        assert_eq!(handler.error_count(), 0);
        let got = server.next();
        assert_eq!(without_task_name(&got), want, "{method} {url}");
    }
    // The JSON option posts the same dict as JSON.
    let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), "/json");
    options.json = true;
    let handler = sawmill::handler::http_handler(options).unwrap();
    handler.handle(&mut the_record());
    let got = server.next();
    assert!(got.contains(r#""method": "POST""#), "{got}");
    assert!(
        got.contains(r#""content_type": "application/json""#),
        "{got}"
    );
    assert!(got.contains(r#"\"thread\":140000000000001"#), "{got}");
}

#[test]
fn http_handler_counts_an_unreachable_server_within_its_timeout() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), "/");
    options.timeout = Duration::from_millis(500);
    let handler = sawmill::handler::http_handler(options).unwrap();
    let t = std::time::Instant::now();
    handler.handle(&mut the_record());
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(handler.error_count(), 1);
}

/// An aiosmtpd server that prints one JSON line per mail, parsed with the
/// email package; logins as u/p are accepted without TLS. With arguments
/// `starttls|smtps CERT KEY CA` it speaks TLS with that certificate —
/// STARTTLS required before MAIL and AUTH, or implicit TLS — and asks for
/// an optional client certificate signed by CA; each line tells whether the
/// mail came over TLS and the client certificate's common name.
const SMTP_RECORDER: &str = r#"
import asyncio, email, email.policy, json, socket, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
class Recorder:
    async def handle_DATA(self, server, session, envelope):
        tls = server.transport.get_extra_info('ssl_object')
        peer = tls and tls.getpeercert()
        m = email.message_from_bytes(envelope.content, policy=email.policy.default)
        print(json.dumps({'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos,
                          'authenticated': bool(session.authenticated),
                          'from': str(m['From']),
                          'to': [a.strip() for a in str(m['To']).split(',')],
                          'subject': str(m['Subject']), 'has_date': m['Date'] is not None,
                          'content_type': m.get_content_type(),
                          'body': m.get_content(), 'tls': tls is not None,
                          'client_cn': peer and dict(x[0] for x in peer['subject'])['commonName']}),
              flush=True)
        return '250 OK'
def auth(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == b'u' and data.password == b'p'
    return AuthResult(success=ok, handled=False)
s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
kw = {'auth_require_tls': False}
if len(sys.argv) > 1:
    mode, cert, key, ca = sys.argv[1:5]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    # aiosmtpd counts only STARTTLS as TLS for AUTH: under implicit TLS it
    # would not offer AUTH unless told it need not (each line checks 'tls').
    kw = ({'ssl_context': ctx, 'auth_require_tls': False} if mode == 'smtps'
          else {'tls_context': ctx, 'require_starttls': True})
c = Controller(Recorder(), hostname='127.0.0.1', port=port, authenticator=auth, **kw)
c.start()
print(port, flush=True)
import time
while True:
    time.sleep(60)
"#;

#[test]
fn smtp_handler_sends_what_cpython_sends() {
    let mut server = Server::start(SMTP_RECORDER);
    let port = server.port;
    let fmt = "%(levelname)s:%(name)s:%(message)s";
    for credentials in [false, true] {
        let creds = if credentials { "('u', 'p')" } else { "None" };
        python(&format!(
            "import logging, logging.handlers\n\
             r = logging.makeLogRecord({RECORD_DICT})\n\
             h = logging.handlers.SMTPHandler(('127.0.0.1', {port}), 'Lög <log@example.org>', \
             ['ops@example.org', 'dev@example.net'], 'Alert ✓ from web', credentials={creds}, \
             timeout=5)\n\
             h.setFormatter(logging.Formatter('{fmt}'))\n\
             h.handle(r)\n"
        ));
        let want = server.next();
        let mut options = SmtpOptions::new(
            "127.0.0.1",
            "Lög <log@example.org>",
            &["ops@example.org", "dev@example.net"],
            "Alert ✓ from web",
        );
        options.port = port;
        if credentials {
            options.credentials = Some(("u".into(), "p".into()));
        }
        let handler = sawmill::handler::smtp_handler(options).unwrap();
        handler.set_formatter(Some(std::sync::Arc::new(
            sawmill::Formatter::new(Some(fmt), None, sawmill::Style::Percent).unwrap(),
        )));
        handler.handle(&mut the_record());
        assert_eq!(handler.error_count(), 0);
        let got = server.next();
        assert_eq!(got, want, "credentials: {credentials}");
        assert!(
            got.contains(&format!("\"authenticated\": {credentials}")),
            "{got}"
        );
    }
}

#[test]
fn smtp_handler_refuses_bad_addresses_when_made() {
    let options = SmtpOptions::new("127.0.0.1", "not an address", &["a@b.c"], "s");
    assert!(sawmill::handler::smtp_handler(options).is_err());
    let options = SmtpOptions::new("127.0.0.1", "a@b.c", &[], "s");
    assert!(sawmill::handler::smtp_handler(options).is_err());
}

/// A test CA, a server certificate it signed for 127.0.0.1 and localhost,
/// a client certificate it signed, and a second CA that signed nothing
/// here — made once per test process with the openssl command.
fn tls_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sawmill-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(out.status.success(), "openssl {args:?}: {out:?}");
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for ca in ["ca", "other-ca"] {
            let (key, pem, subj) = (
                format!("{ca}.key"),
                format!("{ca}.pem"),
                format!("/CN=sawmill test {ca}"),
            );
            let mut args = vec!["req", "-x509", "-days", "2"];
            args.extend(ec);
            args.extend(["-keyout", &key, "-out", &pem, "-subj", &subj]);
            args.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
            args.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
            openssl(&args);
        }
        for (leaf, cn, ext) in [
            (
                "server",
                "127.0.0.1",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
            ),
            ("client", "sawmill-client", "extendedKeyUsage=clientAuth\n"),
        ] {
            let (key, csr, pem, subj, extfile) = (
                format!("{leaf}.key"),
                format!("{leaf}.csr"),
                format!("{leaf}.pem"),
                format!("/CN={cn}"),
                format!("{leaf}.ext"),
            );
            std::fs::write(dir.join(&extfile), ext).unwrap();
            let mut args = vec!["req"];
            args.extend(ec);
            args.extend(["-keyout", &key, "-out", &csr, "-subj", &subj]);
            openssl(&args);
            openssl(&[
                "x509",
                "-req",
                "-days",
                "2",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &pem,
                "-extfile",
                &extfile,
            ]);
        }
        dir
    })
}

/// Applies a dictConfig and returns its handler `name`; one at a time (a
/// configuration replaces the one another test just applied).
fn configured(config: &str, name: &str) -> std::sync::Arc<sawmill::Handler> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap();
    sawmill::config::dict_config_json(config).unwrap();
    sawmill::config::handler_by_name(name).unwrap()
}

fn tls_file(name: &str) -> String {
    tls_dir().join(name).to_str().unwrap().to_owned()
}

#[test]
fn https_handler_sends_what_cpython_sends_and_refuses_an_untrusted_server() {
    let (cert, key, ca) = (
        tls_file("server.pem"),
        tls_file("server.key"),
        tls_file("ca.pem"),
    );
    let mut server = Server::start_with(HTTP_RECORDER, &[&cert, &key]);
    let port = server.port;
    let mut wants = Vec::new();
    for (method, url, credentials) in [("GET", "/log?x=1", false), ("POST", "/log", true)] {
        let creds = if credentials { "('u', 'p w')" } else { "None" };
        python(&format!(
            "import logging, logging.handlers, ssl\n\
             r = logging.makeLogRecord({RECORD_DICT})\n\
             ctx = ssl.create_default_context(cafile='{ca}')\n\
             h = logging.handlers.HTTPHandler('127.0.0.1:{port}', '{url}', method='{method}', \
             secure=True, credentials={creds}, context=ctx)\n\
             h.handle(r)\n"
        ));
        let want = server.next();
        let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), url);
        options.method = Method::parse(method).unwrap();
        options.secure = true;
        options.ca_file = Some(ca.clone().into());
        if credentials {
            options.credentials = Some(("u".into(), "p w".into()));
        }
        let handler = sawmill::handler::http_handler(options).unwrap();
        handler.handle(&mut the_record());
        assert_eq!(handler.error_count(), 0);
        let got = server.next();
        assert_eq!(without_task_name(&got), want, "https {method} {url}");
        wants.push(want);
    }
    // The same from dictConfig, with ca_file.
    let config = format!(
        r#"{{"version": 1, "disable_existing_loggers": false, "handlers": {{"tls_web":
            {{"class": "logging.handlers.HTTPHandler", "host": "127.0.0.1:{port}",
              "url": "/log", "method": "POST", "secure": true, "credentials": ["u", "p w"],
              "ca_file": {ca:?}}}}}}}"#
    );
    let handler = configured(&config, "tls_web");
    handler.handle(&mut the_record());
    assert_eq!(without_task_name(&server.next()), wants[1], "dictConfig");
    // Not signed by a trusted CA: Mozilla's roots (no ca_file) or another
    // CA. Counted, returns at once, and nothing reaches the server.
    for ca_file in [None, Some(tls_file("other-ca.pem"))] {
        let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), "/refused");
        options.secure = true;
        options.ca_file = ca_file.clone().map(Into::into);
        let handler = sawmill::handler::http_handler(options).unwrap();
        let t = std::time::Instant::now();
        handler.handle(&mut the_record());
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        assert_eq!(handler.error_count(), 1, "ca_file {ca_file:?}");
    }
    // Plain HTTP to the same port is a failed exchange too.
    let handler =
        sawmill::handler::http_handler(HttpOptions::new(&format!("127.0.0.1:{port}"), "/plain"))
            .unwrap();
    handler.handle(&mut the_record());
    assert_eq!(handler.error_count(), 1);
    // The server saw none of them: the next request it prints is this one.
    let mut options = HttpOptions::new(&format!("127.0.0.1:{port}"), "/last");
    options.secure = true;
    options.ca_file = Some(ca.into());
    sawmill::handler::http_handler(options)
        .unwrap()
        .handle(&mut the_record());
    assert!(server.next().contains(r#""path": "/last?"#));
    // A ca_file that cannot be read is refused when the handler is made.
    let mut options = HttpOptions::new("127.0.0.1:1", "/");
    options.ca_file = Some(tls_file("missing.pem").into());
    assert!(sawmill::handler::http_handler(options).is_err());
}

/// sawmill's SMTPHandler with these TLS settings and credentials u/p.
fn tls_smtp_handler(
    port: u16,
    ssl: bool,
    ca_file: Option<String>,
    client: bool,
) -> std::sync::Arc<sawmill::Handler> {
    let mut options = SmtpOptions::new(
        "127.0.0.1",
        "Lög <log@example.org>",
        &["ops@example.org", "dev@example.net"],
        "Alert ✓ from web",
    );
    options.port = port;
    options.credentials = Some(("u".into(), "p".into()));
    options.secure = !ssl;
    options.ssl = ssl;
    options.ca_file = ca_file.map(Into::into);
    if client {
        options.client_cert = Some((tls_file("client.key").into(), tls_file("client.pem").into()));
    }
    let handler = sawmill::handler::smtp_handler(options).unwrap();
    handler.set_formatter(Some(std::sync::Arc::new(
        sawmill::Formatter::new(
            Some("%(levelname)s:%(name)s:%(message)s"),
            None,
            sawmill::Style::Percent,
        )
        .unwrap(),
    )));
    handler
}

#[test]
fn smtp_handler_over_starttls_and_implicit_tls_sends_what_cpython_sends() {
    let (cert, key, ca) = (
        tls_file("server.pem"),
        tls_file("server.key"),
        tls_file("ca.pem"),
    );
    let mut starttls = Server::start_with(SMTP_RECORDER, &["starttls", &cert, &key, &ca]);
    let mut smtps = Server::start_with(SMTP_RECORDER, &["smtps", &cert, &key, &ca]);
    // CPython's SMTPHandler: STARTTLS (secure=() or with a client key and
    // certificate), then AUTH over TLS. CPython cannot do implicit TLS: the
    // SMTPS mail must equal its STARTTLS one.
    let mut wants = Vec::new();
    for client in [false, true] {
        let secure = if client {
            format!(
                "('{}', '{}')",
                tls_file("client.key"),
                tls_file("client.pem")
            )
        } else {
            "()".to_owned()
        };
        python(&format!(
            "import logging, logging.handlers, warnings\n\
             warnings.simplefilter('ignore')\n\
             r = logging.makeLogRecord({RECORD_DICT})\n\
             h = logging.handlers.SMTPHandler(('127.0.0.1', {port}), 'Lög <log@example.org>', \
             ['ops@example.org', 'dev@example.net'], 'Alert ✓ from web', credentials=('u', 'p'), \
             secure={secure}, timeout=5)\n\
             h.setFormatter(logging.Formatter('%(levelname)s:%(name)s:%(message)s'))\n\
             h.handle(r)\n",
            port = starttls.port
        ));
        let want = starttls.next();
        assert!(want.contains(r#""authenticated": true"#), "{want}");
        assert!(want.contains(r#""tls": true"#), "{want}");
        let handler = tls_smtp_handler(starttls.port, false, Some(ca.clone()), client);
        handler.handle(&mut the_record());
        assert_eq!(handler.error_count(), 0);
        assert_eq!(
            starttls.next(),
            want,
            "STARTTLS, client certificate: {client}"
        );
        let handler = tls_smtp_handler(smtps.port, true, Some(ca.clone()), client);
        handler.handle(&mut the_record());
        assert_eq!(handler.error_count(), 0);
        assert_eq!(smtps.next(), want, "SMTPS, client certificate: {client}");
        wants.push(want);
    }
    assert!(
        wants[1].contains(r#""client_cn": "sawmill-client""#),
        "{}",
        wants[1]
    );
    // The same from dictConfig: secure [keyfile, certfile] and ca_file.
    let config = format!(
        r#"{{"version": 1, "disable_existing_loggers": false,
            "formatters": {{"f": {{"format": "%(levelname)s:%(name)s:%(message)s"}}}},
            "handlers": {{"tls_mail": {{"class": "logging.handlers.SMTPHandler",
              "mailhost": ["127.0.0.1", {port}], "fromaddr": "Lög <log@example.org>",
              "toaddrs": ["ops@example.org", "dev@example.net"], "subject": "Alert ✓ from web",
              "credentials": ["u", "p"], "secure": [{key:?}, {cert:?}], "ca_file": {ca:?},
              "formatter": "f"}}}}}}"#,
        port = starttls.port,
        key = tls_file("client.key"),
        cert = tls_file("client.pem"),
    );
    let handler = configured(&config, "tls_mail");
    handler.handle(&mut the_record());
    assert_eq!(starttls.next(), wants[1], "dictConfig");
    // An untrusted server certificate (default roots, another CA) is refused
    // by both modes: counted, the call returns at once, nothing delivered.
    for ca_file in [None, Some(tls_file("other-ca.pem"))] {
        for (server, ssl) in [(&starttls, false), (&smtps, true)] {
            let handler = tls_smtp_handler(server.port, ssl, ca_file.clone(), false);
            let t = std::time::Instant::now();
            handler.handle(&mut the_record());
            assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
            assert_eq!(handler.error_count(), 1, "ssl {ssl}, ca_file {ca_file:?}");
        }
    }
    for (server, ssl) in [(&mut starttls, false), (&mut smtps, true)] {
        tls_smtp_handler(server.port, ssl, Some(ca.clone()), false).handle(&mut the_record());
        assert_eq!(server.next(), wants[0], "only the trusted mail arrives");
    }
}
