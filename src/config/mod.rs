//! Configuration entry points: basicConfig now; dictConfig and friends later.

mod basic;
pub mod file;
pub mod ini;
pub mod literal;

pub(crate) use basic::reset_locks_after_fork;
pub use basic::{basic_config, default_format, BasicConfig, BASIC_FORMAT};

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
