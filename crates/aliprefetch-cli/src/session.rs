//! The client a command talks through: to the cloud with the credential chain, or to the embedded
//! emulator with `--emulator`.

use std::sync::Arc;

use aliprefetch::credentials::{CliProfileProvider, Env, ProvideCredentials, ProviderChain};
use aliprefetch::{Client, RateLimits, SignatureVersion};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

use crate::args::{GlobalArgs, Signature};
use crate::failure::{Exit, Failure};

/// Global options that name client settings.
const OPTIONS: &[(&str, &str)] = &[("endpoint", "--endpoint"), ("region", "--region")];

pub struct Session {
    pub client: Client,
    /// Kept alive for as long as the client is used.
    emulator: Option<Emulator>,
}

impl Session {
    /// Builds the client; without `--emulator`, finds credentials first so a missing key is reported
    /// once, with everything that was tried, before any request.
    pub async fn open(global: &GlobalArgs) -> Result<Session, Failure> {
        let mut builder = Client::builder().signature_version(match global.signature {
            Signature::V3 => SignatureVersion::V3,
            Signature::V1 => SignatureVersion::V1,
        });
        if let Some(region) = &global.region {
            builder = builder.region(region);
        }
        if !global.rate_limit.is_empty() {
            let mut limits = RateLimits::documented();
            for r in &global.rate_limit {
                match &r.action {
                    Some(action) => limits = limits.set(action, r.per_second),
                    None => {
                        for (action, _) in aliprefetch::rate_limit::DOCUMENTED_QUOTAS {
                            limits = limits.set(action, r.per_second);
                        }
                    }
                }
            }
            builder = builder.rate_limits(limits);
        }
        if global.emulator {
            let emulator = Emulator::start(Config::with_fixtures(Fixtures::demo()))
                .await
                .map_err(|e| Failure::other(Exit::Other, format!("cannot start the embedded emulator: {e}")))?;
            crate::output::note(&format!(
                "aliprefetch: using the embedded emulator at {} (demo data, no account needed)",
                emulator.endpoint()
            ));
            let client = builder
                .endpoint(emulator.endpoint())
                .credentials(emulator.credentials())
                .build()
                .map_err(|e| Failure::from_error(e, OPTIONS))?;
            return Ok(Session { client, emulator: Some(emulator) });
        }
        if let Some(endpoint) = &global.endpoint {
            builder = builder.endpoint(endpoint);
        }
        let provider: Arc<dyn ProvideCredentials> = match &global.profile {
            Some(name) => Arc::new(CliProfileProvider::new(Env::process()).profile(name)),
            None => Arc::new(ProviderChain::default_chain()),
        };
        let client =
            builder.credentials_provider(provider.clone()).build().map_err(|e| Failure::from_error(e, OPTIONS))?;
        provider.provide().await.map_err(|e| Failure::from_error(e, OPTIONS))?;
        Ok(Session { client, emulator: None })
    }

    /// Stops the embedded emulator, if any, after the requests in flight.
    pub async fn close(self) {
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }
}
