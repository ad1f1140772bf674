//! `tests/record_keys.json` is the keys of every core record, in the core's naming and in camelCase (Node,
//! Kotlin, Swift): what each binding's test compares its classes and declarations with, so none shows a field
//! the core lacks or lacks one the core has. `UPDATE_RECORD_KEYS=1 cargo test --test record_keys` writes it
//! after a change to the core.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

#[test]
fn the_committed_record_keys_are_the_cores() {
    let records: Map<String, Value> = aliprefetch::internal::record_keys()
        .into_iter()
        .map(|(name, keys)| {
            let camel: Vec<String> = keys.iter().map(|k| aliprefetch::internal::camel_case(k)).collect();
            (name.to_owned(), json!({ "snake_case": keys, "camelCase": camel }))
        })
        .collect();
    let text = format!("{}\n", serde_json::to_string_pretty(&records).unwrap());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/record_keys.json");
    if std::env::var_os("UPDATE_RECORD_KEYS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, text,
        "tests/record_keys.json is stale: run UPDATE_RECORD_KEYS=1 cargo test --test record_keys"
    );
}
