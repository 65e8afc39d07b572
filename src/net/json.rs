//! Records as JSON objects: the dict CPython's `SocketHandler` pickles, as
//! UTF-8 JSON, for receivers that are not Python. serde_json limits nesting
//! (128 levels) and never evaluates anything.

use super::pickle::PValue;
use super::{FrameError, Item};
use crate::record::Record;

/// Appends the JSON object of `record`'s wire dict to `out`.
pub fn encode_record(record: &Record<'_>, out: &mut Vec<u8>) {
    out.push(b'{');
    let mut first = true;
    super::for_each_item(record, |key, item| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, key);
        out.push(b':');
        match item {
            Item::Str(s) => write_str(out, s),
            Item::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            // JSON has no NaN or infinity (Python's json writes names a
            // strict parser refuses): null, as for a missing number.
            Item::Float(f) if !f.is_finite() => out.extend_from_slice(b"null"),
            Item::Float(f) => out.extend_from_slice(crate::format::python_float_repr(f).as_bytes()),
            Item::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Item::None => out.extend_from_slice(b"null"),
        }
    });
    out.push(b'}');
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's string escaping writes into any io::Write.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Decodes a JSON frame into the value model the pickle decoder uses.
/// Lone surrogate escapes (`"\ud800"`) are replaced by U+FFFD rather than
/// failing the frame.
pub fn decode(body: &[u8]) -> Result<PValue<'static>, FrameError> {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) if e.to_string().contains("surrogate") => {
            let text = String::from_utf8_lossy(body);
            let repaired = replace_lone_surrogates(&text);
            serde_json::from_str(&repaired).map_err(|e| FrameError(format!("bad JSON: {e}")))?
        }
        Err(e) => return Err(FrameError(format!("bad JSON: {e}"))),
    };
    Ok(convert(value))
}

/// Replaces every `\uD800`–`\uDFFF` escape that is not part of a valid pair
/// by `\ufffd`.
fn replace_lone_surrogates(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let hex_at = |j: usize| -> Option<u32> {
        let h = text.get(j + 2..j + 6)?;
        if bytes.get(j) == Some(&b'\\') && bytes.get(j + 1) == Some(&b'u') {
            u32::from_str_radix(h, 16).ok()
        } else {
            None
        }
    };
    let mut last = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if let Some(code) = hex_at(i) {
                let high = (0xd800..0xdc00).contains(&code);
                let low = (0xdc00..0xe000).contains(&code);
                if high && hex_at(i + 6).is_some_and(|c| (0xdc00..0xe000).contains(&c)) {
                    i += 12;
                    continue;
                }
                if high || low {
                    out.push_str(&text[last..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    last = i;
                    continue;
                }
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[last.min(text.len())..]);
    out
}

fn convert(value: serde_json::Value) -> PValue<'static> {
    use serde_json::Value as J;
    match value {
        J::Null => PValue::None,
        J::Bool(b) => PValue::Bool(b),
        J::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => PValue::Int(i.into()),
            (None, Some(u)) => PValue::Int(u.into()),
            _ => PValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => PValue::Str(s.into()),
        J::Array(items) => PValue::List(items.into_iter().map(convert).collect()),
        J::Object(map) => PValue::Dict(
            map.into_iter()
                .map(|(k, v)| (PValue::Str(k.into()), convert(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn non_finite_floats_are_written_as_null_and_read_back() {
        let mut record = crate::Record::new("n", 20, None, 0, None, "m".into());
        record.created = f64::NAN;
        record.relative_created = f64::INFINITY;
        let mut out = Vec::new();
        super::encode_record(&record, &mut out);
        let back = crate::net::decode_record(&out).unwrap();
        assert_eq!(back.message, "m");
        assert!(back.created.is_finite());
    }
}
