//! The INI reader against CPython's configparser as fileConfig uses it
//! (tests/oracle/ini_oracle.py): a seeded batch of generated texts —
//! headers, `=`/`:` options, continuation lines, blank and comment lines,
//! unusual whitespace, CRLF/CR line ends, duplicates, `%(x)s` references —
//! must give the same sections, options, raw values and interpolated values
//! (or the same error) on both sides.
//!
//! `SAWMILL_INI_SEED` / `SAWMILL_INI_CASES` change the seed (default
//! 20261203) and the number of texts (default 1,000).

use std::path::PathBuf;
use std::process::Command;

use sawmill::config::ini::Ini;
use serde_json::{json, Value as Json};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

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
    let seed = env_or("SAWMILL_INI_SEED", 20261203);
    let count = env_or("SAWMILL_INI_CASES", 1000);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/ini_oracle.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(seed.to_string())
        .arg(count.to_string())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: Vec<Json> = serde_json::from_slice(&out.stdout).expect("oracle JSON");
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
