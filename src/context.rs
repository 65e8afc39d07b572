//! Thread context (the MDC of log4j/log4cxx): key/values set on the current
//! thread that every record handled on that thread carries as extras until
//! they are removed.
//!
//! Entries form a per-thread stack. `push` returns a token; `pop` removes
//! the entry of that token (any order, a token of another thread is not
//! found); `scope` pops on drop. When one key was pushed twice the newer
//! entry wins until popped. A record's own extras win over the context (a
//! key given on the log call is kept), and the context is merged when the
//! logger handles the record, so the logger's filters already see it.
//!
//! Cost when unused: none. `Logger::handle` already reads a per-thread
//! state byte (its re-entrancy bit); a second bit of it says this thread's
//! context holds entries, so a thread without one pays nothing more.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::record::{Record, Value};

/// Set by the first `push` of any thread; never cleared. The queue's
/// deferred path reads it: a logger is eligible only while no thread has
/// ever set a context (the listener thread could not merge the caller's).
static EVER_USED: AtomicBool = AtomicBool::new(false);

/// Tokens are unique in the process, so a token of another thread is never
/// mistaken for one of this thread.
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

struct Entry {
    token: u64,
    key: String,
    value: Value<'static>,
}

#[derive(Default)]
struct Stack {
    entries: Vec<Entry>,
}

thread_local! {
    static STACK: RefCell<Stack> = RefCell::new(Stack::default());
}

/// Identifies one pushed entry on the thread that pushed it. Never 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token(pub u64);

/// Pushes `key` = `value` on this thread's context; returns its token.
pub fn push(key: impl Into<String>, value: Value<'_>) -> Token {
    let entry_key = key.into();
    let value = value.into_owned();
    if !EVER_USED.swap(true, Ordering::Relaxed) {
        crate::logger::config_changed();
    }
    let token = STACK.with(|s| {
        let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        s.borrow_mut().entries.push(Entry {
            token,
            key: entry_key,
            value,
        });
        Token(token)
    });
    crate::logger::set_thread_has_context(true);
    token
}

/// Removes the entry of `token` from this thread's context; false when this
/// thread holds no such entry (already popped, or pushed by another thread).
pub fn pop(token: Token) -> bool {
    STACK
        .try_with(|s| {
            let mut s = s.borrow_mut();
            match s.entries.iter().rposition(|e| e.token == token.0) {
                Some(i) => {
                    s.entries.remove(i);
                    if s.entries.is_empty() {
                        crate::logger::set_thread_has_context(false);
                    }
                    true
                }
                None => false,
            }
        })
        .unwrap_or(false)
}

/// Removes every entry of this thread's context.
pub fn clear() {
    let _ = STACK.try_with(|s| s.borrow_mut().entries.clear());
    crate::logger::set_thread_has_context(false);
}

/// This thread's context as (key, value) pairs, the newest entry of each
/// key only, oldest first.
pub fn snapshot() -> Vec<(String, Value<'static>)> {
    STACK
        .try_with(|s| {
            let s = s.borrow();
            let mut out: Vec<(String, Value<'static>)> = Vec::new();
            for e in s.entries.iter().rev() {
                if !out.iter().any(|(k, _)| *k == e.key) {
                    out.push((e.key.clone(), e.value.clone()));
                }
            }
            out.reverse();
            out
        })
        .unwrap_or_default()
}

/// An entry popped when dropped (pop on the thread that pushed it).
#[must_use = "the entry is popped when the scope is dropped"]
pub struct Scope {
    token: Token,
    // A scope belongs to its thread.
    _not_send: std::marker::PhantomData<*const ()>,
}

/// Pushes `key` = `value` until the returned scope is dropped.
pub fn scope(key: impl Into<String>, value: Value<'_>) -> Scope {
    Scope {
        token: push(key, value),
        _not_send: std::marker::PhantomData,
    }
}

impl Scope {
    pub fn token(&self) -> Token {
        self.token
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        pop(self.token);
    }
}

/// True once any thread has pushed a context entry.
#[inline(always)]
pub(crate) fn ever_used() -> bool {
    EVER_USED.load(Ordering::Relaxed)
}

/// Adds this thread's context to `record` as extras; keys the record already
/// holds are kept. Called by `Logger::handle` on a thread whose context
/// holds entries; out of line and cold.
#[cold]
#[inline(never)]
pub(crate) fn apply(record: &mut Record<'_>) {
    let _ = STACK.try_with(|s| {
        let s = s.borrow();
        let before = record.extras.len();
        for e in s.entries.iter().rev() {
            if record.extras.iter().any(|(k, _)| *k == e.key) {
                continue;
            }
            record
                .extras
                .push((Cow::Owned(e.key.clone()), e.value.clone()));
        }
        // Newest first was walked; keep the context's own order (oldest
        // first) after the call's extras.
        record.extras[before..].reverse();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_pop_shadow_and_order() {
        let a = push("user", Value::Str("alice".into()));
        let b = push("req", Value::Int(7));
        let c = push("user", Value::Str("bob".into()));
        let snap = snapshot();
        assert_eq!(
            snap,
            vec![
                ("req".to_owned(), Value::Int(7)),
                ("user".to_owned(), Value::Str("bob".into()))
            ]
        );
        assert!(pop(c));
        assert!(!pop(c));
        assert_eq!(
            snapshot()[0],
            ("user".to_owned(), Value::Str("alice".into()))
        );
        assert!(pop(a));
        assert!(pop(b));
        assert!(snapshot().is_empty());
    }

    #[test]
    fn call_key_wins_and_scope_pops() {
        let _s = scope("ip", Value::Str("1.2.3.4".into()));
        {
            let _t = scope("user", Value::Str("x".into()));
            let mut r = Record::new("a", 20, None, 0, None, Cow::Borrowed("m"));
            r.set_extra("ip", Value::Str("call".into()));
            apply(&mut r);
            assert_eq!(r.extra("ip"), Some(&Value::Str("call".into())));
            assert_eq!(r.extra("user"), Some(&Value::Str("x".into())));
        }
        assert_eq!(snapshot().len(), 1);
    }

    #[test]
    fn token_of_another_thread_is_not_found() {
        let t = push("k", Value::Bool(true));
        assert!(!std::thread::spawn(move || pop(t)).join().unwrap());
        assert!(pop(t));
    }
}
