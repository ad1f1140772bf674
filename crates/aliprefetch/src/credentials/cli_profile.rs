//! A profile of the aliyun CLI's configuration.

use std::path::PathBuf;

use futures::future::BoxFuture;
use serde::Deserialize;

use super::{missing, Credentials, EcsRamRoleProvider, Env, ProvideCredentials};
use crate::error::Error;

/// The largest aliyun CLI configuration read (a real one is a few KB).
const MAX_CONFIG_BYTES: usize = 1 << 20;

/// A profile of the aliyun CLI's `~/.aliyun/config.json`, of mode `AK`, `StsToken`, `RamRoleArn`
/// (a role assumed with the profile's access key), `ChainableRamRoleArn` (a role assumed with the
/// credentials of `source_profile`), `OIDC` (a role assumed with an OIDC token file) or `EcsRamRole`.
/// The profile is the one named, else `ALIBABA_CLOUD_PROFILE` (or `ALIBABACLOUD_PROFILE`,
/// `ALICLOUD_PROFILE`, as the aliyun CLI reads them), else the file's `current`.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Env,
    path: Option<PathBuf>,
    profile: Option<String>,
    ecs: EcsRamRoleProvider,
    /// How many `source_profile` links led here (a cycle stops at [`MAX_CHAIN`]).
    depth: u8,
}

/// The longest `source_profile` chain followed.
const MAX_CHAIN: u8 = 5;

/// The profile name the environment gives, in the aliyun CLI's order of spellings.
pub(crate) fn profile_from_env(env: &Env) -> Option<String> {
    env.get("ALIBABA_CLOUD_PROFILE").or_else(|| env.get("ALIBABACLOUD_PROFILE")).or_else(|| env.get("ALICLOUD_PROFILE"))
}

#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Deserialize)]
struct CliProfile {
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    ram_role_name: String,
    #[serde(default)]
    ram_role_arn: String,
    #[serde(default)]
    ram_session_name: String,
    #[serde(default)]
    expired_seconds: Option<u32>,
    #[serde(default)]
    sts_region: String,
    #[serde(default)]
    enable_vpc: bool,
    #[serde(default)]
    source_profile: String,
    #[serde(default)]
    oidc_provider_arn: String,
    #[serde(default)]
    oidc_token_file: String,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    region_id: String,
    #[serde(default)]
    connect_timeout: Option<u64>,
    #[serde(default)]
    read_timeout: Option<u64>,
    #[serde(default)]
    retry_count: Option<u32>,
}

/// What a profile says besides credentials. A 0 (as `aliyun configure` writes) means unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProfileSettings {
    pub region_id: Option<String>,
    pub connect_timeout: Option<std::time::Duration>,
    pub read_timeout: Option<std::time::Duration>,
    /// Retries after the first attempt.
    pub retry_count: Option<u32>,
}

/// The settings of the profile named (else the environment's, else `current`) in
/// `~/.aliyun/config.json`; empty when there is no such file or profile (the credentials provider
/// reports those). Read synchronously: it runs once, when a client is built.
pub(crate) fn profile_settings(env: &Env, profile: Option<&str>) -> ProfileSettings {
    let Some(path) = env.home().map(|h| h.join(".aliyun").join("config.json")) else {
        return ProfileSettings::default();
    };
    let Ok(text) = env.read_small_file(&path, MAX_CONFIG_BYTES) else {
        return ProfileSettings::default();
    };
    let Ok(config) = serde_json::from_str::<CliConfig>(&text) else { return ProfileSettings::default() };
    let wanted = profile.map(str::to_owned).or_else(|| profile_from_env(env)).unwrap_or(config.current);
    let Some(p) = config.profiles.into_iter().find(|p| p.name == wanted) else { return ProfileSettings::default() };
    let secs = |s: Option<u64>| s.filter(|s| *s > 0).map(std::time::Duration::from_secs);
    ProfileSettings {
        region_id: some(p.region_id),
        connect_timeout: secs(p.connect_timeout),
        read_timeout: secs(p.read_timeout),
        retry_count: p.retry_count.filter(|n| *n > 0),
    }
}

fn some(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

impl CliProfileProvider {
    pub fn new(env: Env) -> Self {
        let ecs = EcsRamRoleProvider::new(env.clone());
        CliProfileProvider { env, path: None, profile: None, ecs, depth: 0 }
    }
    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// Uses this profile instead of `ALIBABA_CLOUD_PROFILE` / `current`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }
    /// The metadata service used by `EcsRamRole` profiles.
    pub fn ecs_provider(mut self, ecs: EcsRamRoleProvider) -> Self {
        self.ecs = ecs;
        self
    }

    async fn read(&self) -> Result<Credentials, Error> {
        let path = match (&self.path, self.env.home()) {
            (Some(p), _) => p.clone(),
            (None, Some(home)) => home.join(".aliyun").join("config.json"),
            (None, None) => return Err(missing("no home directory to find ~/.aliyun/config.json in")),
        };
        let text = self.env.read_small_file(&path, MAX_CONFIG_BYTES).map_err(missing)?;
        let config: CliConfig = serde_json::from_str(&text)
            .map_err(|e| missing(format!("{} is not a valid aliyun CLI configuration: {e}", path.display())))?;
        let wanted = self.profile.clone().or_else(|| profile_from_env(&self.env)).unwrap_or(config.current);
        let profile = config
            .profiles
            .into_iter()
            .find(|p| p.name == wanted)
            .ok_or_else(|| missing(format!("{} has no profile named `{wanted}`", path.display())))?;
        let where_ = format!("profile `{}` of {}", profile.name, path.display());
        match profile.mode.as_str() {
            "AK" | "StsToken" => {
                if profile.access_key_id.is_empty() || profile.access_key_secret.is_empty() {
                    return Err(missing(format!("{where_} has no access_key_id/access_key_secret")));
                }
                let mut c = Credentials::new(profile.access_key_id, profile.access_key_secret);
                if profile.mode == "StsToken" {
                    if profile.sts_token.is_empty() {
                        return Err(missing(format!("{where_} is in StsToken mode but has no sts_token")));
                    }
                    c = c.with_security_token(profile.sts_token);
                }
                Ok(c.tagged("cli_profile"))
            }
            "EcsRamRole" => {
                let ecs = self
                    .ecs
                    .clone()
                    .role_name_opt((!profile.ram_role_name.is_empty()).then_some(profile.ram_role_name));
                ecs.fetch(true).await.map(|c| c.tagged("cli_profile"))
            }
            "RamRoleArn" | "ChainableRamRoleArn" | "OIDC" => {
                let role_arn = some(profile.ram_role_arn.clone())
                    .ok_or_else(|| missing(format!("{where_} is in {} mode but has no ram_role_arn", profile.mode)))?;
                let endpoint = super::sts::sts_endpoint(
                    &self.env,
                    some(profile.sts_region.clone()).as_deref(),
                    profile.enable_vpc,
                );
                let session = some(profile.ram_session_name.clone())
                    .or_else(|| self.env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
                    .unwrap_or_else(|| super::sts::default_session_name(&self.env));
                let duration = profile.expired_seconds.unwrap_or(super::sts::DEFAULT_DURATION_SECONDS);
                let policy = some(profile.policy.clone());
                if profile.mode == "OIDC" {
                    let provider_arn = some(profile.oidc_provider_arn.clone())
                        .ok_or_else(|| missing(format!("{where_} is in OIDC mode but has no oidc_provider_arn")))?;
                    let file = some(profile.oidc_token_file.clone())
                        .ok_or_else(|| missing(format!("{where_} is in OIDC mode but has no oidc_token_file")))?;
                    let mut p = super::OidcRoleArnProvider::with_env(role_arn, provider_arn, file, &self.env)
                        .session_name(session)
                        .duration_seconds(duration)
                        .sts_endpoint(endpoint);
                    if let Some(policy) = policy {
                        p = p.policy(policy);
                    }
                    return p.provide().await.map(|c| c.tagged("cli_profile"));
                }
                let source: std::sync::Arc<dyn ProvideCredentials> = if profile.mode == "RamRoleArn" {
                    if profile.access_key_id.is_empty() || profile.access_key_secret.is_empty() {
                        return Err(missing(format!("{where_} is in RamRoleArn mode but has no access_key_id/access_key_secret")));
                    }
                    let mut c = Credentials::new(profile.access_key_id, profile.access_key_secret);
                    if let Some(t) = some(profile.sts_token) {
                        c = c.with_security_token(t);
                    }
                    std::sync::Arc::new(super::StaticProvider::new(c))
                } else {
                    let source = some(profile.source_profile.clone()).ok_or_else(|| {
                        missing(format!("{where_} is in ChainableRamRoleArn mode but has no source_profile"))
                    })?;
                    if self.depth >= MAX_CHAIN {
                        return Err(missing(format!(
                            "{where_}: source_profile links more than {MAX_CHAIN} profiles (a cycle?)"
                        )));
                    }
                    let mut next = self.clone().profile(source);
                    next.path = Some(path.clone());
                    next.depth = self.depth + 1;
                    std::sync::Arc::new(next)
                };
                let mut p = super::RamRoleArnProvider::with_env(source, role_arn, &self.env)
                    .session_name(session)
                    .duration_seconds(duration)
                    .sts_endpoint(endpoint);
                if let Some(policy) = policy {
                    p = p.policy(policy);
                }
                if let Some(id) = some(profile.external_id) {
                    p = p.external_id(id);
                }
                p.provide().await.map(|c| c.tagged("cli_profile"))
            }
            other => Err(missing(format!(
                "{where_} has mode `{other}`, which is not supported (AK, StsToken, RamRoleArn, ChainableRamRoleArn, OIDC, EcsRamRole are)"
            ))),
        }
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn name(&self) -> &'static str {
        "cli_profile"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.read())
    }
}
