//! ColorStreamHandler from C: one options struct, zeroed = defaults.

use std::ffi::{c_char, c_int};

use super::handler::{into_c, sawmill_handler};
use super::{pointer_call, required_str, FfiError, FfiResult};
use crate::handler::color::{self, ColorMode, ColorOptions};

/// `sawmill_color_options.mode`.
#[repr(C)]
pub enum sawmill_color_mode {
    /// Colour a terminal, or any stream when FORCE_COLOR is non-empty;
    /// never when NO_COLOR is non-empty.
    SAWMILL_COLOR_AUTO = 0,
    SAWMILL_COLOR_ALWAYS = 1,
    SAWMILL_COLOR_NEVER = 2,
}

/// One level's colour in `sawmill_color_options`.
#[repr(C)]
pub struct sawmill_level_color {
    /// A level name as records carry it ("INFO", a custom level's name).
    pub levelname: *const c_char,
    /// SGR parameters ("31;1") or a full escape sequence; "" = plain.
    pub code: *const c_char,
}

/// `sawmill.ColorStreamHandler` arguments. Zeroed = defaults: stderr,
/// auto mode, spdlog's colours (DEBUG cyan, INFO green, WARNING bold
/// yellow, ERROR bold red, CRITICAL bold on red).
#[repr(C)]
pub struct sawmill_color_options {
    /// Descriptor written to (never closed); 0 = stderr (2).
    pub fd: c_int,
    /// A `sawmill_color_mode`.
    pub mode: c_int,
    /// Colours replacing or adding to the defaults.
    pub colors: *const sawmill_level_color,
    pub colors_len: usize,
}

unsafe fn color_options_from_c(c: &sawmill_color_options) -> FfiResult<ColorOptions> {
    let mut o = ColorOptions::default();
    if c.fd < 0 {
        return Err(FfiError::invalid(format!(
            "invalid file descriptor {}",
            c.fd
        )));
    }
    if c.fd != 0 {
        o.stream.fd = c.fd;
    }
    const AUTO: c_int = sawmill_color_mode::SAWMILL_COLOR_AUTO as c_int;
    const ALWAYS: c_int = sawmill_color_mode::SAWMILL_COLOR_ALWAYS as c_int;
    const NEVER: c_int = sawmill_color_mode::SAWMILL_COLOR_NEVER as c_int;
    o.mode = match c.mode {
        AUTO => ColorMode::Auto,
        ALWAYS => ColorMode::Always,
        NEVER => ColorMode::Never,
        other => return Err(FfiError::invalid(format!("invalid colour mode {other}"))),
    };
    if c.colors_len > 0 {
        if c.colors.is_null() {
            return Err(FfiError::null("colors"));
        }
        // SAFETY: C contract: `colors_len` readable entries.
        let colors = unsafe { std::slice::from_raw_parts(c.colors, c.colors_len) };
        for entry in colors {
            // SAFETY: C contract: NUL-terminated strings.
            let level = unsafe { required_str(entry.levelname, "levelname") }?;
            let code = unsafe { required_str(entry.code, "code") }?;
            o.colors.push((level.to_owned(), code.to_owned()));
        }
    }
    Ok(o)
}

/// `sawmill.ColorStreamHandler`: a StreamHandler that colours each
/// record's level name (the first occurrence in the formatted text, so
/// `%(levelname)-8s` keeps its width; a format without it gets the whole
/// line coloured). Whether to colour is decided now, from `mode`, NO_COLOR,
/// FORCE_COLOR and isatty(fd). NULL `opts` = all defaults. A negative fd,
/// a mode out of range or a malformed colour → NULL +
/// SAWMILL_ERR_INVALID_ARGUMENT; a NULL string inside `colors` (or NULL
/// `colors` with a length) → SAWMILL_ERR_NULL_ARGUMENT. Strings are copied.
/// The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_color_stream_handler_new(
    opts: *const sawmill_color_options,
) -> *mut sawmill_handler {
    pointer_call(|| {
        let options = if opts.is_null() {
            ColorOptions::default()
        } else {
            // SAFETY: C contract: a valid struct.
            unsafe { color_options_from_c(&*opts) }?
        };
        let handler = color::color_stream_handler(options).map_err(FfiError::invalid)?;
        Ok(into_c(handler))
    })
}
