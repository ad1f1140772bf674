//! The core's log events, handed to a language's own logging: Python's `logging`, a Node callback, the
//! JVM's `java.util.logging`. A binding installs one [`LogSink`]; from then on every `tracing` event of
//! the core (and of an in-process emulator) becomes one line at its level, under a dotted logger name
//! (`aliprefetch.client.send`, `aliprefetch.emulator.server`), and only when the sink says that level is
//! wanted. A Rust program keeps using its own `tracing` subscriber and never calls this.
//!
//! What is logged, and at which level:
//! - `DEBUG`: one line per attempt — action, attempt, HTTP status (or the transport failure), error code,
//!   request id and time taken; a wait for the pacing quota; credentials fetched;
//! - `INFO`: a retry (with its delay and the reason, a throttle among them), credentials the service
//!   called expired, Redis pacing coming back;
//! - `WARN`: a clock corrected from the service's answer, a failed credential refresh, Redis pacing lost;
//! - `TRACE`: the signed request of every attempt, as it goes on the wire, with the signature, the
//!   security token and the `Authorization` header redacted.
//!
//! No event carries a secret: the signed request is logged redacted, and errors were redacted before they
//! reach an event.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// Where a binding's log lines go.
pub trait LogSink: Send + Sync + 'static {
    /// Whether lines at `level` for the logger `name` are wanted now (asked before each line is made).
    fn enabled(&self, level: Level, name: &str) -> bool;
    /// One line: `message` at `level` for the logger `name`.
    fn log(&self, level: Level, name: &str, message: &str);
}

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);

fn sink() -> Option<Arc<dyn LogSink>> {
    SINK.read().ok().and_then(|s| s.clone())
}

/// Sends the core's log events to `sink` (replacing an earlier one) and returns true; false when the
/// process already had another global `tracing` subscriber (the CLI's, say), which then keeps them.
pub fn set_log_sink(sink: Arc<dyn LogSink>) -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    if let Ok(mut held) = SINK.write() {
        *held = Some(sink);
    }
    *INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(SinkSubscriber).is_ok())
}

/// The dotted logger name of an event's target: `aliprefetch::client::send` → `aliprefetch.client.send`,
/// `aliprefetch_emulator::server` → `aliprefetch.emulator.server`.
pub fn logger_name(target: &str) -> String {
    let target = match target.strip_prefix("aliprefetch_emulator") {
        Some(rest) => format!("aliprefetch::emulator{rest}"),
        None => target.to_owned(),
    };
    target.replace("::", ".")
}

fn is_ours(target: &str) -> bool {
    target == "aliprefetch" || target.starts_with("aliprefetch::") || target.starts_with("aliprefetch_emulator")
}

/// A subscriber that formats each event of ours into one line and hands it to the sink; spans are not
/// kept (every event carries the fields it needs).
struct SinkSubscriber;

impl Subscriber for SinkSubscriber {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.is_event() && is_ours(meta.target()) {
            // Asked each time: the language's level may change while the process runs.
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.is_event()
            && is_ours(meta.target())
            && sink().is_some_and(|s| s.enabled(*meta.level(), &logger_name(meta.target())))
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some(sink) = sink() else { return };
        let mut line = Line::default();
        event.record(&mut line);
        let meta = event.metadata();
        sink.log(*meta.level(), &logger_name(meta.target()), &line.finish());
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// The message, then `key=value` for every other field.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Line {
    fn finish(mut self) -> String {
        if !self.fields.is_empty() {
            if !self.message.is_empty() {
                self.message.push(' ');
            }
            self.message.push_str(&self.fields);
        }
        self.message
    }

    fn field(&mut self, field: &Field, value: std::fmt::Arguments<'_>) {
        if field.name() == "message" {
            let _ = self.message.write_fmt(value);
        } else {
            if !self.fields.is_empty() {
                self.fields.push(' ');
            }
            let _ = write!(self.fields, "{}={}", field.name(), value);
        }
    }
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" || !value.contains([' ', '"', '=']) {
            self.field(field, format_args!("{value}"));
        } else {
            self.field(field, format_args!("{value:?}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.field(field, format_args!("{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn logger_names_are_dotted_and_the_emulator_is_a_child() {
        assert_eq!(logger_name("aliprefetch::client::send"), "aliprefetch.client.send");
        assert_eq!(logger_name("aliprefetch_emulator::server"), "aliprefetch.emulator.server");
        assert_eq!(logger_name("aliprefetch"), "aliprefetch");
        assert!(
            is_ours("aliprefetch::x")
                && is_ours("aliprefetch_emulator")
                && !is_ours("aliprefetcher")
                && !is_ours("hyper")
        );
    }

    struct Kept(Mutex<Vec<(Level, String, String)>>, Level);

    impl LogSink for Kept {
        fn enabled(&self, level: Level, _: &str) -> bool {
            level <= self.1
        }
        fn log(&self, level: Level, name: &str, message: &str) {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((level, name.into(), message.into()));
        }
    }

    #[test]
    fn an_event_becomes_one_line_with_its_fields_at_the_wanted_levels_only() {
        let kept = Arc::new(Kept(Mutex::new(Vec::new()), Level::INFO));
        let dispatch = tracing::Dispatch::new(SinkSubscriber);
        if let Ok(mut held) = SINK.write() {
            *held = Some(kept.clone());
        }
        tracing::dispatcher::with_default(&dispatch, || {
            tracing::info!(action = "Describe", code = "Throttling.User", note = "two words", "retrying in {} ms", 250);
            tracing::debug!("not wanted at INFO");
            tracing::info!(target: "hyper::proto", "not ours");
        });
        let lines = kept.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        assert_eq!(
            lines,
            [(
                Level::INFO,
                "aliprefetch.log.tests".to_owned(),
                "retrying in 250 ms action=Describe code=Throttling.User note=\"two words\"".to_owned()
            )]
        );
    }
}
