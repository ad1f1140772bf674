//! Pacing under the documented per-account QPS quotas.
//!
//! Each action gets a limiter that lets at most `n` calls start within any window of one second plus a
//! small slack (for the jitter between sending and arriving). Bursts up to the quota go out at once;
//! beyond that, calls wait for the oldest start to leave the window. Clones of a client share limiters.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// The quotas of api.md, calls per second per account.
pub const DOCUMENTED_QUOTAS: [(&str, u32); 5] = [
    ("SetLiveStreamPreloadTasks", 50),
    ("DescribeLiveStreamPreloadTasks", 10),
    ("HotLiveRtcStream", 10),
    ("UpdateLivePullToPush", 10),
    ("RefreshMediaPlayUrls", 50),
];

/// Per-action limits. Default: [`RateLimits::documented`].
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    per_second: HashMap<String, u32>,
    slack: Duration,
    enabled: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::documented()
    }
}

impl RateLimits {
    /// The documented quotas (50, 10, 10, 10, 50 per second), 50 ms of slack per window.
    pub fn documented() -> Self {
        RateLimits {
            per_second: DOCUMENTED_QUOTAS.iter().map(|(a, n)| ((*a).to_owned(), *n)).collect(),
            slack: Duration::from_millis(50),
            enabled: true,
        }
    }
    /// No pacing at all.
    pub fn disabled() -> Self {
        RateLimits { per_second: HashMap::new(), slack: Duration::ZERO, enabled: false }
    }
    /// Sets the limit of one action (also for actions sent with the generic `call`); 0 lifts it.
    pub fn set(mut self, action: impl Into<String>, per_second: u32) -> Self {
        let action = action.into();
        if per_second == 0 {
            self.per_second.remove(&action);
        } else {
            self.per_second.insert(action, per_second);
        }
        self
    }
    /// The extra time added to each one-second window.
    pub fn slack(mut self, slack: Duration) -> Self {
        self.slack = slack;
        self
    }
    pub fn limit(&self, action: &str) -> Option<u32> {
        self.enabled.then(|| self.per_second.get(action).copied()).flatten()
    }
}

/// At most `max` starts in any `window`.
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    window: Duration,
    starts: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimiter { max: max.max(1) as usize, window, starts: Mutex::new(VecDeque::with_capacity(max as usize)) }
    }

    /// Waits until a call may start, and records the start.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut starts = self.starts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let now = Instant::now();
                while starts.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
                    starts.pop_front();
                }
                if starts.len() < self.max {
                    starts.push_back(now);
                    return;
                }
                starts.front().map_or(Duration::ZERO, |t| self.window.saturating_sub(now.duration_since(*t)))
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// The limiters of one client, made on first use of each action.
#[derive(Debug)]
pub(crate) struct Limiters {
    config: RateLimits,
    by_action: Mutex<HashMap<String, Arc<RateLimiter>>>,
}

impl Limiters {
    pub(crate) fn new(config: RateLimits) -> Self {
        Limiters { config, by_action: Mutex::new(HashMap::new()) }
    }

    pub(crate) async fn acquire(&self, action: &str) {
        let Some(n) = self.config.limit(action) else {
            return;
        };
        let limiter = self
            .by_action
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(action.to_owned())
            .or_insert_with(|| Arc::new(RateLimiter::new(n, Duration::from_secs(1) + self.config.slack)))
            .clone();
        limiter.acquire().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_max_starts_in_any_window() {
        let limiter = RateLimiter::new(10, Duration::from_millis(1050));
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..35 {
            limiter.acquire().await;
            starts.push(Instant::now().duration_since(t0));
        }
        for (i, s) in starts.iter().enumerate() {
            let in_window = starts[i..].iter().filter(|t| **t - *s < Duration::from_millis(1050)).count();
            assert!(in_window <= 10, "{in_window} starts within a window from {s:?}");
        }
        // The first ten go at once; 35 calls need three more windows.
        assert_eq!(starts[9], Duration::ZERO);
        assert_eq!(starts[34], Duration::from_millis(3 * 1050));
    }

    #[test]
    fn documented_and_overrides() {
        let l = RateLimits::documented();
        assert_eq!(l.limit("SetLiveStreamPreloadTasks"), Some(50));
        assert_eq!(l.limit("DescribeLiveStreamPreloadTasks"), Some(10));
        assert_eq!(l.limit("Other"), None);
        assert_eq!(l.clone().set("Other", 3).limit("Other"), Some(3));
        assert_eq!(RateLimits::disabled().limit("SetLiveStreamPreloadTasks"), None);
    }
}
