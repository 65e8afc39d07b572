//! `Lock`: a mutex that can be re-initialised in a fork child.
//!
//! A lock held by another thread when the process forks stays held forever
//! in the child. This one is a single futex word, so the child can simply
//! set it back to "unlocked" (parking_lot's cannot be reset: unlocking it
//! hands the lock to a parked thread that does not exist in the child).
//!
//! It spins briefly before sleeping: the logging path holds it for a copy of
//! one record, far shorter than the two system calls (futex wait and wake)
//! that sleeping costs both threads.

use std::cell::UnsafeCell;
use std::ffi::c_char;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
/// Locked, and a thread may be asleep waiting for it.
const CONTENDED: u32 = 2;
/// Polls of a held lock before the thread sleeps.
const SPINS: u32 = 200;

/// glibc's `__libc_single_threaded` (2.32 and later), looked up at run time
/// so older C libraries still load the library: nonzero while the process
/// has never had a second thread. (A fork child counts as single-threaded.)
/// Then no other thread can hold or wait for a lock, and taking one needs no
/// atomic read-modify-write, as glibc's own stdio locks do.
pub(crate) fn single_threaded() -> bool {
    static NEVER: c_char = 0;
    static FLAG: AtomicPtr<c_char> = AtomicPtr::new(std::ptr::null_mut());
    let mut flag = FLAG.load(Ordering::Relaxed);
    if flag.is_null() {
        // SAFETY: dlsym with a NUL-terminated name; the result is a pointer
        // to glibc's flag byte or null. Racing look-ups store the same value.
        let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"__libc_single_threaded".as_ptr()) };
        flag = if found.is_null() {
            &NEVER as *const c_char as *mut c_char
        } else {
            found.cast()
        };
        FLAG.store(flag, Ordering::Relaxed);
    }
    // SAFETY: a live byte for the process lifetime. It is written only by a
    // thread about to create the process's second thread, so while it reads
    // nonzero no other thread exists to write it.
    unsafe { flag.read_volatile() != 0 }
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
        // A lock found held while single-threaded is held by this very thread
        // (a re-entrant call): the general path below treats it as before.
        if single_threaded() && self.state.load(Ordering::Relaxed) == UNLOCKED {
            self.state.store(LOCKED, Ordering::Relaxed);
            return LockGuard { lock: self };
        }
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        LockGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self) {
        for _ in 0..SPINS {
            let state = self.state.load(Ordering::Relaxed);
            if state == UNLOCKED
                && self
                    .state
                    .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                return;
            }
            if state == CONTENDED {
                break;
            }
            std::hint::spin_loop();
        }
        // From here on the lock is taken as CONTENDED, so its holder's unlock
        // wakes whoever sleeps next.
        while self.state.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
            futex(
                &self.state,
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                CONTENDED,
            );
        }
    }

    pub fn try_lock(&self) -> Option<LockGuard<'_, T>> {
        self.state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| LockGuard { lock: self })
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// In a fork child only: the lock becomes unlocked whatever its state.
    /// Sound there because the child has a single thread and any holder in
    /// the parent does not exist in the child. Returns whether it was held:
    /// the data it guards may then be half-updated.
    pub fn reinit_after_fork(&self) -> bool {
        self.state.swap(UNLOCKED, Ordering::AcqRel) != UNLOCKED
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
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
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
    fn excludes_and_reinitialises() {
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
        assert!(lock.reinit_after_fork(), "it was held");
        assert!(lock.try_lock().is_some());
        assert!(!lock.reinit_after_fork(), "it was free");
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
}
