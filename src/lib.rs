//! sawmill: Python's `logging` model — hierarchical loggers, handlers,
//! formatters, filters, configuration — as a Rust library with a C ABI.
//!
//! The core modules are safe Rust and know nothing of C; `ffi` is the only
//! place with `extern "C"` and raw pointers.

pub mod adapter;
pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod filter;
pub mod fork;
pub mod format;
pub mod handler;
pub mod level;
pub mod logger;
pub mod logging_context;
pub mod manager;
pub mod net;
pub mod record;
pub mod sync;
pub mod unchecked;

pub mod ffi;

pub use filter::{Filter, FnFilter, NameFilter};
pub use format::{FormatError, Formatter, Style};
pub use handler::Handler;
pub use level::{CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING};
pub use logger::Logger;
pub use manager::{get_logger, root, shutdown};
pub use record::{Record, Value};

/// Runs when the library is loaded: fixes the start time that
/// `relativeCreated` counts from, as Python does at import, and makes the
/// library fork-safe.
extern "C" fn on_load() {
    let _ = clock::start_time();
    fork::install();
    ffi::install();
}

#[used]
#[link_section = ".init_array"]
static ON_LOAD: extern "C" fn() = on_load;
