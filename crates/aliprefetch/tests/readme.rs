//! The README's quickstart is the example program, word for word (the README's code runs as a doctest).

#[test]
fn readme_quickstart_is_the_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example = std::fs::read_to_string(format!("{root}/crates/aliprefetch/examples/quickstart.rs")).unwrap();
    let block = format!("```rust\n{example}```");
    assert!(readme.contains(&block), "README's first rust block differs from examples/quickstart.rs");
    assert!(readme.contains("cargo run -p aliprefetch --example quickstart"));
    assert!(readme.contains("./scripts/test"));
}
