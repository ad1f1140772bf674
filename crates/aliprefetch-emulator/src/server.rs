//! The HTTP side: one port for both services, keep-alive, concurrent connections, clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Map, Value};

use crate::auth::{self, Accounts, NonceStore, SignedRequest};
use crate::clock::Clock;
use crate::quota::{Fault, FaultInjector, LostAnswer, Quotas};
use crate::response::{self, ApiError, Format};
use crate::service::Services;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

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
    counts: std::sync::Mutex<std::collections::BTreeMap<(String, String), u64>>,
}

/// One row of [`RequestCounts::snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestCount {
    pub action: String,
    pub outcome: String,
    pub count: u64,
}

impl RequestCounts {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<(String, String), u64>> {
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
#[derive(Debug)]
pub struct InjectedReset;

impl std::fmt::Display for InjectedReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for InjectedReset {}

fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn is_form(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}

/// The path prefix of the unsigned admin API (tests ask the emulator what it holds).
pub const ADMIN_PREFIX: &str = "/_emulator/";

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

/// Answers one request. An `Err` closes the connection without an answer. A panic in a handler is
/// answered with a 500 and logged; the emulator's state stays usable.
pub async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    use futures::FutureExt as _;
    let request_shared = shared.clone();
    match std::panic::AssertUnwindSafe(handle_request(request_shared, peer, req)).catch_unwind().await {
        Ok(answer) => answer,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(%peer, panic = what.as_str(), "a handler panicked; answered 500");
            shared.requests.record("", "panic");
            let request_id = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
            let e = crate::response::fault_error("InternalError");
            Ok(answer(Format::Json, &request_id, "emulator", Err(e), "", Instant::now(), "", peer, shared.clock.now()))
        }
    }
}

async fn handle_request(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    if let Some(route) = parts.uri.path().strip_prefix(ADMIN_PREFIX) {
        return Ok(admin(&shared, route, parts.uri.query().unwrap_or("")));
    }
    let request_id = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
    let host_id = parts.headers.get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("emulator").to_owned();
    let ctx = AnswerContext { request_id: &request_id, host_id: &host_id, started, peer, shared: &shared };
    let collected = tokio::time::timeout(shared.limits.body_timeout, Limited::new(body, MAX_BODY).collect()).await;
    let body = match collected {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(_)) | Err(_) => {
            let err = ApiError::bad_request("InvalidParameter", "The request body is too large or was cut off.");
            return Ok(ctx.answer(Format::Json, Err(err), "", ""));
        }
    };
    let query = form_pairs(parts.uri.query().unwrap_or("").as_bytes());
    let form = if is_form(&parts.headers) { form_pairs(&body) } else { Vec::new() };
    let param = |name: &str| query.iter().chain(&form).find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let format =
        if param("Format").is_some_and(|f| f.eq_ignore_ascii_case("xml")) { Format::Xml } else { Format::Json };
    // Dispatch on what the signature covers: the x-acs-* headers of a V3 request (which must sign them),
    // the parameters of a V1 request; never an unsigned header.
    let (action, version) = if parts.headers.contains_key(http::header::AUTHORIZATION) {
        (header("x-acs-action"), header("x-acs-version"))
    } else {
        (param("Action"), param("Version"))
    };
    let (action, version) = (action.unwrap_or("").to_owned(), version.unwrap_or("").to_owned());

    // AssumeRoleWithOIDC is unsigned: the OIDC token in its parameters is the proof. It is answered
    // under the caller's role (the log names no access key, since there is none yet).
    if version == crate::sts::STS_VERSION && action == "AssumeRoleWithOIDC" {
        let now = shared.clock.now();
        let params = api_params(&query, &form);
        let result = crate::sts::assume_role_with_oidc(&shared.sts, &shared.accounts, &params, now);
        return Ok(ctx.answer(format, result, &action, "oidc"));
    }
    let account = match admit(&shared, &parts, &query, &form, &body, &action, &version) {
        Ok(account) => account,
        Err((e, account)) => return Ok(ctx.answer(format, Err(e), &action, &account)),
    };
    // Faults before execution: nothing is created or changed.
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match shared.faults.draw() {
        Fault::Reset => {
            shared.requests.record(&action, "reset");
            tracing::info!(%peer, action = action.as_str(), account = account.as_str(), outcome = "reset", "fault: connection reset before execution");
            return Err(InjectedReset);
        }
        Fault::Error(e) => return Ok(ctx.answer(format, Err(e), &action, &account)),
        Fault::None => {}
    }
    let now = shared.clock.now();
    if let Err(e) = shared.quotas.check(&account, &action, now) {
        return Ok(ctx.answer(format, Err(e), &action, &account));
    }
    let result = if crate::sts::knows(&version, &action) {
        crate::sts::assume_role(&shared.sts, &shared.accounts, &api_params(&query, &form), now)
    } else {
        execute(&shared, &action, &account, &query, &form, now)
    };
    // Faults after execution: the effect stands, the answer is lost.
    match shared.faults.draw_after() {
        None => Ok(ctx.answer(format, result, &action, &account)),
        Some(lost) => {
            tracing::info!(%peer, action = action.as_str(), account = account.as_str(), ?lost, "fault: executed, answer lost");
            match lost {
                LostAnswer::Reset => {
                    shared.requests.record(&action, "lost:reset");
                    Err(InjectedReset)
                }
                LostAnswer::InternalError => {
                    shared.requests.record(&action, "lost:InternalError");
                    let e = crate::response::fault_error("InternalError");
                    Ok(ctx.answer_unrecorded(format, Err(e), &action, &account))
                }
                LostAnswer::Delay(d) => {
                    shared.requests.record(&action, "lost:delay");
                    tokio::time::sleep(d).await;
                    Ok(ctx.answer_unrecorded(format, result, &action, &account))
                }
            }
        }
    }
}

/// Verifies the signature and the action; returns the account that signed the request, or the refusal
/// (with the account when it is known).
fn admit(
    shared: &Shared,
    parts: &http::request::Parts,
    query: &[(String, String)],
    form: &[(String, String)],
    body: &[u8],
    action: &str,
    version: &str,
) -> Result<String, (ApiError, String)> {
    if action.is_empty() {
        return Err((ApiError::missing_parameter("Action"), String::new()));
    }
    if version.is_empty() {
        return Err((ApiError::missing_parameter("Version"), String::new()));
    }
    let signed = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        headers: &parts.headers,
        query,
        form,
        body,
    };
    let account = match auth::verify(&signed, &shared.accounts, &shared.nonces, shared.clock.now()) {
        Ok(v) => v.access_key_id,
        Err(e) => return Err((e, String::new())),
    };
    if !Services::knows(version, action) && !crate::sts::knows(version, action) {
        let e = ApiError::new(
            404,
            "InvalidAction.NotFound",
            format!("Specified api {action} of version {version} is not found."),
        );
        return Err((e, account));
    }
    Ok(account)
}

/// Runs an admitted request against the services' state.
fn execute(
    shared: &Shared,
    action: &str,
    account: &str,
    query: &[(String, String)],
    form: &[(String, String)],
    now: time::OffsetDateTime,
) -> Result<Value, ApiError> {
    shared.services.handle(action, account, &api_params(query, form), now)
}

/// A request's own parameters (query and form; common and signature parameters left out).
fn api_params(query: &[(String, String)], form: &[(String, String)]) -> Map<String, Value> {
    let mut params = Map::new();
    for (k, v) in query.iter().chain(form) {
        if !aliprefetch::sign::v1::COMMON_PARAMS.contains(&k.as_str()) {
            params.insert(k.clone(), Value::String(v.clone()));
        }
    }
    params
}

/// The unsigned admin API: `GET tasks`, `GET refresh_jobs`, `GET requests`, `GET now`,
/// `POST advance?ms=N`, `POST reset`. Answers JSON.
fn admin(shared: &Shared, route: &str, query: &str) -> Response<Full<Bytes>> {
    let now = shared.clock.now();
    let (status, body) = match route {
        "tasks" => (200, serde_json::json!({ "tasks": shared.services.preload_tasks(now) })),
        "refresh_jobs" => (200, serde_json::json!({ "jobs": shared.services.refresh_jobs() })),
        "requests" => (200, serde_json::json!({ "requests": shared.requests.snapshot() })),
        "now" => (200, serde_json::json!({ "now": aliprefetch::format_timestamp(now) })),
        "advance" => {
            let ms =
                form_pairs(query.as_bytes()).into_iter().find(|(k, _)| k == "ms").and_then(|(_, v)| v.parse().ok());
            match ms {
                Some(ms) => {
                    shared.clock.advance(std::time::Duration::from_millis(ms));
                    (200, serde_json::json!({ "now": aliprefetch::format_timestamp(shared.clock.now()) }))
                }
                None => (400, serde_json::json!({ "error": "advance needs ms=<milliseconds>" })),
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

impl Shared {
    /// Forgets every task, job, configuration, counted request and quota window (nonces are kept: a
    /// reset does not open a window for replays).
    pub fn reset(&self) {
        self.services.reset();
        self.requests.reset();
        self.quotas.reset();
    }
}

/// What every answer of one request shares.
struct AnswerContext<'a> {
    request_id: &'a str,
    host_id: &'a str,
    started: Instant,
    peer: SocketAddr,
    shared: &'a Shared,
}

impl AnswerContext<'_> {
    fn answer(
        &self,
        format: Format,
        result: Result<Value, ApiError>,
        action: &str,
        account: &str,
    ) -> Response<Full<Bytes>> {
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) => e.code.as_str(),
        };
        self.shared.requests.record(action, outcome);
        self.answer_unrecorded(format, result, action, account)
    }

    fn answer_unrecorded(
        &self,
        format: Format,
        result: Result<Value, ApiError>,
        action: &str,
        account: &str,
    ) -> Response<Full<Bytes>> {
        answer(
            format,
            self.request_id,
            self.host_id,
            result,
            action,
            self.started,
            account,
            self.peer,
            self.shared.clock.now(),
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn answer(
    format: Format,
    request_id: &str,
    host_id: &str,
    result: Result<Value, ApiError>,
    action: &str,
    started: Instant,
    account: &str,
    peer: SocketAddr,
    now: time::OffsetDateTime,
) -> Response<Full<Bytes>> {
    let (status, body, retry_after, code) = match result {
        Ok(v) => (200, response::success_body(format, action, request_id, v), None, "ok".to_owned()),
        Err(e) => (e.status, response::error_body(format, &e, request_id, host_id), e.retry_after_ms, e.code.clone()),
    };
    let latency_us = started.elapsed().as_micros() as u64;
    tracing::info!(%peer, action, account, status, outcome = code.as_str(), latency_us, request_id, "request");
    let mut builder = Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, format.content_type())
        .header("x-acs-request-id", request_id)
        // The service's clock, so a client can tell how far its own is off (the emulator's may be advanced).
        .header(http::header::DATE, http_date(now));
    if let Some(ms) = retry_after {
        builder = builder.header("x-acs-retry-after", ms.to_string());
    }
    builder.body(Full::new(Bytes::from(body))).unwrap_or_else(|_| {
        let mut resp = Response::new(Full::new(Bytes::new()));
        *resp.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        resp
    })
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's IMF-fixdate).
pub fn http_date(t: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'_>] = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.to_offset(time::UtcOffset::UTC).format(FORMAT).unwrap_or_default()
}

/// Serves connections until `shutdown` resolves, then lets open requests finish (up to 2 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let slots = Arc::new(tokio::sync::Semaphore::new(shared.limits.max_connections.max(1)));
    loop {
        // Past the connection cap, new connections wait in the listen backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let header_read_timeout = shared.limits.header_read_timeout;
                let shared = shared.clone();
                let service = hyper::service::service_fn(move |req| handle(shared.clone(), peer, req));
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(header_read_timeout)
                    .keep_alive(true)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                    drop(slot);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), graceful.shutdown()).await;
}
