//! The client's cache in front of its provider.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::{Credentials, ProvideCredentials};
use crate::error::Error;

/// Holds the last credentials of a provider and refreshes them `refresh_ahead` before they expire
/// (default 3 minutes). Shared by clones of a client.
///
/// One refresh runs at a time. While credentials that have not expired are held, a call that finds
/// a refresh already running uses them instead of waiting, and a refresh that fails keeps them (with
/// a warning) until they expire; only without valid credentials does a call wait for the refresh.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    current: std::sync::RwLock<Option<Credentials>>,
    refreshing: tokio::sync::Mutex<()>,
    refresh_ahead: Duration,
}

impl CredentialsCache {
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            provider,
            current: std::sync::RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            refresh_ahead: Duration::from_secs(180),
        }
    }
    pub fn refresh_ahead(mut self, d: Duration) -> Self {
        self.refresh_ahead = d;
        self
    }

    fn held(&self) -> Option<Credentials> {
        // Writers only replace the value whole: a poisoned lock still holds a consistent one.
        self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn hold(&self, c: Credentials) {
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(c);
    }

    /// Valid credentials, fetching or refreshing when needed.
    pub async fn get(&self) -> Result<Credentials, Error> {
        self.get_at(OffsetDateTime::now_utc()).await
    }

    /// Forgets the credentials of `access_key_id` (the service said they expired), so the next call
    /// fetches new ones.
    pub fn invalidate(&self, access_key_id: &str) {
        let mut current = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.as_ref().is_some_and(|c| c.access_key_id() == access_key_id) {
            *current = None;
        }
    }

    /// As [`CredentialsCache::get`], judging expiry at `now` (the service's time, when the client
    /// knows how far its clock is from ours).
    pub async fn get_at(&self, now: OffsetDateTime) -> Result<Credentials, Error> {
        let held = match self.held() {
            Some(c) if !c.expires_within(now, self.refresh_ahead) => return Ok(c),
            held => held,
        };
        let still_valid = held.filter(|c| !c.expires_within(now, Duration::ZERO));
        let _guard = match (&still_valid, self.refreshing.try_lock()) {
            (_, Ok(guard)) => guard,
            // Another call is refreshing and these still work: use them rather than wait.
            (Some(valid), Err(_)) => return Ok(valid.clone()),
            (None, Err(_)) => {
                let guard = self.refreshing.lock().await;
                // The refresh we waited for may have succeeded.
                if let Some(c) = self.held().filter(|c| !c.expires_within(now, Duration::ZERO)) {
                    return Ok(c);
                }
                guard
            }
        };
        match self.provider.provide().await {
            Ok(fresh) => {
                match fresh.expiration() {
                    Some(at) => tracing::debug!(
                        provider = self.provider.name(),
                        "credentials fetched; they expire at {}",
                        crate::wire::format_timestamp(at)
                    ),
                    None => tracing::debug!(provider = self.provider.name(), "credentials fetched"),
                }
                self.hold(fresh.clone());
                Ok(fresh)
            }
            Err(e) => match self.held().filter(|c| !c.expires_within(now, Duration::ZERO)) {
                Some(old) => {
                    tracing::warn!(provider = self.provider.name(), error = %e, "refreshing credentials failed; using the current ones until they expire");
                    Ok(old)
                }
                None => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use futures::future::BoxFuture;

    use super::*;

    /// Credentials that expire `lifetime` after each fetch; a fetch takes `delay`, and fails when
    /// `failing` is set.
    #[derive(Debug)]
    struct Slow {
        fetches: AtomicU32,
        lifetime: time::Duration,
        delay: Duration,
        failing: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Slow {
        fn name(&self) -> &'static str {
            "slow"
        }
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.delay).await;
                if self.failing.load(Ordering::SeqCst) {
                    return Err(super::super::missing("down"));
                }
                Ok(Credentials::new(format!("id{n}"), "secret")
                    .with_expiration(OffsetDateTime::now_utc() + self.lifetime))
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn one_refresh_at_a_time_and_valid_credentials_are_served_meanwhile() {
        // Credentials that live 100 s, refreshed 180 s ahead: always due, never expired at once.
        let provider = Arc::new(Slow {
            fetches: AtomicU32::new(0),
            lifetime: time::Duration::seconds(100),
            delay: Duration::from_secs(2),
            failing: Default::default(),
        });
        let cache = Arc::new(CredentialsCache::new(provider.clone()));
        assert_eq!(cache.get().await.unwrap().access_key_id(), "id0");
        // Ten calls at once while a refresh is due: one refreshes, nine get id0 without waiting.
        let calls: Vec<_> = (0..10)
            .map(|_| {
                tokio::spawn({
                    let c = cache.clone();
                    async move { c.get().await }
                })
            })
            .collect();
        let mut ids = Vec::new();
        for c in calls {
            ids.push(c.await.unwrap().unwrap().access_key_id().to_owned());
        }
        assert_eq!(provider.fetches.load(Ordering::SeqCst), 2, "one refresh for ten calls");
        assert_eq!(ids.iter().filter(|i| *i == "id0").count(), 9, "{ids:?}");
        assert_eq!(ids.iter().filter(|i| *i == "id1").count(), 1, "{ids:?}");
        // A failing refresh keeps credentials that still work.
        provider.failing.store(true, Ordering::SeqCst);
        assert_eq!(cache.get().await.unwrap().access_key_id(), "id1");
    }
}
