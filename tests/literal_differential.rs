//! The args/kwargs literal parser against CPython 3 as the oracle: a seeded
//! batch of generated texts (tests/oracle/literal_oracle.py: valid literals
//! of every form, fileConfig's names, and mutations of them) is read by
//! `ast.literal_eval` (or, for texts with names, by eval in fileConfig's
//! namespace, on texts the generator wrote) and by sawmill. Both must give
//! the same value, or both refuse; where CPython's value is one sawmill
//! refuses by design (integers past 64 bits, bytes, complex, sets, `\N{}`,
//! lone surrogates) sawmill must refuse.
//!
//! `SAWMILL_LITERAL_SEED` / `SAWMILL_LITERAL_CASES` change the seed (default
//! 20261203) and the number of texts (default 1,500).

use sawmill::config::literal::{parse, Literal, StdStream};
use serde_json::{json, Value as Json};

mod common;

fn encode(v: &Literal) -> Json {
    match v {
        Literal::None => json!({"t": "none"}),
        Literal::Bool(b) => json!({"t": "bool", "v": b}),
        Literal::Int(i) => json!({"t": "int", "v": i.to_string()}),
        Literal::Float(f) => json!({"t": "float", "v": f.to_bits().to_string()}),
        Literal::Str(s) => json!({"t": "str", "v": s}),
        Literal::Tuple(items) => {
            json!({"t": "tuple", "v": items.iter().map(encode).collect::<Vec<_>>()})
        }
        Literal::List(items) => {
            json!({"t": "list", "v": items.iter().map(encode).collect::<Vec<_>>()})
        }
        Literal::Dict(items) => json!({"t": "dict", "v": items
            .iter()
            .map(|(k, v)| json!([encode(k), encode(v)]))
            .collect::<Vec<_>>()}),
        Literal::Stream(StdStream::Stdout) => json!({"t": "stream", "v": "stdout"}),
        Literal::Stream(StdStream::Stderr) => json!({"t": "stream", "v": "stderr"}),
    }
}

#[test]
fn literals_match_cpython() {
    let cases = common::oracle_cases("literal_oracle.py", "SAWMILL_LITERAL", 1500);
    let (mut accepted, mut refused, mut departures) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().expect("text");
        let ours = parse(text);
        let theirs = &case["value"];
        let ok = match (&ours, theirs) {
            (Ok(v), Json::Null) => {
                failures.push(format!("{text:?}: CPython refuses, sawmill reads {v:?}"));
                false
            }
            (Ok(v), expected) => {
                let got = encode(v);
                if &got != expected {
                    failures.push(format!("{text:?}: sawmill {got}, CPython {expected}"));
                }
                accepted += 1;
                true
            }
            (Err(e), Json::Null) => {
                assert!(!e.message.is_empty());
                if case.get("departure").is_some() {
                    departures += 1;
                } else {
                    refused += 1;
                }
                true
            }
            (Err(e), expected) => {
                failures.push(format!(
                    "{text:?}: sawmill refuses ({e}), CPython {expected}"
                ));
                false
            }
        };
        let _ = ok;
    }
    eprintln!(
        "literal differential: {} texts, {accepted} read alike, {refused} refused by both, {departures} refused by sawmill by design",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(accepted > cases.len() / 5 && refused > cases.len() / 10);
}
