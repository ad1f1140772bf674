//! Answers: their headers, format and logging, and the reset a fault injects instead of one.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::Value;

use super::state::Shared;
use crate::response::{self, ApiError, Format};

#[derive(Debug)]
pub struct InjectedReset;

impl std::fmt::Display for InjectedReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for InjectedReset {}

/// What every answer of one request shares.
pub(super) struct AnswerContext<'a> {
    pub(super) request_id: &'a str,
    pub(super) host_id: &'a str,
    pub(super) started: Instant,
    pub(super) peer: SocketAddr,
    pub(super) shared: &'a Shared,
}

impl AnswerContext<'_> {
    pub(super) fn answer(
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
        let (message, canonical_request) = match &result {
            Ok(_) => (String::new(), None),
            Err(e) => (
                super::state::shown(&e.message, 4096),
                e.canonical_request.as_deref().map(|c| super::state::shown(c, 16_384)),
            ),
        };
        self.shared.requests.record_recent(super::state::RecentRequest {
            time: aliprefetch::format_timestamp(self.shared.clock.now()),
            action: super::state::shown(action, 128),
            access_key_id: super::state::shown(account, 128),
            outcome: super::state::shown(outcome, 128),
            message,
            canonical_request,
        });
        self.answer_unrecorded(format, result, action, account)
    }

    pub(super) fn answer_unrecorded(
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
pub(super) fn answer(
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
