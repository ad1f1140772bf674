//! What the generator tests share (`params_decl`, `records_decl`, `value_sets`): writing the files they
//! generate when asked, comparing them otherwise, and formatting generated Rust as `cargo fmt` does.

#![allow(dead_code)] // each generator test uses a part

use std::path::PathBuf;

/// The workspace's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes each `(path under the root, text)` when the environment variable `update` is set; then fails on
/// the first committed file that differs from its text, naming the command that regenerates it.
pub fn write_or_compare(update: &str, test: &str, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = root().join(path);
        if std::env::var_os(update).is_some() {
            std::fs::write(&path, text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            &committed,
            text,
            "{} is stale: run {update}=1 cargo test -p aliprefetch --test {test}",
            path.display()
        );
    }
}

/// `text` as `cargo fmt` leaves it (the workspace's rustfmt.toml), so the committed file passes the format check.
pub fn rustfmt(text: &str) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("rustfmt")
        .args(["--emit", "stdout", "--edition", "2021", "--config-path"])
        .arg(root().join("rustfmt.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("rustfmt (rustup component add rustfmt)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "rustfmt refused the generated code");
    String::from_utf8(out.stdout).unwrap()
}
