//! dictConfig against CPython 3.11 (`python3`): every case of
//! tests/data/dict_cases.json runs its steps (write files, create loggers,
//! apply configurations, log) in a fresh CPython process
//! (tests/data/dict_driver.py) and in a fresh sawmill process (this test
//! binary re-run as `child`); both must accept and refuse the same
//! configurations and leave the same bytes on stdout, stderr and in every
//! file. Cases marked `stricter` are ones CPython accepts and sawmill
//! refuses on purpose (the reason is in the case); for them only that is
//! checked; cases marked `extension` use a sawmill-only key that CPython
//! refuses and sawmill takes; cases marked `outcome_only` are refused by both, but CPython
//! had already changed part of its configuration (sawmill is atomic), so
//! only the refusal is compared. Formatter `defaults` follows CPython 3.12 (the driver passes
//! it the way 3.12 does). Factories named by `()` exist on both sides: the
//! case's `py_prelude` defines them for CPython, `register_factories` here.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value as Json;

use sawmill::config::classes::{as_opt_str, as_str, Entry};
use sawmill::config::factories;
use sawmill::filter::FnFilter;
use sawmill::format::{Formatter, FormatterOptions, Style};
use sawmill::handler::{self, FileMode, FileOptions, Owner};

#[path = "common/config_differential.rs"]
mod config_differential;
use config_differential::Differential;

/// The factories the cases name (the cookbook's recipes 10, 13, 14, 18).
fn register_factories() {
    // Recipe 14's MyFilter: drops messages containing `param`, prefixes the rest.
    factories::register_filter_factory(
        "MyFilter",
        Arc::new(|o: &Entry| {
            let param = o.get("param").map(as_opt_str).transpose()?.flatten();
            let param = param.map(str::to_owned);
            Ok(Arc::new(FnFilter(move |r: &mut sawmill::Record<'_>| {
                let allow = param.as_deref().is_none_or(|p| !r.message.contains(p));
                if allow {
                    r.message = format!("changed: {}", r.message).into();
                }
                allow
            })) as Arc<dyn sawmill::Filter>)
        }),
    );
    // Recipe 10's project.logging.SpecialFilter (foo): drops messages containing foo.
    factories::register_filter_factory(
        "SpecialFilter",
        Arc::new(|o: &Entry| {
            let word = o
                .get("foo")
                .map(as_str)
                .transpose()?
                .unwrap_or("")
                .to_owned();
            Ok(Arc::new(FnFilter(move |r: &mut sawmill::Record<'_>| {
                word.is_empty() || !r.message.contains(&word)
            })) as Arc<dyn sawmill::Filter>)
        }),
    );
    // Recipe 18's UTCFormatter.
    factories::register_formatter_factory(
        "UTCFormatter",
        Arc::new(|o: &Entry| {
            let text = |k: &str| {
                o.get(k)
                    .map(as_opt_str)
                    .transpose()
                    .map(|s| s.flatten().map(str::to_owned))
            };
            let style = match text("style")?.as_deref() {
                None => Style::Percent,
                Some(s) => Style::from_char(s.chars().next().unwrap_or('%')).map_err(|e| e.0)?,
            };
            let options = FormatterOptions {
                format: text("format")?,
                datefmt: text("datefmt")?,
                style,
                utc: true,
                ..FormatterOptions::default()
            };
            Ok(Arc::new(Formatter::with_options(options).map_err(|e| e.0)?))
        }),
    );
    // Recipe 13's owned_file_handler(filename, mode, encoding, owner).
    factories::register_handler_factory(
        "owned_file_handler",
        Arc::new(|o: &Entry| {
            let filename = as_str(o.get("filename").ok_or("filename missing")?)?;
            let mut options = FileOptions::new(filename);
            if let Some(mode) = o.get("mode") {
                options.mode = FileMode::parse(as_str(mode)?)?;
            }
            if let Some(Json::Array(owner)) = o.get("owner") {
                let id = |i: usize, user| {
                    owner
                        .get(i)
                        .and_then(Json::as_str)
                        .and_then(|n| sawmill::handler::file::lookup_id(n, user))
                };
                options.owner = Owner {
                    uid: id(0, true),
                    gid: id(1, false),
                };
            }
            handler::file_handler(options).map_err(|e| e.to_string())
        }),
    );
}

fn apply(config: &Json, _dir: &Path) -> Result<(), String> {
    sawmill::config::dict::apply_value(config, Default::default()).map_err(|e| e.0)
}

const DIFFERENTIAL: Differential = Differential {
    cases: include_str!("data/dict_cases.json"),
    driver: "tests/data/dict_driver.py",
    env: "SAWMILL_DICT",
    config_step: "config",
    apply,
    prepare: register_factories,
};

#[test]
fn child() {
    DIFFERENTIAL.child();
}

#[test]
fn dictconfig_matches_cpython() {
    if DIFFERENTIAL.in_child() {
        return;
    }
    let tally = DIFFERENTIAL.run_all(40);
    eprintln!("dictConfig differential: {tally:?}");
}
