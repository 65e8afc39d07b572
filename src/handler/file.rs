//! Python's `FileHandler`: UTF-8 text appended (mode `a`) or truncated (mode
//! `w`), optionally opened only at the first record (`delay`).

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::output::{Buffering, FdOutput};
use super::{EmitError, Sink};
use crate::record::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    Append,
    Truncate,
}

impl FileMode {
    /// Python's mode strings: `a` (default) and `w`; `b`/`t`/`+` are ignored as
    /// the handler only ever writes text.
    pub fn parse(mode: &str) -> Result<FileMode, String> {
        let core: String = mode
            .chars()
            .filter(|c| !matches!(c, 'b' | 't' | '+'))
            .collect();
        match core.as_str() {
            "" | "a" => Ok(FileMode::Append),
            "w" => Ok(FileMode::Truncate),
            _ => Err(format!(
                "unsupported file mode {mode:?}: use \"a\" or \"w\""
            )),
        }
    }
}

/// Everything a file handler is built from.
#[derive(Clone, Debug)]
pub struct FileOptions {
    pub path: PathBuf,
    pub mode: FileMode,
    pub delay: bool,
    /// Permission bits for a newly created file (the umask still applies).
    pub permissions: u32,
    pub buffering: Buffering,
}

impl FileOptions {
    pub fn new(path: impl Into<PathBuf>) -> FileOptions {
        FileOptions {
            path: path.into(),
            mode: FileMode::Append,
            delay: false,
            permissions: 0o666,
            buffering: Buffering::WRITE_THROUGH,
        }
    }
}

pub struct FileSink {
    options: FileOptions,
    file: Option<File>,
    output: FdOutput,
    /// Set by `close`: a `w` handler stays closed, an `a` handler reopens.
    closed: bool,
}

/// Makes `path` absolute the way `os.path.abspath` does, so a later chdir does
/// not move the log.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "empty file path",
        ));
    }
    std::path::absolute(path)
}

impl FileSink {
    pub fn open(mut options: FileOptions) -> io::Result<FileSink> {
        options.path = absolute(&options.path)?;
        let mut sink = FileSink {
            output: FdOutput::new(-1),
            options,
            file: None,
            closed: false,
        };
        sink.output
            .set_buffering(sink.options.buffering)
            .map_err(|e| io::Error::new(e.kind(), e.to_string()))?;
        if !sink.options.delay {
            sink.open_file()?;
        }
        Ok(sink)
    }

    pub fn path(&self) -> &Path {
        &self.options.path
    }

    fn open_file(&mut self) -> io::Result<()> {
        let mut open = OpenOptions::new();
        open.write(true).create(true).mode(self.options.permissions);
        match self.options.mode {
            FileMode::Append => open.append(true),
            FileMode::Truncate => open.truncate(true),
        };
        let file = open.open(&self.options.path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot open {}: {e}", self.options.path.display()),
            )
        })?;
        if file.metadata()?.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a directory", self.options.path.display()),
            ));
        }
        self.output.set_fd(file.as_raw_fd());
        self.file = Some(file);
        Ok(())
    }
}

impl Sink for FileSink {
    fn kind(&self) -> &'static str {
        "FileHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &str) -> Result<(), EmitError> {
        if self.file.is_none() {
            if self.closed && self.options.mode == FileMode::Truncate {
                return Err(EmitError {
                    kind: super::ErrorKind::Io,
                    detail: "handler was closed".into(),
                });
            }
            self.open_file()?;
        }
        self.output
            .write_record(text.as_bytes(), b"\n", record.levelno)?;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }

    fn close(&mut self) -> io::Result<()> {
        let result = self.output.flush();
        self.file = None;
        self.output.set_fd(-1);
        self.closed = true;
        result
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        self.output.flush_if_due()
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        self.options.buffering = policy;
        self.output.set_buffering(policy).map_err(|e| e.to_string())
    }
}
