//! A RAM role assumed with STS `AssumeRoleWithOIDC`: what RRSA (RAM Roles for Service Accounts) on ACK
//! injects into a pod as three environment variables.

use std::path::PathBuf;

use futures::future::BoxFuture;

use super::sts::{self, Session};
use super::{missing, Credentials, Env, ProvideCredentials};
use crate::error::Error;

/// The longest OIDC token file read (service-account tokens are a few KiB).
const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Credentials of a RAM role from STS `AssumeRoleWithOIDC`, an unsigned call carrying the OIDC token,
/// read fresh from its file at every refresh (the platform rotates it).
#[derive(Debug, Clone)]
pub struct OidcRoleArnProvider {
    session: Session,
    provider_arn: String,
    token_file: PathBuf,
    endpoint: String,
    env: Env,
}

impl OidcRoleArnProvider {
    /// `role_arn`, the OIDC provider's ARN and the token file; the STS endpoint is
    /// `ALIBABA_CLOUD_STS_ENDPOINT` or `sts.aliyuncs.com`, the session name
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME` or `aliprefetch-<time>`.
    pub fn new(role_arn: impl Into<String>, provider_arn: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        Self::with_env(role_arn, provider_arn, token_file, &Env::process())
    }

    /// As [`OidcRoleArnProvider::new`], reading variables, the token file, the clock and HTTP through `env`.
    pub fn with_env(
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
        env: &Env,
    ) -> Self {
        OidcRoleArnProvider {
            session: Session::new(role_arn.into(), env),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
            endpoint: sts::sts_endpoint(env, None, false),
            env: env.clone(),
        }
    }

    /// From `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (what RRSA injects); `None` unless all three are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        let role = env.get("ALIBABA_CLOUD_ROLE_ARN")?;
        let provider = env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")?;
        let file = env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE")?;
        Some(Self::with_env(role, provider, file, env))
    }

    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session.session_name = name.into();
        self
    }
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.session.duration_seconds = seconds;
        self
    }
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.session.policy = Some(policy.into());
        self
    }
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let path = self.token_file.display();
        let token = self
            .env
            .read_small_file(&self.token_file, MAX_TOKEN_BYTES)
            .map_err(|e| missing(format!("oidc_role_arn: the OIDC token file: {e}")))?;
        let token = token.trim();
        if token.is_empty() {
            return Err(missing(format!("oidc_role_arn: the OIDC token file {path} is empty")));
        }
        sts::assume_role_with_oidc(&self.endpoint, &self.session, &self.provider_arn, token, "oidc_role_arn", &self.env)
            .await
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn name(&self) -> &'static str {
        "oidc_role_arn"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// The default chain's OIDC step: the RRSA variables, read when credentials are needed.
#[derive(Debug, Clone)]
pub(crate) struct OidcEnvProvider {
    env: Env,
}

impl OidcEnvProvider {
    pub(crate) fn new(env: Env) -> Self {
        OidcEnvProvider { env }
    }
}

impl ProvideCredentials for OidcEnvProvider {
    fn name(&self) -> &'static str {
        "oidc_role_arn"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move {
            match OidcRoleArnProvider::from_env(&self.env) {
                Some(p) => p.fetch().await,
                None => Err(missing(
                    "ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not all set",
                )),
            }
        })
    }
}
