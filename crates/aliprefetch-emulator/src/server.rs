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
use crate::quota::{Fault, FaultInjector, Quotas};
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

/// Answers one request. An `Err` closes the connection without an answer.
pub async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, InjectedReset> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let request_id = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
    let host_id = parts.headers.get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("emulator").to_owned();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let err = ApiError::bad_request("InvalidParameter", "The request body is too large or was cut off.");
            return Ok(answer(Format::Json, &request_id, &host_id, Err(err), "", started, "", peer));
        }
    };
    let query = form_pairs(parts.uri.query().unwrap_or("").as_bytes());
    let form = if is_form(&parts.headers) { form_pairs(&body) } else { Vec::new() };
    let param = |name: &str| query.iter().chain(&form).find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let format =
        if param("Format").is_some_and(|f| f.eq_ignore_ascii_case("xml")) { Format::Xml } else { Format::Json };
    let action = header("x-acs-action").or_else(|| param("Action")).unwrap_or("").to_owned();
    let version = header("x-acs-version").or_else(|| param("Version")).unwrap_or("").to_owned();

    let (result, account) = serve_request(&shared, &parts, &query, &form, &body, &action, &version);
    // Faults strike only requests that would otherwise have been served.
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let result = match (result.is_ok(), shared.faults.draw()) {
        (true, Fault::Reset) => {
            tracing::info!(%peer, action = action.as_str(), account = account.as_str(), outcome = "reset", "fault: connection reset");
            return Err(InjectedReset);
        }
        (true, Fault::Error(e)) => Err(e),
        _ => result,
    };
    Ok(answer(format, &request_id, &host_id, result, &action, started, &account, peer))
}

/// Verifies, throttles and runs one request; returns its result and the account that signed it.
fn serve_request(
    shared: &Shared,
    parts: &http::request::Parts,
    query: &[(String, String)],
    form: &[(String, String)],
    body: &[u8],
    action: &str,
    version: &str,
) -> (Result<Value, ApiError>, String) {
    if action.is_empty() {
        return (Err(ApiError::missing_parameter("Action")), String::new());
    }
    if version.is_empty() {
        return (Err(ApiError::missing_parameter("Version")), String::new());
    }
    let now = shared.clock.now();
    let signed = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        headers: &parts.headers,
        query,
        form,
        body,
    };
    let account = match auth::verify(&signed, &shared.accounts, &shared.nonces, now) {
        Ok(v) => v.access_key_id,
        Err(e) => return (Err(e), String::new()),
    };
    if !Services::knows(version, action) {
        let e = ApiError::new(
            404,
            "InvalidAction.NotFound",
            format!("Specified api {action} of version {version} is not found."),
        );
        return (Err(e), account);
    }
    if let Err(e) = shared.quotas.check(&account, action, now) {
        return (Err(e), account);
    }
    let mut params = Map::new();
    for (k, v) in query.iter().chain(form) {
        if !aliprefetch::sign::v1::COMMON_PARAMS.contains(&k.as_str()) {
            params.insert(k.clone(), Value::String(v.clone()));
        }
    }
    (shared.services.handle(action, &account, &params, now), account)
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
        .header("x-acs-request-id", request_id);
    if let Some(ms) = retry_after {
        builder = builder.header("x-acs-retry-after", ms.to_string());
    }
    builder.body(Full::new(Bytes::from(body))).expect("a valid response")
}

/// Serves connections until `shutdown` resolves, then lets open requests finish (up to 2 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
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
                let shared = shared.clone();
                let service = hyper::service::service_fn(move |req| handle(shared.clone(), peer, req));
                let conn = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), graceful.shutdown()).await;
}
