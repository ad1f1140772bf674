//! What goes to stdout: aligned tables for people, JSON for scripts.

use std::io::{self, Write as _};

use serde_json::Value;
use time::OffsetDateTime;

use crate::args::OutputFormat;

/// A result to print: rows for the table, objects for JSON Lines, one document for JSON.
pub struct Report {
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
    /// One object per row, for `jsonl`.
    pub items: Vec<Value>,
    /// The whole result, for `json`.
    pub document: Value,
}

impl Report {
    pub fn print(&self, format: OutputFormat) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match format {
            OutputFormat::Table => out.write_all(render_table(self.headers, &self.rows).as_bytes())?,
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &self.document)?;
                out.write_all(b"\n")?;
            }
            OutputFormat::Jsonl => {
                for item in &self.items {
                    serde_json::to_writer(&mut out, item)?;
                    out.write_all(b"\n")?;
                }
            }
        }
        out.flush()
    }
}

/// Columns padded to their widest cell; the last column is not padded.
pub fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', widths[i] - cell.chars().count() + 2));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `2024-05-20T08:00:00Z`, or empty.
pub fn time(t: Option<OffsetDateTime>) -> String {
    t.map(aliprefetch::format_timestamp).unwrap_or_default()
}

/// Writes a line to stderr (summaries and notes that must not mix with stdout).
pub fn note(line: &str) {
    crate::progress::LogWriter.write_all(format!("{line}\n").as_bytes()).ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align() {
        let t = render_table(
            &["URL", "STATUS", "DETAIL"],
            &[
                vec!["rtmp://a/b/c".into(), "ok".into(), String::new()],
                vec!["x".into(), "failed".into(), "hls: HLS is not supported".into()],
            ],
        );
        assert_eq!(
            t,
            "URL           STATUS  DETAIL\nrtmp://a/b/c  ok\nx             failed  hls: HLS is not supported\n"
        );
    }
}
