//! The providers tried in order, and the default chain.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{
    missing, CliProfileProvider, Credentials, CredentialsFileProvider, CredentialsUriProvider, EcsRamRoleProvider, Env,
    EnvironmentProvider, ProvideCredentials,
};
use crate::error::Error;

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
            Arc::new(super::oidc_role_arn::OidcEnvProvider::new(env.clone())),
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
