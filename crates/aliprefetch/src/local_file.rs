//! Reading the small local files the credential chain, the CLI and the emulator take (profiles, token
//! files, fixtures): regular files only, opened so that nothing blocks, and read up to a cap of bytes
//! actually read, whatever size the file system reports.

use std::io::Read as _;
use std::path::Path;

/// Reads `path` as UTF-8 text of at most `cap` bytes. Refuses, with a sentence naming the file, what is
/// not a regular file (a FIFO would block forever, a device such as `/dev/zero` never ends), a file that
/// holds more than `cap` bytes, and text that is not UTF-8. Never blocks on opening: on Unix the file is
/// opened non-blocking, and its type is checked both before opening and on the open file.
pub fn read_small_file(path: &Path, cap: usize) -> Result<String, String> {
    let shown = path.display();
    let not_regular = |what: &str| format!("{shown} is {what}, not a regular file (only regular files are read)");
    let kind = |meta: &std::fs::Metadata| -> Option<String> {
        let t = meta.file_type();
        if t.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if t.is_fifo() {
                return Some(not_regular("a FIFO"));
            }
            if t.is_char_device() || t.is_block_device() {
                return Some(not_regular("a device"));
            }
            if t.is_socket() {
                return Some(not_regular("a socket"));
            }
        }
        Some(not_regular(if t.is_dir() { "a directory" } else { "not a plain file" }))
    };
    // The path's own type first (no open: opening some devices has effects of its own).
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if let Some(why) = kind(&meta) {
        return Err(why);
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Were the path swapped for a FIFO since, opening it still returns at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| format!("{shown}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{shown}: {e}"))?;
    if let Some(why) = kind(&meta) {
        return Err(why);
    }
    let mut bytes = Vec::with_capacity(cap.min(64 * 1024));
    file.take(cap as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() > cap {
        return Err(format!("{shown} holds more than {cap} bytes (a file of this kind is a few KB)"));
    }
    String::from_utf8(bytes).map_err(|e| format!("{shown} is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

/// One line of [`read_lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// The line's text, without its `\n` (nor a `\r` before it).
    Text(&'a str),
    /// Longer than the limit: its bytes were skipped up to its end, not kept.
    TooLong,
    /// Not UTF-8: the byte offset of the first bad byte.
    NotUtf8(usize),
}

/// Reads `reader` line by line, holding at most `max_line` bytes of a line (plus one buffer), and hands
/// each line to `each` with its number (from 1). A line over the limit is skipped to its end and reported
/// as [`Line::TooLong`]; one that is not UTF-8 as [`Line::NotUtf8`]; reading goes on after both. Stops
/// when `each` breaks, at the end of the input, or at a read error (returned with the line it was on).
pub fn read_lines<R: std::io::Read>(
    reader: R,
    max_line: usize,
    mut each: impl FnMut(u64, Line<'_>) -> std::ops::ControlFlow<()>,
) -> Result<(), (u64, std::io::Error)> {
    use std::io::BufRead as _;
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let mut line: Vec<u8> = Vec::new();
    let mut too_long = false;
    let mut number: u64 = 1;
    let mut deliver = |number: u64, line: &mut Vec<u8>, too_long: &mut bool| {
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let flow = if *too_long {
            each(number, Line::TooLong)
        } else {
            match std::str::from_utf8(line) {
                Ok(text) => each(number, Line::Text(text)),
                Err(e) => each(number, Line::NotUtf8(e.valid_up_to())),
            }
        };
        line.clear();
        *too_long = false;
        flow
    };
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err((number, e)),
        };
        if buf.is_empty() {
            if !line.is_empty() || too_long {
                let _ = deliver(number, &mut line, &mut too_long);
            }
            return Ok(());
        }
        let (part, ends) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (buf.get(..at).unwrap_or(buf), Some(at + 1)),
            None => (buf, None),
        };
        if !too_long {
            if line.len() + part.len() > max_line {
                too_long = true;
                line.clear();
                line.shrink_to(max_line.min(64 * 1024));
            } else {
                line.extend_from_slice(part);
            }
        }
        let used = ends.unwrap_or(buf.len());
        reader.consume(used);
        if ends.is_some() {
            if deliver(number, &mut line, &mut too_long).is_break() {
                return Ok(());
            }
            number = number.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_within_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "hello").unwrap();
        assert_eq!(read_small_file(&path, 5).unwrap(), "hello");
        assert!(read_small_file(&path, 4).unwrap_err().contains("more than 4 bytes"));
        std::fs::write(&path, b"\xff").unwrap();
        assert!(read_small_file(&path, 4).unwrap_err().contains("not UTF-8"));
        assert!(read_small_file(dir.path(), 4).unwrap_err().contains("a directory"));
        assert!(read_small_file(&dir.path().join("none"), 4).is_err());
    }

    fn lines(input: &[u8], max: usize) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        read_lines(input, max, |n, line| {
            out.push((n, format!("{line:?}")));
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn lines_are_bounded_and_bad_ones_do_not_stop_the_reading() {
        let got = lines(b"a\r\nbbbbbbbbbb\n\xff\xfe\nccc\nlast", 5);
        let want = [(1, "Text(\"a\")"), (2, "TooLong"), (3, "NotUtf8(0)"), (4, "Text(\"ccc\")"), (5, "Text(\"last\")")];
        assert_eq!(got, want.map(|(n, s)| (n, s.to_owned())));
        // A line far longer than the buffer: skipped, not held.
        let mut big = vec![b'x'; 1 << 20];
        big.extend_from_slice(b"\nok\n");
        assert_eq!(lines(&big, 1024), [(1, "TooLong".to_owned()), (2, "Text(\"ok\")".to_owned())]);
        assert!(lines(b"", 5).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // No writer: a blocking open or read would never return.
        assert!(read_small_file(&fifo, 1 << 20).unwrap_err().contains("a FIFO"));
        assert!(read_small_file(Path::new("/dev/zero"), 1 << 20).unwrap_err().contains("a device"));
        assert!(read_small_file(Path::new("/dev/urandom"), 1 << 20).unwrap_err().contains("a device"));
    }
}
