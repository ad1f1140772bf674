//! [`ClientConfig`]: a client's settings as data, checked in one place.
//!
//! Every binding (Python, Node, Kotlin/Swift) and the CLI map their own options into a
//! `ClientConfig` and call [`Client::from_config`]; the conflicts, presets, defaults and error
//! messages below are the only ones.
//!
//! ```
//! # fn demo() -> Result<(), aliprefetch::Error> {
//! use aliprefetch::{Client, ClientConfig, Credentials, RetryConfig};
//! let mut config = ClientConfig::default();
//! config.endpoint = Some("127.0.0.1:8080".into());
//! config.credentials = Some(Credentials::new("testid", "testsecret"));
//! config.retry = Some(RetryConfig::preset("disabled")?);
//! let client = Client::from_config(config)?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! The same settings read from JSON (durations in seconds, presets by name; credentials never come
//! from such a file, only a profile name):
//!
//! ```
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let config: aliprefetch::ClientConfig = serde_json::from_str(
//!     r#"{"region": "cn-beijing", "signature_version": "v1", "read_timeout": 2.5,
//!         "retry": {"max_attempts": 5}, "rate_limits": {"HotLiveRtcStream": 0}}"#,
//! )?;
//! let client = aliprefetch::Client::from_config(config)?;
//! assert_eq!(client.region(), "cn-beijing");
//! # Ok(()) }
//! # demo().unwrap();
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::client::{Client, ClientBuilder, SignatureVersion};
use crate::credentials::{CliProfileProvider, Credentials, Env, ProvideCredentials, ProviderChain};
use crate::error::Error;
use crate::rate_limit::{RateLimits, SharedPacing};
use crate::retry::RetryConfig;

/// The environment variable that names the shared pacing backend when the configuration does not.
pub const RATE_LIMIT_URL_VAR: &str = "ALIPREFETCH_RATE_LIMIT_URL";

/// A client's settings. Every field is optional; `None` means the default stated on it. `Debug` hides
/// the user information (password) of `rate_limit_url`; the credentials hide their own secrets.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Default `cn-shanghai`; it picks the VOD endpoint (Live has one global endpoint).
    pub region: Option<String>,
    /// One endpoint for both services (the emulator serves both): `host`, `host:port` or a URL.
    pub endpoint: Option<String>,
    /// The Live endpoint only (default `live.aliyuncs.com`).
    pub live_endpoint: Option<String>,
    /// The VOD endpoint only (default from the region).
    pub vod_endpoint: Option<String>,
    /// Fixed credentials. Never read from a file; give `profile` there instead.
    #[serde(skip)]
    pub credentials: Option<Credentials>,
    /// A profile of the aliyun CLI's configuration (`~/.aliyun/config.json`); not with `credentials`.
    /// With neither, the default chain applies.
    pub profile: Option<String>,
    /// Default V3.
    #[serde(deserialize_with = "de::signature_version")]
    pub signature_version: Option<SignatureVersion>,
    /// Default 5 s. In seconds when read from data.
    #[serde(deserialize_with = "de::seconds")]
    pub connect_timeout: Option<Duration>,
    /// The longest wait for response data (default 10 s). In seconds when read from data.
    #[serde(deserialize_with = "de::seconds")]
    pub read_timeout: Option<Duration>,
    /// Default [`RetryConfig::standard`]. From data: `"standard"`, `"disabled"`, or an object of
    /// `max_attempts`, `base_delay`, `max_delay`, `max_elapsed` (seconds) over the standard policy.
    #[serde(deserialize_with = "de::retry")]
    pub retry: Option<RetryConfig>,
    /// Default [`RateLimits::documented`]. From data: `"documented"`, `"disabled"`, or an object of
    /// per-second limits by action over the documented ones (0 lifts one).
    #[serde(deserialize_with = "de::rate_limits")]
    pub rate_limits: Option<RateLimits>,
    /// Shares the pacing with every process and host on the account through Redis:
    /// `redis://…` or `rediss://…` (TLS), with optional `key_prefix`, `fallback_share` and `timeout_ms`
    /// query parameters ([`SharedPacing`]). Default: `ALIPREFETCH_RATE_LIMIT_URL`, else in-process
    /// pacing only. Refused with `rate_limits` `"disabled"`.
    pub rate_limit_url: Option<String>,
    /// Allows plain http to a host that is not loopback (default: refused).
    pub allow_insecure_http: bool,
    /// Default `aliprefetch/<version> (rust)`; each binding names itself.
    pub user_agent: Option<String>,
    /// Where environment variables and the home directory are read (default: the process's).
    #[serde(skip)]
    pub environment: Option<Env>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("live_endpoint", &self.live_endpoint)
            .field("vod_endpoint", &self.vod_endpoint)
            .field("credentials", &self.credentials)
            .field("profile", &self.profile)
            .field("signature_version", &self.signature_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("retry", &self.retry)
            .field("rate_limits", &self.rate_limits)
            .field("rate_limit_url", &self.rate_limit_url.as_deref().map(crate::rate_limit::redacted_url))
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("user_agent", &self.user_agent)
            .field("environment", &self.environment)
            .finish()
    }
}

impl ClientConfig {
    /// The credentials provider these settings name: the fixed credentials, the profile, or the
    /// default chain. Giving both credentials and a profile is refused (`profile`, `conflict`).
    pub fn credentials_provider(&self) -> Result<Arc<dyn ProvideCredentials>, Error> {
        Ok(match (&self.credentials, &self.profile) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid_input("profile", "conflict", "give credentials or a profile, not both"))
            }
            (Some(c), None) => Arc::new(crate::credentials::StaticProvider::new(c.clone())),
            (None, Some(p)) => Arc::new(CliProfileProvider::new(self.env()).profile(p)),
            (None, None) => Arc::new(ProviderChain::default_chain_with(
                self.env(),
                crate::credentials::EcsRamRoleProvider::new(self.env()),
            )),
        })
    }

    fn env(&self) -> Env {
        self.environment.clone().unwrap_or_else(Env::process)
    }

    /// A builder holding these settings, for what only the builder takes (a custom credentials
    /// provider, an attempt timeout). Refuses what [`ClientBuilder::build`] would refuse first.
    ///
    /// Without fixed credentials, the aliyun CLI profile in use (the one named, else
    /// `ALIBABA_CLOUD_PROFILE`, else `current`) also gives its `region_id`, `connect_timeout`,
    /// `read_timeout` (seconds) and `retry_count` (retries after the first attempt), each unless
    /// given here. The region is, in order: `region`, `ALIBABA_CLOUD_REGION_ID`, the profile's,
    /// `cn-shanghai`.
    pub fn into_builder(self) -> Result<ClientBuilder, Error> {
        let provider = self.credentials_provider()?;
        let env = self.env();
        let profile = match &self.credentials {
            Some(_) => Default::default(),
            None => crate::credentials::profile_settings(&env, self.profile.as_deref()),
        };
        let mut b = Client::builder().allow_insecure_http(self.allow_insecure_http).credentials_provider(provider);
        let region = self.region.or_else(|| env.get("ALIBABA_CLOUD_REGION_ID")).or(profile.region_id);
        if let Some(r) = region {
            b = b.region(r);
        }
        if self.connect_timeout.is_none() {
            if let Some(t) = profile.connect_timeout {
                b = b.connect_timeout(t);
            }
        }
        if self.read_timeout.is_none() {
            if let Some(t) = profile.read_timeout {
                b = b.read_timeout(t);
            }
        }
        if self.retry.is_none() {
            if let Some(n) = profile.retry_count {
                b = b.retry(RetryConfig::standard().with_retries(n));
            }
        }
        if let Some(e) = self.endpoint {
            b = b.endpoint(e);
        }
        if let Some(e) = self.live_endpoint {
            b = b.live_endpoint(e);
        }
        if let Some(e) = self.vod_endpoint {
            b = b.vod_endpoint(e);
        }
        if let Some(v) = self.signature_version {
            b = b.signature_version(v);
        }
        if let Some(t) = self.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(t) = self.read_timeout {
            b = b.read_timeout(t);
        }
        if let Some(r) = self.retry {
            r.validate()?;
            b = b.retry(r);
        }
        // `Env::get` already treats an empty variable as unset.
        let url = self.rate_limit_url.map(|u| (u, false)).or_else(|| env.get(RATE_LIMIT_URL_VAR).map(|u| (u, true)));
        match (self.rate_limits, url) {
            (Some(r), Some((_, false))) if !r.is_enabled() => {
                return Err(Error::invalid_input(
                    "rate_limit_url",
                    "conflict",
                    "shared pacing needs pacing, and rate_limits is \"disabled\"",
                ));
            }
            // Pacing turned off wins over the environment's backend.
            (Some(r), _) if !r.is_enabled() => b = b.rate_limits(r),
            (r, Some((url, from_env))) => {
                let pacing = SharedPacing::from_url(&url).map_err(|e| {
                    if from_env {
                        Error::invalid_input(
                            "rate_limit_url",
                            e.rule().unwrap_or("format"),
                            format!("{RATE_LIMIT_URL_VAR}: {}", e.message()),
                        )
                    } else {
                        e
                    }
                })?;
                b = b.rate_limits(r.unwrap_or_default().shared(pacing));
            }
            (Some(r), None) => b = b.rate_limits(r),
            (None, None) => {}
        }
        if let Some(ua) = self.user_agent {
            b = b.user_agent(ua);
        }
        Ok(b)
    }
}

impl Client {
    /// Builds a client from [`ClientConfig`]: the one place every binding's options end up.
    pub fn from_config(config: ClientConfig) -> Result<Client, Error> {
        config.into_builder()?.build()
    }
}

impl RetryConfig {
    /// `"standard"` or `"disabled"` (field `retry`, rule `enum` otherwise).
    pub fn preset(name: &str) -> Result<RetryConfig, Error> {
        match name {
            "standard" => Ok(RetryConfig::standard()),
            "disabled" => Ok(RetryConfig::disabled()),
            other => Err(Error::invalid_input("retry", "enum", format!("`{other}` is not one of standard, disabled"))),
        }
    }
    /// The standard policy with the values given replaced; checked as [`RetryConfig::validate`].
    pub fn custom(
        max_attempts: Option<u32>,
        base_delay: Option<Duration>,
        max_delay: Option<Duration>,
        max_elapsed: Option<Duration>,
    ) -> Result<RetryConfig, Error> {
        let s = RetryConfig::standard();
        let r = RetryConfig {
            max_attempts: max_attempts.unwrap_or(s.max_attempts),
            base_delay: base_delay.unwrap_or(s.base_delay),
            max_delay: max_delay.unwrap_or(s.max_delay),
            max_elapsed: max_elapsed.unwrap_or(s.max_elapsed),
        };
        r.validate()?;
        Ok(r)
    }
    /// At least one attempt (`max_attempts`, rule `range`).
    pub fn validate(&self) -> Result<(), Error> {
        if self.max_attempts == 0 {
            return Err(Error::invalid_input("max_attempts", "range", "must be 1 or more"));
        }
        Ok(())
    }
}

impl RateLimits {
    /// `"documented"` or `"disabled"` (field `rate_limits`, rule `enum` otherwise).
    pub fn preset(name: &str) -> Result<RateLimits, Error> {
        match name {
            "documented" => Ok(RateLimits::documented()),
            "disabled" => Ok(RateLimits::disabled()),
            other => Err(Error::invalid_input(
                "rate_limits",
                "enum",
                format!("`{other}` is not one of documented, disabled"),
            )),
        }
    }
    /// The documented quotas with these per-second limits by action (0 lifts one).
    pub fn documented_with<A: Into<String>>(limits: impl IntoIterator<Item = (A, u32)>) -> RateLimits {
        limits.into_iter().fold(RateLimits::documented(), |l, (a, n)| l.set(a, n))
    }

    /// [`RateLimits::documented_with`] for limits a person wrote: an action that misspells one with a
    /// documented quota ([`DOCUMENTED_QUOTAS`](crate::DOCUMENTED_QUOTAS)) is refused, naming it, rather than
    /// left to pace nothing; any other action (one sent with `call`) is taken as given.
    pub fn checked_with<A: AsRef<str>>(limits: impl IntoIterator<Item = (A, u32)>) -> Result<RateLimits, Error> {
        let known: Vec<&str> = crate::DOCUMENTED_QUOTAS.iter().map(|(a, _)| *a).collect();
        let mut checked = Vec::new();
        for (action, n) in limits {
            let action = action.as_ref();
            if !known.contains(&action) && crate::error::closest(action, known.iter().copied()).is_some() {
                return Err(Error::unknown_name("rate_limits", action, "an action with a quota", &known));
            }
            checked.push((action.to_owned(), n));
        }
        Ok(RateLimits::documented_with(checked))
    }
}

/// Deserializers that give the same checks, and messages, as the typed paths.
mod de {
    use super::*;
    use serde::de::Error as _;
    use serde::Deserializer;

    pub fn signature_version<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SignatureVersion>, D::Error> {
        Option::<String>::deserialize(d)?.map(|s| s.parse().map_err(D::Error::custom)).transpose()
    }

    fn duration<E: serde::de::Error>(field: &str, secs: f64) -> Result<Duration, E> {
        Duration::try_from_secs_f64(secs).map_err(|_| {
            E::custom(Error::invalid_input(field, "range", format!("must be 0 or more seconds, got {secs}")))
        })
    }

    pub fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Option::<f64>::deserialize(d)?.map(|s| duration("timeout", s)).transpose()
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum RetryData {
        Preset(String),
        Custom(RetryFields),
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RetryFields {
        max_attempts: Option<u32>,
        base_delay: Option<f64>,
        max_delay: Option<f64>,
        max_elapsed: Option<f64>,
    }

    pub fn retry<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RetryConfig>, D::Error> {
        match Option::<RetryData>::deserialize(d)? {
            None => Ok(None),
            Some(RetryData::Preset(name)) => RetryConfig::preset(&name).map(Some).map_err(D::Error::custom),
            Some(RetryData::Custom(f)) => {
                let secs = |field: &str, v: Option<f64>| v.map(|s| duration::<D::Error>(field, s)).transpose();
                RetryConfig::custom(
                    f.max_attempts,
                    secs("base_delay", f.base_delay)?,
                    secs("max_delay", f.max_delay)?,
                    secs("max_elapsed", f.max_elapsed)?,
                )
                .map(Some)
                .map_err(D::Error::custom)
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum RateLimitData {
        Preset(String),
        Custom(BTreeMap<String, u32>),
    }

    pub fn rate_limits<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RateLimits>, D::Error> {
        match Option::<RateLimitData>::deserialize(d)? {
            None => Ok(None),
            Some(RateLimitData::Preset(name)) => RateLimits::preset(&name).map(Some).map_err(D::Error::custom),
            Some(RateLimitData::Custom(m)) => RateLimits::checked_with(m).map(Some).map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn refused(config: ClientConfig) -> (String, String) {
        let e = Client::from_config(config).expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        (e.field().unwrap_or_default().to_owned(), e.rule().unwrap_or_default().to_owned())
    }

    #[test]
    fn one_check_for_each_conflict_and_range() {
        let c = ClientConfig {
            credentials: Some(Credentials::new("a", "b")),
            profile: Some("p".into()),
            ..Default::default()
        };
        assert_eq!(refused(c), ("profile".into(), "conflict".into()));

        let c = ClientConfig { retry: Some(RetryConfig::standard().with_max_attempts(0)), ..Default::default() };
        assert_eq!(refused(c), ("max_attempts".into(), "range".into()));
        assert_eq!(RetryConfig::custom(Some(0), None, None, None).expect_err("0").field(), Some("max_attempts"));
        assert_eq!(RetryConfig::preset("sometimes").expect_err("enum").field(), Some("retry"));
        assert_eq!(RateLimits::preset("fast").expect_err("enum").field(), Some("rate_limits"));
        assert_eq!("v2".parse::<SignatureVersion>().expect_err("v2").field(), Some("signature_version"));

        let c = ClientConfig { endpoint: Some("http://example.com".into()), ..Default::default() };
        assert_eq!(refused(c).0, "endpoint");
    }

    #[test]
    fn the_builder_refuses_zero_attempts_too() {
        let e = Client::builder().retry(RetryConfig::disabled().with_max_attempts(0)).build().expect_err("0 attempts");
        assert_eq!(e.field(), Some("max_attempts"));
    }

    #[test]
    fn reads_from_json_with_presets_and_seconds() {
        let c: ClientConfig = serde_json::from_str(
            r#"{"region": "cn-beijing", "signature_version": "V1", "connect_timeout": 1.5,
                "retry": "disabled", "rate_limits": {"HotLiveRtcStream": 0, "X": 3}}"#,
        )
        .expect("parses");
        assert_eq!(c.signature_version, Some(SignatureVersion::V1));
        assert_eq!(c.connect_timeout, Some(Duration::from_millis(1500)));
        assert_eq!(c.retry, Some(RetryConfig::disabled()));
        let limits = c.rate_limits.clone().expect("limits");
        assert_eq!((limits.limit("HotLiveRtcStream"), limits.limit("X")), (None, Some(3)));
        // A misspelt action with a documented quota is refused, naming the one meant.
        let e = serde_json::from_str::<ClientConfig>(r#"{"rate_limits": {"HotLiveRtcStreams": 5}}"#).expect_err("typo");
        assert!(e.to_string().contains("did you mean `HotLiveRtcStream`?"), "{e}");
        assert_eq!(Client::from_config(c).expect("builds").region(), "cn-beijing");

        for (bad, says) in [
            (r#"{"retry": {"max_attempts": 0}}"#, "max_attempts"),
            (r#"{"retry": "sometimes"}"#, "standard, disabled"),
            (r#"{"read_timeout": -1}"#, "0 or more seconds"),
            (r#"{"signature_version": "v2"}"#, "v1, v3"),
            (r#"{"credentials": {}}"#, "unknown field"),
        ] {
            let e = serde_json::from_str::<ClientConfig>(bad).expect_err(bad).to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
