//! fileConfig's INI path: any text is read by the configparser-dialect
//! reader and translated into the dictConfig document; either a document
//! comes out (an object with version 1 and the four sections) or an error
//! with a message. Nothing is applied: the apply path has its own target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::config::file::translate;

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
        }
        Err(e) => assert!(!e.0.is_empty()),
    }
});
