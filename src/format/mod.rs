//! Formatter: `%`, `{}` and `$` styles compiled once; datefmt; local or UTC.
//! (Interface in place; the full implementation lands with the formatter work.)

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use crate::record::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Percent,
    Brace,
    Dollar,
}

impl Style {
    pub fn from_char(c: char) -> Result<Style, FormatError> {
        match c {
            '%' => Ok(Style::Percent),
            '{' => Ok(Style::Brace),
            '$' => Ok(Style::Dollar),
            other => Err(FormatError(format!(
                "Style must be one of: %,{{,$ (got {other:?})"
            ))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

pub struct Formatter {
    utc: AtomicBool,
}

impl Formatter {
    pub fn new(
        _fmt: Option<&str>,
        _datefmt: Option<&str>,
        _style: Style,
    ) -> Result<Formatter, FormatError> {
        Ok(Formatter {
            utc: AtomicBool::new(false),
        })
    }

    /// Python's `logging._defaultFormatter` (`%(message)s`).
    pub fn default_formatter() -> &'static Formatter {
        static DEFAULT: OnceLock<Formatter> = OnceLock::new();
        DEFAULT.get_or_init(|| Formatter::new(None, None, Style::Percent).expect("default format"))
    }

    pub fn set_utc(&self, utc: bool) {
        self.utc.store(utc, Ordering::Relaxed);
    }

    pub fn utc(&self) -> bool {
        self.utc.load(Ordering::Relaxed)
    }

    pub fn format(&self, record: &Record<'_>, out: &mut String) -> Result<(), FormatError> {
        out.push_str(&record.message);
        Ok(())
    }
}
