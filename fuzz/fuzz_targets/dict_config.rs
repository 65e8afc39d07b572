//! dict_config: a fuzzed JSON document through the whole dictConfig path
//! (parse, cfg:// resolution, planning, building every formatter, filter
//! and handler) in check-only mode, which opens, creates and changes
//! nothing; as a local and as a remote (listener) configuration. Never a
//! crash or a hang; a refusal must name its section. Files named by the
//! input are only checked with access(2).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::config::dict::{apply_json, ApplyOptions};
use sawmill::config::Trust;

const SECTIONS: &[&str] = &[
    "config:",
    "formatter '",
    "filter '",
    "handler '",
    "logger '",
    "root:",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for trust in [Trust::Local, Trust::Remote] {
        let options = ApplyOptions {
            trust,
            check_only: true,
        };
        if let Err(e) = apply_json(text, options) {
            assert!(
                SECTIONS.iter().any(|s| e.0.starts_with(s)),
                "refusal without its section: {}",
                e.0
            );
        }
    }
});
