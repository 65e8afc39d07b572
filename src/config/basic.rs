//! Python's `logging.basicConfig`.

use std::path::PathBuf;
use std::sync::Arc;

use super::ConfigError;
use crate::format::{Formatter, Style};
use crate::handler::file::FileMode;
use crate::handler::{self, FileOptions};
use crate::manager;

/// Python's `BASIC_FORMAT`.
pub const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

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

/// Python's `basicConfig`: with `force`, first remove and close the root's
/// handlers; then, only if the root has no handlers, add one stream or file
/// handler with the given format and set the root's level.
pub fn basic_config(config: &BasicConfig) -> Result<(), ConfigError> {
    if config.filename.is_some() && config.stream_fd.is_some() {
        return Err(ConfigError(
            "'stream' and 'filename' should not be specified together".into(),
        ));
    }
    if config.filemode.is_some() && config.filename.is_none() {
        return Err(ConfigError("'filemode' given without 'filename'".into()));
    }
    let style = config.style.unwrap_or(Style::Percent);
    // Everything that can fail is built before anything changes.
    let formatter = Formatter::new(
        Some(config.format.as_deref().unwrap_or(BASIC_FORMAT)),
        config.datefmt.as_deref(),
        style,
    )
    .map_err(|e| ConfigError(e.to_string()))?;
    let root = manager::root();
    if config.force {
        for old in root.take_handlers() {
            let _ = old.close();
        }
    }
    if !root.handlers().is_empty() {
        return Ok(());
    }
    let handler = match &config.filename {
        Some(path) => {
            let mut options = FileOptions::new(path);
            options.mode =
                FileMode::parse(config.filemode.as_deref().unwrap_or("a")).map_err(ConfigError)?;
            handler::file_handler(options).map_err(|e| ConfigError(e.to_string()))?
        }
        None => handler::stream_handler(config.stream_fd.unwrap_or(2)),
    };
    handler.set_formatter(Some(Arc::new(formatter)));
    root.add_handler(handler);
    if let Some(level) = config.level {
        root.set_level(level);
    }
    Ok(())
}
