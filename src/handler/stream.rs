//! Python's `StreamHandler` over a file descriptor the caller owns.

use std::io;
use std::os::fd::RawFd;

use super::output::{Buffering, FdOutput};
use super::{EmitError, Sink};
use crate::record::Record;

/// Everything a stream handler is built from.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// 1 = stdout, 2 = stderr (default), or any descriptor the caller owns.
    pub fd: RawFd,
    pub terminator: String,
    pub buffering: Buffering,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            fd: 2,
            terminator: "\n".to_owned(),
            buffering: Buffering::WRITE_THROUGH,
        }
    }
}

pub struct StreamSink {
    output: FdOutput,
    terminator: String,
}

impl StreamSink {
    /// Writes to `fd` (1 = stdout, 2 = stderr, or any open descriptor); the
    /// descriptor is never closed by the handler.
    pub fn new(fd: RawFd) -> StreamSink {
        StreamSink {
            output: FdOutput::new(fd),
            terminator: "\n".to_owned(),
        }
    }
}

impl StreamSink {
    /// A stream sink from its options.
    pub fn with_options(options: StreamOptions) -> io::Result<StreamSink> {
        let mut sink = StreamSink::new(options.fd);
        sink.terminator = options.terminator;
        sink.output.set_buffering(options.buffering)?;
        Ok(sink)
    }
}

impl Sink for StreamSink {
    fn kind(&self) -> &'static str {
        "StreamHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        text.push_str(&self.terminator);
        self.output.write_record(text.as_bytes(), record.levelno)?;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }

    fn set_terminator(&mut self, terminator: &str) -> Result<(), String> {
        self.terminator = terminator.to_owned();
        Ok(())
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        self.output.flush_if_due()
    }

    fn after_fork(&mut self, _interrupted: bool) {
        // The descriptor is the caller's, not ours to forget or reopen.
        self.output.discard_inherited_pending();
    }

    fn dropped_counter(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicU64>> {
        Some(self.output.dropped_counter())
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        self.output.set_buffering(policy).map_err(|e| e.to_string())
    }
}
