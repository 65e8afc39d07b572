//! Python's `FileHandler` and the policies composed around it: size and
//! timed rotation (`RotatingFileHandler`, `TimedRotatingFileHandler`),
//! following external renames (`WatchedFileHandler`, `sawmill_reopen_files`),
//! several processes sharing one file (multi-process mode), and the mode and
//! owner of files it creates. One sink, one write path; the policies only
//! decide when to reopen or roll.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::output::{Buffering, FdOutput};
use super::timed::{self, TimedOptions};
use super::{EmitError, ErrorKind, Sink};
use crate::record::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    Append,
    Truncate,
}

impl FileMode {
    /// Python's mode strings: `a` (default) and `w`, with `b`/`t`/`+`
    /// ignored as the handler only ever writes text. Checked by CPython's
    /// `open` rules (each character at most once, from `rwxabt+`; not both
    /// `b` and `t`; exactly one of `r`/`w`/`x`/`a`), so `""` and `"+"` are
    /// refused as CPython refuses them; `r` and `x` pass those rules but
    /// cannot keep a log and are refused too.
    pub fn parse(mode: &str) -> Result<FileMode, String> {
        let mut seen = String::new();
        for c in mode.chars() {
            if !"rwxabt+".contains(c) || seen.contains(c) {
                return Err(format!("invalid file mode {mode:?}"));
            }
            seen.push(c);
        }
        if seen.contains('b') && seen.contains('t') {
            return Err(format!(
                "invalid file mode {mode:?}: can't have text and binary mode at once"
            ));
        }
        let kinds: Vec<char> = seen.chars().filter(|c| "rwxa".contains(*c)).collect();
        match kinds.as_slice() {
            ['a'] => Ok(FileMode::Append),
            ['w'] => Ok(FileMode::Truncate),
            [_] => Err(format!(
                "unsupported file mode {mode:?}: use \"a\" or \"w\""
            )),
            _ => Err(format!(
                "invalid file mode {mode:?}: must have exactly one of create/read/write/append \
                 mode and at most one plus (CPython's open)"
            )),
        }
    }
}

/// When the file is rolled over.
#[derive(Clone, Debug)]
pub enum Rotation {
    Never,
    /// Python's RotatingFileHandler: roll when the file's size in bytes plus
    /// the next record's length in characters (terminator included) reaches
    /// `max_bytes`, exactly CPython 3.11's test; keep `backup_count` backups
    /// `.1` … `.N`. Either being 0 means never. One difference: an empty
    /// file never rolls (CPython moves it aside as an empty backup when a
    /// single record reaches `max_bytes`, which pushes a real backup out).
    Size {
        max_bytes: u64,
        backup_count: u32,
    },
    Timed(TimedOptions),
}

/// Owner given to files the handler creates (None: leave as created).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// Everything a file handler is built from.
#[derive(Clone, Debug)]
pub struct FileOptions {
    pub path: PathBuf,
    pub mode: FileMode,
    pub delay: bool,
    /// Exact permission bits for files the handler creates (not reduced by
    /// the umask); None: 0o666 reduced by the umask, as Python's open does.
    pub permissions: Option<u32>,
    pub owner: Owner,
    pub buffering: Buffering,
    pub rotation: Rotation,
    /// WatchedFileHandler: check whether the path still names our file at
    /// most this often (records logged later than this after an external
    /// rename or delete go to the new file).
    pub watch: Option<Duration>,
    /// Several processes append to (and rotate) one file: O_APPEND, one
    /// write(2) per record, rotation under a lock file.
    pub multiprocess: bool,
}

/// WatchedFileHandler's default staleness bound.
pub const DEFAULT_WATCH_INTERVAL: Duration = Duration::from_millis(50);

impl FileOptions {
    pub fn new(path: impl Into<PathBuf>) -> FileOptions {
        FileOptions {
            path: path.into(),
            mode: FileMode::Append,
            delay: false,
            permissions: None,
            owner: Owner::default(),
            buffering: Buffering::WRITE_THROUGH,
            rotation: Rotation::Never,
            watch: None,
            multiprocess: false,
        }
    }
}

/// Bumped by `request_reopen` (async-signal-safe); every file sink reopens
/// its path at its next record when it sees a new value.
static REOPEN_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Asks every file handler to reopen its file at its next record (after
/// logrotate moved it). Only an atomic increment: safe in a signal handler.
pub fn request_reopen() {
    REOPEN_GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// `<path>.lock`, opened by this process (a lock inherited through fork
/// would be shared with the parent and serialise nothing).
/// Opens `path` with `create` (create_new) or, when it exists, with `open`;
/// says whether this call created it. Another process may rename the file
/// away between the two opens (its rollover), so a vanished file means
/// trying again, not failing: the record would otherwise be lost.
fn create_or_open(
    create: &OpenOptions,
    open: &OpenOptions,
    path: &Path,
) -> io::Result<(File, bool)> {
    let mut tries = 0;
    loop {
        match create.open(path) {
            Ok(file) => return Ok((file, true)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match open.open(path) {
                Ok(file) => return Ok((file, false)),
                Err(e) if e.kind() == io::ErrorKind::NotFound && tries < 100 => tries += 1,
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
}

struct LockFile {
    file: File,
    pid: u32,
    /// This process created it, so mode and owner settings apply to it.
    created: bool,
}

struct LockGuard<'a>(&'a File);

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: flock on a descriptor we own.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
    }
}

fn flock_exclusive(file: &File) -> io::Result<LockGuard<'_>> {
    loop {
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(LockGuard(file));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// (device, inode) of a file.
type Identity = (u64, u64);

pub struct FileSink {
    options: FileOptions,
    file: Option<File>,
    output: FdOutput,
    /// Set by `close`: a `w` handler stays closed, an `a` handler reopens.
    closed: bool,
    /// Bytes in the current file as far as we know (written + pending).
    size: u64,
    identity: Option<Identity>,
    regular: bool,
    rollover_at: i64,
    /// After a failed size rollover: the size at which to try again, so a
    /// persistent failure costs one attempt per `max_bytes`, not one per record.
    retry_rollover_at_size: u64,
    /// Mode `w` truncates at the first open only; reopens append.
    opened_before: bool,
    /// The process that created the handler: only it truncates ("w").
    creator_pid: u32,
    /// The open file was created by this handler (mode and owner apply).
    created: bool,
    reopen_seen: u64,
    last_watch: Instant,
    lock: Option<LockFile>,
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

fn identity_of(meta: &std::fs::Metadata) -> Identity {
    (meta.dev(), meta.ino())
}

impl FileSink {
    pub fn open(mut options: FileOptions) -> io::Result<FileSink> {
        options.path = absolute(&options.path)?;
        if !matches!(options.rotation, Rotation::Never) || options.multiprocess {
            // Python forces append for rotation; several writers need O_APPEND.
            options.mode = FileMode::Append;
        }
        if options.multiprocess {
            options.buffering = Buffering::WRITE_THROUGH;
        }
        let rollover_at = match &options.rotation {
            Rotation::Timed(t) => {
                // From the file's real start when it exists (its mtime).
                let start = std::fs::metadata(&options.path)
                    .map(|m| m.mtime())
                    .unwrap_or_else(|_| (t.clock)() as i64);
                timed::compute_rollover(t, start)
            }
            _ => 0,
        };
        let mut sink = FileSink {
            output: FdOutput::new(-1),
            file: None,
            closed: false,
            size: 0,
            identity: None,
            regular: true,
            rollover_at,
            retry_rollover_at_size: 0,
            opened_before: false,
            creator_pid: crate::record::process_id(),
            created: false,
            reopen_seen: REOPEN_GENERATION.load(Ordering::Relaxed),
            last_watch: Instant::now(),
            lock: None,
            options,
        };
        sink.output.set_buffering(sink.options.buffering)?;
        if !sink.options.delay {
            sink.open_file()?;
        }
        Ok(sink)
    }

    pub fn path(&self) -> &Path {
        &self.options.path
    }

    pub fn options(&self) -> &FileOptions {
        &self.options
    }

    fn open_file(&mut self) -> io::Result<()> {
        let path = &self.options.path;
        let describe =
            |e: io::Error| io::Error::new(e.kind(), format!("cannot open {}: {e}", path.display()));
        let mut open = OpenOptions::new();
        // Always O_APPEND, "w" too: a descriptor with its own offset writes
        // over what other descriptors of the file (a fork child's reopen,
        // another process) appended meanwhile. "w" only truncates once.
        open.append(true);
        // A reopen (SIGHUP, a watched rename) must never wipe the log, nor
        // may a fork child's first open wipe what its parent wrote.
        let truncate = self.options.mode == FileMode::Truncate
            && !self.opened_before
            && crate::record::process_id() == self.creator_pid;
        if truncate {
            open.custom_flags(libc::O_TRUNC);
        }
        // Create it ourselves first, to know whether mode and owner apply.
        let mut create = open.clone();
        create
            .create_new(true)
            .mode(self.options.permissions.unwrap_or(0o666));
        let (file, created) = create_or_open(&create, &open, path).map_err(describe)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a directory", path.display()),
            ));
        }
        if created {
            apply_mode(&file, self.options.permissions)?;
            apply_owner(&file, self.options.owner)?;
        }
        self.regular = meta.is_file();
        self.identity = Some(identity_of(&meta));
        self.size = if truncate { 0 } else { meta.len() };
        self.output.set_fd(file.as_raw_fd());
        self.file = Some(file);
        self.opened_before = true;
        self.created = created;
        self.retry_rollover_at_size = 0;
        Ok(())
    }

    fn close_file(&mut self) -> io::Result<()> {
        let result = self.output.flush();
        self.file = None;
        self.identity = None;
        self.output.set_fd(-1);
        result
    }

    fn reopen(&mut self) -> io::Result<()> {
        self.close_file()?;
        self.open_file()
    }

    /// Whether the path still names the file we have open.
    fn path_moved(&self) -> bool {
        match std::fs::metadata(&self.options.path) {
            Ok(meta) => Some(identity_of(&meta)) != self.identity,
            Err(_) => true,
        }
    }

    /// `sawmill_reopen_files` requests and WatchedFileHandler checks.
    fn follow_external_changes(&mut self) -> io::Result<()> {
        let generation = REOPEN_GENERATION.load(Ordering::Relaxed);
        if generation != self.reopen_seen {
            self.reopen_seen = generation;
            if self.file.is_some() {
                return self.reopen();
            }
        }
        if let Some(interval) = self.options.watch {
            if self.file.is_some() && self.last_watch.elapsed() >= interval {
                self.last_watch = Instant::now();
                if self.path_moved() {
                    return self.reopen();
                }
            }
        }
        Ok(())
    }

    /// The record's length as size rotation counts it: CPython 3.11's
    /// `shouldRollover` adds `len(msg)`, the formatted record's characters
    /// (terminator included), to `stream.tell()`, the file's bytes. Only
    /// size rotation pays for counting the characters.
    #[cold]
    #[inline(never)]
    fn rollover_len(&self, line: &str) -> u64 {
        match self.options.rotation {
            Rotation::Size { .. } => line.chars().count() as u64,
            _ => line.len() as u64,
        }
    }

    /// Whether `line` rolls the file over first. A record has no more
    /// characters than bytes, so only one that would roll by its bytes (near
    /// the limit: rare) has its characters counted.
    fn rollover_due_for(&self, line: &str) -> bool {
        self.rollover_due(line.len() as u64) && self.rollover_due(self.rollover_len(line))
    }

    /// Whether a record of `record_len` (see `rollover_len`) rolls first.
    fn rollover_due(&self, record_len: u64) -> bool {
        if !self.regular {
            return false;
        }
        match &self.options.rotation {
            Rotation::Never => false,
            Rotation::Size {
                max_bytes,
                backup_count,
            } => {
                *max_bytes > 0
                    && *backup_count > 0
                    && self.size > 0
                    && self.size.saturating_add(record_len)
                        >= (*max_bytes).max(self.retry_rollover_at_size)
            }
            Rotation::Timed(t) => (t.clock)() as i64 >= self.rollover_at,
        }
    }

    /// Moves the file aside and starts a new one. If the file could not be
    /// moved, the current one stays open (records keep going to it) and the
    /// error is returned for the handler to count; a failure to delete an old
    /// backup is returned after the new file is open.
    fn roll_over(&mut self) -> io::Result<()> {
        // Pending bytes belong to the file being moved aside.
        self.output.flush()?;
        let path = self.options.path.clone();
        let rotation = self.options.rotation.clone();
        let (moved, cleanup) = match &rotation {
            Rotation::Never => (Ok(()), Ok(())),
            Rotation::Size {
                backup_count,
                max_bytes,
            } => {
                let moved = super::rotating::shift_backups(&path, *backup_count);
                if moved.is_err() {
                    self.retry_rollover_at_size = self.size.saturating_add(*max_bytes);
                }
                (moved, Ok(()))
            }
            Rotation::Timed(t) => {
                let now = (t.clock)() as i64;
                let suffix = timed::backup_suffix(t, self.rollover_at, now);
                // Advanced whatever fails below: a failure then costs one
                // attempt per period, not one per record.
                self.rollover_at = timed::next_rollover(t, now);
                let moved = if path.exists() {
                    std::fs::rename(&path, timed::free_backup_path(&path, &suffix))
                } else {
                    Ok(())
                };
                let mut cleanup = Ok(());
                for old in timed::backups_to_delete(t, &path) {
                    if let Err(e) = std::fs::remove_file(&old) {
                        if cleanup.is_ok() {
                            cleanup = Err(io::Error::new(
                                e.kind(),
                                format!("cannot delete old backup {}: {e}", old.display()),
                            ));
                        }
                    }
                }
                (moved, cleanup)
            }
        };
        let retry = self.retry_rollover_at_size;
        if moved.is_ok() || self.file.is_none() {
            self.close_file()?;
            self.open_file()?;
        }
        if moved.is_err() {
            // open_file cleared it; the failed rollover still waits.
            self.retry_rollover_at_size = retry;
        }
        moved.and(cleanup)
    }

    fn lock_file(&mut self) -> io::Result<()> {
        let pid = crate::record::process_id();
        if self.lock.as_ref().is_none_or(|l| l.pid != pid) {
            let path = PathBuf::from(format!("{}.lock", self.options.path.display()));
            let describe = |e: io::Error| {
                io::Error::new(
                    e.kind(),
                    format!("cannot open lock file {}: {e}", path.display()),
                )
            };
            let mut open = OpenOptions::new();
            open.read(true).write(true);
            let mut create = open.clone();
            create
                .create_new(true)
                .mode(self.options.permissions.unwrap_or(0o666));
            let (file, created) = create_or_open(&create, &open, &path).map_err(describe)?;
            if created {
                apply_mode(&file, self.options.permissions)?;
                apply_owner(&file, self.options.owner)?;
            }
            self.lock = Some(LockFile { file, pid, created });
        }
        Ok(())
    }

    /// Multi-process rotation: under the lock, follow a rotation another
    /// process made, re-read the real size, roll if due, write.
    fn emit_shared(&mut self, line: &str, levelno: i32) -> io::Result<()> {
        self.lock_file()?;
        let Some(lock) = self.lock.take() else {
            return Err(io::Error::other("lock file missing"));
        };
        let result = flock_exclusive(&lock.file).and_then(|_guard| self.emit_locked(line, levelno));
        self.lock = Some(lock);
        result
    }

    /// Under the lock file: follows a rotation another process made (our
    /// descriptor no longer names the path) and re-reads the real size.
    fn follow_other_writers(&mut self) -> io::Result<()> {
        if self.path_moved() {
            self.reopen()?;
            if let Rotation::Timed(t) = &self.options.rotation {
                let start = std::fs::metadata(&self.options.path)
                    .map(|m| m.mtime())
                    .unwrap_or(0);
                self.rollover_at = timed::compute_rollover(t, start);
            }
        }
        if let Some(file) = &self.file {
            // Our own pending bytes are not in the file yet.
            self.size = file.metadata()?.len() + self.output.pending_len() as u64;
        }
        Ok(())
    }

    /// A rollover once this process has forked: parent and children hold the
    /// same rotating file, and two processes shifting backups at once rename
    /// over each other's files. Under `<path>.lock`, the one that comes
    /// second sees the path moved, follows it and rolls only if still due.
    fn roll_over_shared(&mut self, record_len: u64) -> io::Result<()> {
        self.lock_file()?;
        let Some(lock) = self.lock.take() else {
            return Err(io::Error::other("lock file missing"));
        };
        let result = flock_exclusive(&lock.file).and_then(|_guard| {
            self.follow_other_writers()?;
            if self.file.is_none() || self.rollover_due(record_len) {
                self.roll_over()
            } else {
                Ok(())
            }
        });
        self.lock = Some(lock);
        result
    }

    fn emit_locked(&mut self, line: &str, levelno: i32) -> io::Result<()> {
        self.follow_other_writers()?;
        let len = line.len() as u64;
        let rolled = if self.rollover_due_for(line) {
            self.roll_over()
        } else {
            Ok(())
        };
        if self.file.is_some() {
            // Even after a failed rollover: the record goes to the current file.
            self.output.write_record(line.as_bytes(), levelno)?;
            self.size += len;
        }
        rolled
    }

    /// Multi-process mode on or off (forces write-through while on).
    pub fn set_multiprocess(&mut self, on: bool) -> io::Result<()> {
        if on {
            self.output.set_buffering(Buffering::WRITE_THROUGH)?;
            self.options.buffering = Buffering::WRITE_THROUGH;
            if self.options.mode != FileMode::Append {
                self.options.mode = FileMode::Append;
                if self.file.is_some() {
                    self.reopen()?;
                }
            }
        }
        self.options.multiprocess = on;
        Ok(())
    }

    /// Exact mode bits for every file this handler creates from now on
    /// (including each rotation's new file) and for the files it created and
    /// still has open (its log file and its lock file). A file that existed
    /// before the handler opened it is left as it is.
    pub fn set_permissions(&mut self, bits: u32) -> io::Result<()> {
        self.options.permissions = Some(bits);
        self.apply_to_own_files(|file| apply_mode(file, Some(bits)))
    }

    /// Owner for every file this handler creates from now on and for the
    /// files it created and still has open, as `set_permissions`.
    pub fn set_owner(&mut self, owner: Owner) -> io::Result<()> {
        self.options.owner = owner;
        self.apply_to_own_files(|file| apply_owner(file, owner))
    }

    /// Runs `f` on the open files this handler created: a C constructor
    /// creates the file at once, before any setting could be made.
    fn apply_to_own_files(&self, f: impl Fn(&File) -> io::Result<()>) -> io::Result<()> {
        if let (Some(file), true) = (&self.file, self.created) {
            f(file)?;
        }
        if let Some(lock) = self.lock.as_ref().filter(|l| l.created) {
            f(&lock.file)?;
        }
        Ok(())
    }

    /// Opens the file now if it is not open yet (a configuration opens a
    /// delayed "w" file only once it is committed, so a refused one never
    /// truncates anything).
    pub fn open_now(&mut self) -> io::Result<()> {
        if self.file.is_none() && !self.closed {
            self.open_file()?;
        }
        Ok(())
    }

    /// TimedRotatingFileHandler's `atTime` (MIDNIGHT and W0-W6 only).
    pub fn set_at_time(&mut self, at: (u32, u32, u32)) -> Result<(), String> {
        let start = self
            .file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map(|m| m.mtime());
        match &mut self.options.rotation {
            Rotation::Timed(t) => {
                t.at_time = Some(at);
                let start = start.unwrap_or_else(|| (t.clock)() as i64);
                self.rollover_at = timed::compute_rollover(t, start);
                Ok(())
            }
            _ => Err("at_time applies to timed rotating handlers only".into()),
        }
    }
}

/// Whether `path` could be opened for appending, without opening,
/// creating or truncating anything (access(2) only, so a check never blocks
/// on a FIFO nor touches a device): an existing file must be writable; a
/// missing one needs a writable directory. Configuration checks use it.
pub fn check_openable(path: &Path) -> io::Result<()> {
    let path = absolute(path)?;
    let fail =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot open {}: {e}", path.display()));
    let access = |p: &Path, mode| {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
        // SAFETY: access(2) on a NUL-terminated path we own.
        if unsafe { libc::access(c.as_ptr(), mode) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    };
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("{} is a directory", path.display()),
        )),
        Ok(_) => access(&path, libc::W_OK).map_err(fail),
        Err(_) => {
            let dir = path.parent().unwrap_or(Path::new("/"));
            if !dir.is_dir() {
                return Err(fail(io::Error::from(io::ErrorKind::NotFound)));
            }
            access(dir, libc::W_OK | libc::X_OK).map_err(fail)
        }
    }
}

/// A user (`user`) or group id given as a decimal id or a name (looked up
/// in the system's databases); None if there is no such name.
pub fn lookup_id(name: &str, user: bool) -> Option<u32> {
    if let Ok(id) = name.parse::<u32>() {
        return Some(id);
    }
    let c_name = std::ffi::CString::new(name).ok()?;
    let mut buf = vec![0 as libc::c_char; 16384];
    if user {
        // SAFETY: a zeroed passwd is a valid out-parameter; all pointers are
        // valid for the call.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: as above.
        let rc = unsafe {
            libc::getpwnam_r(
                c_name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
            )
        };
        (rc == 0 && !found.is_null()).then_some(entry.pw_uid)
    } else {
        // SAFETY: a zeroed group is a valid out-parameter; all pointers are
        // valid for the call.
        let mut entry: libc::group = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::group = std::ptr::null_mut();
        // SAFETY: as above.
        let rc = unsafe {
            libc::getgrnam_r(
                c_name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
            )
        };
        (rc == 0 && !found.is_null()).then_some(entry.gr_gid)
    }
}

/// Exact permission bits (not reduced by the umask) on a file we created.
fn apply_mode(file: &File, permissions: Option<u32>) -> io::Result<()> {
    if let Some(bits) = permissions {
        // SAFETY: fchmod on a descriptor we own.
        if unsafe { libc::fchmod(file.as_raw_fd(), bits as libc::mode_t) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The configured owner on a file we created.
fn apply_owner(file: &File, owner: Owner) -> io::Result<()> {
    let Owner { uid, gid } = owner;
    if uid.is_some() || gid.is_some() {
        let keep = u32::MAX; // -1: leave unchanged
        let (uid, gid) = (uid.unwrap_or(keep), gid.unwrap_or(keep));
        // SAFETY: fchown on a descriptor we own.
        if unsafe { libc::fchown(file.as_raw_fd(), uid, gid) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

impl Sink for FileSink {
    fn kind(&self) -> &'static str {
        match (&self.options.rotation, self.options.watch) {
            (Rotation::Size { .. }, _) => "RotatingFileHandler",
            (Rotation::Timed(_), _) => "TimedRotatingFileHandler",
            (Rotation::Never, Some(_)) => "WatchedFileHandler",
            (Rotation::Never, None) => "FileHandler",
        }
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        text.push('\n');
        self.follow_external_changes()?;
        if self.file.is_none() {
            if self.closed && self.options.mode == FileMode::Truncate {
                return Err(EmitError {
                    kind: ErrorKind::Io,
                    detail: "handler was closed".into(),
                });
            }
            if !self.rollover_due(0) {
                self.open_file()?;
            }
        }
        if self.options.multiprocess && !matches!(self.options.rotation, Rotation::Never) {
            self.emit_shared(text, record.levelno)?;
            return Ok(());
        }
        let len = text.len() as u64;
        let rolled = if self.file.is_none() || self.rollover_due_for(text) {
            // A due rollover of a file not yet opened (delay) renames what is
            // there, if anything, and never leaves an empty backup behind.
            if crate::fork::has_forked() {
                self.roll_over_shared(self.rollover_len(text))
            } else {
                self.roll_over()
            }
        } else {
            Ok(())
        };
        if self.file.is_some() {
            // Even after a failed rollover: the record goes to the current file.
            self.output.write_record(text.as_bytes(), record.levelno)?;
            self.size += len;
        }
        rolled?;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }

    fn flush_if_due(&mut self) -> io::Result<()> {
        self.output.flush_if_due()
    }

    fn after_fork(&mut self, interrupted: bool) {
        self.output.discard_inherited_pending();
        // The child's memory is not one instant of the parent's: fork copies
        // pages while other threads keep writing, so even a sink whose lock
        // was free can hold a descriptor number the parent had just closed
        // (and the child would then reuse for its lock file). Handles that
        // cannot be vouched for are leaked, never closed (the number may name
        // another file), and reopened by path on next use. The parent's lock
        // file is never the child's (see `lock_file`).
        std::mem::forget(self.lock.take());
        let still_ours = self.identity.is_some()
            && self
                .file
                .as_ref()
                .and_then(|f| f.metadata().ok())
                .map(|meta| identity_of(&meta))
                == self.identity;
        if interrupted || !still_ours {
            std::mem::forget(self.file.take());
            self.output.set_fd(-1);
            self.identity = None;
        }
    }

    fn close(&mut self) -> io::Result<()> {
        self.closed = true;
        self.close_file()
    }

    fn dropped_counter(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicU64>> {
        Some(self.output.dropped_counter())
    }

    fn set_buffering(&mut self, policy: Buffering) -> Result<(), String> {
        if self.options.multiprocess && !policy.is_write_through() {
            return Err("multi-process mode writes each record through; buffering is off".into());
        }
        self.options.buffering = policy;
        self.output.set_buffering(policy).map_err(|e| e.to_string())
    }

    fn as_file(&mut self) -> Option<&mut FileSink> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another process's rollover renames the file between our create and
    /// open attempts: the open must follow, never fail with "not found".
    #[test]
    fn create_or_open_survives_a_concurrent_rename() {
        let dir = std::env::temp_dir().join(format!("sawmill-create-open-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.log");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let roller = {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                let backup = path.with_extension("log.1");
                while !stop.load(Ordering::Relaxed) {
                    let _ = File::create(&path);
                    let _ = std::fs::rename(&path, &backup);
                }
            })
        };
        let mut open = OpenOptions::new();
        open.append(true);
        let mut create = open.clone();
        create.create_new(true);
        for _ in 0..60_000 {
            create_or_open(&create, &open, &path).expect("opened despite the renames");
        }
        stop.store(true, Ordering::Relaxed);
        roller.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
