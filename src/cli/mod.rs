//! The verbs of the `sawmill` command (src/bin/sawmill.rs), one per file.

pub mod check_config;
