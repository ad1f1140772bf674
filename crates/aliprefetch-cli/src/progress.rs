//! Progress bars, on stderr only, so stdout stays clean for tables and JSON.

use std::io::{self, Write as _};
use std::sync::OnceLock;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use crate::args::ProgressMode;

/// Every bar of this process; logs are written around them (see [`LogWriter`]).
static BARS: OnceLock<MultiProgress> = OnceLock::new();

fn bars() -> &'static MultiProgress {
    BARS.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::hidden()))
}

/// Sets where bars are drawn; call once, before any bar.
pub fn init(mode: ProgressMode) {
    let target = match mode {
        ProgressMode::Never => ProgressDrawTarget::hidden(),
        // Hidden by indicatif itself when stderr is not a terminal.
        ProgressMode::Auto => ProgressDrawTarget::stderr(),
        ProgressMode::Always => ProgressDrawTarget::term_like(Box::new(Stderr)),
    };
    bars().set_draw_target(target);
}

/// A bar counting items (`done/total`), for batches.
pub fn items(total: usize, what: &str) -> ProgressBar {
    let bar = bars().add(ProgressBar::new(total as u64));
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} {what} {{msg}}"
        ))
        .expect("a valid template"),
    );
    bar
}

/// A bar of the summed `Process` of `tasks` tasks (each 0–100 %).
pub fn process(tasks: usize) -> ProgressBar {
    let bar = bars().add(ProgressBar::new(tasks as u64 * 100));
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg}")
            .expect("a valid template"),
    );
    bar
}

/// Writes log lines to stderr without tearing a bar that is being drawn.
#[derive(Clone, Copy)]
pub struct LogWriter;

impl io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        bars().suspend(|| io::stderr().write_all(buf))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;
    fn make_writer(&'a self) -> LogWriter {
        *self
    }
}

/// stderr as a terminal even when it is not one (`--progress always`, e.g. under a CI log or a test).
#[derive(Debug)]
struct Stderr;

impl Stderr {
    fn put(&self, s: &str) -> io::Result<()> {
        io::stderr().write_all(s.as_bytes())
    }
}

impl TermLike for Stderr {
    fn width(&self) -> u16 {
        80
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        if n > 0 {
            self.put(&format!("\x1b[{n}A"))?;
        }
        Ok(())
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        if n > 0 {
            self.put(&format!("\x1b[{n}B"))?;
        }
        Ok(())
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        if n > 0 {
            self.put(&format!("\x1b[{n}C"))?;
        }
        Ok(())
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        if n > 0 {
            self.put(&format!("\x1b[{n}D"))?;
        }
        Ok(())
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.put(s)?;
        self.put("\n")
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.put(s)
    }
    fn clear_line(&self) -> io::Result<()> {
        self.put("\r\x1b[2K")
    }
    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}
