//! The ECS instance's RAM role, from the instance metadata service.

use futures::future::BoxFuture;

use super::temporary::{small_body, small_http_client, TemporaryCredentialsBody};
use super::{missing, Credentials, Env, ProvideCredentials};
use crate::error::Error;

/// The ECS instance's RAM role, from the metadata service: an IMDSv2 token first, falling back to v1.
/// The role is `ALIBABA_CLOUD_ECS_METADATA`, the one given, or discovered from the service. Disabled by
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    env: Env,
    role_name: Option<String>,
    base_url: String,
}

/// The instance metadata service.
pub const ECS_METADATA_BASE_URL: &str = "http://100.100.100.200";

impl EcsRamRoleProvider {
    pub fn new(env: Env) -> Self {
        EcsRamRoleProvider { env, role_name: None, base_url: ECS_METADATA_BASE_URL.to_owned() }
    }
    /// The role to use; otherwise `ALIBABA_CLOUD_ECS_METADATA` or discovery.
    pub fn role_name(self, name: impl Into<String>) -> Self {
        self.role_name_opt(Some(name.into()))
    }
    pub(crate) fn role_name_opt(mut self, name: Option<String>) -> Self {
        if name.is_some() {
            self.role_name = name;
        }
        self
    }
    /// Another metadata base URL (tests point it at a loopback fake).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    fn disabled(&self) -> bool {
        self.env.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `explicit` is true when a profile asked for this role, so disabling does not apply silently.
    pub(crate) async fn fetch(&self, explicit: bool) -> Result<Credentials, Error> {
        if self.disabled() && !explicit {
            return Err(missing("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"));
        }
        let http = self.env.http_client(small_http_client)?;
        let http = &http;
        let token = self.imds_token(http).await;
        let get = |path: String| {
            let mut req = http.get(format!("{}{path}", self.base_url));
            if let Some(t) = &token {
                req = req.header("X-aliyun-ecs-metadata-token", t);
            }
            async move {
                let resp = req
                    .send()
                    .await
                    .map_err(|e| missing(format!("metadata service {}: {}", self.base_url, e.without_url())))?;
                let status = resp.status();
                let body = small_body(resp, "the metadata service").await?;
                if !status.is_success() {
                    return Err(missing(format!("metadata service answered HTTP {} for {path}", status.as_u16())));
                }
                Ok(body)
            }
        };
        let role = match self.role_name.clone().or_else(|| self.env.get("ALIBABA_CLOUD_ECS_METADATA")) {
            Some(r) => r,
            None => {
                let listed = get("/latest/meta-data/ram/security-credentials/".to_owned()).await?;
                listed
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| missing("the metadata service lists no RAM role for this instance"))?
            }
        };
        let body = get(format!("/latest/meta-data/ram/security-credentials/{role}")).await?;
        let parsed: TemporaryCredentialsBody = serde_json::from_str(&body)
            .map_err(|e| missing(format!("the metadata service's credentials for role {role} are not JSON: {e}")))?;
        parsed.into_credentials(&format!("the metadata service (role {role})"), "ecs_ram_role")
    }

    /// IMDSv2: a session token, or `None` to fall back to v1.
    async fn imds_token(&self, http: &reqwest::Client) -> Option<String> {
        let resp = http
            .put(format!("{}/latest/api/token", self.base_url))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
            .send()
            .await
            .ok()?;
        if !resp.status().is_success() {
            return None;
        }
        small_body(resp, "the metadata service")
            .await
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_owned())
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn name(&self) -> &'static str {
        "ecs_ram_role"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch(false))
    }
}
