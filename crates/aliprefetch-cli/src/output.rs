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

/// A cell as a terminal may show it: control characters (from the input or a service's answer) are
/// escaped (`\u{1b}`), so no cell can move the cursor, clear the screen or break a row.
fn shown(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.chars().any(char::is_control) {
        cell.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Columns padded to their widest cell, in terminal columns (a CJK character takes two); the last column
/// is not padded.
pub fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr as _;
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let cells: Vec<Vec<std::borrow::Cow<'_, str>>> =
        std::iter::once(&header).chain(rows).map(|row| row.iter().map(|c| shown(c)).collect()).collect();
    let mut widths: Vec<usize> = vec![0; headers.len()];
    for row in &cells {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let mut text = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let width = widths.get(i).copied().unwrap_or(0);
                line.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.width()) + 2));
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

    #[test]
    fn wide_characters_take_two_columns_and_control_characters_are_escaped() {
        let t = render_table(
            &["ID", "RESULT"],
            &[vec!["直播流".into(), "ok".into()], vec!["a\u{1b}[2J".into(), "x\ny".into()]],
        );
        // The widest cell is the escaped one (10 columns); 直播流 takes 6.
        assert_eq!(t, "ID          RESULT\n直播流      ok\na\\u{1b}[2J  x\\ny\n");
    }
}
