//! The client a command talks through: to the cloud with the credential chain, or to the embedded
//! emulator with `--emulator`.

use aliprefetch::{Client, ClientConfig, RateLimits, SignatureVersion};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

use crate::args::{GlobalArgs, Signature};
use crate::failure::{Exit, Failure};

/// Global options that name client settings.
const OPTIONS: &[(&str, &str)] =
    &[("endpoint", "--endpoint"), ("region", "--region"), ("rate_limit_url", "--rate-limit-url")];

pub struct Session {
    pub client: Client,
    /// Kept alive for as long as the client is used.
    emulator: Option<Emulator>,
}

impl Session {
    /// Builds the client; without `--emulator`, finds credentials first so a missing key is reported
    /// once, with everything that was tried, before any request.
    pub async fn open(global: &GlobalArgs) -> Result<Session, Failure> {
        let mut config = ClientConfig::default();
        config.signature_version = Some(match global.signature {
            Signature::V3 => SignatureVersion::V3,
            Signature::V1 => SignatureVersion::V1,
        });
        config.region = global.region.clone();
        config.connect_timeout = global.connect_timeout;
        config.read_timeout = global.read_timeout;
        if let Some(n) = global.retry_count {
            config.retry = Some(aliprefetch::RetryConfig::standard().with_retries(n));
        }
        if !global.rate_limit.is_empty() {
            let mut limits = Vec::new();
            for r in &global.rate_limit {
                match &r.action {
                    Some(action) => limits.push((action.clone(), r.per_second)),
                    None => limits
                        .extend(aliprefetch::DOCUMENTED_QUOTAS.iter().map(|(a, _)| ((*a).to_owned(), r.per_second))),
                }
            }
            config.rate_limits = Some(RateLimits::documented_with(limits));
        }
        config.rate_limit_url = global.rate_limit_url.clone();
        if global.emulator {
            let emulator = Emulator::start(Config::with_fixtures(Fixtures::demo()))
                .await
                .map_err(|e| Failure::other(Exit::Other, format!("cannot start the embedded emulator: {e}")))?;
            crate::output::note(&format!(
                "aliprefetch: using the embedded emulator at {} (demo data, no account needed)",
                emulator.endpoint()
            ));
            config.endpoint = Some(emulator.endpoint());
            config.credentials = Some(emulator.credentials());
            let client = Client::from_config(config).map_err(|e| Failure::from_error(e, OPTIONS))?;
            return Ok(Session { client, emulator: Some(emulator) });
        }
        config.endpoint = global.endpoint.clone();
        config.profile = global.profile.clone();
        let provider = config.credentials_provider().map_err(|e| Failure::from_error(e, OPTIONS))?;
        let client = config
            .into_builder()
            .and_then(|b| b.credentials_provider(provider.clone()).build())
            .map_err(|e| Failure::from_error(e, OPTIONS))?;
        // A dry run signs nothing, so it needs no credentials.
        if !global.dry_run {
            provider.provide().await.map_err(|e| Failure::from_error(e, OPTIONS))?;
        }
        Ok(Session { client, emulator: None })
    }

    /// Stops the embedded emulator, if any, after the requests in flight.
    pub async fn close(self) {
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }
}
