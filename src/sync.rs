//! `Lock`: a mutex that can be re-initialised in a fork child.
//!
//! A lock held by another thread when the process forks stays held forever
//! in the child. A pthread mutex can simply be initialised again there
//! (parking_lot's cannot: unlocking it hands the lock to a parked thread that
//! does not exist in the child), so the locks the logging path takes are
//! these.

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};

pub struct Lock<T> {
    raw: UnsafeCell<libc::pthread_mutex_t>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex serialises all access to `data`.
unsafe impl<T: Send> Send for Lock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Lock<T> {}

pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
}

impl<T> Lock<T> {
    pub const fn new(value: T) -> Lock<T> {
        Lock {
            raw: UnsafeCell::new(libc::PTHREAD_MUTEX_INITIALIZER),
            data: UnsafeCell::new(value),
        }
    }

    pub fn lock(&self) -> LockGuard<'_, T> {
        // (Measured with two logging threads: spinning on trylock before
        // sleeping, and parking_lot's mutex, were both slower than the plain
        // pthread mutex.)
        // SAFETY: `raw` is an initialised mutex that never moves while locked
        // (a locked Lock is borrowed by its guard).
        let rc = unsafe { libc::pthread_mutex_lock(self.raw.get()) };
        debug_assert_eq!(rc, 0);
        LockGuard { lock: self }
    }

    pub fn try_lock(&self) -> Option<LockGuard<'_, T>> {
        // SAFETY: as in `lock`.
        let rc = unsafe { libc::pthread_mutex_trylock(self.raw.get()) };
        // Not `then_some`: building a guard when the lock was not taken would
        // unlock another thread's hold when it drops.
        if rc == 0 {
            Some(LockGuard { lock: self })
        } else {
            None
        }
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// In a fork child only: the lock becomes unlocked whatever its state.
    /// Sound there because the child has a single thread and any holder in
    /// the parent does not exist in the child.
    pub fn reinit_after_fork(&self) {
        // SAFETY: see above; no guard of this lock exists on this thread
        // (the at-fork handler runs outside any sawmill call).
        unsafe { self.raw.get().write(libc::PTHREAD_MUTEX_INITIALIZER) };
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
        // SAFETY: this guard locked the mutex.
        unsafe { libc::pthread_mutex_unlock(self.lock.raw.get()) };
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
        lock.reinit_after_fork();
        assert!(lock.try_lock().is_some());
    }
}
