//! The INI credentials file of the official SDKs.

use std::path::PathBuf;

use futures::future::BoxFuture;

use super::{missing, Credentials, EcsRamRoleProvider, Env, ProvideCredentials};
use crate::error::Error;

/// The INI credentials file: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials`, else
/// `~/.alibabacloud/credentials.ini`. Section `ALIBABA_CLOUD_PROFILE` or `default`; types `access_key`
/// and `ecs_ram_role`.
#[derive(Debug, Clone)]
pub struct CredentialsFileProvider {
    env: Env,
    ecs: EcsRamRoleProvider,
}

impl CredentialsFileProvider {
    pub fn new(env: Env) -> Self {
        let ecs = EcsRamRoleProvider::new(env.clone());
        CredentialsFileProvider { env, ecs }
    }
    /// The metadata service used by `ecs_ram_role` sections.
    pub fn ecs_provider(mut self, ecs: EcsRamRoleProvider) -> Self {
        self.ecs = ecs;
        self
    }

    async fn path(&self) -> Result<PathBuf, Error> {
        if let Some(p) = self.env.path("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            return Ok(p);
        }
        let home =
            self.env.home().ok_or_else(|| missing("no home directory to find ~/.alibabacloud/credentials in"))?;
        let dir = home.join(".alibabacloud");
        let plain = dir.join("credentials");
        if tokio::fs::try_exists(&plain).await.unwrap_or(false) {
            return Ok(plain);
        }
        let ini = dir.join("credentials.ini");
        if tokio::fs::try_exists(&ini).await.unwrap_or(false) {
            return Ok(ini);
        }
        Err(missing(format!("neither {} nor {} exists", plain.display(), ini.display())))
    }

    async fn read(&self) -> Result<Credentials, Error> {
        let path = self.path().await?;
        // A real credentials file is a few hundred bytes.
        let text = self.env.read_small_file(&path, 1 << 20).map_err(missing)?;
        let ini = ini::Ini::load_from_str(&text).map_err(|e| missing(format!("{}: {e}", path.display())))?;
        let name = self.env.get("ALIBABA_CLOUD_PROFILE").unwrap_or_else(|| "default".to_owned());
        let section = ini
            .section(Some(name.as_str()))
            .ok_or_else(|| missing(format!("{} has no section [{name}]", path.display())))?;
        let where_ = format!("section [{name}] of {}", path.display());
        if section.get("enable").is_some_and(|v| v.trim() == "false") {
            return Err(missing(format!("{where_} is disabled (enable = false)")));
        }
        let get = |k: &str| section.get(k).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        match get("type").as_deref() {
            Some("access_key") => match (get("access_key_id"), get("access_key_secret")) {
                (Some(id), Some(secret)) => Ok(Credentials::new(id, secret).tagged("credentials_file")),
                _ => Err(missing(format!("{where_} has no access_key_id/access_key_secret"))),
            },
            Some("ecs_ram_role") => {
                let ecs = self.ecs.clone().role_name_opt(get("role_name"));
                ecs.fetch(true).await.map(|c| c.tagged("credentials_file"))
            }
            Some(other) => Err(missing(format!(
                "{where_} has type `{other}`, which is not supported (access_key, ecs_ram_role are)"
            ))),
            None => Err(missing(format!("{where_} has no type"))),
        }
    }
}

impl ProvideCredentials for CredentialsFileProvider {
    fn name(&self) -> &'static str {
        "credentials_file"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.read())
    }
}
