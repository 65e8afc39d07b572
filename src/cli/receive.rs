//! `sawmill receive`: the cookbook's logging receiver (recipe 6) as a
//! command, and the "many processes, one file" answer of recipe 8. Records
//! arrive from CPython's or sawmill's Socket/Datagram handlers and go
//! through the local loggers; by default the root logger prints them on
//! stderr in the cookbook receiver's format.
//!
//! SIGTERM and SIGINT stop it cleanly (what was received is written, every
//! handler flushed and closed); SIGHUP makes file handlers reopen their files.
//! SIGHUP is logrotate's `postrotate` step: rename the file away, send
//! SIGHUP, and records handled after 'reopening files' is printed go to a
//! fresh file, the earlier ones (buffered ones too) to the renamed one.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::format::{Formatter, Style};
use crate::handler::{self, Buffering, FileOptions, Rotation};
use crate::net::receiver::{Receiver, ReceiverOptions};

/// The cookbook receiver's format.
pub const DEFAULT_FORMAT: &str = "%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s";

const USAGE: &str = "usage: sawmill receive [--tcp HOST:PORT] [--udp HOST:PORT] [--logname NAME]
                       [--format FMT] [--file PATH [--max-bytes N] [--backup-count N]
                       [--buffer BYTES]] [--max-frame BYTES] [--config FILE]
  Receives records from Python's (or sawmill's) SocketHandler / DatagramHandler
  and logs them locally. Without --tcp/--udp: TCP 127.0.0.1:9020 and UDP
  127.0.0.1:9021; with one of them, only that one. Port 0 picks a free port.
  Output: stderr in the cookbook receiver's format, or --file (a
  RotatingFileHandler when --max-bytes is given), or what --config FILE sets
  up (a .json file as dictConfig, anything else as fileConfig INI) (then --format/--file are not used). Prints 'listening tcp=… udp=…'
  on stdout once ready. SIGTERM/SIGINT stop it with everything written;
  SIGHUP reopens the files (each file at its next record, after writing
  what it buffered to the old one) and prints 'reopening files'.";

struct Args {
    tcp: Option<String>,
    udp: Option<String>,
    logname: Option<String>,
    format: String,
    file: Option<String>,
    max_bytes: u64,
    backup_count: u32,
    buffer: usize,
    max_frame: Option<usize>,
    config: Option<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        tcp: None,
        udp: None,
        logname: None,
        format: DEFAULT_FORMAT.to_owned(),
        file: None,
        max_bytes: 0,
        backup_count: 0,
        buffer: 0,
        max_frame: None,
        config: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{name}: not a number: {text}"))
        };
        match arg.as_str() {
            "--tcp" => parsed.tcp = Some(value(arg)?),
            "--udp" => parsed.udp = Some(value(arg)?),
            "--logname" => parsed.logname = Some(value(arg)?),
            "--format" => parsed.format = value(arg)?,
            "--file" => parsed.file = Some(value(arg)?),
            "--config" => parsed.config = Some(value(arg)?),
            "--max-bytes" => parsed.max_bytes = number(arg, value(arg)?)?,
            "--backup-count" => {
                parsed.backup_count = number(arg, value(arg)?)?.min(u32::MAX.into()) as u32
            }
            "--buffer" => parsed.buffer = number(arg, value(arg)?)? as usize,
            "--max-frame" => parsed.max_frame = Some(number(arg, value(arg)?)? as usize),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if parsed.tcp.is_none() && parsed.udp.is_none() {
        parsed.tcp = Some("127.0.0.1:9020".into());
        parsed.udp = Some("127.0.0.1:9021".into());
    }
    Ok(parsed)
}

/// Sets up the output the receiver's records go to (on the root logger).
fn install_output(args: &Args) -> Result<(), String> {
    if let Some(config) = &args.config {
        // The configuration decides where records go: a .json file as
        // dictConfig, anything else as fileConfig INI (as check-config reads them).
        let path = std::path::Path::new(config);
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let applied = if is_json {
            crate::config::dict_config_file(path)
        } else {
            crate::config::file::file_config(path, true)
        };
        return applied.map_err(|e| format!("--config: {e}"));
    }
    let formatter = Formatter::new(Some(&args.format), None, Style::Percent)
        .map_err(|e| format!("--format: {e}"))?;
    let out = match &args.file {
        Some(path) => {
            let mut options = FileOptions::new(path);
            if args.max_bytes > 0 {
                options.rotation = Rotation::Size {
                    max_bytes: args.max_bytes,
                    backup_count: args.backup_count,
                };
            }
            handler::file_handler(options).map_err(|e| format!("{path}: {e}"))?
        }
        None => handler::stream_handler(2),
    };
    if args.file.is_some() && args.buffer > 0 {
        let policy = Buffering {
            capacity: args.buffer,
            flush_level: crate::level::ERROR,
            flush_interval: Duration::from_millis(200),
        };
        out.set_buffering(policy)?;
    }
    out.set_formatter(Some(Arc::new(formatter)));
    crate::manager::root().add_handler(out);
    Ok(())
}

/// Runs `sawmill receive ARGS`; returns the process exit status.
pub fn main(args: &[String]) -> i32 {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("sawmill receive: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() { 0 } else { 2 };
        }
    };
    if let Err(e) = install_output(&args) {
        eprintln!("sawmill receive: {e}");
        return 2;
    }
    // Signals first: one arriving while the sockets open is not lost.
    let mut signals = match Signals::new([SIGTERM, SIGINT, SIGHUP]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sawmill receive: cannot install signal handlers: {e}");
            return 1;
        }
    };
    let mut options = ReceiverOptions {
        tcp: args.tcp.clone(),
        udp: args.udp.clone(),
        logname: args.logname.clone(),
        ..ReceiverOptions::default()
    };
    if let Some(max) = args.max_frame {
        options.max_frame = max;
    }
    let receiver = match Receiver::start(options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sawmill receive: {e}");
            return 1;
        }
    };
    let show = |udp: bool| receiver.port(udp).map_or("-".to_owned(), |p| p.to_string());
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening tcp={} udp={}", show(false), show(true));
    let _ = stdout.flush();
    for signal in signals.forever() {
        if signal == SIGHUP {
            handler::request_reopen();
            // Tells a rotation script (and the tests) that records handled
            // from now on go to the reopened files.
            let _ = writeln!(stdout, "reopening files");
            let _ = stdout.flush();
            continue;
        }
        break;
    }
    let received = receiver.received_count();
    let rejected = receiver.rejected_count();
    let why = receiver.last_rejection();
    let refused = receiver
        .stats()
        .refused_connections
        .load(std::sync::atomic::Ordering::Relaxed);
    let capped = receiver
        .stats()
        .logger_cap_hits
        .load(std::sync::atomic::Ordering::Relaxed);
    receiver.stop();
    crate::manager::shutdown();
    let _ = writeln!(
        stdout,
        "stopped received={received} rejected={rejected} refused_connections={refused} \
         logger_cap_hits={capped}{}",
        if why.is_empty() {
            String::new()
        } else {
            format!(" last_rejection={why:?}")
        }
    );
    let _ = stdout.flush();
    0
}
