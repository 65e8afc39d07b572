//! CommandHandler (recipe 16: run a program per record) from C.

use std::ffi::c_char;
use std::time::Duration;

use super::handler::{handler_ref, into_c, sawmill_handler};
use super::{check_not_null, optional_str, pointer_call, required_str, FfiError};
use crate::handler::command::{self, CommandOptions};

/// `sawmill.CommandHandler`: runs a program for each record, from the
/// `argc` strings of `argv` (program first; looked up in PATH; never run
/// through a shell). In each argument and in `path` (NULL: none),
/// `{message}` is the formatted record, `{path}` the expanded `path`,
/// `{seq}` 1, 2, … per handler, and any other `{name}` the record's
/// attribute of that name (`{levelname}`, `{lineno}`, an extra); `{{` and
/// `}}` are braces. With `message_on_stdin` the message and a newline are
/// also written to the program's stdin. With `wait` each record waits for
/// its program (recipe 16's way; put a QueueHandler in front to keep the
/// caller fast); otherwise up to `max_concurrent` (0 → 1) run at once and
/// a record waits for a free slot. A program still running after
/// `timeout_ms` (0: no limit) is killed. An exit status other than 0, a
/// kill, or a program that cannot start is a handler error
/// (`sawmill_handler_error_count`) and counted in
/// `sawmill_command_handler_failed_count`. The program's stdout and stderr
/// are discarded. Strings are copied. NULL `argv` or entry → NULL +
/// SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8; no
/// program or a bad placeholder → SAWMILL_ERR_INVALID_ARGUMENT. The caller
/// owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_command_handler_new(
    argv: *const *const c_char,
    argc: usize,
    path: *const c_char,
    message_on_stdin: bool,
    wait: bool,
    timeout_ms: u32,
    max_concurrent: usize,
) -> *mut sawmill_handler {
    pointer_call(|| {
        check_not_null(argv, "argv")?;
        let mut args = Vec::with_capacity(argc);
        for i in 0..argc {
            // SAFETY: C contract: `argv` points at `argc` NUL-terminated strings.
            let arg = unsafe { required_str(*argv.add(i), "argv entry") }?;
            args.push(arg.to_owned());
        }
        // SAFETY: C contract: NUL-terminated string or NULL.
        let path = unsafe { optional_str(path, "path") }?.map(str::to_owned);
        let options = CommandOptions {
            argv: args,
            path,
            message_on_stdin,
            wait,
            timeout: (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms.into())),
            max_concurrent,
        };
        let handler = command::command_handler(options).map_err(FfiError::invalid)?;
        Ok(into_c(handler))
    })
}

/// How many programs of a CommandHandler failed (exit status ≠ 0, killed
/// after the timeout, or not started). 0 for NULL or another kind of
/// handler. Waits while the handler runs a program it waits for.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_command_handler_failed_count(h: *const sawmill_handler) -> u64 {
    super::boundary(
        |_| 0,
        || {
            // SAFETY: checked handle.
            let handler = unsafe { handler_ref(h) }?;
            Ok(command::failed_count(handler).unwrap_or(0))
        },
    )
}
