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
    pub fn new(start: Option<OffsetDateTime>) -> Self {
        Clock {
            start: start.unwrap_or_else(OffsetDateTime::now_utc),
            started: Instant::now(),
            offset_ns: AtomicI64::new(0),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        let elapsed = self.started.elapsed();
        self.start + elapsed + time::Duration::nanoseconds(self.offset_ns.load(Ordering::Relaxed))
    }

    /// Moves the clock forward: task lifecycles, windows and timestamps all see the jump.
    pub fn advance(&self, d: Duration) {
        self.offset_ns.fetch_add(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX), Ordering::Relaxed);
    }
}
