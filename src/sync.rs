//! The two synchronisation primitives a fork child must be able to recover:
//! `Lock`, a mutex the child can re-initialise, and `ForkOnce`, a one-time
//! set-up that a fork cannot leave "running" for ever (see below); and
//! `StaticRef`, an atomic `Option<&'static T>`.
//!
//! A departure from DESIGN.md's rule 1 (`unsafe` only in `ffi/` and OS
//! calls): neither std's Mutex/OnceLock nor parking_lot's can be reset in a
//! fork child, so these keep their state in words this module owns, behind
//! safe interfaces; the rest of the core uses them without `unsafe`.
//!
//! `Lock`:
//! A lock held by another thread when the process forks stays held forever
//! in the child, whose threads would wait for a holder that does not exist
//! there. So the lock word records, beside "locked", the fork generation of
//! its holder (see `ForkOnce` below: the child handler bumps it). A locker
//! that finds the lock held under an older generation knows its holder was a
//! thread of an ancestor process and takes the lock over: no list of locks
//! to reset in the child, statics and locks inside handlers alike. Only the
//! slow path looks: the uncontended lock is still one compare-and-swap (or,
//! single-threaded, one store) of a value read from `HELD` instead of a
//! constant, and the unlock one swap or store.
//!
//! The word: bit 0 locked, bit 1 "a thread may sleep on it" (set by the
//! waiters of the holder's process only; waiters in the parent do not exist
//! in the child, and a child thread never sleeps on a word of an older
//! generation, it takes it over), bits 2.. the holder's generation.
//!
//! The forking thread itself, if it holds a lock across `fork` (a C callback
//! run under a handler's lock that forks), also holds it under the older
//! generation in the child: another thread of the child, or a re-entrant
//! call, may take it over before it unlocks. That was so when the child
//! handler reset every lock by hand; the library takes no lock around fork
//! (`fork::before_fork` only sets a flag).
//!
//! It spins briefly before sleeping: the logging path holds it for a copy of
//! one record, far shorter than the two system calls (futex wait and wake)
//! that sleeping costs both threads.

use std::cell::UnsafeCell;
use std::ffi::c_char;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
/// With LOCKED: a thread of the holder's process may be asleep waiting.
const CONTENDED: u32 = 2;
/// The generation bits of a lock word or of `GENERATION << 2`.
const GENERATION_BITS: u32 = !3;

/// The word of a lock held by a thread of this process: `GENERATION << 2 |
/// LOCKED`, kept beside `GENERATION` so the fast path reads one word.
static HELD: AtomicU32 = AtomicU32::new(LOCKED);

/// A lock word held by a thread of an ancestor process (see the module doc).
#[inline]
fn held_by_ancestor(state: u32) -> bool {
    state != UNLOCKED && (state ^ HELD.load(Ordering::Relaxed)) & GENERATION_BITS != 0
}
/// Polls of a held lock before the thread sleeps.
const SPINS: u32 = 200;

/// glibc's `__libc_single_threaded` (2.32 and later), looked up at run time
/// so older C libraries still load the library: nonzero while the process
/// has never had a second thread. (A fork child counts as single-threaded.)
/// Then no other thread can hold or wait for a lock, and taking one needs no
/// atomic read-modify-write, as glibc's own stdio locks do.
pub(crate) fn single_threaded() -> bool {
    // SAFETY: a live byte for the process lifetime (ours or glibc's). glibc
    // writes its byte only in a thread about to create the process's second
    // thread, so while it reads nonzero no other thread exists to write it.
    unsafe { SINGLE_THREADED.load(Ordering::Relaxed).read_volatile() != 0 }
}

/// Reads zero: "maybe several threads", the safe answer until
/// `find_single_threaded_flag` (run at library load) finds glibc's.
static NEVER: c_char = 0;
static SINGLE_THREADED: AtomicPtr<c_char> = AtomicPtr::new(&NEVER as *const c_char as *mut c_char);

/// Points `single_threaded` at glibc's flag, if the C library has one.
/// Called at library load (`fork::install`); before, the answer is "no".
pub(crate) fn find_single_threaded_flag() {
    // SAFETY: dlsym with a NUL-terminated name; the result is a pointer to
    // glibc's flag byte or null. Racing look-ups store the same value.
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"__libc_single_threaded".as_ptr()) };
    if !found.is_null() {
        SINGLE_THREADED.store(found.cast(), Ordering::Relaxed);
    }
}

pub struct Lock<T> {
    state: AtomicU32,
    data: UnsafeCell<T>,
}

// SAFETY: the lock serialises all access to `data`.
unsafe impl<T: Send> Send for Lock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Lock<T> {}

pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
}

impl<T> Lock<T> {
    pub const fn new(value: T) -> Lock<T> {
        Lock {
            state: AtomicU32::new(UNLOCKED),
            data: UnsafeCell::new(value),
        }
    }

    #[inline]
    pub fn lock(&self) -> LockGuard<'_, T> {
        let mine = HELD.load(Ordering::Relaxed);
        // A lock found held while single-threaded is held by this very thread
        // (a re-entrant call) or by a thread of an ancestor process: the
        // general path below sorts them out.
        if single_threaded() && self.state.load(Ordering::Relaxed) == UNLOCKED {
            self.state.store(mine, Ordering::Relaxed);
            return LockGuard { lock: self };
        }
        if self
            .state
            .compare_exchange(UNLOCKED, mine, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended(mine);
        }
        LockGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self, mine: u32) {
        for _ in 0..SPINS {
            let state = self.state.load(Ordering::Relaxed);
            if (state == UNLOCKED || held_by_ancestor(state))
                && self
                    .state
                    .compare_exchange(state, mine, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                return;
            }
            if state & CONTENDED != 0 {
                break;
            }
            std::hint::spin_loop();
        }
        // From here on the lock is taken as contended, so its holder's unlock
        // wakes whoever sleeps next.
        loop {
            let state = self.state.load(Ordering::Relaxed);
            let (take, next) = if state == UNLOCKED {
                (true, mine | CONTENDED)
            } else if held_by_ancestor(state) {
                // Its holder and waiters are threads of an ancestor process:
                // nobody here sleeps on a word of an older generation.
                (true, mine)
            } else {
                (false, state | CONTENDED)
            };
            if state != next
                && self
                    .state
                    .compare_exchange(state, next, Ordering::Acquire, Ordering::Relaxed)
                    .is_err()
            {
                continue;
            }
            if take {
                return;
            }
            futex(
                &self.state,
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                next,
            );
        }
    }

    pub fn try_lock(&self) -> Option<LockGuard<'_, T>> {
        let mine = HELD.load(Ordering::Relaxed);
        let state = self.state.load(Ordering::Relaxed);
        if state != UNLOCKED && !held_by_ancestor(state) {
            return None;
        }
        self.state
            .compare_exchange(state, mine, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| LockGuard { lock: self })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// Whether the lock is held by a thread of an ancestor process (in a
    /// fork child: it was held at the fork). The data it guards may then be
    /// half-updated; the next `lock` takes it over.
    pub fn held_at_fork(&self) -> bool {
        held_by_ancestor(self.state.load(Ordering::Acquire))
    }

    #[inline]
    fn unlock(&self) {
        // Still single-threaded: nobody can be waiting. (A thread created
        // inside the critical section makes this false, and the swap below
        // then wakes it if it waits.)
        if single_threaded() {
            self.state.store(UNLOCKED, Ordering::Relaxed);
            return;
        }
        if self.state.swap(UNLOCKED, Ordering::Release) & CONTENDED != 0 {
            futex(&self.state, libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, 1);
        }
    }
}

/// futex(2) on `word`: WAIT sleeps while it holds `value`; WAKE wakes `value`
/// sleepers. Spurious returns are harmless: callers re-check the word.
fn futex(word: &AtomicU32, op: libc::c_int, value: u32) {
    // SAFETY: `word` is a live, aligned 32-bit atomic; no timeout is passed.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            op,
            value,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

// ---- StaticRef --------------------------------------------------------------

/// An atomic `Option<&'static T>` (a logger's parent, a level's name): it
/// takes only references that live for ever, so reading one back is safe at
/// the call site. One load, as a raw `AtomicPtr`.
pub struct StaticRef<T: 'static> {
    ptr: AtomicPtr<T>,
    /// Shares `&'static T` between threads: Send and Sync only if that is.
    _shares: std::marker::PhantomData<&'static T>,
}

impl<T: 'static> StaticRef<T> {
    pub const fn new(value: Option<&'static T>) -> StaticRef<T> {
        let ptr = match value {
            Some(r) => r as *const T as *mut T,
            None => std::ptr::null_mut(),
        };
        StaticRef {
            ptr: AtomicPtr::new(ptr),
            _shares: std::marker::PhantomData,
        }
    }

    #[inline]
    pub fn get(&self) -> Option<&'static T> {
        let ptr = self.ptr.load(Ordering::Acquire);
        // SAFETY: the pointer is null or came from a `&'static T` (`new`, `set`).
        unsafe { ptr.as_ref() }
    }

    pub fn set(&self, value: Option<&'static T>) {
        let ptr = value.map_or(std::ptr::null_mut(), |r| r as *const T as *mut T);
        self.ptr.store(ptr, Ordering::Release);
    }
}

// ---- KeptSlot ---------------------------------------------------------------

/// The current one of the `Arc<T>`s ever set (a handler's formatter), read
/// with one atomic load: every value set stays alive, kept here, until the
/// slot is dropped, so a reader never sees a freed one.
pub struct KeptSlot<T> {
    /// Null, or the address of a value in `kept`.
    current: AtomicPtr<T>,
    kept: Lock<Vec<std::sync::Arc<T>>>,
}

impl<T> Default for KeptSlot<T> {
    fn default() -> Self {
        KeptSlot {
            current: AtomicPtr::new(std::ptr::null_mut()),
            kept: Lock::new(Vec::new()),
        }
    }
}

impl<T> KeptSlot<T> {
    pub fn set(&self, value: Option<std::sync::Arc<T>>) {
        let mut kept = self.kept.lock();
        let ptr = match value {
            Some(v) => {
                let ptr = std::sync::Arc::as_ptr(&v).cast_mut();
                if !kept.iter().any(|k| std::sync::Arc::ptr_eq(k, &v)) {
                    kept.push(v);
                }
                ptr
            }
            None => std::ptr::null_mut(),
        };
        self.current.store(ptr, Ordering::Release);
    }

    #[inline]
    pub fn get(&self) -> Option<&T> {
        let ptr = self.current.load(Ordering::Acquire);
        // SAFETY: a non-null pointer names a value held in `kept`, which only
        // grows while `self` lives.
        unsafe { ptr.as_ref() }
    }

    pub fn get_arc(&self) -> Option<std::sync::Arc<T>> {
        let ptr = self.current.load(Ordering::Acquire);
        self.kept
            .lock()
            .iter()
            .find(|v| std::ptr::eq(std::sync::Arc::as_ptr(v), ptr))
            .cloned()
    }
}

// ---- ForkOnce ---------------------------------------------------------------

/// A one-time set-up (std's `OnceLock`), safe across fork.
///
/// With std's cell, a set-up another thread is running when the process
/// forks stays "running" for ever in the child, whose first use then waits
/// for a thread that does not exist there (recipe 8's children hung so).
/// Here a running set-up is marked with the process's fork generation, which
/// the child handler bumps (`after_fork_in_child`): a mark from an older
/// generation belongs to a thread of an ancestor process, and the child
/// takes the set-up over and runs it itself. No list of cells is needed and
/// the ready path is one acquire load, as with std's cell.
///
/// A set-up runs at most once per process to completion. A child may run
/// one again that its parent was running at the fork (the parent's run is
/// lost with its thread); the forking thread itself, if it was inside the
/// set-up, keeps the value of whichever run finishes first.
pub struct ForkOnce<T> {
    /// EMPTY, READY, or a busy mark: `generation << 2 | RUNNING` (computing
    /// the value) or `| WRITING` (storing it).
    state: AtomicU32,
    value: UnsafeCell<MaybeUninit<T>>,
}

const EMPTY: u32 = 0;
const READY: u32 = 1;
const RUNNING: u32 = 2;
const WRITING: u32 = 3;
const KIND: u32 = 3;

/// This process's fork generation: its number of fork ancestors (mod 2^30)
/// since the library was loaded.
static GENERATION: AtomicU32 = AtomicU32::new(0);

/// The busy mark of `kind` for this process's generation.
fn busy(kind: u32) -> u32 {
    GENERATION.load(Ordering::Relaxed).wrapping_shl(2) | kind
}

/// A busy mark set by a thread of an ancestor process: nobody in this process
/// will finish that set-up.
fn orphaned(state: u32) -> bool {
    state & KIND >= RUNNING && state >> 2 != busy(RUNNING) >> 2
}

/// In a fork child, first thing: every set-up now marked busy was being run
/// by a thread that the child does not have.
pub(crate) fn after_fork_in_child() {
    let generation = GENERATION.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
    HELD.store(generation.wrapping_shl(2) | LOCKED, Ordering::Relaxed);
}

/// Test hook: the next set-up to start sleeps this long (milliseconds)
/// before running, so a test can fork while it is running.
static SLOW_NEXT_SET_UP_MS: AtomicU32 = AtomicU32::new(0);
/// Set while that slow set-up sleeps.
static SLOW_SET_UP_RUNNING: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Test hook: makes the next one-time set-up (of any `ForkOnce`) that starts
/// sleep `millis` after it is marked running.
#[doc(hidden)]
pub fn slow_next_set_up_for_tests(millis: u32) {
    SLOW_NEXT_SET_UP_MS.store(millis, Ordering::SeqCst);
}

/// Test hook: whether the slowed set-up is sleeping now.
#[doc(hidden)]
pub fn slow_set_up_running_for_tests() -> bool {
    SLOW_SET_UP_RUNNING.load(Ordering::SeqCst)
}

// SAFETY: as std's OnceLock: the value is written once, by the one thread
// that won the busy mark, and only shared (`&T`) after READY is published.
unsafe impl<T: Send + Sync> Sync for ForkOnce<T> {}
// SAFETY: moving the cell moves the value.
unsafe impl<T: Send> Send for ForkOnce<T> {}

// As std's OnceLock: a panicking set-up leaves the cell empty, never half set.
impl<T: std::panic::RefUnwindSafe + std::panic::UnwindSafe> std::panic::RefUnwindSafe
    for ForkOnce<T>
{
}
impl<T: std::panic::UnwindSafe> std::panic::UnwindSafe for ForkOnce<T> {}

impl<T> Default for ForkOnce<T> {
    fn default() -> Self {
        ForkOnce::new()
    }
}

impl<T> ForkOnce<T> {
    pub const fn new() -> ForkOnce<T> {
        ForkOnce {
            state: AtomicU32::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, once set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY is stored (release) after the value was written,
            // and the value is never written again.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The value, running `init` first if no thread of this process has.
    #[inline]
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        match self.get() {
            Some(value) => value,
            None => self.initialize(init),
        }
    }

    /// Sets the value unless it is set already (then gives `value` back).
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    #[cold]
    fn initialize(&self, init: impl FnOnce() -> T) -> &T {
        let mine = loop {
            let state = self.state.load(Ordering::Acquire);
            if state == READY {
                return self.ready();
            }
            if state == EMPTY || orphaned(state) {
                let mark = busy(RUNNING);
                if self
                    .state
                    .compare_exchange(state, mark, Ordering::Acquire, Ordering::Acquire)
                    .is_ok()
                {
                    break mark;
                }
                continue;
            }
            futex(
                &self.state,
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                state,
            );
        };
        let value = {
            // A panicking set-up leaves the cell empty for the next caller.
            let reset = Unmark(&self.state, mine);
            let ms = SLOW_NEXT_SET_UP_MS.swap(0, Ordering::SeqCst);
            if ms > 0 {
                SLOW_SET_UP_RUNNING.store(true, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(u64::from(ms)));
                SLOW_SET_UP_RUNNING.store(false, Ordering::SeqCst);
            }
            let value = init();
            std::mem::forget(reset);
            value
        };
        self.publish(mine, value)
    }

    /// Stores `value` if the cell is still marked `mine` (or its mark was
    /// orphaned, or it was emptied, by a fork or a panic); otherwise drops it
    /// and returns the value stored by whoever took the set-up over.
    fn publish(&self, mine: u32, value: T) -> &T {
        loop {
            let state = self.state.load(Ordering::Acquire);
            if state == READY {
                return self.ready();
            }
            if state == mine || state == EMPTY || orphaned(state) {
                if self
                    .state
                    .compare_exchange(state, busy(WRITING), Ordering::Acquire, Ordering::Acquire)
                    .is_err()
                {
                    continue;
                }
                // SAFETY: the WRITING mark gives this thread sole access;
                // nothing reads the value before READY. A value half-written
                // by an ancestor's vanished thread is overwritten, not dropped.
                unsafe { (*self.value.get()).write(value) };
                self.state.store(READY, Ordering::Release);
                futex(
                    &self.state,
                    libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                    i32::MAX as u32,
                );
                return self.ready();
            }
            futex(
                &self.state,
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                state,
            );
        }
    }

    fn ready(&self) -> &T {
        self.get().expect("ready")
    }
}

impl<T> Drop for ForkOnce<T> {
    fn drop(&mut self) {
        if *self.state.get_mut() == READY {
            // SAFETY: READY: the value was written, and this is its last use.
            unsafe { self.value.get_mut().assume_init_drop() };
        }
    }
}

/// Unwind guard of a running set-up: back to EMPTY, waking the waiters.
struct Unmark<'a>(&'a AtomicU32, u32);

impl Drop for Unmark<'_> {
    fn drop(&mut self) {
        if self
            .0
            .compare_exchange(self.1, EMPTY, Ordering::Release, Ordering::Relaxed)
            .is_ok()
        {
            futex(
                self.0,
                libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                i32::MAX as u32,
            );
        }
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the mutex.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes() {
        let lock = Lock::new(1);
        {
            let mut g = lock.lock();
            *g += 1;
            assert!(lock.try_lock().is_none());
            // A failed try_lock must not release the holder's lock.
            assert!(lock.try_lock().is_none());
        }
        assert_eq!(*lock.lock(), 2);
        let held = lock.lock();
        std::mem::forget(held);
        assert!(!lock.held_at_fork(), "held by this process");
    }

    /// A lock word as a thread of the parent process leaves it: held under
    /// the previous generation, perhaps with waiters of that process.
    fn stale(contended: bool) -> u32 {
        let generation = GENERATION.load(Ordering::Relaxed).wrapping_sub(1);
        generation.wrapping_shl(2) | LOCKED | if contended { CONTENDED } else { 0 }
    }

    #[test]
    fn lock_taken_over_from_an_ancestor_process() {
        for contended in [false, true] {
            let lock = Lock::new(0);
            lock.state.store(stale(contended), Ordering::SeqCst);
            assert!(lock.held_at_fork());
            *lock.lock() += 1;
            assert!(!lock.held_at_fork());
            assert_eq!(*lock.lock(), 1);
            lock.state.store(stale(contended), Ordering::SeqCst);
            assert!(lock.try_lock().is_some(), "try_lock takes it over too");
            assert_eq!(lock.state.load(Ordering::SeqCst), UNLOCKED);
        }
        // Held under this generation (by a live thread): waited for.
        let lock = Lock::new(0);
        let held = lock.lock();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| *lock.lock() + 1);
            std::thread::sleep(std::time::Duration::from_millis(30));
            assert!(!waiter.is_finished());
            assert!(lock.try_lock().is_none());
            drop(held);
            assert_eq!(waiter.join().expect("waiter"), 1);
        });
    }

    #[test]
    fn contended_lock_loses_no_update() {
        // Enough threads and rounds that some must sleep in the kernel.
        let lock = Lock::new(0u64);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..100_000 {
                        let mut g = lock.lock();
                        *g += 1;
                        if (*g).is_multiple_of(1000) {
                            std::thread::yield_now();
                        }
                    }
                });
            }
        });
        assert_eq!(*lock.lock(), 400_000);
    }

    #[test]
    fn once_runs_one_set_up_for_all_threads() {
        let runs = AtomicU32::new(0);
        let cell = ForkOnce::new();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let v = cell.get_or_init(|| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        String::from("set")
                    });
                    assert_eq!(v, "set");
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(cell.set(String::from("again")), Err(String::from("again")));
        let empty = ForkOnce::new();
        assert_eq!(empty.get(), None);
        assert_eq!(empty.set(7), Ok(()));
        assert_eq!(empty.get(), Some(&7));
    }

    #[test]
    fn once_left_empty_by_a_panicking_set_up() {
        let cell: ForkOnce<u32> = ForkOnce::new();
        let failed = std::panic::catch_unwind(|| *cell.get_or_init(|| panic!("set-up fails")));
        assert!(failed.is_err());
        assert_eq!(cell.get(), None);
        assert_eq!(*cell.get_or_init(|| 5), 5);
    }

    #[test]
    fn once_taken_over_from_an_ancestor_process() {
        // A running mark of an older generation, as a fork child finds the
        // set-up a vanished parent thread was running: taken over, not waited for.
        let cell: ForkOnce<u32> = ForkOnce::new();
        let stale = stale(false) & GENERATION_BITS;
        for kind in [RUNNING, WRITING] {
            let fresh = ForkOnce::new();
            fresh.state.store(stale | kind, Ordering::SeqCst);
            assert_eq!(*fresh.get_or_init(|| kind), kind);
        }
        // A mark of this generation is waited for (it is set by a live thread).
        cell.state.store(busy(RUNNING), Ordering::SeqCst);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| *cell.get_or_init(|| 1));
            std::thread::sleep(std::time::Duration::from_millis(30));
            assert!(!waiter.is_finished());
            // The "live thread" finishes.
            cell.publish(busy(RUNNING), 2);
            assert_eq!(waiter.join().expect("waiter"), 2);
        });
    }

    #[test]
    fn once_drops_its_value() {
        let value = std::sync::Arc::new(());
        let cell = ForkOnce::new();
        cell.get_or_init(|| value.clone());
        assert_eq!(std::sync::Arc::strong_count(&value), 2);
        drop(cell);
        assert_eq!(std::sync::Arc::strong_count(&value), 1);
    }
}
