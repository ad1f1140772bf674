//! # aliprefetch-emulator
//!
//! A local stand-in for the ApsaraVideo Live and VOD services, for the five prefetch and relay
//! operations: it verifies V1 and V3 signatures (with the core crate's own signing code), keeps
//! prefetch tasks with a lifecycle, enforces every documented parameter rule with the service's error
//! codes, throttles at the per-account quotas and injects seeded faults. Official SDKs and ours talk to
//! it exactly as to the cloud, over plain HTTP on loopback.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use aliprefetch_emulator::{Config, Emulator};
//! let emu = Emulator::start(Config::default()).await?;
//! println!("listening on {}", emu.endpoint());
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod cli;
pub mod clock;
pub mod fixtures;
pub mod quota;
pub mod response;
pub mod server;
pub mod service;

use std::net::SocketAddr;
use std::sync::Arc;

use aliprefetch::Credentials;
use time::OffsetDateTime;

pub use fixtures::Fixtures;

/// How nonces the emulator remembers at most (15 minutes' worth at ~550 requests per second).
const NONCE_CAPACITY: usize = 500_000;

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// Default `127.0.0.1:0` (a free port).
    pub listen: SocketAddr,
    pub fixtures: Fixtures,
    /// Seed of the fault generator (default 0).
    pub seed: u64,
    /// Overrides the fixtures' `now`.
    pub now: Option<OffsetDateTime>,
}

impl Default for Config {
    fn default() -> Self {
        Config { listen: SocketAddr::from(([127, 0, 0, 1], 0)), fixtures: Fixtures::default(), seed: 0, now: None }
    }
}

impl Config {
    pub fn with_fixtures(fixtures: Fixtures) -> Self {
        Config { fixtures, ..Config::default() }
    }
}

/// The credentials an emulator accepts when no accounts are configured.
pub fn default_credentials() -> Credentials {
    Credentials::new("testid", "testsecret")
}

fn accounts_of(fixtures: &Fixtures) -> Vec<fixtures::Account> {
    fixtures.accounts.clone().unwrap_or_else(|| {
        vec![fixtures::Account {
            access_key_id: "testid".to_owned(),
            access_key_secret: "testsecret".to_owned(),
            security_token: None,
        }]
    })
}

/// A running emulator. Dropping it stops the server without waiting.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    credentials: Credentials,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Present when the emulator runs on a runtime of its own ([`Emulator::start_in_background`]).
    runtime: Option<tokio::runtime::Runtime>,
}

impl Emulator {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        Ok(Self::serve(listener, config))
    }

    /// Starts on a runtime of its own, for callers without one (sync tests, language bindings).
    pub fn start_in_background(config: Config) -> std::io::Result<Emulator> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("aliprefetch-emulator")
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(config.listen))?;
        let mut emu = {
            let _guard = runtime.enter();
            Self::serve(listener, config)
        };
        emu.runtime = Some(runtime);
        Ok(emu)
    }

    fn serve(listener: tokio::net::TcpListener, config: Config) -> Emulator {
        let addr = listener.local_addr().expect("a bound listener has an address");
        let accounts = accounts_of(&config.fixtures);
        let first = &accounts[0];
        let mut credentials = Credentials::new(&first.access_key_id, &first.access_key_secret);
        if let Some(t) = &first.security_token {
            credentials = credentials.with_security_token(t);
        }
        let shared = Arc::new(server::Shared {
            clock: clock::Clock::new(config.now.or(config.fixtures.now)),
            accounts: auth::Accounts::new(accounts),
            nonces: auth::NonceStore::new(NONCE_CAPACITY),
            quotas: quota::Quotas::new(config.fixtures.quotas.clone()),
            faults: quota::FaultInjector::new(config.fixtures.faults.clone(), config.seed),
            services: service::Services::new(&config.fixtures),
        });
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), rx));
        Emulator { addr, shared, credentials, shutdown: Some(tx), task: Some(task), runtime: None }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for a client's endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The first configured account (by default `testid` / `testsecret`).
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// The emulator's current time.
    pub fn now(&self) -> OffsetDateTime {
        self.shared.clock.now()
    }

    /// Moves the emulator's clock forward (task lifecycles, windows, timestamp checks).
    pub fn advance(&self, by: std::time::Duration) {
        self.shared.clock.advance(by);
    }

    /// The state of the services, for assertions in tests.
    pub fn services(&self) -> &service::Services {
        &self.shared.services
    }

    /// Stops accepting, lets requests in flight finish, and returns when the server has stopped.
    pub async fn shutdown(mut self) {
        self.stop_signal();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// [`Emulator::shutdown`] for an emulator started with [`Emulator::start_in_background`] (or from
    /// outside any runtime).
    pub fn shutdown_blocking(mut self) {
        self.stop_signal();
        if let (Some(task), Some(rt)) = (self.task.take(), self.runtime.as_ref()) {
            let _ = rt.block_on(task);
        }
    }

    fn stop_signal(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_signal();
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
