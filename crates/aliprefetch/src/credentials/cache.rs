//! The client's cache in front of its provider.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::{Credentials, ProvideCredentials};
use crate::error::Error;

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
