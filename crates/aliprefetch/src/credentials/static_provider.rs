//! Fixed credentials.

use futures::future::BoxFuture;

use super::{Credentials, ProvideCredentials};
use crate::error::Error;

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
