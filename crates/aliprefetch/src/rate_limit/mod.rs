//! Pacing under the documented per-account QPS quotas.
//!
//! Each action gets a limiter that lets at most `n` calls start within any window of one second plus a
//! small slack (for the jitter between sending and arriving). Bursts up to the quota go out at once;
//! beyond that, calls wait for the oldest start to leave the window. Clones of a client share limiters.
//! With [`RateLimits::shared`], the window is kept in Redis for every process and host on the account
//! ([`shared`]), with this in-process limiter, at a share of each quota, as the fallback.

mod config;
mod local;
mod shared;

pub use config::{redacted_url, RateLimits, SharedPacing, DOCUMENTED_QUOTAS};

use std::sync::Arc;

use local::LocalLimiters;
/// The limiters of one client: in this process, or through Redis with the in-process ones as its fallback.
#[derive(Debug)]
pub(crate) struct Limiters {
    config: RateLimits,
    local: LocalLimiters,
    shared: Option<Arc<shared::SharedLimiter>>,
}

impl Limiters {
    /// The limiters `config` asks for: through Redis when it names a shared backend.
    pub(crate) fn with_backend(config: RateLimits) -> Result<Self, crate::Error> {
        let shared = match (config.shared_pacing(), config.is_enabled()) {
            (Some(pacing), true) => {
                Some(Arc::new(shared::SharedLimiter::new(pacing.clone(), &config, config.window())?))
            }
            _ => None,
        };
        Ok(Limiters { local: LocalLimiters::new(config.clone()), config, shared })
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
            None => self.local.acquire(action).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::Instant;

    use super::local::RateLimiter;
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
