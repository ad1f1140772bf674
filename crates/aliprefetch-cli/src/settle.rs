//! Drives a batch stream to its end or to Ctrl-C: in `-o jsonl` mode each item is printed as its
//! request settles (nothing is collected, so memory stays flat in the input's length); otherwise the
//! items are collected for the table or the document.

use std::io::Write as _;

use aliprefetch::BatchStream;
use aliprefetch::ErrorKind;
use futures::{FutureExt as _, StreamExt as _};
use serde_json::Value;

use crate::failure::stdout_failed;
use crate::failure::Failure;

/// How to show one kind of item.
pub trait Shown {
    /// Its JSON line.
    fn json(&self) -> Value;
    /// Why it counts as failed, for the exit code (None: it succeeded).
    fn failure(&self) -> Option<ErrorKind>;
}

/// What a batch came to.
pub struct Settled<I> {
    /// The items, when they were collected rather than printed (in input order).
    pub items: Vec<I>,
    /// Items that succeeded, and the kinds of the failures (printed or collected).
    pub ok: usize,
    pub failures: Vec<ErrorKind>,
    /// Set when Ctrl-C stopped the batch: the items whose requests were in flight (outcome unknown).
    pub interrupted: Option<Vec<(usize, String)>>,
    pub duplicates_removed: usize,
    pub requests: usize,
    /// The job ids of the answers received (media batches).
    pub job_ids: Vec<String>,
}

/// Runs `stream` until it ends or Ctrl-C. With `print_lines`, each item's JSON goes to stdout as it
/// settles; after an interrupt, each item still in flight is printed by `unknown_line` too.
pub async fn settle<I: Shown>(
    mut stream: BatchStream<I>,
    print_lines: bool,
    index_of: impl Fn(&I) -> usize,
    unknown_line: impl Fn(&str) -> Value,
) -> Result<Settled<I>, Failure> {
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut settled = Settled {
        items: Vec::new(),
        ok: 0,
        failures: Vec::new(),
        interrupted: None,
        duplicates_removed: 0,
        requests: 0,
        job_ids: Vec::new(),
    };
    let mut take = |item: I, out: &mut std::io::BufWriter<std::io::Stdout>| -> Result<(), Failure> {
        match item.failure() {
            None => settled.ok += 1,
            Some(kind) => settled.failures.push(kind),
        }
        if print_lines {
            serde_json::to_writer(&mut *out, &item.json()).map_err(|e| stdout_failed(e.into()))?;
            out.write_all(b"\n").map_err(stdout_failed)?;
        } else {
            settled.items.push(item);
        }
        Ok(())
    };
    // Installed before the first request: a background job starts with SIGINT ignored, and this
    // handler replaces that.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let interrupted = {
        let mut chunks = (&mut stream).ready_chunks(256);
        loop {
            tokio::select! {
                biased;
                _ = &mut ctrl_c => break true,
                next = chunks.next() => match next {
                    Some(items) => {
                        for item in items {
                            take(item, &mut out)?;
                        }
                        // Lines reach a reader as their chunk settles, not at the end.
                        out.flush().map_err(stdout_failed)?;
                    }
                    None => break false,
                },
            }
        }
    };
    if interrupted {
        stream.stop();
        // What had settled is kept; nothing more is sent.
        while let Some(Some(item)) = stream.next().now_or_never() {
            take(item, &mut out)?;
        }
        let unsettled = stream.unsettled();
        if print_lines {
            for (_, input) in &unsettled {
                serde_json::to_writer(&mut out, &unknown_line(input)).map_err(|e| stdout_failed(e.into()))?;
                out.write_all(b"\n").map_err(stdout_failed)?;
            }
        }
        settled.interrupted = Some(unsettled);
    }
    out.flush().map_err(stdout_failed)?;
    settled.items.sort_unstable_by_key(&index_of);
    settled.duplicates_removed = stream.duplicates_removed();
    settled.requests = stream.requests();
    settled.job_ids = stream.job_ids();
    Ok(settled)
}

/// The stderr line after an interrupt.
pub fn interrupted_note(what: &str, done: usize, unsettled: usize) -> String {
    format!(
        "interrupted: {done} {what} settled and reported; {unsettled} {what} were in requests still in flight, \
         so their outcome is unknown (reported as `unknown`: look them up before sending them again); \
         the rest were not sent"
    )
}

/// Prints JSON lines to stdout (the bad input lines at the end of a `-o jsonl` batch).
pub fn print_json_lines(lines: impl Iterator<Item = Value>) -> Result<(), Failure> {
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in lines {
        serde_json::to_writer(&mut out, &line).map_err(|e| stdout_failed(e.into()))?;
        out.write_all(b"\n").map_err(stdout_failed)?;
    }
    out.flush().map_err(stdout_failed)
}
