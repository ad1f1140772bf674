//! The emulator's clock: starts at the fixture's `now` (or the real time) and runs forward; tests can
//! move it ahead.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

#[derive(Debug)]
pub struct Clock {
    start: OffsetDateTime,
    started: Instant,
    /// Nanoseconds added by [`Clock::advance`].
    offset_ns: AtomicI64,
}

impl Clock {
    /// Starts at `start` (else the real time), moved by `offset` (either way).
    pub fn new(start: Option<OffsetDateTime>, offset: time::Duration) -> Self {
        Clock {
            start: start.unwrap_or_else(OffsetDateTime::now_utc).saturating_add(offset),
            started: Instant::now(),
            offset_ns: AtomicI64::new(0),
        }
    }

    /// Never panics: the arithmetic saturates at the ends of what an instant can hold.
    pub fn now(&self) -> OffsetDateTime {
        let elapsed = time::Duration::try_from(self.started.elapsed()).unwrap_or(time::Duration::MAX);
        self.start
            .saturating_add(elapsed)
            .saturating_add(time::Duration::nanoseconds(self.offset_ns.load(Ordering::Relaxed)))
    }

    /// Moves the clock forward: task lifecycles, windows and timestamps all see the jump (saturating).
    pub fn advance(&self, d: Duration) {
        let by = i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        let _ = self.offset_ns.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some(n.saturating_add(by)));
    }
}

/// `later - earlier`. Any two instants the emulator holds are within the years 1970–9999 (times from requests are
/// range-checked by the core's parser, the clock saturates), so the difference fits a `time::Duration`.
#[allow(clippy::arithmetic_side_effects, reason = "instants within 1970..=9999 differ by far less than i64 seconds")]
pub fn between(later: OffsetDateTime, earlier: OffsetDateTime) -> time::Duration {
    later - earlier
}
