//! A profile of the aliyun CLI's configuration.

use std::path::PathBuf;

use futures::future::BoxFuture;
use serde::Deserialize;

use super::{missing, Credentials, EcsRamRoleProvider, Env, ProvideCredentials};
use crate::error::Error;

/// A profile of the aliyun CLI's `~/.aliyun/config.json` (modes `AK`, `StsToken`, `EcsRamRole`).
/// The profile is the one named, else `ALIBABA_CLOUD_PROFILE`, else the file's `current`.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Env,
    path: Option<PathBuf>,
    profile: Option<String>,
    ecs: EcsRamRoleProvider,
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
}

impl CliProfileProvider {
    pub fn new(env: Env) -> Self {
        let ecs = EcsRamRoleProvider::new(env.clone());
        CliProfileProvider { env, path: None, profile: None, ecs }
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
        let text = tokio::fs::read_to_string(&path).await.map_err(|e| missing(format!("{}: {e}", path.display())))?;
        let config: CliConfig = serde_json::from_str(&text)
            .map_err(|e| missing(format!("{} is not a valid aliyun CLI configuration: {e}", path.display())))?;
        let wanted = self.profile.clone().or_else(|| self.env.get("ALIBABA_CLOUD_PROFILE")).unwrap_or(config.current);
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
            other => Err(missing(format!(
                "{where_} has mode `{other}`, which is not supported (AK, StsToken, EcsRamRole are)"
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
