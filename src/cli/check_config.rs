//! `sawmill check-config FILE`: validates a configuration the way applying
//! it would — a `.json` file as dictConfig, anything else as fileConfig INI
//! — without changing anything, opening any log file or connecting
//! anywhere. Prints `FILE: ok` (exit 0), or each error with its section,
//! entry and key, one per line (exit 1); a missing argument exits 2. What a
//! user runs in CI before shipping a configuration.
//!
//! Applying stops at the first error, so to find the others the entry an
//! error names is taken out of the document, with every reference to it,
//! and the rest is checked again.

use std::path::Path;

use serde_json::Value as Json;

use crate::config::dict::apply_value;
use crate::config::file::translate;
use crate::config::{ApplyOptions, Trust};

/// Runs the verb; returns the exit status.
pub fn run(args: &[String]) -> i32 {
    let [file] = args else {
        eprintln!("usage: sawmill check-config FILE");
        return 2;
    };
    let errors = check(Path::new(file));
    if errors.is_empty() {
        println!("{file}: ok");
        return 0;
    }
    for e in &errors {
        println!("{file}: {e}");
    }
    1
}

/// Checks one file: every error found (empty: the file is good).
pub fn check(path: &Path) -> Vec<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return vec![format!("cannot read: {e}")],
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let doc = if is_json {
        serde_json::from_str(&text).map_err(|e| format!("config: not valid JSON: {e}"))
    } else if text.is_empty() {
        Err("an empty file".into())
    } else {
        translate(&text, true).map_err(|e| e.0)
    };
    match doc {
        Ok(doc) => every_error(doc),
        Err(e) => vec![e],
    }
}

/// Checks `doc`, and after each error the document without the entry it
/// names, until it passes or an error names no entry.
fn every_error(mut doc: Json) -> Vec<String> {
    let options = ApplyOptions {
        trust: Trust::Local,
        check_only: true,
    };
    let mut errors = Vec::new();
    while let Err(e) = apply_value(&doc, options) {
        let culprit = culprit(&e.0);
        errors.push(e.0);
        match culprit {
            Some((section, name)) if remove_entry(&mut doc, section, &name) => {}
            _ => break,
        }
    }
    errors
}

/// The entry an error message names: `handler 'file': …` → ("handlers", "file").
fn culprit(message: &str) -> Option<(&'static str, String)> {
    if message.starts_with("root:") {
        return Some(("root", String::new()));
    }
    let (kind, rest) = message.split_once(" '")?;
    let section = match kind {
        "formatter" => "formatters",
        "filter" => "filters",
        "handler" => "handlers",
        "logger" => "loggers",
        _ => return None,
    };
    let (name, _) = rest.split_once("': ")?;
    Some((section, name.to_owned()))
}

/// Takes the entry out of `doc` with every reference to it (a handler's
/// formatter, filters, target and handlers; a logger's filters and
/// handlers), so that only independent errors are reported. False if it
/// was not there.
fn remove_entry(doc: &mut Json, section: &str, name: &str) -> bool {
    let Some(top) = doc.as_object_mut() else {
        return false;
    };
    if section == "root" {
        return top.remove("root").is_some();
    }
    let removed = top
        .get_mut(section)
        .and_then(Json::as_object_mut)
        .and_then(|entries| entries.remove(name))
        .is_some();
    if !removed {
        return false;
    }
    let (single, lists): (&[&str], &[&str]) = match section {
        "formatters" => (&["formatter"], &[]),
        "filters" => (&[], &["filters"]),
        _ => (&["target"], &["handlers"]),
    };
    let mut users: Vec<&mut Json> = Vec::new();
    for (key, value) in top.iter_mut() {
        match key.as_str() {
            "handlers" | "loggers" => {
                if let Some(entries) = value.as_object_mut() {
                    users.extend(entries.values_mut());
                }
            }
            "root" => users.push(value),
            _ => {}
        }
    }
    for user in users.into_iter().filter_map(Json::as_object_mut) {
        for key in single {
            if user.get(*key).and_then(Json::as_str) == Some(name) {
                user.remove(*key);
            }
        }
        for key in lists {
            if let Some(list) = user.get_mut(*key).and_then(Json::as_array_mut) {
                list.retain(|item| item.as_str() != Some(name));
            }
        }
    }
    true
}
