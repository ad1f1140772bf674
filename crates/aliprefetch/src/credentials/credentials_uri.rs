//! `ALIBABA_CLOUD_CREDENTIALS_URI`.

use std::fmt;

use futures::future::BoxFuture;

use super::temporary::{small_body, small_http_client, TemporaryCredentialsBody};
use super::{missing, Credentials, Env, ProvideCredentials};
use crate::error::Error;

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
        let resp = self
            .env
            .http_client(small_http_client)?
            .get(&uri)
            .send()
            .await
            .map_err(|e| missing(format!("{shown}: {}", e.without_url())))?;
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
