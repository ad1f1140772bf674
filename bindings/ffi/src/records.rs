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
        max_attempts: u32,
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
        per_second: HashMap<String, u32>,
    },
}

impl From<RateLimitPolicy> for aliprefetch::RateLimits {
    fn from(r: RateLimitPolicy) -> Self {
        match r {
            RateLimitPolicy::Documented => aliprefetch::RateLimits::documented(),
            RateLimitPolicy::Disabled => aliprefetch::RateLimits::disabled(),
            RateLimitPolicy::Custom { per_second } => aliprefetch::RateLimits::documented_with(per_second),
        }
    }
}
