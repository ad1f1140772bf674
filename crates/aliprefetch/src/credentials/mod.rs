//! Credentials, where they come from, and the default chain the client applies by itself.
//!
//! Order of the default chain (the official credential libraries' order): environment access key,
//! OIDC role (the RRSA variables `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE`), aliyun CLI profile (`~/.aliyun/config.json`: `AK`, `StsToken`,
//! `RamRoleArn`, `ChainableRamRoleArn`, `OIDC`, `EcsRamRole`), credentials file
//! (`~/.alibabacloud/credentials`), ECS RAM role (instance metadata), `ALIBABA_CLOUD_CREDENTIALS_URI`.
//! The first provider that answers is remembered; credentials with an expiry are refreshed ahead of it.
//!
//! One file per provider (as aws-config lays them out), the chain that tries them in order, and the
//! cache the client keeps in front of its provider.

pub(crate) mod cache;
mod chain;
mod cli_profile;
mod credentials_file;
mod credentials_uri;
mod ecs_ram_role;
mod environment;
mod oidc_role_arn;
mod ram_role_arn;
mod static_provider;
mod sts;
mod temporary;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures::future::BoxFuture;
use time::OffsetDateTime;

use crate::error::{Error, ErrorKind};

pub(crate) use cache::CredentialsCache;
pub use chain::ProviderChain;
pub(crate) use cli_profile::profile_settings;
pub use cli_profile::CliProfileProvider;
pub use credentials_file::CredentialsFileProvider;
pub use credentials_uri::CredentialsUriProvider;
pub use ecs_ram_role::{EcsRamRoleProvider, ECS_METADATA_BASE_URL};
pub use environment::EnvironmentProvider;
pub use oidc_role_arn::OidcRoleArnProvider;
pub use ram_role_arn::RamRoleArnProvider;
pub use static_provider::StaticProvider;
pub use sts::sts_endpoint;

/// An access key pair, with an STS token and expiry when temporary. `Debug` shows only the key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    // Shared: the cache hands a clone to every call, which then costs no allocation.
    access_key_id: std::sync::Arc<str>,
    access_key_secret: std::sync::Arc<SecretKey>,
    security_token: Option<std::sync::Arc<str>>,
    expiration: Option<OffsetDateTime>,
    provider: &'static str,
}

impl Credentials {
    /// A long-term access key pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into().into(),
            access_key_secret: Arc::new(SecretKey { text: access_key_secret.into().into(), v3_mac: OnceLock::new() }),
            security_token: None,
            expiration: None,
            provider: "static",
        }
    }

    /// Temporary (STS) credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.security_token = (!token.is_empty()).then(|| token.into());
        self
    }

    /// When the credentials stop working; the client refreshes them ahead of it.
    pub fn with_expiration(mut self, at: OffsetDateTime) -> Self {
        self.expiration = Some(at);
        self
    }

    pub(crate) fn tagged(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret.text
    }

    /// HMAC-SHA256 keyed with the secret, for V3 signatures: keyed once per credentials (shared by
    /// their clones), so a signature hashes two blocks fewer.
    pub(crate) fn v3_mac(&self) -> hmac::Hmac<sha2::Sha256> {
        self.access_key_secret
            .v3_mac
            .get_or_init(|| {
                use hmac::KeyInit as _;
                #[allow(clippy::expect_used, reason = "HMAC takes a key of any length")]
                hmac::Hmac::<sha2::Sha256>::new_from_slice(self.access_key_secret.text.as_bytes())
                    .expect("HMAC takes any key length")
            })
            .clone()
    }
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }
    /// Which provider produced these credentials (`static`, `environment`, `ecs_ram_role`, …).
    pub fn provider_name(&self) -> &'static str {
        self.provider
    }

    /// The secrets, for scrubbing from messages the service echoes.
    pub(crate) fn secrets(&self) -> [&str; 2] {
        [&self.access_key_secret.text, self.security_token.as_deref().unwrap_or("")]
    }

    pub(crate) fn expires_within(&self, now: OffsetDateTime, margin: Duration) -> bool {
        self.expiration.is_some_and(|at| at - now <= margin)
    }
}

/// The secret, and the HMAC state keyed with it once it is first needed. Equal when the texts are.
struct SecretKey {
    text: Box<str>,
    v3_mac: OnceLock<hmac::Hmac<sha2::Sha256>>,
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for SecretKey {}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .field("expiration", &self.expiration)
            .field("provider", &self.provider)
            .finish()
    }
}

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// A short name used in errors and logs (`environment`, `cli_profile`, …).
    fn name(&self) -> &'static str;
    /// Fetches credentials. An error of kind `Credentials` says why this source had none.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>>;
}

pub(crate) fn missing(what: impl Into<String>) -> Error {
    Error::new(ErrorKind::Credentials, what)
}

/// Where providers read environment variables and the home directory: the process, or a fixed map
/// (tests, embedders that must not read the process environment).
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

/// Says where variables come from, never what they hold (they include secrets).
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env(process)"),
            Some(vars) => write!(f, "Env({} fixed variables)", vars.len()),
        }
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env { vars: None }
    }
    /// A fixed set of variables; anything not in it is unset. `HOME` gives the home directory.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env { vars: Some(Arc::new(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect())) }
    }
    /// A variable, `None` when unset or empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|s| !s.trim().is_empty())
    }
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }
}
