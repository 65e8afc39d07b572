//! The byte path from a formatted record to a file descriptor, with the
//! durability policy: write-through (one write(2) per record, the default, as
//! Python's handlers flush after every record) or buffered.

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
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
pub fn write_all(fd: RawFd, bytes: &[u8]) -> io::Result<()> {
    write_prefix(fd, bytes).1
}

/// Writes as much of `bytes` as the kernel takes: returns how many bytes it
/// took and, if it stopped short, why. The count matters on failure: those
/// bytes are in the file and must never be written again.
fn write_prefix(fd: RawFd, bytes: &[u8]) -> (usize, io::Result<()>) {
    let mut done = 0;
    while done < bytes.len() {
        let rest = &bytes[done..];
        // SAFETY: `rest` is a live, readable slice.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return (done, Err(err));
        }
        if n == 0 {
            let err = io::Error::new(io::ErrorKind::WriteZero, "write returned 0");
            return (done, Err(err));
        }
        done += n as usize;
    }
    (done, Ok(()))
}

/// Records to a file descriptor, each followed by the terminator.
///
/// When the descriptor fails (disk full, /dev/full, a closed pipe):
/// - bytes the kernel took are never written again; a record it took only
///   part of keeps its remainder pending, and that remainder is the first
///   thing written when the descriptor accepts bytes again, so the torn
///   line is completed before any other record starts;
/// - the buffer never grows past its capacity (write-through: past the
///   remainder of one torn record). A record that finds it full while the
///   descriptor keeps failing is dropped and counted in `dropped`; records
///   already in the buffer stay there and are written when it recovers, so
///   no record is both counted as dropped and written.
pub struct FdOutput {
    fd: RawFd,
    buffering: Buffering,
    pending: Vec<u8>,
    last_flush: Instant,
    /// Shared with the handler, which reads it without the sink's lock.
    dropped: Arc<AtomicU64>,
}

impl FdOutput {
    pub fn new(fd: RawFd) -> FdOutput {
        FdOutput {
            fd,
            buffering: Buffering::WRITE_THROUGH,
            pending: Vec::new(),
            last_flush: Instant::now(),
            dropped: Arc::default(),
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

    /// Records dropped because the descriptor kept failing while the buffer
    /// was full (each counted once; none of them is ever written).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The counter behind `dropped`, for reading without the sink's lock.
    pub fn dropped_counter(&self) -> Arc<AtomicU64> {
        self.dropped.clone()
    }

    #[cold]
    fn count_drop(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
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
            if self.pending.is_empty() {
                let (written, result) = write_prefix(self.fd, record);
                if result.is_err() {
                    self.keep_remainder(record, written);
                }
                return result;
            }
            return self.write_after_torn_record(record);
        }
        // Only a failed flush leaves the buffer at or past capacity.
        if self.pending.len() >= self.buffering.capacity {
            self.make_room()?;
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

    /// A write-through record the kernel took `written` bytes of before
    /// failing: the rest waits to complete the line, or the whole record is
    /// dropped if the kernel took nothing.
    #[cold]
    fn keep_remainder(&mut self, record: &[u8], written: usize) {
        if written == 0 {
            self.count_drop();
        } else {
            self.pending.extend_from_slice(&record[written..]);
        }
    }

    /// Write-through with a torn record's remainder pending: finish that
    /// line first; while that still fails, the new record is dropped.
    #[cold]
    fn write_after_torn_record(&mut self, record: &[u8]) -> io::Result<()> {
        if let Err(e) = self.flush() {
            self.count_drop();
            return Err(e);
        }
        let (written, result) = write_prefix(self.fd, record);
        if result.is_err() {
            self.keep_remainder(record, written);
        }
        result
    }

    /// The buffer is full after a failed flush: try again, and drop the new
    /// record (counted) if no room comes of it.
    #[cold]
    fn make_room(&mut self) -> io::Result<()> {
        match self.flush() {
            Ok(()) => Ok(()),
            Err(_) if self.pending.len() < self.buffering.capacity => Ok(()),
            Err(e) => {
                self.count_drop();
                Err(e)
            }
        }
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

    /// Hands every pending byte to the kernel. On failure exactly the bytes
    /// the kernel took leave the buffer; the rest stays for a later attempt.
    pub fn flush(&mut self) -> io::Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let (written, result) = write_prefix(self.fd, &self.pending);
        if result.is_ok() {
            self.pending.clear();
        } else {
            self.forget_written(written);
        }
        result
    }

    /// After a failed flush: the bytes the kernel took leave the buffer.
    #[cold]
    #[inline(never)]
    fn forget_written(&mut self, written: usize) {
        self.pending.drain(..written);
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

    /// A pipe whose write end never blocks: it takes at most `room` bytes
    /// until drained, then write(2) fails with EAGAIN (after a partial write
    /// when a record straddles the limit), as a full disk does.
    struct TightPipe {
        read: std::fs::File,
        write: std::fs::File,
    }

    impl TightPipe {
        fn new(room: i32) -> TightPipe {
            let mut fds = [0; 2];
            // SAFETY: pipe2 fills two descriptors we then own.
            assert_eq!(
                unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK) },
                0
            );
            // SAFETY: the pipe's own descriptors; the kernel rounds up to a page.
            unsafe { libc::fcntl(fds[1], libc::F_SETPIPE_SZ, room) };
            use std::os::fd::FromRawFd;
            // SAFETY: fresh descriptors owned by nothing else.
            let (read, write) = unsafe {
                (
                    std::fs::File::from_raw_fd(fds[0]),
                    std::fs::File::from_raw_fd(fds[1]),
                )
            };
            TightPipe { read, write }
        }

        fn drain(&mut self) -> Vec<u8> {
            use std::io::Read;
            let mut all = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = self.read.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&chunk[..n]);
            }
            all
        }
    }

    /// Logs 0..HALF into a pipe that fills, then HALF..2*HALF draining it
    /// after each record; checks that every record arrived once and whole or
    /// was counted as dropped, and that the buffer stayed bounded.
    fn survives_a_full_sink(capacity: usize) {
        const HALF: usize = 5000;
        let mut pipe = TightPipe::new((2 * capacity).max(4096) as i32);
        let mut out = FdOutput::new(pipe.write.as_raw_fd());
        out.set_buffering(Buffering {
            capacity,
            flush_level: 50,
            flush_interval: Duration::ZERO,
        })
        .unwrap();
        let record = |i: usize| format!("record {i:05} {}\n", "x".repeat(i % 97));
        let mut failures = 0;
        let mut got = Vec::new();
        for i in 0..2 * HALF {
            // Room comes back for good after the first half.
            if i >= HALF {
                got.extend(pipe.drain());
            }
            failures += usize::from(out.write_record(record(i).as_bytes(), 20).is_err());
            assert!(
                out.pending_len() <= capacity.max(1) + 128,
                "buffer bounded: {} bytes pending",
                out.pending_len()
            );
        }
        got.extend(pipe.drain());
        out.flush().unwrap();
        got.extend(pipe.drain());
        let text = String::from_utf8(got).unwrap();
        let mut seen = vec![0; 2 * HALF];
        for line in text.lines() {
            let i: usize = line[7..12].parse().expect(line);
            assert_eq!(format!("{line}\n"), record(i), "whole line");
            seen[i] += 1;
        }
        assert!(seen.iter().all(|&c| c <= 1), "no record written twice");
        assert!(failures > 0 && out.dropped() > 0, "the pipe did fill");
        let written = seen.iter().filter(|&&c| c == 1).count() as u64;
        assert_eq!(
            written + out.dropped(),
            2 * HALF as u64,
            "each record written or dropped"
        );
        assert!(
            seen[HALF..].iter().all(|&c| c == 1),
            "records after room returns arrive"
        );
    }

    #[test]
    fn full_sink_buffered_neither_duplicates_nor_tears_nor_grows() {
        survives_a_full_sink(1024);
        survives_a_full_sink(64 * 1024);
    }

    #[test]
    fn full_sink_write_through_completes_a_torn_record_first() {
        survives_a_full_sink(0);
    }
}
