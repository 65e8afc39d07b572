//! Thread context (MDC) from C: key/values on the calling thread that every
//! record it logs carries as extras until popped. Tokens are `uint64_t`.

use std::ffi::c_char;

use super::record::{extras_from_c, sawmill_extra};
use super::{check_not_null, status_call, FfiError, FfiResult};
use crate::context::{self, Token};

fn push_entries(entry: *const sawmill_extra, token_out: *mut u64) -> FfiResult<()> {
    check_not_null(entry, "entry")?;
    check_not_null(token_out, "token_out")?;
    // SAFETY: `entry` is non-NULL and points at one entry (C contract).
    let mut pairs = unsafe { extras_from_c(entry, 1) }?;
    let Some((key, value)) = pairs.pop() else {
        return Err(FfiError::invalid("entry: no key/value read"));
    };
    let token = context::push(key.into_owned(), value);
    // SAFETY: checked non-NULL; the caller owns the slot.
    unsafe { token_out.write(token.0) };
    Ok(())
}

/// Pushes one typed key/value (`entry->key`, `entry->kind` and its value,
/// copied; a key naming a LogRecord attribute is refused as in
/// `sawmill_log_ex`) on the calling thread's context and writes its token
/// to `*token_out` (written only on success). Until `sawmill_context_pop`
/// of that token, every record handled by a logger on this thread carries
/// it as an extra (a key given on the log call itself wins; of one key
/// pushed twice the newer wins). NULL `entry`/`token_out` →
/// SAWMILL_ERR_NULL_ARGUMENT. Thread-safe: touches only this thread's context.
#[no_mangle]
pub unsafe extern "C" fn sawmill_context_push(
    entry: *const sawmill_extra,
    token_out: *mut u64,
) -> super::sawmill_status {
    status_call(|| push_entries(entry, token_out))
}

/// `sawmill_context_push` of a string value: `key` and `value` copied
/// (invalid UTF-8 in `value` repaired, in `key` refused). NULL `key`,
/// `value` or `token_out` → SAWMILL_ERR_NULL_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_context_push_str(
    key: *const c_char,
    value: *const c_char,
    token_out: *mut u64,
) -> super::sawmill_status {
    status_call(|| {
        check_not_null(key, "key")?;
        check_not_null(value, "value")?;
        let entry = sawmill_extra {
            key,
            kind: super::record::sawmill_value_kind::SAWMILL_VALUE_STR as std::ffi::c_int,
            str_value: value,
            int_value: 0,
            float_value: 0.0,
            bool_value: false,
        };
        push_entries(&entry, token_out)
    })
}

/// Removes the entry of `token` from the calling thread's context (entries
/// may be popped in any order). A token this thread does not hold (popped
/// already, 0, or pushed by another thread) → SAWMILL_ERR_INVALID_ARGUMENT.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_context_pop(token: u64) -> super::sawmill_status {
    status_call(|| {
        if context::pop(Token(token)) {
            Ok(())
        } else {
            Err(FfiError::invalid(format!(
                "context token {token} is not held by this thread"
            )))
        }
    })
}

/// Removes every entry of the calling thread's context. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_context_clear() -> super::sawmill_status {
    status_call(|| {
        context::clear();
        Ok(())
    })
}

/// Number of distinct keys in the calling thread's context. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_context_len() -> usize {
    super::boundary(|_| 0, || Ok(context::snapshot().len()))
}
