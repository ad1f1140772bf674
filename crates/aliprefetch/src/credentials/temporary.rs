//! What the metadata service and a credentials URI share: their JSON answer, a small HTTP client and
//! a capped body.

use std::sync::OnceLock;
use std::time::Duration;

use serde::Deserialize;

use super::{missing, Credentials};
use crate::error::Error;

/// The JSON that the metadata service and a credentials URI answer with.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TemporaryCredentialsBody {
    #[serde(default)]
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl TemporaryCredentialsBody {
    pub(crate) fn into_credentials(self, source: &str, provider: &'static str) -> Result<Credentials, Error> {
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

/// The HTTP client of the metadata service and the credentials URI: built once per process. It keeps
/// no idle connections, so it serves any runtime (each fetch connects afresh; fetches are rare).
pub(crate) fn small_http_client() -> Result<&'static reqwest::Client, Error> {
    static CLIENT: OnceLock<Result<reqwest::Client, Error>> = OnceLock::new();
    let settings = crate::http::HttpSettings {
        connect_timeout: Duration::from_secs(1),
        read_timeout: None,
        total_timeout: Duration::from_secs(3),
        pool_idle_timeout: None,
        direct: true,
    };
    crate::http::shared_client(&CLIENT, &settings)
}

/// A credentials source's body as text, at most [`crate::http::MAX_ANSWER_BYTES`].
pub(crate) async fn small_body(resp: reqwest::Response, source: &str) -> Result<String, Error> {
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
