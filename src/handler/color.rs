//! `sawmill.ColorStreamHandler`: a colour policy around the stream sink, as
//! spdlog's `*_color_sink`s colour the console.
//!
//! Whether to colour is decided once, when the handler is built: `always`
//! and `never` are final; `auto` (the default) colours when `NO_COLOR` is
//! unset or empty and either `FORCE_COLOR` is set to a non-empty value or
//! the descriptor is a terminal (`isatty`). `NO_COLOR` thus wins over
//! `FORCE_COLOR`.
//!
//! What is coloured: the first occurrence of the record's level name in the
//! formatted text, so `%(levelname)-8s` keeps its width (the escape codes
//! sit around `INFO`, the padding after the reset). A format without the
//! level name gets the whole line coloured. Levels without a colour are
//! written as they are.

use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;

use serde_json::Value as Json;

use super::output::Buffering;
use super::stream::{StreamOptions, StreamSink};
use super::{EmitError, Handler, Sink};
use crate::config::classes::{as_str, kind_of, stream_fd, Class, Key, Refs, Remote};
use crate::record::Record;

/// The escape sequence that ends a coloured span.
pub const RESET: &str = "\x1b[0m";

/// When a ColorStreamHandler colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorMode {
    /// A terminal, or `FORCE_COLOR`; never with a non-empty `NO_COLOR`.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorMode {
    pub fn parse(text: &str) -> Result<ColorMode, String> {
        match text {
            "auto" => Ok(ColorMode::Auto),
            "always" => Ok(ColorMode::Always),
            "never" => Ok(ColorMode::Never),
            other => Err(format!(
                "unknown colour mode {other:?} (auto, always or never)"
            )),
        }
    }
}

/// Everything a colour stream handler is built from.
#[derive(Clone, Debug, Default)]
pub struct ColorOptions {
    pub stream: StreamOptions,
    pub mode: ColorMode,
    /// Level name → escape sequence, replacing or adding to the defaults
    /// (see [`default_colors`]); an empty sequence leaves that level plain.
    pub colors: Vec<(String, String)>,
}

/// spdlog's defaults: debug cyan, info green, warning bold yellow, error
/// bold red, critical bold on red.
pub fn default_colors() -> Vec<(String, String)> {
    [
        ("DEBUG", "\x1b[36m"),
        ("INFO", "\x1b[32m"),
        ("WARNING", "\x1b[33m\x1b[1m"),
        ("ERROR", "\x1b[31m\x1b[1m"),
        ("CRITICAL", "\x1b[1m\x1b[41m"),
    ]
    .iter()
    .map(|(l, c)| ((*l).to_owned(), (*c).to_owned()))
    .collect()
}

/// A colour as configured: a full escape sequence (starts with ESC) is kept,
/// SGR parameters such as `"31;1"` become `ESC[31;1m`.
pub fn escape_sequence(code: &str) -> Result<String, String> {
    if code.is_empty() || code.starts_with('\x1b') {
        return Ok(code.to_owned());
    }
    if code.bytes().all(|b| b.is_ascii_digit() || b == b';') {
        return Ok(format!("\x1b[{code}m"));
    }
    Err(format!(
        "colour {code:?}: expected SGR parameters such as \"31;1\" or an escape sequence"
    ))
}

/// Whether `mode` colours descriptor `fd` given the environment.
pub fn decide(mode: ColorMode, fd: RawFd, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match mode {
        ColorMode::Always => true,
        ColorMode::Never => false,
        ColorMode::Auto if set("NO_COLOR") => false,
        ColorMode::Auto if set("FORCE_COLOR") => true,
        ColorMode::Auto => is_terminal(fd),
    }
}

fn is_terminal(fd: RawFd) -> bool {
    // SAFETY: isatty only inspects the descriptor; an invalid one gives 0.
    unsafe { libc::isatty(fd) == 1 }
}

/// Wraps the first `levelname` in `text` (or all of `text`) in `color` … reset.
pub fn paint(text: &mut String, levelname: &str, color: &str) {
    let (start, end) = match text.find(levelname).filter(|_| !levelname.is_empty()) {
        Some(at) => (at, at + levelname.len()),
        None => (0, text.len()),
    };
    text.insert_str(end, RESET);
    text.insert_str(start, color);
}

pub struct ColorSink {
    inner: StreamSink,
    enabled: bool,
    colors: Vec<(String, String)>,
}

impl ColorSink {
    pub fn with_options(options: ColorOptions) -> Result<ColorSink, String> {
        let enabled = decide(options.mode, options.stream.fd, |n| std::env::var(n).ok());
        let mut colors = default_colors();
        for (level, code) in options.colors {
            let code = escape_sequence(&code)?;
            match colors.iter_mut().find(|(l, _)| *l == level) {
                Some(slot) => slot.1 = code,
                None => colors.push((level, code)),
            }
        }
        let inner = StreamSink::with_options(options.stream).map_err(|e| e.to_string())?;
        Ok(ColorSink {
            inner,
            enabled,
            colors,
        })
    }

    /// Whether this sink writes escape codes (decided when it was built).
    pub fn enabled(&self) -> bool {
        self.enabled
    }
}

impl Sink for ColorSink {
    fn kind(&self) -> &'static str {
        "ColorStreamHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        if self.enabled {
            let name: &str = &record.levelname;
            if let Some((_, color)) = self.colors.iter().find(|(l, c)| l == name && !c.is_empty()) {
                paint(text, name, color);
            }
        }
        self.inner.emit(record, text)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    fn set_terminator(&mut self, terminator: &str) -> Result<(), String> {
        self.inner.set_terminator(terminator)
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        self.inner.flush_if_due()
    }

    fn after_fork(&mut self, interrupted: bool) {
        self.inner.after_fork(interrupted)
    }

    fn dropped_counter(&self) -> Option<Arc<std::sync::atomic::AtomicU64>> {
        self.inner.dropped_counter()
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        self.inner.set_buffering(policy)
    }
}

/// `sawmill.ColorStreamHandler` from its options.
pub fn color_stream_handler(options: ColorOptions) -> Result<Arc<Handler>, String> {
    let buffered = !options.stream.buffering.is_write_through();
    let interval = options.stream.buffering.flush_interval;
    let sink = ColorSink::with_options(options)?;
    if buffered && !interval.is_zero() {
        super::flusher::ensure_running(interval);
    }
    Ok(Handler::new(Box::new(sink)))
}

static COLOR_KEYS: &[Key<ColorOptions>] = &[
    Key {
        name: "stream",
        python: true,
        refs: Refs::None,
        doc: "`ext://sys.stdout` or `ext://sys.stderr` (default)",
        set: |o, v, _| {
            o.stream.fd = stream_fd(v)?;
            Ok(())
        },
    },
    Key {
        name: "colors",
        python: false,
        refs: Refs::None,
        doc: "{LEVELNAME: \"31;1\" or an escape sequence}: per-level colours over the \
              defaults (DEBUG cyan, INFO green, WARNING/ERROR bold yellow/red, CRITICAL \
              bold on red); \"\" leaves a level plain",
        set: |o, v, _| {
            let Json::Object(map) = v else {
                return Err(format!("colors: expected an object, got {}", kind_of(v)));
            };
            for (level, code) in map {
                let code = as_str(code)?;
                escape_sequence(code)?;
                o.colors.push((level.clone(), code.to_owned()));
            }
            Ok(())
        },
    },
    Key {
        name: "mode",
        python: false,
        refs: Refs::None,
        doc: "auto (default: a terminal or FORCE_COLOR, never with NO_COLOR), always or never",
        set: |o, v, _| {
            o.mode = ColorMode::parse(as_str(v)?)?;
            Ok(())
        },
    },
];

pub static COLOR_STREAM_HANDLER: Class<ColorOptions> = Class {
    name: "sawmill.ColorStreamHandler",
    aliases: &["ColorStreamHandler"],
    doc: "StreamHandler colouring each record's level name (spdlog's colour sinks).",
    remote: Remote::Allowed,
    required: &[],
    new: ColorOptions::default,
    keys: &[COLOR_KEYS],
    build: |o, ctx| {
        if ctx.check_only {
            ColorSink::with_options(ColorOptions {
                stream: StreamOptions::default(),
                ..o
            })?;
            return Ok(super::null_handler());
        }
        color_stream_handler(o)
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |n| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn padding_stays_outside_the_codes() {
        let mut text = "INFO     app: hi INFO".to_owned();
        paint(&mut text, "INFO", "\x1b[32m");
        assert_eq!(text, "\x1b[32mINFO\x1b[0m     app: hi INFO");
        let mut right = "    INFO|x".to_owned();
        paint(&mut right, "INFO", "\x1b[32m");
        assert_eq!(right, "    \x1b[32mINFO\x1b[0m|x");
        let mut whole = "no level here".to_owned();
        paint(&mut whole, "INFO", "\x1b[32m");
        assert_eq!(whole, "\x1b[32mno level here\x1b[0m");
    }

    #[test]
    fn environment_rules() {
        let devnull = -1; // not a terminal
        assert!(!decide(ColorMode::Auto, devnull, env(&[])));
        assert!(decide(
            ColorMode::Auto,
            devnull,
            env(&[("FORCE_COLOR", "1")])
        ));
        assert!(!decide(
            ColorMode::Auto,
            devnull,
            env(&[("FORCE_COLOR", "")])
        ));
        assert!(!decide(
            ColorMode::Auto,
            devnull,
            env(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")])
        ));
        assert!(decide(ColorMode::Auto, devnull, env(&[("NO_COLOR", "")])) == is_terminal(-1));
        assert!(decide(
            ColorMode::Always,
            devnull,
            env(&[("NO_COLOR", "1")])
        ));
        assert!(!decide(
            ColorMode::Never,
            devnull,
            env(&[("FORCE_COLOR", "1")])
        ));
    }

    #[test]
    fn colour_spellings() {
        assert_eq!(escape_sequence("31;1").unwrap(), "\x1b[31;1m");
        assert_eq!(escape_sequence("\x1b[35m").unwrap(), "\x1b[35m");
        assert_eq!(escape_sequence("").unwrap(), "");
        assert!(escape_sequence("red").is_err());
        assert!(ColorMode::parse("sometimes").is_err());
    }

    #[test]
    fn config_keys_are_checked() {
        use crate::config::dict::{apply_json, ApplyOptions};
        let check = |handler: &str| {
            let doc = format!(
                r#"{{"version": 1, "handlers": {{"h": {{"class": "sawmill.ColorStreamHandler", {handler}}}}}}}"#
            );
            let options = ApplyOptions {
                check_only: true,
                ..ApplyOptions::default()
            };
            apply_json(&doc, options).map_err(|e| e.to_string())
        };
        check(r#""stream": "ext://sys.stdout", "mode": "never", "colors": {"INFO": "35;1"}"#)
            .unwrap();
        assert!(check(r#""mode": "sometimes""#)
            .unwrap_err()
            .contains("mode"));
        assert!(check(r#""colors": {"INFO": "purple"}"#)
            .unwrap_err()
            .contains("purple"));
        assert!(check(r#""colors": ["INFO"]"#).is_err());
        assert!(check(r#""colour": {}"#).is_err());
    }
}
