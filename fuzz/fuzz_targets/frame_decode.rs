//! frame_decode: untrusted network bytes through the receiver's decoders.
//! The first byte picks the path: a frame body (pickle or JSON, as
//! `decode_record` sniffs it), a datagram (length prefix checked), or a
//! stream of frames. Nothing may panic, run away in memory, or recurse
//! deeply; a record that decodes must survive a round trip through
//! sawmill's own pickle and JSON encoders unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sawmill::net::{decode_record, frame, pickle, Encoding};

fn round_trip(record: &sawmill::Record<'_>) {
    for encoding in [Encoding::Pickle, Encoding::Json] {
        let mut body = Vec::new();
        sawmill::net::encode_record(record, encoding, &mut body);
        let again = decode_record(&body)
            .unwrap_or_else(|e| panic!("{encoding:?} of a decoded record refused: {e}"));
        assert_eq!(again.name, record.name);
        assert_eq!(again.message, record.message);
        assert_eq!(again.levelno, record.levelno);
        assert_eq!(again.thread, record.thread);
        assert_eq!(again.exc_text, record.exc_text);
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
            let _ = pickle::decode(rest);
        }
    }
});
