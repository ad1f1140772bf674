//! A RAM role assumed with STS `AssumeRole`, signed by source credentials (an access key, or another
//! provider: a profile's, for `ChainableRamRoleArn`).

use std::sync::Arc;

use futures::future::BoxFuture;

use super::sts::{self, Session};
use super::{missing, Credentials, Env, ProvideCredentials, StaticProvider};
use crate::error::Error;

/// Credentials of a RAM role, from STS `AssumeRole` signed with the source provider's credentials.
/// Each `provide` asks STS anew; the client's cache keeps them until shortly before they expire.
#[derive(Debug, Clone)]
pub struct RamRoleArnProvider {
    source: Arc<dyn ProvideCredentials>,
    session: Session,
    external_id: Option<String>,
    endpoint: String,
    env: Env,
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`) with the source's credentials. The STS
    /// endpoint is `ALIBABA_CLOUD_STS_ENDPOINT` or `sts.aliyuncs.com`; the session name
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME` or `aliprefetch-<time>`; the duration 3600 s.
    pub fn new(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>) -> Self {
        Self::with_env(source, role_arn, &Env::process())
    }

    /// As [`RamRoleArnProvider::new`], reading variables, the clock and HTTP through `env`.
    pub fn with_env(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>, env: &Env) -> Self {
        RamRoleArnProvider {
            source,
            session: Session::new(role_arn.into(), env),
            external_id: None,
            endpoint: sts::sts_endpoint(env, None, false),
            env: env.clone(),
        }
    }

    /// A role assumed with a fixed access key.
    pub fn from_access_key(source: Credentials, role_arn: impl Into<String>) -> Self {
        Self::new(Arc::new(StaticProvider::new(source)), role_arn)
    }

    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session.session_name = name.into();
        self
    }
    /// Seconds the credentials last (at least 900; STS refuses more than the role allows).
    pub fn duration_seconds(mut self, seconds: u32) -> Self {
        self.session.duration_seconds = seconds;
        self
    }
    /// An inline policy narrowing the session (JSON text).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.session.policy = Some(policy.into());
        self
    }
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
    /// The STS endpoint (`host`, `host:port` or a URL).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, Error> {
        let source = self.source.provide().await.map_err(|e| {
            missing(format!("ram_role_arn: the source credentials ({}): {}", self.source.name(), e.message()))
        })?;
        let external_id = self.external_id.as_deref();
        sts::assume_role(&self.endpoint, &self.session, external_id, &source, "ram_role_arn", &self.env).await
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn name(&self) -> &'static str {
        "ram_role_arn"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}
