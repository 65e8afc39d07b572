//! The `%` style: parse a fuzzed format; when it is accepted, format a
//! record drawn from the rest of the input (see sawmill_fuzz::check_format).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::Style;

fuzz_target!(|data: &[u8]| sawmill_fuzz::fuzz_style(Style::Percent, data));
