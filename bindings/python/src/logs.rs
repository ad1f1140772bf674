//! The core's log events into Python's `logging`, under the logger `aliprefetch` (and its children,
//! `aliprefetch.client.send`, …). The `aliprefetch` logger's effective level is kept here, read again on
//! each call that sends (where the GIL is held anyway) and at most 250 ms old otherwise, so an event
//! nobody wants never waits for the GIL.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use aliprefetch::log::{set_log_sink, LogSink};
use pyo3::prelude::*;
use tracing::Level;

use crate::runtime::attach_from_runtime;

/// The `aliprefetch` logger's effective level (Python's numbers; `u32::MAX` until read).
static THRESHOLD: AtomicU32 = AtomicU32::new(u32::MAX);
/// When it was read, in ms since `EPOCH`.
static READ_AT: AtomicU64 = AtomicU64::new(0);

fn elapsed_ms() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

/// Python's number for a level (`TRACE` is 5, below `DEBUG`).
fn python_level(level: Level) -> u32 {
    match level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// Reads the `aliprefetch` logger's level again (with the GIL held) and makes sure the sink is in place.
pub fn refresh(py: Python<'_>) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // The signed requests come at level 5; name it as other libraries do, unless it has a name.
        let _ = py.import("logging").and_then(|logging| {
            if logging.call_method1("getLevelName", (5,))?.extract::<String>()? == "Level 5" {
                logging.call_method1("addLevelName", (5, "TRACE"))?;
            }
            Ok::<_, PyErr>(())
        });
        set_log_sink(Arc::new(PythonLogging));
    });
    let level = py
        .import("logging")
        .and_then(|logging| logging.call_method1("getLogger", ("aliprefetch",)))
        .and_then(|logger| logger.call_method0("getEffectiveLevel"))
        .and_then(|level| level.extract::<u32>());
    if let Ok(level) = level {
        THRESHOLD.store(level, Ordering::Relaxed);
        READ_AT.store(elapsed_ms(), Ordering::Relaxed);
    }
}

struct PythonLogging;

impl LogSink for PythonLogging {
    fn enabled(&self, level: Level, _: &str) -> bool {
        if elapsed_ms().saturating_sub(READ_AT.load(Ordering::Relaxed)) > 250 {
            attach_from_runtime(refresh);
        }
        python_level(level) >= THRESHOLD.load(Ordering::Relaxed)
    }

    fn log(&self, level: Level, name: &str, message: &str) {
        attach_from_runtime(|py| {
            let logged = py
                .import("logging")
                .and_then(|logging| logging.call_method1("getLogger", (name,)))
                .and_then(|logger| logger.call_method1("log", (python_level(level), "%s", message)));
            // A handler that raises is the user's; it must not break the call that logged.
            if let Err(e) = logged {
                e.write_unraisable(py, None);
            }
        });
    }
}
