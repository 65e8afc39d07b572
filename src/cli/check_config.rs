//! `sawmill check-config FILE`: validates a configuration the way applying
//! it would — a `.json` file as dictConfig, anything else as fileConfig INI
//! — without changing anything, opening any log file or connecting
//! anywhere. Prints `FILE: ok` (exit 0), or the error with its section,
//! entry and key (exit 1); a missing argument exits 2. What a user runs in
//! CI before shipping a configuration.

use std::path::Path;

use crate::config::dict::apply_json;
use crate::config::file::file_config_text;
use crate::config::{ApplyOptions, Trust};

/// Runs the verb; returns the exit status.
pub fn run(args: &[String]) -> i32 {
    let [file] = args else {
        eprintln!("usage: sawmill check-config FILE");
        return 2;
    };
    match check(Path::new(file)) {
        Ok(()) => {
            println!("{file}: ok");
            0
        }
        Err(e) => {
            println!("{file}: {e}");
            1
        }
    }
}

/// Checks one file: Ok, or the first error found.
pub fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let options = ApplyOptions {
        trust: Trust::Local,
        check_only: true,
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let result = if is_json {
        apply_json(&text, options)
    } else {
        if text.is_empty() {
            return Err("an empty file".into());
        }
        file_config_text(&text, true, options)
    };
    result.map_err(|e| e.0)
}
