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
    /// The last 200 answered requests, newest last (what the inspector lists).
    recent: std::sync::Mutex<std::collections::VecDeque<RecentRequest>>,
}

/// How many answered requests the inspector lists.
pub const RECENT: usize = 200;

/// One answered request as the inspector lists it. Every text is bounded, and a security token is shown as
/// `<redacted>` (the string to sign of a V1 request carries it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecentRequest {
    /// The emulator's clock when it answered.
    pub time: String,
    pub action: String,
    pub access_key_id: String,
    /// `ok` or the error code.
    pub outcome: String,
    /// The error's message (for a refused signature: the server's string to sign).
    pub message: String,
    /// The server's canonical request of a refused V3 signature.
    pub canonical_request: Option<String>,
}

/// At most `max` characters of `text`, with every security token in it replaced by `<redacted>`.
pub fn shown(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    // In a V1 string to sign (percent-encoded once more), in a canonical query, and as a V3 header line.
    for marker in ["SecurityToken%253D", "SecurityToken%3D", "SecurityToken=", "x-acs-security-token:"] {
        let mut parts = out.split(marker);
        let mut rebuilt = parts.next().unwrap_or_default().to_owned();
        for part in parts {
            // The value runs to the next parameter or line.
            let cut = [part.find('&'), part.find('\n'), part.find("%26")].into_iter().flatten().min();
            rebuilt.push_str(marker);
            rebuilt.push_str("<redacted>");
            rebuilt.push_str(cut.and_then(|c| part.get(c..)).unwrap_or_default());
        }
        out = rebuilt;
    }
    out
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
        self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Keeps an answered request for the inspector (the oldest goes beyond 200).
    pub fn record_recent(&self, request: RecentRequest) {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if recent.len() >= RECENT {
            recent.pop_front();
        }
        recent.push_back(request);
    }

    /// The answered requests kept, newest first.
    pub fn recent(&self) -> Vec<RecentRequest> {
        self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().rev().cloned().collect()
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

/// The inspector: one page of plain HTML and a little JS over the admin API (no build step; every value it
/// shows is set as text, never as markup).
const INSPECTOR: &str = include_str!("inspector.html");

/// The unsigned admin API: `GET tasks`, `GET refresh_jobs`, `GET requests`, `GET recent` (the last answered
/// requests), `GET now`, `POST advance?by=DURATION` (or `?ms=N`), `POST reset`, `GET faults` and `POST
/// faults?error_rate=…&errors=…&reset_rate=…&latency_ms=…&ambiguous_rate=…` (the keys given change). Answers
/// JSON; `GET /_emulator/` is the inspector page.
pub(super) fn admin(shared: &Shared, route: &str, query: &str) -> Response<Full<Bytes>> {
    if route.is_empty() {
        let mut resp = Response::new(Full::new(Bytes::from_static(INSPECTOR.as_bytes())));
        let headers = resp.headers_mut();
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(
            http::header::CONTENT_SECURITY_POLICY,
            http::HeaderValue::from_static("default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"),
        );
        return resp;
    }
    let now = shared.clock.now();
    let (status, body) = match route {
        "recent" => (200, serde_json::json!({ "requests": shared.requests.recent() })),
        "faults" if query.is_empty() => (200, serde_json::json!({ "faults": shared.faults.get() })),
        "faults" => match faults_from(shared.faults.get(), query).and_then(|f| shared.faults.set(f)) {
            Ok(()) => (200, serde_json::json!({ "faults": shared.faults.get() })),
            Err(error) => (400, serde_json::json!({ "error": error })),
        },
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

/// `faults` with the keys of `query` changed: the rates and `latency_ms` as numbers, `errors` comma-separated.
fn faults_from(mut faults: crate::fixtures::Faults, query: &str) -> Result<crate::fixtures::Faults, String> {
    for (key, value) in form_pairs(query.as_bytes()) {
        let rate = || value.trim().parse::<f64>().map_err(|_| format!("{key}: `{value}` is not a number"));
        match key.as_str() {
            "error_rate" => faults.error_rate = rate()?,
            "reset_rate" => faults.reset_rate = rate()?,
            "ambiguous_rate" => faults.ambiguous_rate = rate()?,
            "latency_ms" => {
                faults.latency_ms =
                    value.trim().parse().map_err(|_| format!("latency_ms: `{value}` is not a whole number"))?
            }
            "errors" => {
                faults.errors = value.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()
            }
            other => {
                return Err(format!(
                    "`{other}` is not a fault (error_rate, errors, reset_rate, latency_ms, ambiguous_rate)"
                ))
            }
        }
    }
    // The same bounds as the fixtures', and a latency no longer than an answer may be held back.
    faults.latency_ms = faults.latency_ms.min(60_000);
    Ok(faults)
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
