//! What the role providers share: the STS endpoint, one call to STS (`AssumeRole` signed with V1 by the
//! source credentials, or `AssumeRoleWithOIDC` unsigned), and its answer as credentials.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use serde::Deserialize;
use time::OffsetDateTime;

use super::{missing, Credentials, Env};
use crate::endpoint::Endpoint;
use crate::error::Error;

pub(crate) const STS_VERSION: &str = "2015-04-01";
/// The session STS is asked for when none is configured, in seconds (the default role allows 3600).
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;
/// The shortest session STS grants, in seconds.
pub const MIN_DURATION_SECONDS: u32 = 900;

/// Where STS is: `ALIBABA_CLOUD_STS_ENDPOINT` when set, else the regional endpoint of `region`
/// (`sts-vpc.<region>.aliyuncs.com` with `vpc`, or when `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` is
/// `true`), else `sts.aliyuncs.com`.
pub fn sts_endpoint(env: &Env, region: Option<&str>, vpc: bool) -> String {
    if let Some(e) = env.get("ALIBABA_CLOUD_STS_ENDPOINT") {
        return e;
    }
    let region = region.map(str::to_owned).or_else(|| env.get("ALIBABA_CLOUD_STS_REGION"));
    let vpc = vpc || env.get("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match region {
        Some(r) if vpc => format!("sts-vpc.{r}.aliyuncs.com"),
        Some(r) => format!("sts.{r}.aliyuncs.com"),
        None => "sts.aliyuncs.com".to_owned(),
    }
}

/// A default session name: `aliprefetch-<unix seconds>` (2..=64 of `[A-Za-z0-9.@_-]`, as STS wants).
pub(crate) fn default_session_name(env: &Env) -> String {
    format!("aliprefetch-{}", env.now().unix_timestamp())
}

/// The role session asked of STS.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: u32,
    pub policy: Option<String>,
}

impl Session {
    /// A session with the defaults: `ALIBABA_CLOUD_ROLE_SESSION_NAME` or `aliprefetch-<time>`, 3600 s.
    pub(crate) fn new(role_arn: String, env: &Env) -> Self {
        Session {
            role_arn,
            session_name: env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME").unwrap_or_else(|| default_session_name(env)),
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
        }
    }

    /// Refuses what STS would refuse for certain, before asking it.
    fn check(&self, provider: &str) -> Result<(), Error> {
        if self.role_arn.trim().is_empty() {
            return Err(missing(format!("{provider}: no role ARN")));
        }
        if self.duration_seconds < MIN_DURATION_SECONDS {
            return Err(missing(format!(
                "{provider}: a session lasts at least {MIN_DURATION_SECONDS} seconds, not {}",
                self.duration_seconds
            )));
        }
        Ok(())
    }

    fn push_params(&self, p: &mut Vec<(String, String)>) {
        p.push(("RoleArn".into(), self.role_arn.clone()));
        p.push(("RoleSessionName".into(), self.session_name.clone()));
        p.push(("DurationSeconds".into(), self.duration_seconds.to_string()));
        if let Some(policy) = &self.policy {
            p.push(("Policy".into(), policy.clone()));
        }
    }
}

/// The HTTP client of STS calls: no redirects, bounded waits, no idle connections (so it serves any
/// runtime); proxies from the environment for a real endpoint, none for loopback.
fn http_client(loopback: bool) -> Result<&'static reqwest::Client, Error> {
    static DIRECT: OnceLock<Result<reqwest::Client, Error>> = OnceLock::new();
    static PROXIED: OnceLock<Result<reqwest::Client, Error>> = OnceLock::new();
    let settings = crate::http::HttpSettings {
        connect_timeout: Duration::from_secs(5),
        read_timeout: None,
        total_timeout: Duration::from_secs(10),
        pool_idle_timeout: None,
        direct: loopback,
    };
    crate::http::shared_client(if loopback { &DIRECT } else { &PROXIED }, &settings)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    credentials: Option<AnswerCredentials>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AnswerCredentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: String,
    expiration: String,
}

/// `AssumeRole`, signed (V1) with `source`.
pub(crate) async fn assume_role(
    endpoint: &str,
    session: &Session,
    external_id: Option<&str>,
    source: &Credentials,
    provider: &'static str,
    env: &Env,
) -> Result<Credentials, Error> {
    session.check(provider)?;
    let mut params = Vec::with_capacity(6);
    session.push_params(&mut params);
    if let Some(id) = external_id {
        params.push(("ExternalId".into(), id.to_owned()));
    }
    let endpoint = parse(endpoint, provider)?;
    let attempt = || {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let signed = crate::sign::v1::sign(
            &crate::sign::v1::Request {
                method: "POST",
                action: "AssumeRole",
                version: STS_VERSION,
                format: "JSON",
                params: &params,
            },
            source,
            sts_time(env),
            &nonce,
        );
        let mut url = endpoint.base_url();
        url.push('?');
        url.push_str(&signed.canonicalized_query);
        url.push_str("&Signature=");
        url.push_str(&crate::encoding::percent_encode(&signed.signature));
        Ok(env.http_client(|| http_client(is_loopback(&endpoint)))?.post(url))
    };
    send_correcting_clock(attempt, "AssumeRole", provider, &[], env).await
}

/// STS's clock minus ours, in milliseconds, from the `Date` header of its last answer.
static STS_CLOCK_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// Now on STS's clock, as far as its answers told it.
fn sts_time(env: &Env) -> OffsetDateTime {
    env.now().saturating_add(time::Duration::milliseconds(STS_CLOCK_OFFSET_MS.load(Ordering::Relaxed)))
}

/// Sends the request `build` makes; when STS refuses our timestamp and its answer's `Date` shows a clock
/// other than the one we signed with, builds and sends it once more with STS's clock.
async fn send_correcting_clock(
    build: impl Fn() -> Result<reqwest::RequestBuilder, Error>,
    action: &str,
    provider: &'static str,
    hide: &[&str],
    env: &Env,
) -> Result<Credentials, Error> {
    let before = STS_CLOCK_OFFSET_MS.load(Ordering::Relaxed);
    match send(build()?, action, provider, hide, env).await {
        Err(e) if e.code().is_some_and(crate::error::is_clock_refusal) => {
            if STS_CLOCK_OFFSET_MS.load(Ordering::Relaxed).abs_diff(before) < 1_000 {
                return Err(e);
            }
            tracing::warn!(action, "STS refused our timestamp; signing again with its clock");
            send(build()?, action, provider, hide, env).await
        }
        other => other,
    }
}

/// `AssumeRoleWithOIDC`: unsigned, the token (in the form body, never the URL) is the proof.
pub(crate) async fn assume_role_with_oidc(
    endpoint: &str,
    session: &Session,
    provider_arn: &str,
    token: &str,
    provider: &'static str,
    env: &Env,
) -> Result<Credentials, Error> {
    session.check(provider)?;
    let endpoint = parse(endpoint, provider)?;
    let mut form = Vec::with_capacity(6);
    session.push_params(&mut form);
    form.push(("OIDCProviderArn".into(), provider_arn.to_owned()));
    form.push(("OIDCToken".into(), token.to_owned()));
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", crate::encoding::percent_encode(k), crate::encoding::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let attempt = || {
        let timestamp = crate::wire::format_timestamp(sts_time(env));
        let query = [
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Version", STS_VERSION),
            ("Timestamp", timestamp.as_str()),
        ];
        let mut url = endpoint.base_url();
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(&crate::encoding::percent_encode(v));
        }
        Ok(env
            .http_client(|| http_client(is_loopback(&endpoint)))?
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body.clone()))
    };
    send_correcting_clock(attempt, "AssumeRoleWithOIDC", provider, &[token], env).await
}

fn parse(endpoint: &str, provider: &'static str) -> Result<Endpoint, Error> {
    Endpoint::parse(endpoint, false)
        .map_err(|e| missing(format!("{provider}: the STS endpoint is not usable: {}", e.message())))
}

fn is_loopback(e: &Endpoint) -> bool {
    crate::http::is_loopback_host(e.host())
}

/// Sends, reads (capped) and turns the answer into credentials or a `Credentials` error naming the
/// provider and STS's code. `hide` are values that must not appear in an error (the OIDC token).
async fn send(
    request: reqwest::RequestBuilder,
    action: &str,
    provider: &'static str,
    hide: &[&str],
    env: &Env,
) -> Result<Credentials, Error> {
    let source = format!("{provider}: STS {action}");
    let resp = request.send().await.map_err(|e| missing(format!("{source}: {}", e.without_url())))?;
    let status = resp.status().as_u16();
    if let Some(date) = resp.headers().get(reqwest::header::DATE).and_then(|v| v.to_str().ok()) {
        if let Some(offset) = crate::http::clock_offset_ms(date, env.now()) {
            STS_CLOCK_OFFSET_MS.store(offset, Ordering::Relaxed);
        }
    }
    let text = super::temporary::small_body(resp, &source).await?;
    let answer: Answer = serde_json::from_str(&text)
        .map_err(|_| missing(format!("{source} answered HTTP {status} with a body that is not its JSON")))?;
    let scrub = |s: String| hide.iter().filter(|h| !h.is_empty()).fold(s, |s, h| s.replace(h, "<redacted>"));
    match answer {
        Answer { credentials: Some(c), .. } if (200..300).contains(&status) => {
            let expires = crate::wire::parse_timestamp("Expiration", &c.expiration)
                .map_err(|_| missing(format!("{source} answered an Expiration that is not a time")))?;
            Ok(Credentials::new(c.access_key_id, c.access_key_secret)
                .with_security_token(c.security_token)
                .with_expiration(expires)
                .tagged(provider))
        }
        Answer { code, message, .. } => {
            let code = code.unwrap_or_else(|| format!("HTTP {status}"));
            let message = scrub(message.unwrap_or_default());
            Err(missing(format!("{source} refused: {code}: {message}")).with_code(scrub(code)))
        }
    }
}
