//! The INI reader against CPython's configparser as fileConfig uses it
//! (tests/oracle/ini_oracle.py): a seeded batch of generated texts —
//! headers, `=`/`:` options, continuation lines, blank and comment lines,
//! unusual whitespace, CRLF/CR line ends, duplicates, `%(x)s` references —
//! must give the same sections, options, raw values and interpolated values
//! (or the same error) on both sides.
//!
//! `SAWMILL_INI_SEED` / `SAWMILL_INI_CASES` change the seed (default
//! 20261203) and the number of texts (default 1,000).

use sawmill::config::ini::Ini;
use serde_json::{json, Value as Json};

mod common;

/// The oracle's shape for sawmill's reading of `text`.
fn ours(text: &str) -> Json {
    let ini = match Ini::parse(text) {
        Ok(ini) => ini,
        Err(e) => return json!({ "error": e.kind() }),
    };
    let defaults: Vec<Json> = ini
        .options("DEFAULT")
        .expect("DEFAULT")
        .into_iter()
        .map(|o| json!([o, ini.get_raw("DEFAULT", o)]))
        .collect();
    let sections: Vec<Json> = ini
        .sections()
        .map(|s| {
            let opts: Vec<Json> = ini
                .options(s)
                .expect("section")
                .into_iter()
                .map(|o| {
                    let value = match ini.get(s, o) {
                        Ok(v) => json!(v),
                        Err(e) => json!({ "error": e.kind() }),
                    };
                    json!([o, ini.get_raw(s, o), value])
                })
                .collect();
            json!([s, opts])
        })
        .collect();
    json!({ "defaults": defaults, "sections": sections })
}

#[test]
fn ini_matches_configparser() {
    let cases = common::oracle_cases("ini_oracle.py", "SAWMILL_INI", 1000);
    let (mut read, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for mut case in cases.iter().cloned() {
        let Json::Object(map) = &mut case else {
            panic!("case")
        };
        let text = map.remove("text").expect("text");
        let text = text.as_str().expect("text");
        let expected = Json::Object(map.clone());
        let got = ours(text);
        if got != expected {
            failures.push(format!("{text:?}:\n  sawmill {got}\n  CPython {expected}"));
        } else if expected.get("error").is_some() {
            refused += 1;
        } else {
            read += 1;
        }
    }
    eprintln!(
        "INI differential: {} texts, {read} read alike, {refused} refused alike",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(read > cases.len() / 5 && refused > cases.len() / 10);
}
