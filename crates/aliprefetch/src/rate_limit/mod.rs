//! Pacing under the documented per-account QPS quotas.
//!
//! Each action gets a limiter that lets at most `n` calls start within any window of one second plus a
//! small slack (for the jitter between sending and arriving). Bursts up to the quota go out at once;
//! beyond that, calls wait for the oldest start to leave the window. Clones of a client share limiters.
//! With [`RateLimits::shared`], the window is kept in Redis for every process and host on the account
//! ([`shared`]), with this in-process limiter, at a share of each quota, as the fallback.

mod shared;

pub use shared::redacted_url;
pub use shared::SharedPacing;

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
    shared: Option<SharedPacing>,
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
            shared: None,
        }
    }
    /// No pacing at all.
    pub fn disabled() -> Self {
        RateLimits { per_second: HashMap::new(), slack: Duration::ZERO, enabled: false, shared: None }
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
    /// Shares these limits with every client on the same account through Redis (see [`SharedPacing`]).
    /// Has no effect on [`RateLimits::disabled`].
    pub fn shared(mut self, pacing: SharedPacing) -> Self {
        self.shared = Some(pacing);
        self
    }
    /// The shared backend, if any.
    pub fn shared_pacing(&self) -> Option<&SharedPacing> {
        self.shared.as_ref()
    }
    /// Whether any pacing applies.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
    /// These limits at `share` of each quota (at least 1 per second), in-process only.
    fn scaled(&self, share: f64) -> RateLimits {
        let per_second =
            self.per_second.iter().map(|(a, n)| (a.clone(), ((f64::from(*n) * share).floor() as u32).max(1))).collect();
        RateLimits { per_second, slack: self.slack, enabled: self.enabled, shared: None }
    }
    fn window(&self) -> Duration {
        Duration::from_secs(1) + self.slack
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

/// The limiters of one client, made on first use of each action; with a shared backend, Redis's.
#[derive(Debug)]
pub(crate) struct Limiters {
    config: RateLimits,
    by_action: Mutex<HashMap<String, Arc<RateLimiter>>>,
    shared: Option<Arc<shared::SharedLimiter>>,
}

impl Limiters {
    /// In-process limiters only (the shared backend of `config`, if any, is left out).
    pub(crate) fn new(config: RateLimits) -> Self {
        Limiters { config, by_action: Mutex::new(HashMap::new()), shared: None }
    }

    /// The limiters `config` asks for: through Redis when it names a shared backend.
    pub(crate) fn with_backend(config: RateLimits) -> Result<Self, crate::Error> {
        let shared = match (&config.shared, config.enabled) {
            (Some(pacing), true) => {
                Some(Arc::new(shared::SharedLimiter::new(pacing.clone(), &config, config.window())?))
            }
            _ => None,
        };
        Ok(Limiters { shared, ..Limiters::new(config) })
    }

    /// Whether calls are paced through Redis right now (false without a shared backend, and while on
    /// its fallback).
    pub(crate) fn is_shared(&self) -> bool {
        self.shared.as_ref().is_some_and(|s| s.is_shared())
    }

    /// Waits until a call of `action` on `account` (its AccessKeyId) may start.
    pub(crate) async fn acquire_for(&self, account: &str, action: &str) {
        let Some(n) = self.config.limit(action) else {
            return;
        };
        match &self.shared {
            Some(shared) => shared.acquire(account, action, n).await,
            None => self.acquire(action).await,
        }
    }

    /// Waits until a call of `action` may start, in this process.
    pub(crate) async fn acquire(&self, action: &str) {
        let Some(n) = self.config.limit(action) else {
            return;
        };
        let limiter = self
            .by_action
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(action.to_owned())
            .or_insert_with(|| Arc::new(RateLimiter::new(n, self.config.window())))
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
