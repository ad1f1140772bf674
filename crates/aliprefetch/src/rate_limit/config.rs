//! What pacing is configured with: the per-action quotas, and where they are shared.

use std::collections::HashMap;
use std::time::Duration;

use crate::error::Error;

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
    pub(super) fn scaled(&self, share: f64) -> RateLimits {
        let per_second =
            self.per_second.iter().map(|(a, n)| (a.clone(), ((f64::from(*n) * share).floor() as u32).max(1))).collect();
        RateLimits { per_second, slack: self.slack, enabled: self.enabled, shared: None }
    }
    pub(super) fn window(&self) -> Duration {
        Duration::from_secs(1) + self.slack
    }
}

/// Where and how pacing is shared: a Redis URL and what goes with it.
///
/// `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS), with optional query parameters
/// `key_prefix` (default `aliprefetch`), `account` (the name the window is kept under, default the
/// AccessKeyId: give the account's id when role sessions, each with its own temporary AccessKeyId,
/// share its quota), `fallback_share` (0 < share ≤ 1, default 0.25) and `timeout_ms` (each Redis round
/// trip, default 200). `Debug` hides the password.
#[derive(Clone, PartialEq)]
pub struct SharedPacing {
    /// The URL Redis is reached at, without our query parameters.
    pub(super) redis_url: String,
    pub(super) key_prefix: String,
    /// Keys the window by this name instead of the AccessKeyId.
    pub(super) account: Option<String>,
    pub(super) fallback_share: f64,
    pub(super) timeout: Duration,
}

impl std::fmt::Debug for SharedPacing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedPacing")
            .field("redis_url", &redacted_url(&self.redis_url))
            .field("key_prefix", &self.key_prefix)
            .field("account", &self.account)
            .field("fallback_share", &self.fallback_share)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The URL with its user information (name and password) replaced by `***`: everything between the
/// scheme and the **last** `@` of the whole text.
///
/// The last `@` counts, not the end of the authority, because a password may hold `/`, `?` or `#` (a
/// base64 secret often does) that the user did not percent-encode: the authority would then seem to
/// end inside the password, and its rest would show. An `@` later in the text (in a query) only widens
/// what is hidden. The user name is hidden too: some write the password in its place.
pub fn redacted_url(url: &str) -> String {
    let (prefix, rest) = url.find("://").map_or(("", url), |i| url.split_at(i + 3));
    match rest.rsplit_once('@') {
        Some((_, host)) => format!("{prefix}***@{host}"),
        None => url.to_owned(),
    }
}

impl SharedPacing {
    /// Reads a `redis://` or `rediss://` URL (field `rate_limit_url`: rule `format` for a URL Redis
    /// would not take or a parameter we do not know, `range` for a share or timeout out of bounds).
    pub fn from_url(url: &str) -> Result<SharedPacing, Error> {
        let bad = |rule: &str, why: String| Error::invalid_input("rate_limit_url", rule, why);
        let url = url.trim();
        if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
            return Err(bad("format", format!("must start with redis:// or rediss://, got `{}`", redacted_url(url))));
        }
        let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
        let mut pacing = SharedPacing {
            redis_url: base.to_owned(),
            key_prefix: "aliprefetch".to_owned(),
            account: None,
            fallback_share: 0.25,
            timeout: Duration::from_millis(200),
        };
        let mut passed = Vec::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()).into_owned() {
            match k.as_str() {
                "key_prefix" => {
                    if v.is_empty() || v.len() > 200 || v.chars().any(char::is_control) {
                        return Err(bad("format", "key_prefix must be 1 to 200 printable characters".into()));
                    }
                    pacing.key_prefix = v;
                }
                "account" => {
                    if v.is_empty() || v.len() > 200 || v.chars().any(char::is_control) {
                        return Err(bad("format", "account must be 1 to 200 printable characters".into()));
                    }
                    pacing.account = Some(v);
                }
                "fallback_share" => {
                    pacing.fallback_share =
                        v.parse::<f64>().ok().filter(|s| *s > 0.0 && *s <= 1.0).ok_or_else(|| {
                            bad("range", format!("fallback_share must be above 0 and at most 1, got `{v}`"))
                        })?;
                }
                "timeout_ms" => {
                    let ms = v
                        .parse::<u64>()
                        .ok()
                        .filter(|ms| (1..=10_000).contains(ms))
                        .ok_or_else(|| bad("range", format!("timeout_ms must be 1 to 10000, got `{v}`")))?;
                    pacing.timeout = Duration::from_millis(ms);
                }
                // Redis's own parameters (e.g. `protocol`) go on to Redis.
                _ => passed.push(if v.is_empty() { k } else { format!("{k}={v}") }),
            }
        }
        if !passed.is_empty() {
            pacing.redis_url = format!("{base}?{}", passed.join("&"));
        }
        redis::Client::open(pacing.redis_url.as_str())
            .map_err(|e| bad("format", format!("Redis does not take `{}`: {}", redacted_url(url), e.kind_str())))?;
        Ok(pacing)
    }
    /// The key prefix (default `aliprefetch`).
    pub fn key_prefix(&self) -> &str {
        &self.key_prefix
    }
    /// The name the window is kept under instead of the AccessKeyId, if any.
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }
    /// The share of each quota a client paces itself at while Redis is away (default 0.25).
    pub fn fallback_share(&self) -> f64 {
        self.fallback_share
    }
    /// The longest wait for one Redis round trip (default 200 ms).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

pub(super) trait KindStr {
    fn kind_str(&self) -> String;
}

impl KindStr for redis::RedisError {
    /// The error's category, never its text (which may quote the URL).
    fn kind_str(&self) -> String {
        format!("{:?}", self.kind())
    }
}
