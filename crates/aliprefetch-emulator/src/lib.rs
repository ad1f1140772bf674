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
// No panic on what a request carries: the library code may not unwrap, expect, index, panic or use unchecked
// arithmetic (tests may). The few invariants that hold by construction say why where they are allowed.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

pub mod auth;
#[cfg(feature = "cli")]
pub mod cli;
pub mod clock;
pub mod fixtures;
mod handle;
pub mod held;
pub mod quota;
pub mod response;
pub mod server;
pub mod service;
pub mod sts;

use std::net::SocketAddr;
use std::sync::Arc;

use aliprefetch::Credentials;
use time::OffsetDateTime;

pub use fixtures::Fixtures;
pub use handle::{Handle, CONTROLS};
pub use held::HELD_RECORDS;
pub use server::{ConnectionLimits, RequestCount, ADMIN_PREFIX};
pub use service::{HeldPreloadTask, HeldRefreshJob};

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
    /// Overrides the fixtures' `clock_offset_seconds`: the clock starts this far from the real time (or
    /// from `now`), ahead or behind.
    pub clock_offset: Option<time::Duration>,
    /// Timeouts and the connection cap (defaults: 10 s, 10 s, 1024).
    pub limits: server::ConnectionLimits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            fixtures: Fixtures::default(),
            seed: 0,
            now: None,
            clock_offset: None,
            limits: server::ConnectionLimits::default(),
        }
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
    fixtures.accounts.clone().unwrap_or_else(|| vec![default_account()])
}

fn default_account() -> fixtures::Account {
    fixtures::Account {
        access_key_id: "testid".to_owned(),
        access_key_secret: "testsecret".to_owned(),
        security_token: None,
    }
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
        let addr = listener.local_addr().unwrap_or(config.listen);
        if !addr.ip().is_loopback() {
            tracing::warn!(%addr, "listening on an address that is not loopback: the admin API is unsigned and the accounts are test accounts; anyone who can reach this address can use them");
        }
        // The fixtures' check refuses an empty list; one built in code gets the default account.
        let mut accounts = accounts_of(&config.fixtures);
        if accounts.is_empty() {
            accounts.push(default_account());
        }
        let first = accounts.first().cloned().unwrap_or_else(default_account);
        let mut credentials = Credentials::new(&first.access_key_id, &first.access_key_secret);
        if let Some(t) = &first.security_token {
            credentials = credentials.with_security_token(t);
        }
        let shared = Arc::new(server::Shared {
            clock: clock::Clock::new(
                config.now.or(config.fixtures.now),
                config
                    .clock_offset
                    .or(config.fixtures.clock_offset_seconds.map(time::Duration::seconds))
                    .unwrap_or(time::Duration::ZERO),
            ),
            accounts: auth::Accounts::new(accounts),
            nonces: auth::NonceStore::new(NONCE_CAPACITY),
            quotas: quota::Quotas::new(config.fixtures.quotas.clone()),
            faults: quota::FaultInjector::new(config.fixtures.faults.clone(), config.seed),
            services: service::Services::new(&config.fixtures),
            requests: server::RequestCounts::default(),
            limits: config.limits,
            sts: config.fixtures.sts.clone(),
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

    /// Every prefetch task the emulator holds, of every account, in creation order (the admin API's
    /// `GET /_emulator/tasks`).
    pub fn tasks(&self) -> Vec<service::HeldPreloadTask> {
        self.shared.services.preload_tasks(self.now())
    }

    /// Every RefreshMediaPlayUrls job held (`GET /_emulator/refresh_jobs`).
    pub fn refresh_jobs(&self) -> Vec<service::HeldRefreshJob> {
        self.shared.services.refresh_jobs()
    }

    /// Requests seen per action and outcome (`GET /_emulator/requests`).
    pub fn request_counts(&self) -> Vec<server::RequestCount> {
        self.shared.requests.snapshot()
    }

    /// The faults in force (the fixtures' `faults` until [`Emulator::set_faults`]).
    pub fn faults(&self) -> fixtures::Faults {
        self.shared.faults.get()
    }

    /// Puts other faults in force while it runs (checked as the fixtures' are): the inspector's button, the
    /// admin API's `faults`, and every language's `set_faults`.
    pub fn set_faults(&self, faults: fixtures::Faults) -> Result<(), String> {
        self.shared.faults.set(faults)
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window; relay tasks go back
    /// to the fixtures (`POST /_emulator/reset`).
    pub fn reset(&self) {
        self.shared.reset();
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
