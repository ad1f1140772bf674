//! The async client: signs, sends, retries and paces every call.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tracing::Instrument as _;

use crate::credentials::{Credentials, CredentialsCache, ProvideCredentials, ProviderChain, StaticProvider};
pub use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind};
use crate::ops::describe_live_stream_preload_tasks::{
    DescribeLiveStreamPreloadTasksRequest, DescribeLiveStreamPreloadTasksResponse,
};
use crate::ops::hot_live_rtc_stream::{HotLiveRtcStreamRequest, HotLiveRtcStreamResponse};
use crate::ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, RefreshMediaPlayUrlsResponse};
use crate::ops::set_live_stream_preload_tasks::{SetLiveStreamPreloadTasksRequest, SetLiveStreamPreloadTasksResponse};
use crate::ops::update_live_pull_to_push::{UpdateLivePullToPushRequest, UpdateLivePullToPushResponse};
use crate::ops::{AnyRequest, AnyResponse, Operation};
use crate::rate_limit::{Limiters, RateLimits};
use crate::retry::RetryConfig;
use crate::sign;
use crate::types::{Method, Service};

/// Which signature the client puts on requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// RPC V1, HMAC-SHA1 in a `Signature` parameter.
    V1,
    /// ACS3-HMAC-SHA256 in the `Authorization` header (the default, as in the current official SDKs).
    #[default]
    V3,
}

impl std::str::FromStr for SignatureVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "v1" | "1" | "1.0" | "hmac-sha1" => Ok(SignatureVersion::V1),
            "v3" | "3" | "acs3-hmac-sha256" => Ok(SignatureVersion::V3),
            _ => Err(Error::invalid_input("signature_version", "enum", format!("`{s}` is not one of v1, v3"))),
        }
    }
}

/// Builds a [`Client`]. Every default is stated next to its setter.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    region: String,
    endpoint: Option<String>,
    live_endpoint: Option<String>,
    vod_endpoint: Option<String>,
    allow_insecure_http: bool,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature: SignatureVersion,
    connect_timeout: Duration,
    read_timeout: Duration,
    attempt_timeout: Option<Duration>,
    retry: RetryConfig,
    rate_limits: RateLimits,
    user_agent: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: "cn-shanghai".to_owned(),
            endpoint: None,
            live_endpoint: None,
            vod_endpoint: None,
            allow_insecure_http: false,
            credentials: None,
            signature: SignatureVersion::V3,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            attempt_timeout: None,
            retry: RetryConfig::standard(),
            rate_limits: RateLimits::documented(),
            user_agent: None,
        }
    }
}

impl ClientBuilder {
    /// The region (default `cn-shanghai`). It picks the VOD endpoint; Live has one global endpoint.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }
    /// One endpoint for both services (the emulator serves both): `host`, `host:port` or a URL.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }
    /// The Live endpoint only (default `live.aliyuncs.com`).
    pub fn live_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.live_endpoint = Some(endpoint.into());
        self
    }
    /// The VOD endpoint only (default from the region, see api.md).
    pub fn vod_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.vod_endpoint = Some(endpoint.into());
        self
    }
    /// Allows plain http to a host that is not loopback (default: refused).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }
    /// Fixed credentials (default: the default chain, see [`crate::credentials`]).
    pub fn credentials(mut self, creds: Credentials) -> Self {
        self.credentials = Some(Arc::new(StaticProvider::new(creds)));
        self
    }
    /// A credentials provider (default: the default chain).
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }
    /// V3 (default) or V1.
    pub fn signature_version(mut self, v: SignatureVersion) -> Self {
        self.signature = v;
        self
    }
    /// Default 5 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// The longest wait for response data (default 10 s).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = d;
        self
    }
    /// The longest one attempt may take in all, from connecting to the last byte of the answer (default:
    /// the connect timeout plus the read timeout). The read timeout alone restarts with every byte, so a
    /// server that trickles its answer would otherwise hold a call for as long as it likes.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }
    /// Default [`RetryConfig::standard`]: 3 attempts.
    pub fn retry(mut self, r: RetryConfig) -> Self {
        self.retry = r;
        self
    }
    /// Default [`RateLimits::documented`].
    pub fn rate_limits(mut self, r: RateLimits) -> Self {
        self.rate_limits = r;
        self
    }
    /// Default `aliprefetch/<version> (rust)`.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Builds the client. Fails on an endpoint that cannot be used; never silently.
    pub fn build(self) -> Result<Client, Error> {
        if self.region.trim().is_empty() {
            return Err(Error::invalid_input("region", "required", "is required"));
        }
        self.retry.validate()?;
        if let Some(ua) = &self.user_agent {
            if let Some(at) = ua.bytes().position(|b| !(b == b'\t' || (0x20..0x7f).contains(&b))) {
                return Err(Error::invalid_input(
                    "user_agent",
                    "header_value",
                    format!("holds a control or non-ASCII character (byte {at}), which an HTTP header cannot carry"),
                ));
            }
        }
        let pick = |specific: &Option<String>, service: Service| -> Result<Endpoint, Error> {
            match specific.as_ref().or(self.endpoint.as_ref()) {
                Some(e) => Endpoint::parse(e, self.allow_insecure_http),
                None => Ok(Endpoint {
                    scheme: "https".to_owned(),
                    authority: service.endpoint_host(&self.region).to_owned(),
                }),
            }
        };
        let live = pick(&self.live_endpoint, Service::Live)?;
        let vod = pick(&self.vod_endpoint, Service::Vod)?;
        // Proxies from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) apply to the cloud's endpoints,
        // never to this machine: a local emulator must not be reached through, or leak to, a proxy.
        let loopback = |e: &Endpoint| crate::http::is_loopback_host(e.host());
        let http = crate::http::build_client(&crate::http::HttpSettings {
            connect_timeout: self.connect_timeout,
            read_timeout: Some(self.read_timeout),
            total_timeout: self.attempt_timeout.unwrap_or(self.connect_timeout.saturating_add(self.read_timeout)),
            pool_idle_timeout: Some(Duration::from_secs(60)),
            direct: loopback(&live) && loopback(&vod),
        })?;
        let provider = self.credentials.unwrap_or_else(|| Arc::new(ProviderChain::default_chain()));
        let limiters = Limiters::with_backend(self.rate_limits)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                region: self.region,
                live,
                vod,
                credentials: CredentialsCache::new(provider),
                signature: self.signature,
                retry: self.retry,
                limiters,
                server_clock_offset_ms: AtomicI64::new(0),
                user_agent: self
                    .user_agent
                    .unwrap_or_else(|| format!("aliprefetch/{} (rust)", env!("CARGO_PKG_VERSION"))),
            }),
        })
    }
}

/// The client. Cheap to clone: clones share connections, credentials and rate limiters.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    region: String,
    live: Endpoint,
    vod: Endpoint,
    credentials: CredentialsCache,
    signature: SignatureVersion,
    retry: RetryConfig,
    limiters: Limiters,
    /// The service's clock minus ours, from the `Date` header of the last answer (second resolution).
    server_clock_offset_ms: AtomicI64,
    user_agent: String,
}

/// What happened on the way to a call's result, for the batch engine.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Trace {
    /// Attempts made.
    pub attempts: u32,
    /// Attempts that were sent and got no definitive answer (the request may have taken effect).
    pub lost_answers: u32,
    /// When the retry budget (`max_elapsed`) began, when it is not this call's own start: a batch spends
    /// one budget on all the requests and waits of one chunk.
    pub budget_from: Option<tokio::time::Instant>,
}

/// A request signed for the wire (from [`Client::presign`]). Its `Debug` hides the signature and the
/// STS token, which the URL (V1) or the headers (V3) carry.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: Method,
    /// The endpoint with the query string: the operation's parameters, and for V1 the common and
    /// signature parameters.
    pub url: String,
    /// Every header the client sends besides `host` (V3: `authorization` and the `x-acs-*` headers),
    /// names in lower case.
    pub headers: Vec<(&'static str, String)>,
}

impl SignedRequest {
    /// A copy safe to show: the signature and the STS token (query parameters for V1, headers for
    /// V3) replaced by `<redacted>`. `Debug` prints this; bindings use it for their own displays.
    pub fn redacted(&self) -> SignedRequest {
        const SECRET_PARAMS: [&str; 2] = ["Signature", "SecurityToken"];
        const SECRET_HEADERS: [&str; 2] = ["authorization", "x-acs-security-token"];
        let url = match self.url.split_once('?') {
            Some((base, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=<redacted>"),
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{base}?{}", pairs.join("&"))
            }
            None => self.url.clone(),
        };
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str());
                (*k, if secret { "<redacted>".to_owned() } else { v.clone() })
            })
            .collect();
        SignedRequest { method: self.method, url, headers }
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.redacted();
        f.debug_struct("SignedRequest")
            .field("method", &shown.method)
            .field("url", &shown.url)
            .field("headers", &shown.headers)
            .finish()
    }
}

/// A call as the send path sees it.
struct Call<'a> {
    service: Service,
    action: &'a str,
    method: Method,
    params: Vec<(String, String)>,
    converges: bool,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The endpoint of a service.
    pub fn endpoint(&self, service: Service) -> &Endpoint {
        match service {
            Service::Live => &self.inner.live,
            Service::Vod => &self.inner.vod,
        }
    }

    /// Validates, sends and decodes any of the five operations.
    pub async fn execute<O: Operation>(&self, request: &O) -> Result<O::Response, Error> {
        self.execute_traced(request, &mut Trace::default()).await
    }

    /// [`Client::execute`], noting attempts and lost answers in `trace`.
    pub(crate) async fn execute_traced<O: Operation>(
        &self,
        request: &O,
        trace: &mut Trace,
    ) -> Result<O::Response, Error> {
        request.validate_at(self.service_time(OffsetDateTime::now_utc()))?;
        let call = Call {
            service: O::SERVICE,
            action: O::ACTION,
            method: O::METHOD,
            params: request.to_params(),
            converges: O::CONVERGES,
        };
        crate::ops::params_sendable(&call.params)?;
        let body = self.send_traced(call, trace).await?;
        // A 2xx the client cannot read is a Decode error: executed as far as anyone can tell, and never
        // retryable (`Error::is_retryable`).
        crate::ops::decode(O::ACTION, &body).and_then(|answer| O::check_answer(&answer).map(|()| answer))
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The credentials the next call signs with, fetched or refreshed as a call would: to see which
    /// identity and which provider a client uses (`Debug` shows the key id and the provider only).
    pub async fn current_credentials(&self) -> Result<Credentials, Error> {
        self.inner.credentials.get_at(self.service_time(OffsetDateTime::now_utc())).await
    }

    /// An instant of our clock on the service's, as far as the `Date` headers of its answers tell
    /// (whole seconds); unchanged before any answer came.
    pub(crate) fn service_time(&self, local: OffsetDateTime) -> OffsetDateTime {
        let offset = self.inner.server_clock_offset_ms.load(Ordering::Relaxed);
        local.saturating_add(time::Duration::milliseconds(offset))
    }

    pub async fn set_live_stream_preload_tasks(
        &self,
        request: &SetLiveStreamPreloadTasksRequest,
    ) -> Result<SetLiveStreamPreloadTasksResponse, Error> {
        self.execute(request).await
    }

    pub async fn describe_live_stream_preload_tasks(
        &self,
        request: &DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<DescribeLiveStreamPreloadTasksResponse, Error> {
        self.execute(request).await
    }

    pub async fn hot_live_rtc_stream(
        &self,
        request: &HotLiveRtcStreamRequest,
    ) -> Result<HotLiveRtcStreamResponse, Error> {
        self.execute(request).await
    }

    pub async fn update_live_pull_to_push(
        &self,
        request: &UpdateLivePullToPushRequest,
    ) -> Result<UpdateLivePullToPushResponse, Error> {
        self.execute(request).await
    }

    pub async fn refresh_media_play_urls(
        &self,
        request: &RefreshMediaPlayUrlsRequest,
    ) -> Result<RefreshMediaPlayUrlsResponse, Error> {
        self.execute(request).await
    }

    /// Any other RPC action of either service, signed and paced like the rest. Since nothing is known of
    /// the action, only throttling and failures that never reached the service are retried.
    pub async fn call(
        &self,
        service: Service,
        action: &str,
        method: Method,
        params: Vec<(String, String)>,
    ) -> Result<serde_json::Value, Error> {
        check_action(action)?;
        crate::ops::params_sendable(&params)?;
        let body = self.send(Call { service, action, method, params, converges: false }).await?;
        crate::ops::decode(action, &body)
    }

    async fn send(&self, call: Call<'_>) -> Result<bytes::Bytes, Error> {
        self.send_traced(call, &mut Trace::default()).await
    }

    async fn send_traced(&self, call: Call<'_>, trace: &mut Trace) -> Result<bytes::Bytes, Error> {
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
                check_credentials(&creds)?;
                used_key = creds.security_token().is_some().then(|| creds.access_key_id().to_owned());
                self.send_once(&call, &creds).await.map_err(|e| e.redact(&creds.secrets()))
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
            span.in_scope(|| {
                tracing::debug!(kind = %err.kind(), code = err.code(), will_retry = may_retry, delay_ms = delay.as_millis() as u64, "attempt failed")
            });
            if !may_retry {
                return Err(err);
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Signs a call as it goes on the wire now, with a fresh nonce.
    /// Signs with the service's clock as its answers have told it (see [`Client::service_time`]), so a
    /// device whose clock is wrong still signs within the service's 15-minute window.
    fn sign_call(&self, call: &Call<'_>, creds: &Credentials) -> SignedRequest {
        self.sign_call_at(call, creds, self.service_time(OffsetDateTime::now_utc()))
    }

    fn sign_call_at(&self, call: &Call<'_>, creds: &Credentials, now: OffsetDateTime) -> SignedRequest {
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
    pub fn pacing_is_shared(&self) -> bool {
        self.inner.limiters.is_shared()
    }

    /// Validates and signs `request` exactly as [`Client::execute`] would send it, without sending:
    /// for dry runs, inspection and benchmarks. Resolves credentials like a call does.
    pub async fn presign<O: Operation>(&self, request: &O) -> Result<SignedRequest, Error> {
        // One reading of the clock for the checks, the credentials' expiry and the signature.
        let now = self.service_time(OffsetDateTime::now_utc());
        request.validate_at(now)?;
        let creds = self.inner.credentials.get_at(now).await?;
        check_credentials(&creds)?;
        let call = Call {
            service: O::SERVICE,
            action: O::ACTION,
            method: O::METHOD,
            params: request.to_params(),
            converges: O::CONVERGES,
        };
        crate::ops::params_sendable(&call.params)?;
        let signed = self.sign_call_at(&call, &creds, now);
        check_sendable(&signed, &call.params)?;
        Ok(signed)
    }

    async fn send_once(&self, call: &Call<'_>, creds: &Credentials) -> Result<bytes::Bytes, Error> {
        let signed = self.sign_call(call, creds);
        check_sendable(&signed, &call.params)?;
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
            if let Some(offset) = crate::http::clock_offset_ms(date) {
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
            return Ok(body);
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

/// The longest `x-acs-retry-after` honoured (ms).
const MAX_RETRY_AFTER_MS: u64 = 60_000;

fn transport_error(e: reqwest::Error) -> Error {
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
fn check_sendable(signed: &SignedRequest, params: &[(String, String)]) -> Result<(), Error> {
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
fn check_action(action: &str) -> Result<(), Error> {
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
fn check_credentials(creds: &Credentials) -> Result<(), Error> {
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

impl Client {
    /// [`Client::execute`] for a request of any operation.
    pub async fn execute_any(&self, request: &AnyRequest) -> Result<AnyResponse, Error> {
        Ok(match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => AnyResponse::SetLiveStreamPreloadTasks(self.execute(r).await?),
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => {
                AnyResponse::DescribeLiveStreamPreloadTasks(self.execute(r).await?)
            }
            AnyRequest::HotLiveRtcStream(r) => AnyResponse::HotLiveRtcStream(self.execute(r).await?),
            AnyRequest::UpdateLivePullToPush(r) => AnyResponse::UpdateLivePullToPush(self.execute(r).await?),
            AnyRequest::RefreshMediaPlayUrls(r) => AnyResponse::RefreshMediaPlayUrls(self.execute(r).await?),
        })
    }

    /// [`Client::presign`] for a request of any operation.
    pub async fn presign_any(&self, request: &AnyRequest) -> Result<SignedRequest, Error> {
        match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::HotLiveRtcStream(r) => self.presign(r).await,
            AnyRequest::UpdateLivePullToPush(r) => self.presign(r).await,
            AnyRequest::RefreshMediaPlayUrls(r) => self.presign(r).await,
        }
    }
}
