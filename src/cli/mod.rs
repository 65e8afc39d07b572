//! The `sawmill` command's verbs (src/bin/sawmill.rs dispatches to them).

pub mod receive;
