//! Items (URLs, media ids) from arguments, a file, or stdin.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::stream::{BoxStream, StreamExt as _};

use crate::failure::Failure;

/// The longest input line read (a URL or media id is far shorter); a longer one becomes an item of the
/// report, skipped without being held.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Bad lines listed in a report at most; further ones are counted.
const MAX_LISTED_BAD_LINES: usize = 10_000;

/// An input line that could not be an item: too long, not UTF-8, or (for URLs) not a URL.
#[derive(Debug, Clone)]
pub struct BadLine {
    /// The line's number, from 1.
    pub line: u64,
    /// A stable rule name: `line_too_long`, `not_utf8`, `not_a_url`, `comma`, `control_character`, ...
    pub rule: &'static str,
    pub message: String,
    /// The line's start, as far as it is text (for the report's first column).
    pub text: String,
}

/// What the input came to once the batch has ended.
#[derive(Debug, Default)]
pub struct InputEnd {
    pub bad_lines: Vec<BadLine>,
    /// Bad lines beyond those listed.
    pub unlisted_bad_lines: u64,
    /// A read error that ended the input early (with the line it was on).
    pub read_error: Option<String>,
}

/// Items read lazily: from the arguments, or line by line from a file or stdin on a thread of its own,
/// so a batch of any length holds only what is in flight.
pub struct ItemInput {
    pub stream: BoxStream<'static, String>,
    /// Items handed to the batch so far.
    pub count: Arc<AtomicUsize>,
    end: Arc<Mutex<InputEnd>>,
    name: &'static str,
}

impl BadLine {
    /// Its error object, as an item's `error` in the JSON report.
    pub fn error_json(&self) -> serde_json::Value {
        serde_json::json!({"kind": "InvalidInput", "code": self.rule, "message": self.message, "line": self.line,
                           "outcome_unknown": false})
    }
}

impl ItemInput {
    /// What the input came to, once the batch has ended. A failure only when nothing at all came of it
    /// (no item and no bad line): then nothing was sent.
    pub fn finish(&self) -> Result<InputEnd, Failure> {
        let end = std::mem::take(&mut *self.end.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        if self.count.load(Ordering::SeqCst) == 0 && end.bad_lines.is_empty() && end.unlisted_bad_lines == 0 {
            return Err(match end.read_error {
                Some(e) => Failure::usage(self.name, e),
                None => none_given(self.name),
            });
        }
        Ok(end)
    }
}

impl ItemInput {
    /// After a batch: what the input came to, its bad lines counted among `settled`'s failures (they
    /// were not sent). A failure only when nothing came of the input (see [`ItemInput::finish`]); after an
    /// interrupt, whatever was read.
    pub fn close<I>(&self, settled: &mut crate::settle::Settled<I>) -> Result<InputEnd, Failure> {
        let end = if settled.interrupted.is_none() { self.finish()? } else { self.finish().unwrap_or_default() };
        settled.failures.extend(end.bad_lines.iter().map(|_| aliprefetch::ErrorKind::InvalidInput));
        Ok(end)
    }
}

impl InputEnd {
    /// Notes for stderr: bad lines not listed, and a read error.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.unlisted_bad_lines > 0 {
            notes.push(format!(
                "{} more bad input lines were skipped and are not listed (the report lists the first {MAX_LISTED_BAD_LINES})",
                self.unlisted_bad_lines
            ));
        }
        if let Some(e) = &self.read_error {
            notes.push(format!("the input ended early: {e}; the lines after it were not read"));
        }
        notes
    }

    /// Prints the bad lines and notes to stderr (for a dry run, which has no report of items).
    pub fn print_notes(&self) {
        for b in &self.bad_lines {
            crate::output::note(&format!("skipped {}", b.message));
        }
        for n in self.notes() {
            crate::output::note(&n);
        }
    }

    /// The exit code once the input's own failures count: a bad line or a read error means some items
    /// failed, however the rest went.
    pub fn exit(&self, exit: crate::failure::Exit) -> crate::failure::Exit {
        match exit {
            crate::failure::Exit::Success if self.failed() => crate::failure::Exit::ItemsFailed,
            exit => exit,
        }
    }

    /// Whether the input itself failed somewhere (a bad line or a read error).
    pub fn failed(&self) -> bool {
        !self.bad_lines.is_empty() || self.unlisted_bad_lines > 0 || self.read_error.is_some()
    }
}

fn none_given(name: &str) -> Failure {
    Failure::usage(name, "none given: pass them as arguments, with --file FILE, or on stdin with `-`")
}

/// What is wrong with a line as an item named `name` (`URL` lines must be URLs).
fn line_problem(name: &str, text: &str) -> Option<(&'static str, String)> {
    aliprefetch::internal::item_problem(text).or_else(|| {
        if name == "URL" {
            aliprefetch::internal::url_problem(text)
        } else {
            None
        }
    })
}

/// Reads `reader` as items: one per line, trimmed; empty lines and lines starting with `#` are skipped;
/// bad lines go to `end`. `send` takes each item and returns false once the batch stopped.
pub fn read_items<R: std::io::Read>(
    reader: R,
    name: &str,
    end: &Mutex<InputEnd>,
    mut send: impl FnMut(String) -> bool,
) {
    use aliprefetch::internal::Line;
    let bad = |line: u64, rule: &'static str, message: String, text: String| {
        let mut end = end.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if end.bad_lines.len() < MAX_LISTED_BAD_LINES {
            end.bad_lines.push(BadLine { line, rule, message: format!("line {line}: {message}"), text });
        } else {
            end.unlisted_bad_lines += 1;
        }
    };
    let result = aliprefetch::internal::read_lines(reader, MAX_LINE_BYTES, |number, line| {
        match line {
            Line::TooLong => bad(
                number,
                "line_too_long",
                format!("is longer than {MAX_LINE_BYTES} bytes; skipped"),
                format!("<line {number}: too long>"),
            ),
            Line::NotUtf8(at) => bad(
                number,
                "not_utf8",
                format!("is not UTF-8 text (byte {at}); skipped"),
                format!("<line {number}: not UTF-8>"),
            ),
            Line::Text(text) => {
                let text = text.trim();
                if text.is_empty() || text.starts_with('#') {
                    return std::ops::ControlFlow::Continue(());
                }
                if let Some((rule, why)) = line_problem(name, text) {
                    let shown: String = text.chars().take(200).collect();
                    bad(number, rule, format!("{name} {why}"), shown);
                } else if !send(text.to_owned()) {
                    return std::ops::ControlFlow::Break(()); // the batch stopped
                }
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    if let Err((line, e)) = result {
        end.lock().unwrap_or_else(std::sync::PoisonError::into_inner).read_error =
            Some(format!("cannot read line {line} of the input: {e}"));
    }
}

/// Refuses a `--file` that is not a file or a FIFO: a device (`/dev/zero`, a terminal) or a socket never
/// ends or never answers, and a directory is no list. A FIFO is a stream like stdin (`--file <(cmd)`).
fn refuse_endless(path: &Path) -> Result<(), Failure> {
    let refuse = |what: &str| {
        Failure::usage(
            "--file",
            format!("{} is {what}; only a file or a FIFO is read (use `-` for stdin)", path.display()),
        )
    };
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) }; // opening it says why
    let t = meta.file_type();
    if t.is_dir() {
        return Err(refuse("a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_char_device() || t.is_block_device() {
            return Err(refuse("a device"));
        }
        if t.is_socket() {
            return Err(refuse("a socket"));
        }
    }
    Ok(())
}

/// The items of `args` (where `-` stands for stdin) or of `file` (`-` for stdin): one per line,
/// trimmed; empty lines and lines starting with `#` are skipped, and bad lines (too long, not UTF-8, not
/// a URL) are kept for the report with their numbers while reading goes on. `name` is the argument's
/// name for errors. Read lazily, as the batch takes them.
pub fn item_stream(args: &[String], file: Option<&Path>, name: &'static str) -> Result<ItemInput, Failure> {
    let count = Arc::new(AtomicUsize::new(0));
    let end = Arc::new(Mutex::new(InputEnd::default()));
    let reader: Option<Box<dyn std::io::Read + Send>> = match file {
        Some(path) if path == Path::new("-") => Some(Box::new(std::io::stdin())),
        Some(path) => {
            refuse_endless(path)?;
            Some(Box::new(
                std::fs::File::open(path)
                    .map_err(|e| Failure::usage("--file", format!("cannot read {}: {e}", path.display())))?,
            ))
        }
        None if args.iter().any(|a| a == "-") => {
            if args.len() > 1 {
                return Err(Failure::usage(name, "`-` (read from stdin) cannot be mixed with other values"));
            }
            Some(Box::new(std::io::stdin()))
        }
        None => None,
    };
    let items = match reader {
        None => {
            if args.is_empty() {
                return Err(none_given(name));
            }
            futures::stream::iter(args.to_vec()).boxed()
        }
        Some(reader) => {
            let (tx, rx) = tokio::sync::mpsc::channel::<String>(1024);
            let ended = end.clone();
            std::thread::Builder::new()
                .name("aliprefetch-input".to_owned())
                .spawn(move || read_items(reader, name, &ended, |item| tx.blocking_send(item).is_ok()))
                .map_err(|e| Failure::usage(name, format!("cannot start reading the input: {e}")))?;
            futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|line| (line, rx)) }).boxed()
        }
    };
    let counted = count.clone();
    let stream = items
        .inspect(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        })
        .boxed();
    Ok(ItemInput { stream, count, end, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &mut ItemInput) -> Vec<String> {
        let stream = std::mem::replace(&mut input.stream, futures::stream::empty().boxed());
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(stream.collect())
    }

    #[test]
    fn nothing_given_names_the_argument() {
        let f = item_stream(&[], None, "URL").err().unwrap();
        assert!(f.message.starts_with("URL: none given"), "{}", f.message);
        assert!(item_stream(&["-".into(), "x".into()], None, "URL").is_err());
    }

    #[test]
    fn a_file_skips_blanks_and_comments_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, "rtmp://h/a/1\n\n  # skip\n rtmp://h/a/2 \r\n").unwrap();
        let mut input = item_stream(&[], Some(&path), "URL").unwrap();
        assert_eq!(all(&mut input), ["rtmp://h/a/1", "rtmp://h/a/2"]);
        assert_eq!(input.count.load(Ordering::SeqCst), 2);
        assert!(!input.finish().unwrap().failed());
        let missing = item_stream(&[], Some(&dir.path().join("nope")), "URL").err().unwrap();
        assert!(missing.message.starts_with("--file: cannot read"), "{}", missing.message);
        // Devices and directories never end or are no list: refused before anything is read.
        for (endless, what) in [("/dev/zero", "a device"), ("/dev/urandom", "a device"), ("/", "a directory")] {
            let refused = item_stream(&[], Some(Path::new(endless)), "URL").err().unwrap();
            assert!(refused.message.contains(what), "{endless}: {}", refused.message);
        }
    }

    #[test]
    fn an_empty_file_is_nothing_given_and_bad_text_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.txt");
        std::fs::write(&path, "# only a comment\n").unwrap();
        let mut input = item_stream(&[], Some(&path), "URL").unwrap();
        assert!(all(&mut input).is_empty());
        assert!(input.finish().unwrap_err().message.contains("none given"));
        // Bad lines are kept with their numbers, and the lines after them are read.
        let mut text = b"rtmp://h/a/1\n\xff\xfe\nnot a url\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        text.extend_from_slice(b"\nrtmp://h/a/2\n");
        std::fs::write(&path, text).unwrap();
        let mut input = item_stream(&[], Some(&path), "URL").unwrap();
        assert_eq!(all(&mut input), ["rtmp://h/a/1", "rtmp://h/a/2"]);
        let end = input.finish().unwrap();
        let bad: Vec<(u64, &str)> = end.bad_lines.iter().map(|b| (b.line, b.rule)).collect();
        assert_eq!(bad, [(2, "not_utf8"), (3, "not_a_url"), (4, "line_too_long")]);
        assert!(end.bad_lines[2].message.starts_with("line 4: is longer than"), "{}", end.bad_lines[2].message);
    }
}
