//! Pacing in this process: one sliding-window limiter per action.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::config::RateLimits;

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

/// The in-process limiters of one client (or of a shared one's fallback), made on first use of each action.
#[derive(Debug)]
pub(crate) struct LocalLimiters {
    config: RateLimits,
    by_action: Mutex<HashMap<String, Arc<RateLimiter>>>,
}

impl LocalLimiters {
    pub(crate) fn new(config: RateLimits) -> Self {
        LocalLimiters { config, by_action: Mutex::new(HashMap::new()) }
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
