//! Items (URLs, media ids) from arguments, a file, or stdin.

use std::io::BufRead as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::stream::{BoxStream, StreamExt as _};

use crate::failure::Failure;

/// Items read lazily: from the arguments, or line by line from a file or stdin on a thread of its own,
/// so a batch of any length holds only what is in flight.
pub struct ItemInput {
    pub stream: BoxStream<'static, String>,
    /// Items handed to the batch so far.
    pub count: Arc<AtomicUsize>,
    /// A read error that ended the input early.
    pub error: Arc<Mutex<Option<String>>>,
    name: &'static str,
}

impl ItemInput {
    /// The input's failure once the batch has ended: a read error, or no items at all.
    pub fn finish(&self) -> Result<(), Failure> {
        if let Some(e) = self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            return Err(Failure::usage(self.name, e));
        }
        if self.count.load(Ordering::SeqCst) == 0 {
            return Err(none_given(self.name));
        }
        Ok(())
    }
}

fn none_given(name: &str) -> Failure {
    Failure::usage(name, "none given: pass them as arguments, with --file FILE, or on stdin with `-`")
}

/// The items of `args` (where `-` stands for stdin) or of `file` (`-` for stdin): one per line,
/// trimmed; empty lines and lines starting with `#` are skipped. `name` is the argument's name for
/// errors. Read lazily, as the batch takes them.
pub fn item_stream(args: &[String], file: Option<&Path>, name: &'static str) -> Result<ItemInput, Failure> {
    let count = Arc::new(AtomicUsize::new(0));
    let error = Arc::new(Mutex::new(None));
    let reader: Option<Box<dyn std::io::Read + Send>> = match file {
        Some(path) if path == Path::new("-") => Some(Box::new(std::io::stdin())),
        Some(path) => Some(Box::new(
            std::fs::File::open(path)
                .map_err(|e| Failure::usage("--file", format!("cannot read {}: {e}", path.display())))?,
        )),
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
            let failed = error.clone();
            std::thread::Builder::new()
                .name("aliprefetch-input".to_owned())
                .spawn(move || {
                    for line in std::io::BufReader::new(reader).lines() {
                        match line {
                            Ok(line) => {
                                let line = line.trim();
                                if line.is_empty() || line.starts_with('#') {
                                    continue;
                                }
                                if tx.blocking_send(line.to_owned()).is_err() {
                                    return; // the batch stopped
                                }
                            }
                            Err(e) => {
                                *failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                                    Some(format!("cannot read the input: {e}"));
                                return;
                            }
                        }
                    }
                })
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
    Ok(ItemInput { stream, count, error, name })
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
        input.finish().unwrap();
        let missing = item_stream(&[], Some(&dir.path().join("nope")), "URL").err().unwrap();
        assert!(missing.message.starts_with("--file: cannot read"), "{}", missing.message);
    }

    #[test]
    fn an_empty_file_is_nothing_given_and_bad_text_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.txt");
        std::fs::write(&path, "# only a comment\n").unwrap();
        let mut input = item_stream(&[], Some(&path), "URL").unwrap();
        assert!(all(&mut input).is_empty());
        assert!(input.finish().unwrap_err().message.contains("none given"));
        std::fs::write(&path, b"rtmp://h/a/1\n\xff\xfe\n").unwrap();
        let mut input = item_stream(&[], Some(&path), "URL").unwrap();
        assert_eq!(all(&mut input), ["rtmp://h/a/1"]);
        assert!(input.finish().unwrap_err().message.contains("cannot read the input"));
    }
}
