//! docs/configuration.md is generated from the configuration tables: this
//! fails when the committed file drifts; SAWMILL_REGENERATE_DOCS=1 rewrites it.

#[test]
fn configuration_doc_matches_the_tables() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md");
    let want = sawmill::config::classes::configuration_markdown();
    if std::env::var_os("SAWMILL_REGENERATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/configuration.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/configuration.md is stale: run SAWMILL_REGENERATE_DOCS=1 cargo test --test config_docs"
    );
}
