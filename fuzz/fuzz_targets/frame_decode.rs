//! frame_decode: untrusted network bytes through the receiver's decoders.
//! The first byte picks the path: a frame body (pickle or JSON, as
//! `decode_record` sniffs it), a datagram (length prefix checked), or a
//! stream of frames. Nothing may panic, run away in memory, or recurse
//! deeply; a record that decodes must survive a round trip through
//! sawmill's own pickle and JSON encoders unchanged; the pickle decoder's
//! flat-dict path must give what its stack machine gives, and the record
//! it builds straight from the bytes what `record_from_dict` builds, with
//! or without the strings a connection repeats (`Repeats`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::net::{
    decode_record, decode_record_at, decode_record_by_machine, decode_record_repeating, frame,
    pickle, Encoding, Repeats,
};
use sawmill::record::AttrRef;

/// What a format would see for `key` (an extra shadows the standard
/// attribute of its name); non-finite floats are left out (JSON has none).
fn seen(record: &sawmill::Record<'_>, key: &str) -> Option<String> {
    match record.lookup(key)? {
        AttrRef::Float(f) if !f.is_finite() => None,
        other => Some(format!("{other:?}")),
    }
}

fn round_trip(record: &sawmill::Record<'_>) {
    for encoding in [Encoding::Pickle, Encoding::Json] {
        let mut body = Vec::new();
        sawmill::net::encode_record(record, encoding, &mut body);
        let again = decode_record(&body)
            .unwrap_or_else(|e| panic!("{encoding:?} of a decoded record refused: {e}"));
        for key in ["name", "msg", "levelno", "thread", "exc_text", "lineno"] {
            if let (Some(before), Some(after)) = (seen(record, key), seen(&again, key)) {
                assert_eq!(before, after, "{encoding:?}: {key}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => {
            if let Ok(record) = decode_record(rest) {
                round_trip(&record);
            }
        }
        1 => {
            if let Ok(body) = frame::datagram_body(rest, frame::DEFAULT_MAX_FRAME) {
                let _ = decode_record(body);
            }
        }
        2 => {
            let mut input = rest;
            let mut body = Vec::new();
            while let Ok(frame::Read1::Frame) = frame::read_frame(&mut input, &mut body, 1 << 16) {
                let _ = decode_record(&body);
            }
        }
        _ => {
            // The flat-dict path must agree with the stack machine
            // wherever it accepts (Debug text: NaN equals itself there),
            // as values and as the record built straight from the bytes.
            let decoded = pickle::decode(rest);
            let by_machine = pickle::decode_by_machine(&mut Default::default(), rest);
            assert_eq!(format!("{decoded:?}"), format!("{by_machine:?}"));
            let now = || 1.5e9;
            let record = decode_record_at(&mut Default::default(), rest, now);
            let by_machine = decode_record_by_machine(rest, now);
            if rest.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                let expected = format!("{by_machine:?}");
                assert_eq!(format!("{record:?}"), expected);
                // The receiver's way: the strings of the connection's last
                // frame (first none, then this frame's own) reused.
                let mut repeats = Repeats::default();
                let mut scratch = Default::default();
                for _ in 0..2 {
                    let again = decode_record_repeating(&mut scratch, Some(&repeats), rest, now);
                    assert_eq!(format!("{again:?}"), expected);
                    drop(again);
                    repeats.learn(rest);
                }
            }
        }
    }
});
