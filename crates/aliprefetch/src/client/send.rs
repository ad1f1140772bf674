//! The send path: pacing, signing, the HTTP exchange, retries, and what is refused before sending.

use std::sync::atomic::Ordering;
use std::time::Duration;

use time::OffsetDateTime;
use tracing::Instrument as _;

use super::types::{Call, Client, SignatureVersion, SignedRequest, Trace};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind};
use crate::sign;
use crate::types::Method;

impl Client {
    pub(super) async fn send(&self, call: Call<'_>) -> Result<bytes::Bytes, Error> {
        self.send_traced(call, &mut Trace::default()).await
    }

    pub(super) async fn send_traced(&self, call: Call<'_>, trace: &mut Trace) -> Result<bytes::Bytes, Error> {
        let started = trace.budget_from.unwrap_or_else(tokio::time::Instant::now);
        let retry = &self.inner.retry;
        let mut attempt = 0;
        // Temporary credentials the service called expired are replaced once, at once: the request
        // was refused before anything ran, so repeating it is safe for every operation.
        let mut replaced_expired = false;
        // A refusal for our clock (`InvalidTimeStamp.Expired`) is repeated once, at once, with the clock the
        // refusal's `Date` header taught: the request was refused before anything ran.
        let mut corrected_clock = false;
        loop {
            attempt += 1;
            trace.attempts = attempt;
            let span = tracing::info_span!(
                "aliprefetch.call",
                action = call.action,
                attempt,
                request_id = tracing::field::Empty,
                status = tracing::field::Empty
            );
            let mut used_key = None;
            let offset_before = self.inner.server_clock_offset_ms.load(Ordering::Relaxed);
            let result = async {
                // The quota is the account's: a shared limiter keys it by the AccessKeyId.
                let mut creds = self.inner.credentials.get_at(self.service_time(OffsetDateTime::now_utc())).await?;
                let waited = tokio::time::Instant::now();
                self.inner.limiters.acquire_for(creds.access_key_id(), call.action).await;
                if waited.elapsed() > Duration::from_secs(1) {
                    // Credentials that were close to expiring may have been replaced meanwhile.
                    creds = self.inner.credentials.get_at(self.service_time(OffsetDateTime::now_utc())).await?;
                }
                let paced = waited.elapsed();
                if paced >= Duration::from_millis(1) {
                    tracing::debug!(action = call.action, "waited {} ms for the pacing quota", paced.as_millis());
                }
                check_credentials(&creds)?;
                used_key = creds.security_token().is_some().then(|| creds.access_key_id().to_owned());
                let sent = tokio::time::Instant::now();
                let outcome = self.send_once(&call, &creds).await.map_err(|e| e.redact(&creds.secrets()));
                log_attempt(call.action, attempt, &outcome, sent.elapsed());
                outcome.map(|(body, _, _)| body)
            }
            .instrument(span.clone())
            .await;
            let mut err = match result {
                Ok(body) => return Ok(body),
                Err(e) if e.kind() == ErrorKind::Credentials => return Err(e),
                Err(e) => e,
            };
            if let (Some(key), Some("InvalidSecurityToken.Expired"), false) = (&used_key, err.code(), replaced_expired)
            {
                tracing::info!(
                    action = call.action,
                    "the service says the temporary credentials expired; fetching new ones"
                );
                self.inner.credentials.invalidate(key);
                replaced_expired = true;
                attempt -= 1;
                continue;
            }
            if err.code().is_some_and(crate::error::is_clock_refusal) && !corrected_clock {
                let offset = self.inner.server_clock_offset_ms.load(Ordering::Relaxed);
                // Only a lesson worth a second try: the answer's clock differs from what we signed with.
                if offset.abs_diff(offset_before) >= 1_000 {
                    tracing::warn!(
                        action = call.action,
                        offset_ms = offset,
                        "the service refused our timestamp; signing again with its clock"
                    );
                    corrected_clock = true;
                    attempt -= 1;
                    continue;
                }
            }
            err.set_attempts(attempt);
            if err.may_have_taken_effect() {
                trace.lost_answers += 1;
            }
            // Whether repeating is safe, and may pass: never true for a call that does not converge and
            // may have taken effect (a second SetLiveStreamPreloadTasks would make a second task).
            err.set_converges(call.converges);
            let retryable = err.is_retryable();
            let delay = retry.delay(attempt, err.retry_after());
            let may_retry = retryable && attempt < retry.max_attempts && started.elapsed() + delay <= retry.max_elapsed;
            if !may_retry {
                tracing::debug!(
                    action = call.action,
                    attempts = attempt,
                    "not retried ({}): {}",
                    if retryable { "the retry budget is spent" } else { "not retryable" },
                    err.kind()
                );
                return Err(err);
            }
            tracing::info!(
                action = call.action,
                attempt = attempt + 1,
                max_attempts = retry.max_attempts,
                "retrying in {} ms after {}",
                delay.as_millis(),
                err.code().unwrap_or(&err.kind().to_string())
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Signs a call as it goes on the wire now, with a fresh nonce.
    /// Signs with the service's clock as its answers have told it (see [`Client::service_time`]), so a
    /// device whose clock is wrong still signs within the service's 15-minute window.
    pub(super) fn sign_call(&self, call: &Call<'_>, creds: &Credentials) -> SignedRequest {
        self.sign_call_at(call, creds, self.service_time(OffsetDateTime::now_utc()))
    }

    pub(super) fn sign_call_at(&self, call: &Call<'_>, creds: &Credentials, now: OffsetDateTime) -> SignedRequest {
        let endpoint = self.endpoint(call.service);
        let version = call.service.api_version();
        let nonce = uuid::Uuid::new_v4().simple().encode_lower(&mut uuid::Uuid::encode_buffer()).to_owned();
        let mut url = endpoint.base_url();
        url.reserve(call.params.iter().map(|(k, v)| k.len() + v.len() * 3 + 2).sum::<usize>() + 400);
        let mut headers: Vec<(&'static str, String)> = Vec::with_capacity(10);
        headers.push(("accept", "application/json".to_owned()));
        headers.push(("user-agent", self.inner.user_agent.clone()));
        match self.inner.signature {
            SignatureVersion::V1 => {
                let signed = sign::v1::sign(
                    &sign::v1::Request {
                        method: call.method.as_str(),
                        action: call.action,
                        version,
                        format: "JSON",
                        params: &call.params,
                    },
                    creds,
                    now,
                    &nonce,
                );
                // The canonicalized query is every parameter but the signature, encoded as the URL
                // needs them (sorted): reused rather than encoded a second time.
                url.push('?');
                url.push_str(&signed.canonicalized_query);
                url.push_str("&Signature=");
                crate::encoding::push_percent_encoded(&mut url, &signed.signature);
            }
            SignatureVersion::V3 => sign::v3::sign_for_wire(
                call.method.as_str(),
                &endpoint.authority,
                call.action,
                version,
                &call.params,
                creds,
                now,
                nonce,
                &mut url,
                &mut headers,
            ),
        }
        SignedRequest { method: call.method, url, headers }
    }

    /// Whether calls are paced through the shared backend right now: false without one
    /// ([`RateLimits::shared`]), and while Redis is away and this client paces itself at its share.
    /// Sends one attempt: the answer's body, HTTP status and request id (from its header).
    pub(super) async fn send_once(
        &self,
        call: &Call<'_>,
        creds: &Credentials,
    ) -> Result<(bytes::Bytes, u16, Option<String>), Error> {
        let signed = self.sign_call(call, creds);
        check_sendable(&signed, &call.params)?;
        // Formatted only when the level is wanted.
        tracing::trace!("signed request: {}", signed.redacted().shown());
        let method = match signed.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut req = self.inner.http.request(method, signed.url);
        for (k, v) in signed.headers {
            req = req.header(k, v);
        }
        let resp = req.send().await.map_err(transport_error)?;
        let status = resp.status().as_u16();
        if let Some(date) = resp.headers().get(reqwest::header::DATE).and_then(|v| v.to_str().ok()) {
            if let Some(offset) = crate::http::clock_offset_ms(date, OffsetDateTime::now_utc()) {
                self.inner.server_clock_offset_ms.store(offset, Ordering::Relaxed);
            }
        }
        let header_request_id = resp.headers().get("x-acs-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        // A wait the service asks for, bounded: a larger value is not a real gateway's.
        let retry_after = resp
            .headers()
            .get("x-acs-retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|ms| Duration::from_millis(ms.min(MAX_RETRY_AFTER_MS)));
        if (300..400).contains(&status) {
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "the endpoint answered HTTP {status}, a redirect; the API never redirects, so it was not followed"
                ),
            )
            .with_status(status)
            .with_request_id(header_request_id));
        }
        let body = match crate::http::read_capped(resp, crate::http::MAX_ANSWER_BYTES).await {
            Ok(body) => body,
            Err(crate::http::BodyError::Transport(e)) => return Err(transport_error(e)),
            Err(crate::http::BodyError::TooLarge(cap)) => {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!(
                        "the answer (HTTP {status}) is larger than {} MiB; the API's answers are a few KB",
                        cap >> 20
                    ),
                )
                .with_status(status)
                .with_request_id(header_request_id))
            }
        };
        if (200..300).contains(&status) {
            tracing::Span::current().record("status", status);
            return Ok((body, status, header_request_id));
        }
        let mut e = crate::error::from_response(status, retry_after, &body);
        if e.request_id().is_none() {
            e = e.with_request_id(header_request_id);
        }
        let span = tracing::Span::current();
        span.record("status", status);
        if let Some(id) = e.request_id() {
            span.record("request_id", id);
        }
        Err(e)
    }
}

/// The one line per attempt: action, attempt, HTTP status or failure, error code, request id, time taken.
fn log_attempt(
    action: &str,
    attempt: u32,
    outcome: &Result<(bytes::Bytes, u16, Option<String>), Error>,
    took: Duration,
) {
    let ms = took.as_millis() as u64;
    match outcome {
        Ok((_, status, request_id)) => {
            tracing::debug!(action, attempt, status, request_id = request_id.as_deref().unwrap_or("-"), ms, "request")
        }
        Err(e) => match e.http_status() {
            Some(status) => tracing::debug!(
                action,
                attempt,
                status,
                code = e.code().unwrap_or("-"),
                request_id = e.request_id().unwrap_or("-"),
                ms,
                "request"
            ),
            None => tracing::debug!(action, attempt, failure = %e.kind(), ms, "request: {}", e.message()),
        },
    }
}

/// The longest `x-acs-retry-after` honoured (ms).
pub(super) const MAX_RETRY_AFTER_MS: u64 = 60_000;

pub(super) fn transport_error(e: reqwest::Error) -> Error {
    // The URL carries the V1 signature and STS token: never let it into a message or a source.
    let e = e.without_url();
    // Walk the chain for the underlying cause: reqwest's own message is only "error sending request".
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    if e.is_builder() {
        // The HTTP library refused the request before writing a byte of it (a URI or header it cannot
        // carry): nothing reached the service, and sending it again would fail the same way.
        Error::new(ErrorKind::InvalidInput, format!("the request could not be sent as built: {detail}"))
            .with_source(e)
            .not_sent()
    } else if e.is_timeout() {
        Error::new(ErrorKind::Timeout, format!("timed out: {detail}")).with_source(e)
    } else if e.is_connect() {
        Error::new(ErrorKind::Transport, format!("could not connect: {detail}")).with_source(e).not_sent()
    } else {
        Error::new(ErrorKind::Transport, detail).with_source(e)
    }
}

/// Refuses a request whose URI is longer than [`crate::ops::MAX_URI_BYTES`], before anything is sent. (Its
/// headers are the signer's, built from checked parts: the user agent at `build()`, the credentials by
/// [`check_credentials`], the action by [`check_action`]; anything else the HTTP library still refuses is
/// an `InvalidInput` that was not sent, see `transport_error`.)
pub(super) fn check_sendable(signed: &SignedRequest, params: &[(String, String)]) -> Result<(), Error> {
    if signed.url.len() > crate::ops::MAX_URI_BYTES {
        let (name, bytes) = params
            .iter()
            .map(|(k, v)| (k.as_str(), crate::encoding::percent_encoded_len(v)))
            .max_by_key(|(_, n)| *n)
            .unwrap_or(("the request", 0));
        return Err(Error::invalid_input(
            name,
            "request_size",
            format!(
                "the request's URI would be {} bytes, more than the {} one request may carry ({name} takes {bytes} \
                 bytes encoded); send fewer or shorter values",
                signed.url.len(),
                crate::ops::MAX_URI_BYTES
            ),
        ));
    }
    Ok(())
}

/// An action of [`Client::call`] is an API name (`DescribeLiveStreamsOnlineList`): ASCII letters and
/// digits. It travels in the `x-acs-action` header (V3) and is signed, so anything else is refused here.
pub(super) fn check_action(action: &str) -> Result<(), Error> {
    crate::ops::require("Action", action)?;
    if action.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "Action",
            "format",
            format!("`{}` is not an API action name (ASCII letters and digits)", action.escape_debug()),
        ))
    }
}

/// Where credentials would break a request: the AccessKeyId and the SecurityToken go into headers (V3) or
/// the query (V1), so control characters and whitespace in them mean the source is damaged (a token file
/// read with a stray line, say). Said without showing the value.
pub(super) fn check_credentials(creds: &Credentials) -> Result<(), Error> {
    let bad = |v: &str| v.bytes().position(|b| !(0x21..0x7f).contains(&b));
    let problem = match (bad(creds.access_key_id()), creds.security_token().and_then(bad)) {
        (Some(at), _) => Some(("AccessKeyId", at)),
        (None, Some(at)) => Some(("SecurityToken", at)),
        (None, None) => None,
    };
    match problem {
        Some((what, at)) => Err(Error::new(
            ErrorKind::Credentials,
            format!(
                "the {what} of the credentials from {} holds a control, space or non-ASCII character (byte {at}); \
                 a request cannot carry it",
                creds.provider_name()
            ),
        )
        .not_sent()),
        None => Ok(()),
    }
}
