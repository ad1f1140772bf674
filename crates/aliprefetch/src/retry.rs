//! When and how long to wait before trying a call again.

use std::time::Duration;

/// Retry settings. Default: [`RetryConfig::standard`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 turns retrying off).
    pub(crate) max_attempts: u32,
    /// The first backoff ceiling; it doubles per attempt.
    pub(crate) base_delay: Duration,
    /// The largest backoff ceiling.
    pub(crate) max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub(crate) max_elapsed: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, full-jitter exponential backoff from 200 ms up to 5 s, at most 30 s in all.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
    /// One attempt, no retry.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..Self::standard() }
    }
    /// Attempts in all; 0 is refused when the client is built ([`RetryConfig::validate`]).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }
    /// `n` retries after the first attempt, as the aliyun CLI counts them (`retry_count`): 0 is one attempt.
    pub fn with_retries(self, n: u32) -> Self {
        self.with_max_attempts(n.saturating_add(1))
    }
    /// The first backoff ceiling.
    pub fn with_base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    /// The largest backoff ceiling.
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// No retry starts once this much time has passed since the first attempt.
    pub fn with_max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }
    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Full jitter: a uniform wait in `[0, min(max_delay, base_delay · 2^(attempt-1))]`, but never
    /// shorter than the wait the service asked for.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling = self.base_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(20)).min(self.max_delay);
        let jitter = Duration::from_nanos(fastrand::u64(0..=ceiling.as_nanos() as u64));
        retry_after.map_or(jitter, |ra| ra.max(jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_stay_under_the_ceiling_and_honour_retry_after() {
        let c = RetryConfig::standard();
        for attempt in 1..10 {
            for _ in 0..100 {
                let d = c.delay(attempt, None);
                let ceiling = (c.base_delay * 2u32.pow(attempt - 1)).min(c.max_delay);
                assert!(d <= ceiling, "{d:?} > {ceiling:?}");
            }
        }
        assert!(c.delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
    }
}
