//! Credentials, where they come from, and the default chain the client applies by itself.
//!
//! Order of the default chain: environment, aliyun CLI profile (`~/.aliyun/config.json`), credentials
//! file (`~/.alibabacloud/credentials`), ECS RAM role (instance metadata), `ALIBABA_CLOUD_CREDENTIALS_URI`.
//! The first provider that answers is remembered; credentials with an expiry are refreshed ahead of it.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::error::{Error, ErrorKind};

/// An access key pair, with an STS token and expiry when temporary. `Debug` shows only the key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<OffsetDateTime>,
    provider: &'static str,
}

impl Credentials {
    /// A long-term access key pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
            provider: "static",
        }
    }

    /// Temporary (STS) credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.security_token = (!token.is_empty()).then_some(token);
        self
    }

    /// When the credentials stop working; the client refreshes them ahead of it.
    pub fn with_expiration(mut self, at: OffsetDateTime) -> Self {
        self.expiration = Some(at);
        self
    }

    fn tagged(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
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
        [self.access_key_secret.as_str(), self.security_token.as_deref().unwrap_or("")]
    }

    fn expires_within(&self, now: OffsetDateTime, margin: Duration) -> bool {
        self.expiration.is_some_and(|at| at - now <= margin)
    }
}

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

fn missing(what: impl Into<String>) -> Error {
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
    fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }
}

/// Always the same credentials.
#[derive(Debug, Clone)]
pub struct StaticProvider(Credentials);

impl StaticProvider {
    pub fn new(creds: Credentials) -> Self {
        StaticProvider(creds)
    }
}

impl ProvideCredentials for StaticProvider {
    fn name(&self) -> &'static str {
        "static"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    pub fn new(env: Env) -> Self {
        EnvironmentProvider { env }
    }
    fn read(&self) -> Result<Credentials, Error> {
        let id = self.env.get("ALIBABA_CLOUD_ACCESS_KEY_ID");
        let secret = self.env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let mut c = Credentials::new(id, secret);
                if let Some(t) = self.env.get("ALIBABA_CLOUD_SECURITY_TOKEN") {
                    c = c.with_security_token(t);
                }
                Ok(c.tagged("environment"))
            }
            (Some(_), None) => {
                Err(missing("ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"))
            }
            (None, Some(_)) => {
                Err(missing("ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not"))
            }
            (None, None) => Err(missing("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set")),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn name(&self) -> &'static str {
        "environment"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move { self.read() })
    }
}

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
        let text = std::fs::read_to_string(&path).map_err(|e| missing(format!("{}: {e}", path.display())))?;
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

    fn path(&self) -> Result<PathBuf, Error> {
        if let Some(p) = self.env.get("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            return Ok(PathBuf::from(p));
        }
        let home =
            self.env.home().ok_or_else(|| missing("no home directory to find ~/.alibabacloud/credentials in"))?;
        let dir = home.join(".alibabacloud");
        let plain = dir.join("credentials");
        if plain.exists() {
            return Ok(plain);
        }
        let ini = dir.join("credentials.ini");
        if ini.exists() {
            return Ok(ini);
        }
        Err(missing(format!("neither {} nor {} exists", plain.display(), ini.display())))
    }

    async fn read(&self) -> Result<Credentials, Error> {
        let path = self.path()?;
        let ini = ini::Ini::load_from_file(&path).map_err(|e| missing(format!("{}: {e}", path.display())))?;
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

/// The JSON that the metadata service and a credentials URI answer with.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TemporaryCredentialsBody {
    #[serde(default)]
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl TemporaryCredentialsBody {
    fn into_credentials(self, source: &str, provider: &'static str) -> Result<Credentials, Error> {
        if let Some(code) = self.code.as_deref().filter(|c| *c != "Success") {
            return Err(missing(format!("{source} answered Code {code}")));
        }
        let (Some(id), Some(secret)) = (self.access_key_id, self.access_key_secret) else {
            return Err(missing(format!("{source} answered without AccessKeyId/AccessKeySecret")));
        };
        let mut c = Credentials::new(id, secret).tagged(provider);
        if let Some(t) = self.security_token {
            c = c.with_security_token(t);
        }
        if let Some(exp) = self.expiration {
            c = c.with_expiration(crate::wire::parse_timestamp("Expiration", &exp)?);
        }
        Ok(c)
    }
}

fn small_http_client() -> reqwest::Client {
    crate::client::install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(1))
        .timeout(Duration::from_secs(3))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap_or_default()
}

/// A credentials source's body as text, at most [`crate::http::MAX_ANSWER_BYTES`].
async fn small_body(resp: reqwest::Response, source: &str) -> Result<String, Error> {
    match crate::http::read_capped(resp, crate::http::MAX_ANSWER_BYTES).await {
        Ok(body) => {
            String::from_utf8(body.to_vec()).map_err(|_| missing(format!("{source} answered text that is not UTF-8")))
        }
        Err(crate::http::BodyError::TooLarge(cap)) => {
            Err(missing(format!("{source} answered more than {} MiB", cap >> 20)))
        }
        Err(crate::http::BodyError::Transport(e)) => Err(missing(format!("{source}: {}", e.without_url()))),
    }
}

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
    fn role_name_opt(mut self, name: Option<String>) -> Self {
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
    async fn fetch(&self, explicit: bool) -> Result<Credentials, Error> {
        if self.disabled() && !explicit {
            return Err(missing("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"));
        }
        let http = small_http_client();
        let token = self.imds_token(&http).await;
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

/// `ALIBABA_CLOUD_CREDENTIALS_URI`: a URL answering the metadata service's JSON.
#[derive(Clone)]
pub struct CredentialsUriProvider {
    env: Env,
    uri: Option<String>,
}

/// The URI without its query or user info, which may carry a token.
impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("env", &self.env)
            .field("uri", &self.uri.as_deref().map(crate::http::redacted_url))
            .finish()
    }
}

impl CredentialsUriProvider {
    pub fn new(env: Env) -> Self {
        CredentialsUriProvider { env, uri: None }
    }
    /// This URI instead of `ALIBABA_CLOUD_CREDENTIALS_URI`.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }
    async fn fetch(&self) -> Result<Credentials, Error> {
        let uri = self
            .uri
            .clone()
            .or_else(|| self.env.get("ALIBABA_CLOUD_CREDENTIALS_URI"))
            .ok_or_else(|| missing("ALIBABA_CLOUD_CREDENTIALS_URI is not set"))?;
        // The URI may carry a token in its query or user info: errors name it without them.
        let shown = crate::http::redacted_url(&uri);
        let resp =
            small_http_client().get(&uri).send().await.map_err(|e| missing(format!("{shown}: {}", e.without_url())))?;
        let status = resp.status();
        let body = small_body(resp, &shown).await?;
        if !status.is_success() {
            return Err(missing(format!("{shown} answered HTTP {}", status.as_u16())));
        }
        let parsed: TemporaryCredentialsBody = serde_json::from_str(&body)
            .map_err(|e| missing(format!("{shown} did not answer credentials JSON: {e}")))?;
        parsed.into_credentials(&shown, "credentials_uri")
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn name(&self) -> &'static str {
        "credentials_uri"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.fetch())
    }
}

/// Tries providers in order and remembers the first that answers.
#[derive(Debug)]
pub struct ProviderChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    chosen: std::sync::Mutex<Option<usize>>,
}

impl ProviderChain {
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        ProviderChain { providers, chosen: std::sync::Mutex::new(None) }
    }

    /// The default chain reading the process environment and home directory.
    pub fn default_chain() -> Self {
        Self::default_chain_with(Env::process(), EcsRamRoleProvider::new(Env::process()))
    }

    /// The default chain over `env`, with this metadata provider (for a loopback fake).
    pub fn default_chain_with(env: Env, ecs: EcsRamRoleProvider) -> Self {
        ProviderChain::new(vec![
            Arc::new(EnvironmentProvider::new(env.clone())),
            Arc::new(CliProfileProvider::new(env.clone()).ecs_provider(ecs.clone())),
            Arc::new(CredentialsFileProvider::new(env.clone()).ecs_provider(ecs.clone())),
            Arc::new(ecs),
            Arc::new(CredentialsUriProvider::new(env)),
        ])
    }

    async fn resolve(&self) -> Result<Credentials, Error> {
        let chosen = *self.chosen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(i) = chosen {
            if let Some(p) = self.providers.get(i) {
                return p.provide().await;
            }
        }
        let mut tried = Vec::with_capacity(self.providers.len());
        for (i, p) in self.providers.iter().enumerate() {
            match p.provide().await {
                Ok(c) => {
                    tracing::debug!(provider = p.name(), "credentials found");
                    *self.chosen.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(i);
                    return Ok(c);
                }
                Err(e) => tried.push(format!("{}: {}", p.name(), e.message())),
            }
        }
        Err(missing(format!("no credentials found; tried {}", tried.join("; "))))
    }
}

impl ProvideCredentials for ProviderChain {
    fn name(&self) -> &'static str {
        "default_chain"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(self.resolve())
    }
}

/// Holds the last credentials of a provider and refreshes them `refresh_ahead` before they expire
/// (default 3 minutes). Shared by clones of a client.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    current: tokio::sync::Mutex<Option<Credentials>>,
    refresh_ahead: Duration,
}

impl CredentialsCache {
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache { provider, current: tokio::sync::Mutex::new(None), refresh_ahead: Duration::from_secs(180) }
    }
    pub fn refresh_ahead(mut self, d: Duration) -> Self {
        self.refresh_ahead = d;
        self
    }

    /// Valid credentials, fetching or refreshing when needed. A failed refresh keeps credentials
    /// that have not yet expired.
    pub async fn get(&self) -> Result<Credentials, Error> {
        let mut current = self.current.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some(c) = current.as_ref() {
            if !c.expires_within(now, self.refresh_ahead) {
                return Ok(c.clone());
            }
        }
        match self.provider.provide().await {
            Ok(fresh) => {
                *current = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => match current.as_ref() {
                Some(old) if !old.expires_within(now, Duration::ZERO) => {
                    tracing::warn!(provider = self.provider.name(), error = %e, "refreshing credentials failed; using the current ones until they expire");
                    Ok(old.clone())
                }
                _ => Err(e),
            },
        }
    }
}
