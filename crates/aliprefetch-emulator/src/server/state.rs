//! What every request handler reads and counts: the shared state, the request counts, the admin API.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

use crate::auth::{Accounts, NonceStore};
use crate::clock::Clock;
use crate::quota::{FaultInjector, Quotas};
use crate::service::Services;

/// Everything a request handler reads.
#[derive(Debug)]
pub struct Shared {
    pub clock: Clock,
    pub accounts: Accounts,
    pub nonces: NonceStore,
    pub quotas: Quotas,
    pub faults: FaultInjector,
    pub services: Services,
    pub requests: RequestCounts,
    pub limits: ConnectionLimits,
    pub sts: crate::fixtures::StsFixtures,
}

/// How many requests were seen per action and outcome (`ok`, an error code, `reset`, or `lost:…` for an
/// executed request whose answer was lost).
#[derive(Debug, Default)]
pub struct RequestCounts {
    pub(super) counts: std::sync::Mutex<std::collections::BTreeMap<(String, String), u64>>,
}

/// One row of [`RequestCounts::snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestCount {
    pub action: String,
    pub outcome: String,
    pub count: u64,
}

impl RequestCounts {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<(String, String), u64>> {
        self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn record(&self, action: &str, outcome: &str) {
        // The number of distinct keys is bounded: actions are checked before any outcome but a refusal of
        // the request line is recorded, and unknown actions are counted under one name.
        let action =
            if action.is_empty() || Services::is_action(action) || crate::sts::knows(crate::sts::STS_VERSION, action) {
                action
            } else {
                "(unknown)"
            };
        let mut counts = self.lock();
        let count = counts.entry((action.to_owned(), outcome.to_owned())).or_default();
        *count = count.saturating_add(1);
    }

    /// Every (action, outcome) seen, sorted.
    pub fn snapshot(&self) -> Vec<RequestCount> {
        self.lock()
            .iter()
            .map(|((action, outcome), count)| RequestCount {
                action: action.clone(),
                outcome: outcome.clone(),
                count: *count,
            })
            .collect()
    }

    pub fn reset(&self) {
        self.lock().clear();
    }
}

/// The reason a connection is closed without an answer (a reset fault).
impl Shared {
    /// Forgets every task, job, configuration, counted request and quota window (nonces are kept: a
    /// reset does not open a window for replays).
    pub fn reset(&self) {
        self.services.reset();
        self.requests.reset();
        self.quotas.reset();
    }
}

/// Limits on connections, so no client can hold the emulator's memory or sockets.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A request's headers must arrive within this (default 10 s); an idle kept-alive connection is
    /// closed after it too.
    pub header_read_timeout: std::time::Duration,
    /// A request's body must arrive within this (default 10 s).
    pub body_timeout: std::time::Duration,
    /// Connections served at once (default 1024); more wait to be accepted.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// The path prefix of the unsigned admin API (tests ask the emulator what it holds).
pub const ADMIN_PREFIX: &str = "/_emulator/";

/// The unsigned admin API: `GET tasks`, `GET refresh_jobs`, `GET requests`, `GET now`,
/// `POST advance?by=DURATION` (or `?ms=N`), `POST reset`. Answers JSON.
pub(super) fn admin(shared: &Shared, route: &str, query: &str) -> Response<Full<Bytes>> {
    let now = shared.clock.now();
    let (status, body) = match route {
        "tasks" => (200, serde_json::json!({ "tasks": shared.services.preload_tasks(now) })),
        "refresh_jobs" => (200, serde_json::json!({ "jobs": shared.services.refresh_jobs() })),
        "requests" => (200, serde_json::json!({ "requests": shared.requests.snapshot() })),
        "now" => (200, serde_json::json!({ "now": aliprefetch::format_timestamp(now) })),
        "advance" => {
            let pairs = form_pairs(query.as_bytes());
            let arg = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            // `by` is a duration with its unit (as every binding's `advance` takes); `ms` the older form.
            let step = match (arg("by"), arg("ms")) {
                (Some(by), _) => aliprefetch::parse_duration("by", by).map_err(|e| e.to_string()),
                (None, Some(ms)) => ms.parse().map(std::time::Duration::from_millis).map_err(|e| format!("ms: {e}")),
                (None, None) => Err("advance needs by=<duration> (90s, 500ms, 1h) or ms=<milliseconds>".to_owned()),
            };
            match step {
                Ok(step) => {
                    shared.clock.advance(step);
                    (200, serde_json::json!({ "now": aliprefetch::format_timestamp(shared.clock.now()) }))
                }
                Err(error) => (400, serde_json::json!({ "error": error })),
            }
        }
        "reset" => {
            shared.reset();
            (200, serde_json::json!({ "reset": true }))
        }
        // A test hook (debug builds only): a handler that panics, to show the emulator recovers.
        #[cfg(debug_assertions)]
        #[allow(clippy::panic, reason = "a test hook that panics on purpose")]
        "panic" => panic!("the admin API's panic hook"),
        _ => (404, serde_json::json!({ "error": format!("no admin route `{route}`") })),
    };
    let mut resp = Response::new(Full::new(Bytes::from(body.to_string())));
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    resp.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    resp
}

pub(super) fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

pub(super) fn is_form(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}
