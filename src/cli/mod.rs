//! The verbs of the `sawmill` command (src/bin/sawmill.rs dispatches to them), one per file.

pub mod check_config;
pub mod receive;
