//! The credentials value: an access key pair, with an STS token and expiry when temporary. It sits below
//! both the signers that take it and the providers that make it (`crate::credentials`), so neither
//! depends on the other through it.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use time::OffsetDateTime;

/// An access key pair, with an STS token and expiry when temporary. `Debug` shows only the key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    // Shared: the cache hands a clone to every call, which then costs no allocation.
    access_key_id: std::sync::Arc<str>,
    access_key_secret: std::sync::Arc<SecretKey>,
    security_token: Option<std::sync::Arc<str>>,
    expiration: Option<OffsetDateTime>,
    provider: &'static str,
}

impl Credentials {
    /// A long-term access key pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into().into(),
            access_key_secret: Arc::new(SecretKey { text: access_key_secret.into().into(), v3_mac: OnceLock::new() }),
            security_token: None,
            expiration: None,
            provider: "static",
        }
    }

    /// Temporary (STS) credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.security_token = (!token.is_empty()).then(|| token.into());
        self
    }

    /// When the credentials stop working; the client refreshes them ahead of it.
    pub fn with_expiration(mut self, at: OffsetDateTime) -> Self {
        self.expiration = Some(at);
        self
    }

    pub(crate) fn tagged(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret.text
    }

    /// HMAC-SHA256 keyed with the secret, for V3 signatures: keyed once per credentials (shared by
    /// their clones), so a signature hashes two blocks fewer.
    pub(crate) fn v3_mac(&self) -> hmac::Hmac<sha2::Sha256> {
        self.access_key_secret
            .v3_mac
            .get_or_init(|| {
                use hmac::KeyInit as _;
                #[allow(clippy::expect_used, reason = "HMAC takes a key of any length")]
                hmac::Hmac::<sha2::Sha256>::new_from_slice(self.access_key_secret.text.as_bytes())
                    .expect("HMAC takes any key length")
            })
            .clone()
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
        [&self.access_key_secret.text, self.security_token.as_deref().unwrap_or("")]
    }

    pub(crate) fn expires_within(&self, now: OffsetDateTime, margin: Duration) -> bool {
        self.expiration.is_some_and(|at| at - now <= margin)
    }
}

/// The secret, and the HMAC state keyed with it once it is first needed. Equal when the texts are.
struct SecretKey {
    text: Box<str>,
    v3_mac: OnceLock<hmac::Hmac<sha2::Sha256>>,
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for SecretKey {}

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
