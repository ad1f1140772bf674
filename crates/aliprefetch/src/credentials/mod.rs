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
use std::sync::Arc;

use futures::future::BoxFuture;

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

/// The credentials value itself lives in `crate::identity`, below the signers that take it.
pub use crate::identity::Credentials;

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
