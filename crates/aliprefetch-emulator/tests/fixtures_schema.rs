//! The fixture format's JSON Schema (`fixtures.schema.json`, generated from the fixture types) against the
//! documents users see: every example in docs/fixtures.md, the demo and example fixtures and the
//! compatibility tests' fixtures validate against it and load; and a mistake is refused by the schema and by
//! the emulator alike, so an editor that checks a file against the schema tells what the emulator would.

use std::path::Path;

use aliprefetch_emulator::Fixtures;
use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema is a valid JSON Schema")
}

/// The ```json blocks of a Markdown file.
fn json_blocks(markdown: &str) -> Vec<String> {
    markdown.split("```json\n").skip(1).filter_map(|b| b.split_once("```").map(|(code, _)| code.to_owned())).collect()
}

#[test]
fn every_documented_and_shipped_fixture_validates_and_loads() {
    let v = validator();
    let mut documents: Vec<(String, String)> = Vec::new();
    for file in [
        "crates/aliprefetch-emulator/fixtures/demo.json",
        "crates/aliprefetch-emulator/fixtures/example.json",
        "tests/compat/fixtures.json",
    ] {
        documents.push((file.to_owned(), std::fs::read_to_string(root().join(file)).unwrap()));
    }
    let docs = std::fs::read_to_string(root().join("docs/fixtures.md")).unwrap();
    let blocks = json_blocks(&docs);
    assert!(blocks.len() >= 4, "docs/fixtures.md has its examples: {}", blocks.len());
    documents.extend(blocks.into_iter().enumerate().map(|(i, b)| (format!("docs/fixtures.md block {i}"), b)));
    for (name, text) in &documents {
        let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let errors: Vec<String> = v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{name} against the schema: {errors:?}");
        Fixtures::from_json(text).unwrap_or_else(|e| panic!("{name} does not load: {e}"));
    }
}

#[test]
fn the_schema_and_the_emulator_refuse_the_same_mistakes() {
    let v = validator();
    let task = |state: &str| json!({"live": {"pull_to_push_tasks": [{"task_id": "t", "region": "cn-shanghai", "state": state}]}});
    let mistakes = [
        json!({"acounts": []}),
        json!({"accounts": [{"access_key_id": "a"}]}),
        json!({"accounts": [{"access_key_id": "a", "access_key_secret": "b", "token": "c"}]}),
        json!({"live": {"preload": {"seconds_to_complete": "soon"}}}),
        json!({"live": {"preload": {"refused_url": ["rtmp://a/b/c"]}}}),
        json!({"live": {"domains": [{"name": "a", "prefetch": true}]}}),
        json!({"faults": {"error_rate": 1.5}}),
        json!({"faults": {"reset_rate": -0.1}}),
        json!({"faults": {"errors": ["Throttled"]}}),
        json!({"quotas": {"SetLiveStreamPreloadTasks": -1}}),
        json!({"now": "yesterday"}),
        json!({"vod": {"media": [{"id": "m"}]}}),
        json!({"sts": {"max_session_duration": "1h"}}),
        task("paused"),
    ];
    for m in &mistakes {
        assert!(!v.is_valid(m), "the schema takes {m}");
        assert!(Fixtures::from_json(&m.to_string()).is_err(), "the emulator takes {m}");
    }
    for fine in [json!({}), json!({"$schema": "https://example.com/s.json"}), task("running")] {
        assert!(v.is_valid(&fine), "the schema refuses {fine}");
        assert!(Fixtures::from_json(&fine.to_string()).is_ok(), "the emulator refuses {fine}");
    }
}
