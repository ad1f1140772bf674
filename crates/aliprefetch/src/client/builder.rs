//! Building a [`Client`](crate::Client): every setting, checked once.

use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use super::types::{Client, Inner, SignatureVersion};
use crate::credentials::{Credentials, CredentialsCache, ProvideCredentials, ProviderChain, StaticProvider};
pub use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::rate_limit::{Limiters, RateLimits};
use crate::retry::RetryConfig;
use crate::types::Service;

/// Builds a [`Client`]. Every default is stated next to its setter.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    pub(super) region: String,
    pub(super) endpoint: Option<String>,
    pub(super) live_endpoint: Option<String>,
    pub(super) vod_endpoint: Option<String>,
    pub(super) allow_insecure_http: bool,
    pub(super) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(super) signature: SignatureVersion,
    pub(super) connect_timeout: Duration,
    pub(super) read_timeout: Duration,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) retry: RetryConfig,
    pub(super) rate_limits: RateLimits,
    pub(super) user_agent: Option<String>,
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
        // A region id (`cn-shanghai`) goes in every request and picks the VOD host: lowercase letters,
        // digits and `-` only, so a stray byte (a variable that is not UTF-8, a space) is named here.
        let region_ok =
            |r: &str| r.len() <= 64 && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok(&self.region) {
            return Err(Error::invalid_input(
                "region",
                "format",
                "must be a region id such as cn-shanghai (lowercase letters, digits and -, at most 64)",
            ));
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
                None if !crate::types::KNOWN_REGIONS.contains(&self.region.as_str()) => Err(Error::unknown_name(
                    "region",
                    &self.region,
                    "a known region (an explicit endpoint reaches any other)",
                    crate::types::KNOWN_REGIONS,
                )),
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
