//! Items (URLs, media ids) from arguments, a file, or stdin.

use std::io::Read as _;
use std::path::Path;

use crate::failure::Failure;

/// The items of `args` (where `-` stands for stdin) or of `file` (`-` for stdin): one per line,
/// trimmed; empty lines and lines starting with `#` are skipped. `name` is the argument's name for
/// errors.
pub fn read_items(args: &[String], file: Option<&Path>, name: &str) -> Result<Vec<String>, Failure> {
    let text = match file {
        Some(path) if path == Path::new("-") => Some(read_stdin("--file")?),
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| Failure::usage("--file", format!("cannot read {}: {e}", path.display())))?,
        ),
        None if args.iter().any(|a| a == "-") => {
            if args.len() > 1 {
                return Err(Failure::usage(name, "`-` (read from stdin) cannot be mixed with other values"));
            }
            Some(read_stdin(name)?)
        }
        None => None,
    };
    let items: Vec<String> = match text {
        Some(text) => lines(&text),
        None => args.to_vec(),
    };
    if items.is_empty() {
        return Err(Failure::usage(name, "none given: pass them as arguments, with --file FILE, or on stdin with `-`"));
    }
    Ok(items)
}

fn read_stdin(name: &str) -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| Failure::usage(name, format!("cannot read stdin: {e}")))?;
    Ok(text)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blanks_and_comments() {
        assert_eq!(lines("a\n\n  # note\n b \r\nc"), ["a", "b", "c"]);
    }

    #[test]
    fn nothing_given_names_the_argument() {
        let f = read_items(&[], None, "URL").unwrap_err();
        assert!(f.message.starts_with("URL: none given"), "{}", f.message);
        assert!(read_items(&["-".into(), "x".into()], None, "URL").is_err());
    }

    #[test]
    fn a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, "rtmp://h/a/1\n# skip\nrtmp://h/a/2\n").unwrap();
        assert_eq!(read_items(&[], Some(&path), "URL").unwrap(), ["rtmp://h/a/1", "rtmp://h/a/2"]);
        let missing = read_items(&[], Some(&dir.path().join("nope")), "URL").unwrap_err();
        assert!(missing.message.starts_with("--file: cannot read"), "{}", missing.message);
    }
}
