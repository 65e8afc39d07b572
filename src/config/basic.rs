//! Python's `logging.basicConfig`.

use std::path::PathBuf;
use std::sync::Arc;

use super::ConfigError;
use crate::format::{Formatter, Style};
use crate::handler::file::FileMode;
use crate::handler::{self, FileOptions};
use crate::manager;
use crate::sync::Lock;

/// Python's `BASIC_FORMAT`.
pub const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

/// Python's `_STYLES[style][1]`: the default format of each style.
pub fn default_format(style: Style) -> &'static str {
    match style {
        Style::Percent => BASIC_FORMAT,
        Style::Brace => "{levelname}:{name}:{message}",
        Style::Dollar => "${levelname}:${name}:${message}",
    }
}

/// Python holds the module lock for the whole of basicConfig; two calls
/// racing must not both find the root without handlers.
static BASIC_CONFIG_LOCK: Lock<()> = Lock::new(());

/// basicConfig's keyword arguments; `None` means "not given".
#[derive(Clone, Debug, Default)]
pub struct BasicConfig {
    pub level: Option<i32>,
    pub format: Option<String>,
    pub datefmt: Option<String>,
    pub style: Option<Style>,
    pub filename: Option<PathBuf>,
    pub filemode: Option<String>,
    /// File descriptor of the stream (default stderr); exclusive with `filename`.
    pub stream_fd: Option<i32>,
    pub force: bool,
}

/// Python's `basicConfig`: only if the root has no handlers (or `force` is
/// given) add one stream or file handler with the given format (default: the
/// style's default format) and set the root's level. As in Python, a root
/// that has handlers makes the call do nothing, not even check its
/// arguments; `filemode` without `filename` is ignored, and an empty
/// `filename` means a stream. Unlike Python, a failure changes nothing: the
/// file is opened before `force` removes and closes the root's old handlers.
pub fn basic_config(config: &BasicConfig) -> Result<(), ConfigError> {
    let _serialised = BASIC_CONFIG_LOCK.lock();
    let root = manager::root();
    if !config.force && !root.handlers().is_empty() {
        return Ok(());
    }
    if config.filename.is_some() && config.stream_fd.is_some() {
        return Err(ConfigError(
            "'stream' and 'filename' should not be specified together".into(),
        ));
    }
    let style = config.style.unwrap_or(Style::Percent);
    // Everything that can fail is built before anything changes.
    let formatter = Formatter::new(
        Some(config.format.as_deref().unwrap_or(default_format(style))),
        config.datefmt.as_deref(),
        style,
    )
    .map_err(|e| ConfigError(e.to_string()))?;
    // Python tests the filename's truth: "" logs to the stream.
    let filename = config
        .filename
        .as_ref()
        .filter(|path| !path.as_os_str().is_empty());
    let mode = match filename {
        Some(_) => {
            Some(FileMode::parse(config.filemode.as_deref().unwrap_or("a")).map_err(ConfigError)?)
        }
        None => None,
    };
    if config.force {
        // Bytes the old handlers still buffer go out before a new handler
        // may truncate the same file.
        for old in root.handlers().iter() {
            let _ = old.flush();
        }
    }
    let handler = match (filename, mode) {
        (Some(path), Some(mode)) => {
            let mut options = FileOptions::new(path);
            options.mode = mode;
            handler::file_handler(options)
                .map_err(|e| ConfigError(format!("cannot open {}: {e}", path.display())))?
        }
        _ => handler::stream_handler(config.stream_fd.unwrap_or(2)),
    };
    if config.force {
        for old in root.take_handlers() {
            let _ = old.close();
        }
    }
    handler.set_formatter(Some(Arc::new(formatter)));
    root.add_handler(handler);
    if let Some(level) = config.level {
        root.set_level(level);
    }
    Ok(())
}
