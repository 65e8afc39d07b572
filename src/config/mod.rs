//! Configuration entry points: basicConfig, dictConfig (JSON) and the
//! class registry and factories they build from.

mod basic;
pub mod classes;
pub mod dict;
pub mod factories;
pub mod file;
pub mod ini;
pub mod listener;
pub mod literal;
pub mod net;
pub mod relay_classes;
pub mod syslog;

pub use basic::{basic_config, default_format, BasicConfig, BASIC_FORMAT};
pub use classes::Trust;
pub use dict::{dict_config_file, dict_config_json, handler_by_name, ApplyOptions};

use std::fmt;

/// A configuration that could not be applied; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}
