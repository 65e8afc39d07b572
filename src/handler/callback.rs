//! A handler whose output is a user function (the C API's callback handler).

use std::io;

use super::{EmitError, ErrorKind, Sink};
use crate::record::Record;

/// Receives each record and its formatted text; an `Err` is counted as a
/// callback error of the handler. The text is always followed in memory by a
/// NUL byte (not part of the `&str`), so C callers can use it as a C string.
pub type EmitFn = Box<dyn FnMut(&Record<'_>, &str) -> Result<(), String> + Send>;
pub type FlushFn = Box<dyn FnMut() -> Result<(), String> + Send>;

pub struct CallbackSink {
    emit: EmitFn,
    flush: Option<FlushFn>,
}

impl CallbackSink {
    pub fn new(emit: EmitFn, flush: Option<FlushFn>) -> CallbackSink {
        CallbackSink { emit, flush }
    }
}

impl Sink for CallbackSink {
    fn kind(&self) -> &'static str {
        "CallbackHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        let len = text.len();
        text.push('\0');
        (self.emit)(record, &text[..len]).map_err(|detail| EmitError {
            kind: ErrorKind::Callback,
            detail,
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.flush.as_mut() {
            Some(flush) => flush().map_err(io::Error::other),
            None => Ok(()),
        }
    }
}
