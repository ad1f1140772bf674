//! The two settings that are enums with data in Kotlin and Swift: the retry policy and the pacing.

use std::collections::HashMap;
use std::time::Duration;

/// How calls are retried.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum RetryPolicy {
    /// 3 attempts, 200 ms full-jitter base, 5 s cap, 30 s in all.
    Standard,
    /// One attempt.
    Disabled,
    Custom {
        max_attempts: i32,
        base_delay: Duration,
        max_delay: Duration,
        max_elapsed: Duration,
    },
}

impl TryFrom<RetryPolicy> for aliprefetch::RetryConfig {
    type Error = aliprefetch::Error;
    fn try_from(r: RetryPolicy) -> Result<Self, aliprefetch::Error> {
        match r {
            RetryPolicy::Standard => Ok(aliprefetch::RetryConfig::standard()),
            RetryPolicy::Disabled => Ok(aliprefetch::RetryConfig::disabled()),
            RetryPolicy::Custom { max_attempts, base_delay, max_delay, max_elapsed } => {
                let max_attempts = u32::try_from(max_attempts)
                    .map_err(|_| aliprefetch::Error::invalid_input("max_attempts", "range", "must be 1 or more"))?;
                aliprefetch::RetryConfig::custom(
                    Some(max_attempts),
                    Some(base_delay),
                    Some(max_delay),
                    Some(max_elapsed),
                )
            }
        }
    }
}

/// How calls are paced.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum RateLimitPolicy {
    /// The documented per-second quota of each action.
    Documented,
    Disabled,
    /// The documented quotas with these per-second limits by action (0 lifts one).
    Custom {
        per_second: HashMap<String, i32>,
    },
}

impl TryFrom<RateLimitPolicy> for aliprefetch::RateLimits {
    type Error = aliprefetch::Error;
    fn try_from(r: RateLimitPolicy) -> Result<Self, aliprefetch::Error> {
        match r {
            RateLimitPolicy::Documented => Ok(aliprefetch::RateLimits::documented()),
            RateLimitPolicy::Disabled => Ok(aliprefetch::RateLimits::disabled()),
            RateLimitPolicy::Custom { per_second } => {
                let mut limits = Vec::with_capacity(per_second.len());
                for (action, n) in per_second {
                    let n = u32::try_from(n).map_err(|_| {
                        aliprefetch::Error::invalid_input(
                            "rate_limits",
                            "range",
                            format!("{action}: must be 0 or more"),
                        )
                    })?;
                    limits.push((action, n));
                }
                // A misspelt action is refused, naming the closest, as in every language.
                aliprefetch::RateLimits::checked_with(limits)
            }
        }
    }
}
