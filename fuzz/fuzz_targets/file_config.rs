//! fileConfig's INI path: any text is read by the configparser-dialect
//! reader and translated into the dictConfig document; either a document
//! comes out (an object with version 1 and the four sections) or an error
//! with a message. A document that comes out then goes through dictConfig's
//! plan and build in check-only mode (nothing opened, bound or changed),
//! with the config server's remote trust: refused or accepted, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::config::dict::apply_value;
use sawmill::config::file::translate;
use sawmill::config::{ApplyOptions, Trust};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let disable = data.first().is_some_and(|b| b & 1 == 1);
    match translate(text, disable) {
        Ok(doc) => {
            assert_eq!(doc["version"], 1);
            for key in ["formatters", "handlers", "loggers", "root"] {
                assert!(doc[key].is_object(), "{key}");
            }
            assert_eq!(doc["disable_existing_loggers"], disable);
            let options = ApplyOptions {
                trust: Trust::Remote,
                check_only: true,
            };
            if let Err(e) = apply_value(&doc, options) {
                assert!(!e.0.is_empty());
            }
        }
        Err(e) => assert!(!e.0.is_empty()),
    }
});
