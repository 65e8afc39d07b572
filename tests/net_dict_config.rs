//! The network handlers from dictConfig, with Python's class and key names.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sawmill::config::{dict_config_json, handler_by_name};
use sawmill::handler::Handler;
use sawmill::net::receiver::{Receiver, ReceiverOptions};

mod common;
use common::Count;

// One test: dictConfig replaces the whole configuration each time.
#[test]
fn network_handlers_from_dict_config() {
    let count = Arc::new(AtomicU64::new(0));
    let sink = sawmill::get_logger("dc.sink");
    sink.set_propagate(false);
    sink.add_handler(Handler::new(Box::new(Count(count.clone()))));
    let rx = Receiver::start(ReceiverOptions {
        tcp: Some("127.0.0.1:0".into()),
        udp: Some("127.0.0.1:0".into()),
        logname: Some("dc.sink".into()),
        ..ReceiverOptions::default()
    })
    .unwrap();
    let config = format!(
        r#"{{"version": 1, "disable_existing_loggers": false,
        "handlers": {{
          "tcp": {{"class": "logging.handlers.SocketHandler", "host": "127.0.0.1", "port": {}}},
          "udp": {{"class": "logging.handlers.DatagramHandler", "host": "127.0.0.1", "port": {}}},
          "batched": {{"class": "logging.handlers.SocketHandler", "host": "127.0.0.1",
                      "port": {}, "encoding": "json", "send_timeout": 2.5,
                      "buffering": {{"capacity": 4096, "flush_level": "ERROR", "interval_ms": 50}}}},
          "web": {{"class": "logging.handlers.HTTPHandler", "host": "127.0.0.1:9", "url": "/log",
                  "method": "POST", "secure": false, "credentials": ["u", "p"], "context": null,
                  "json": false, "timeout": 0.5, "level": "CRITICAL"}},
          "mail": {{"class": "logging.handlers.SMTPHandler", "mailhost": ["127.0.0.1", 2525],
                   "fromaddr": "log@example.org", "toaddrs": ["a@example.org", "b@example.org"],
                   "subject": "alert", "credentials": ["u", "p"], "secure": [], "timeout": 2.5,
                   "level": "CRITICAL"}}
        }},
        "loggers": {{"dc.client": {{"handlers": ["tcp", "udp", "batched", "web", "mail"],
                                   "level": "DEBUG", "propagate": false}}}}}}"#,
        rx.port(false).unwrap(),
        rx.port(true).unwrap(),
        rx.port(false).unwrap()
    );
    dict_config_json(&config).unwrap();
    for (name, kind) in [
        ("tcp", "SocketHandler"),
        ("udp", "DatagramHandler"),
        ("batched", "SocketHandler"),
        ("web", "HTTPHandler"),
        ("mail", "SMTPHandler"),
    ] {
        assert_eq!(handler_by_name(name).unwrap().kind(), kind);
    }
    let client = sawmill::get_logger("dc.client");
    for i in 0..3 {
        client.log(sawmill::INFO, None, 0, None, &format!("from a config {i}"));
    }
    // Three records on each of the three transports (the batch on its interval).
    let deadline = Instant::now() + Duration::from_secs(10);
    while count.load(Ordering::Relaxed) < 9 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(count.load(Ordering::Relaxed), 9);
    assert_eq!(rx.rejected_count(), 0);

    // Python's names are checked like any other key.
    for (bad, why) in [
        (
            r#"{"class": "logging.handlers.SocketHandler", "host": "h", "port": 1, "prot": 1}"#,
            "prot",
        ),
        (
            r#"{"class": "logging.handlers.SocketHandler", "host": "h"}"#,
            "port",
        ),
        (
            r#"{"class": "logging.handlers.HTTPHandler", "host": "h", "url": "/", "method": "PUT"}"#,
            "GET or POST",
        ),
        (
            r#"{"class": "logging.handlers.SMTPHandler", "mailhost": "h", "fromaddr": "no address",
               "toaddrs": "a@b.c", "subject": "s"}"#,
            "fromaddr",
        ),
        (
            r#"{"class": "logging.handlers.SMTPHandler", "mailhost": "h", "fromaddr": "a@b.c",
               "toaddrs": "a@b.c", "subject": "s", "secure": ["key.pem"]}"#,
            "[keyfile, certfile]",
        ),
        (
            r#"{"class": "logging.handlers.HTTPHandler", "host": "h", "url": "/", "secure": true,
               "ca_file": "/nonexistent/ca.pem"}"#,
            "ca_file /nonexistent/ca.pem",
        ),
    ] {
        let config = format!(r#"{{"version": 1, "handlers": {{"h": {bad}}}}}"#);
        let err = dict_config_json(&config).unwrap_err().to_string();
        assert!(err.contains(why), "{bad}: {err}");
    }
    rx.stop();
}
