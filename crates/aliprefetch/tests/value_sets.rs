//! `tests/value_sets.json` is the core's value sets, which the Python and TypeScript declarations are checked
//! against. `UPDATE_VALUE_SETS=1 cargo test --test value_sets` writes it after a change to the core.

use std::path::PathBuf;

#[test]
fn the_committed_value_sets_are_the_cores() {
    let sets: serde_json::Map<String, serde_json::Value> =
        aliprefetch::value_sets().into_iter().map(|(name, members)| (name.to_owned(), members.into())).collect();
    let text = format!("{}\n", serde_json::to_string_pretty(&sets).unwrap());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/value_sets.json");
    if std::env::var_os("UPDATE_VALUE_SETS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(committed, text, "tests/value_sets.json is stale: run UPDATE_VALUE_SETS=1 cargo test --test value_sets");
}
