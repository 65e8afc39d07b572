//! The byte path from a formatted record to a file descriptor, with the
//! durability policy: write-through (one write(2) per record, the default, as
//! Python's handlers flush after every record) or buffered.

use std::io;
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

/// When a buffered output reaches the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffering {
    /// Buffer size in bytes; 0 means write-through.
    pub capacity: usize,
    /// A record at or above this level flushes the buffer at once.
    pub flush_level: i32,
    /// Flush when this much time has passed since the last flush (0: never).
    pub flush_interval: Duration,
}

impl Buffering {
    pub const WRITE_THROUGH: Buffering = Buffering {
        capacity: 0,
        flush_level: crate::level::ERROR,
        flush_interval: Duration::ZERO,
    };

    pub fn is_write_through(&self) -> bool {
        self.capacity == 0
    }
}

impl Default for Buffering {
    fn default() -> Self {
        Buffering::WRITE_THROUGH
    }
}

/// Writes all of `bytes` with write(2): one call for a record in the common
/// case, retrying on EINTR and continuing after short writes.
pub fn write_all(fd: RawFd, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live, readable slice.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "write returned 0"));
        }
        bytes = &bytes[n as usize..];
    }
    Ok(())
}

/// Records to a file descriptor, each followed by the terminator.
pub struct FdOutput {
    fd: RawFd,
    buffering: Buffering,
    pending: Vec<u8>,
    last_flush: Instant,
}

impl FdOutput {
    pub fn new(fd: RawFd) -> FdOutput {
        FdOutput {
            fd,
            buffering: Buffering::WRITE_THROUGH,
            pending: Vec::new(),
            last_flush: Instant::now(),
        }
    }

    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Points the output at another descriptor (after a reopen). Pending bytes
    /// must have been flushed first.
    pub fn set_fd(&mut self, fd: RawFd) {
        self.fd = fd;
    }

    pub fn buffering(&self) -> Buffering {
        self.buffering
    }

    /// Changes the policy; flushes what is pending first so no byte is reordered.
    pub fn set_buffering(&mut self, buffering: Buffering) -> io::Result<()> {
        self.flush()?;
        self.buffering = buffering;
        if buffering.capacity > 0 {
            self.pending = Vec::with_capacity(buffering.capacity + 1024);
        } else {
            self.pending = Vec::new();
        }
        Ok(())
    }

    /// Bytes accepted but not yet handed to the kernel.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// In a fork child: forgets the bytes inherited as pending. They belong
    /// to the parent, which writes them; flushing them here too would
    /// duplicate them. The old buffer is leaked, not freed: another thread
    /// of the parent may have been growing it when the process forked.
    pub fn discard_inherited_pending(&mut self) {
        let capacity = if self.buffering.capacity > 0 {
            self.buffering.capacity + 1024
        } else {
            0
        };
        std::mem::forget(std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(capacity),
        ));
    }

    /// Writes one whole record (terminator included) under the policy.
    pub fn write_record(&mut self, record: &[u8], levelno: i32) -> io::Result<()> {
        if self.buffering.is_write_through() {
            return write_all(self.fd, record);
        }
        self.pending.extend_from_slice(record);
        let interval = self.buffering.flush_interval;
        if !interval.is_zero() {
            // Restarts the flusher lazily in a fork child.
            super::flusher::ensure_running(interval);
        }
        if self.pending.len() >= self.buffering.capacity || levelno >= self.buffering.flush_level {
            self.flush()?;
        }
        Ok(())
    }

    /// Flushes when the interval has passed since the last flush.
    pub fn flush_if_due(&mut self) -> io::Result<()> {
        let interval = self.buffering.flush_interval;
        if !self.pending.is_empty() && !interval.is_zero() && self.last_flush.elapsed() >= interval
        {
            self.flush()?;
        }
        Ok(())
    }

    /// Hands every pending byte to the kernel. On failure the bytes stay
    /// pending so a later flush can retry them.
    pub fn flush(&mut self) -> io::Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = write_all(self.fd, &self.pending);
        if result.is_ok() {
            self.pending.clear();
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    fn temp_file(tag: &str) -> (std::path::PathBuf, std::fs::File) {
        let path =
            std::env::temp_dir().join(format!("sawmill-output-{tag}-{}", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        (path, file)
    }

    #[test]
    fn write_through_reaches_the_file_at_once() {
        let (path, file) = temp_file("wt");
        let mut out = FdOutput::new(file.as_raw_fd());
        out.write_record(b"hello\n", 20).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn buffered_holds_until_full_or_flush_level() {
        let (path, file) = temp_file("buf");
        let mut out = FdOutput::new(file.as_raw_fd());
        out.set_buffering(Buffering {
            capacity: 64,
            flush_level: 40,
            flush_interval: Duration::ZERO,
        })
        .unwrap();
        out.write_record(b"a\n", 20).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        out.write_record(b"b\n", 40).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\n");
        out.write_record(&[b'x'; 71], 10).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().len(), 4 + 71);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn full_device_is_an_error() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut out = FdOutput::new(full.as_raw_fd());
        assert!(out.write_record(b"x\n", 20).is_err());
    }
}
