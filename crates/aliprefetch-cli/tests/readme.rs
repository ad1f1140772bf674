//! The README's first command runs as written and prints what the README shows (up to task ids, the
//! port and timings).

use assert_cmd::cargo::cargo_bin_cmd;

const README: &str = include_str!("../../../README.md");

/// The first fenced block of `lang` after `heading`.
fn block_after<'a>(heading: &str, lang: &str) -> &'a str {
    let from = README.find(heading).unwrap_or_else(|| panic!("README has `{heading}`"));
    let fence = format!("```{lang}\n");
    let start = README[from..].find(&fence).expect("a block") + from + fence.len();
    let len = README[start..].find("```").expect("a closed block");
    &README[start..start + len]
}

/// Drops what differs between runs: task ids, the port, timings.
fn shape(line: &str) -> String {
    line.split_whitespace()
        .map(|w| {
            if w.len() == 36 && w.chars().filter(|c| *c == '-').count() == 4 {
                "<task id>"
            } else if w.starts_with("http://127.0.0.1:") {
                "<endpoint>"
            } else if w.ends_with("ms)") || w.ends_with("s)") {
                "<time>)"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_first_command_works_as_written() {
    let command = block_after("## Try it", "bash").trim();
    let args = command.strip_prefix("cargo run -p aliprefetch-cli -- ").expect("the CLI on the emulator comes first");
    assert!(args.contains("--emulator"), "it needs no account: {command}");
    let shown = block_after("## Try it", "text");
    let (shown_stderr, shown_stdout): (Vec<&str>, Vec<&str>) = {
        let lines: Vec<&str> = shown.lines().collect();
        let table = lines.iter().position(|l| l.starts_with("URL ")).expect("the table is shown");
        (lines[..table].to_vec(), lines[table..].to_vec())
    };

    let home = tempfile::tempdir().unwrap();
    let mut cmd = cargo_bin_cmd!("aliprefetch");
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") {
            cmd.env_remove(key);
        }
    }
    let out = cmd.env("HOME", home.path()).args(args.split_whitespace()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    let shapes = |lines: Vec<&str>| lines.into_iter().map(shape).collect::<Vec<_>>();
    assert_eq!(shapes(stdout.lines().collect()), shapes(shown_stdout), "stdout as shown");
    assert_eq!(shapes(stderr.lines().collect()), shapes(shown_stderr), "stderr as shown");
}
