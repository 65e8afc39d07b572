//! basicConfig from C.

use std::ffi::{c_char, c_int};

use super::formatter::style_from_c;
use super::{optional_str, sawmill_status, status_call, FfiError};
use crate::config::{basic_config, BasicConfig};

/// Python's `basicConfig` arguments. A zeroed struct means "all defaults":
/// `level` 0 leaves the root's level as it is; NULL strings are "not given";
/// `style` 0 is '%'; `stream_fd` 0 means stderr (a stream cannot be given
/// together with `filename`); `force` removes and closes the root's handlers
/// first.
#[repr(C)]
pub struct sawmill_basic_config {
    pub level: c_int,
    pub format: *const c_char,
    pub datefmt: *const c_char,
    pub style: c_char,
    pub filename: *const c_char,
    pub filemode: *const c_char,
    pub stream_fd: c_int,
    pub force: bool,
}

/// Python's `logging.basicConfig(**cfg)`: if the root logger has no handlers
/// (or `force` is set), adds a stream or file handler with the format
/// (default: the style's default, `%(levelname)s:%(name)s:%(message)s`,
/// `{levelname}:{name}:{message}` or `${levelname}:${name}:${message}`) and
/// sets the root's level. As in Python, a root that has handlers (without
/// `force`) makes the call a no-op that checks nothing, `filemode` without
/// `filename` is ignored and an empty `filename` means the stream. NULL
/// `cfg` → all defaults. Otherwise everything is validated, and the file
/// opened, before anything changes (with `force` too: on failure the old
/// handlers stay): bad format/style/mode or unopenable file →
/// SAWMILL_ERR_CONFIG, invalid UTF-8 → SAWMILL_ERR_INVALID_UTF8; `force`
/// from inside a handler's emit or flush callback →
/// SAWMILL_ERR_WOULD_DEADLOCK. Strings are copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_basic_config_apply(
    cfg: *const sawmill_basic_config,
) -> sawmill_status {
    status_call(|| {
        let mut config = BasicConfig::default();
        if !cfg.is_null() {
            // SAFETY: C contract: a valid struct with NUL-terminated strings or NULLs.
            let c = unsafe { &*cfg };
            let text = |p, what| unsafe { optional_str(p, what) }.map(|s| s.map(str::to_owned));
            config.level = (c.level != 0).then_some(c.level);
            config.format = text(c.format, "format")?;
            config.datefmt = text(c.datefmt, "datefmt")?;
            config.style = Some(
                style_from_c(c.style)
                    .map_err(|e| FfiError::new(sawmill_status::SAWMILL_ERR_CONFIG, e.message))?,
            );
            config.filename = text(c.filename, "filename")?.map(Into::into);
            config.filemode = text(c.filemode, "filemode")?;
            config.stream_fd = (c.stream_fd != 0).then_some(c.stream_fd);
            config.force = c.force;
        }
        if config.force {
            // Closing the root's handlers would wait for the lock of one
            // running a callback on this thread.
            super::handler::refuse_in_any_callback("sawmill_basic_config_apply with force")?;
        }
        basic_config(&config).map_err(|e| FfiError::new(sawmill_status::SAWMILL_ERR_CONFIG, e.0))
    })
}
