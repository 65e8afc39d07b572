//! A handler whose output is a user function (the C API's callback handler).

use std::io;

use super::{EmitError, ErrorKind, Sink};
use crate::record::Record;

/// Receives each record and its formatted text; an `Err` is counted as a
/// callback error of the handler.
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

    fn emit(&mut self, record: &Record<'_>, text: &str) -> Result<(), EmitError> {
        (self.emit)(record, text).map_err(|detail| EmitError {
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
