//! Credentials from environment variables.

use futures::future::BoxFuture;

use super::{missing, Credentials, Env, ProvideCredentials};
use crate::error::Error;

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
