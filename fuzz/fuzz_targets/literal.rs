//! fileConfig's args/kwargs literal parser: any text either reads or is
//! refused with a message; never a panic, never more than the bounded
//! depth. A value that reads prints back (Debug) without trouble, and the
//! same text reads the same way twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::config::literal::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(v) => {
            assert!(text.len() <= 64 * 1024);
            let again = parse(text).expect("deterministic");
            // NaN never equals itself: compare the printed forms.
            assert_eq!(format!("{v:?}"), format!("{again:?}"));
        }
        Err(e) => assert!(!e.message.is_empty() && e.offset <= text.len()),
    }
});
