//! Records and enums: the core's requests, responses, reports and value sets in each language's case,
//! with their conversions.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

/// A request's parameters keyed by their API names, as the generated request records (`requests.rs`)
/// hand them to the core's `Operation::from_json`: the same reading and checks as every language's.
#[derive(Default)]
pub(crate) struct Params {
    map: serde_json::Map<String, serde_json::Value>,
    /// The first value that has no wire form (a time past the year 9999, a duration past 64 bits).
    refused: Option<aliprefetch::Error>,
}

impl Params {
    fn put(&mut self, name: &str, value: impl Into<serde_json::Value>) {
        self.map.insert(name.to_owned(), value.into());
    }
    pub(crate) fn text(&mut self, name: &str, v: Option<String>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }
    pub(crate) fn list(&mut self, name: &str, v: Vec<String>) {
        if !v.is_empty() {
            self.put(name, v);
        }
    }
    pub(crate) fn int(&mut self, name: &str, v: Option<i64>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }
    pub(crate) fn count(&mut self, name: &str, v: Option<u32>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }
    pub(crate) fn boolean(&mut self, name: &str, v: Option<bool>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }
    pub(crate) fn time(&mut self, name: &str, v: Option<SystemTime>) {
        let Some(t) = v else { return };
        let secs = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).ok(),
            Err(e) => i64::try_from(e.duration().as_secs()).ok().map(|s| -s),
        };
        match secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()) {
            Some(at) => self.put(name, aliprefetch::format_timestamp(at)),
            None => {
                self.refuse(aliprefetch::Error::invalid_input(name, "time_range", "is outside the years 1 to 9999"))
            }
        }
    }
    /// A duration in the parameter's wire unit (the core's `duration_unit`).
    pub(crate) fn duration(&mut self, name: &str, v: Option<Duration>) {
        let Some(d) = v else { return };
        let unit = aliprefetch::internal::duration_unit(name).unwrap_or(Duration::from_millis(1)).as_nanos().max(1);
        match i64::try_from(d.as_nanos() / unit) {
            Ok(n) => self.put(name, n),
            Err(_) => self.refuse(aliprefetch::Error::invalid_input(name, "range", "is too long a duration")),
        }
    }
    /// A duration option, in seconds (how the core reads options in snake_case).
    pub(crate) fn seconds(&mut self, name: &str, v: Option<Duration>) {
        if let Some(d) = v {
            self.put(name, d.as_secs_f64());
        }
    }
    pub(crate) fn member<C: aliprefetch::WireEnum, E: Into<C>>(&mut self, name: &str, v: Option<E>) {
        if let Some(v) = v {
            self.put(name, v.into().as_str());
        }
    }
    pub(crate) fn members<C: aliprefetch::WireEnum, E: Into<C>>(&mut self, name: &str, v: Vec<E>) {
        let wire: Vec<&str> = v.into_iter().map(|m| m.into().as_str()).collect();
        if !wire.is_empty() {
            self.put(name, wire);
        }
    }
    fn refuse(&mut self, e: aliprefetch::Error) {
        self.refused.get_or_insert(e);
    }
    pub(crate) fn into_map(self) -> Result<serde_json::Map<String, serde_json::Value>, aliprefetch::Error> {
        match self.refused {
            Some(e) => Err(e),
            None => Ok(self.map),
        }
    }
}

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
