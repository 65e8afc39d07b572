//! The verbs of the `sawmill` command (src/bin/sawmill.rs), one per file.

pub mod check_config;
//! The `sawmill` command's verbs (src/bin/sawmill.rs dispatches to them).

pub mod receive;
