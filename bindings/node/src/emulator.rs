//! The emulator in-process, so a test can start one in one line.

use std::sync::Mutex;
use std::time::Duration;

use aliprefetch_emulator::{Config, Emulator as CoreEmulator, Fixtures};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{json, Value};

fn closed() -> Error {
    Error::new(Status::GenericFailure, "the emulator is stopped")
}

/// A running emulator on a free loopback port.
#[napi]
pub struct Emulator {
    inner: Mutex<Option<CoreEmulator>>,
    endpoint: String,
    credentials: aliprefetch::Credentials,
}

impl Emulator {
    /// Runs `f` on the running emulator.
    fn with<R>(&self, f: impl FnOnce(&CoreEmulator) -> R) -> Result<R> {
        Ok(f(self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?))
    }
}

/// What the emulator holds as JS sees it: its JSON (`HELD_RECORDS`) with camelCase keys.
fn held(items: serde_json::Result<Value>) -> Value {
    aliprefetch::internal::camel_case_keys(items.unwrap_or_default())
}

#[napi]
impl Emulator {
    /// Starts one; `fixtures` is an object in the emulator's fixture format, JSON text, or a path.
    #[napi(factory, catch_unwind)]
    pub fn start(
        fixtures: Option<crate::json::Json>,
        seed: Option<u32>,
        now: Option<crate::json::Json>,
    ) -> Result<Self> {
        let fixtures = fixtures.map(|f| f.into_value("fixtures")).transpose()?.unwrap_or_default();
        let fixtures =
            Fixtures::from_value(&fixtures).map_err(|e| Error::new(Status::InvalidArg, format!("fixtures: {e}")))?;
        let now = match now.map(|n| n.into_value("now")).transpose()? {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(aliprefetch::parse_timestamp("now", &s).map_err(crate::convert::error)?),
            Some(_) => return Err(crate::convert::invalid("now", "type", "must be a Date or yyyy-MM-ddTHH:mm:ssZ")),
        };
        let config = Config { fixtures, seed: u64::from(seed.unwrap_or(0)), now, ..Config::default() };
        let emu = CoreEmulator::start_in_background(config)
            .map_err(|e| Error::new(Status::GenericFailure, format!("cannot start the emulator: {e}")))?;
        Ok(Emulator { endpoint: emu.endpoint(), credentials: emu.credentials(), inner: Mutex::new(Some(emu)) })
    }

    /// `http://127.0.0.1:PORT`.
    #[napi(getter, catch_unwind)]
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// `{ accessKeyId, accessKeySecret, securityToken }` of the first account.
    #[napi(getter, catch_unwind)]
    pub fn credentials(&self) -> Value {
        json!({
            "accessKeyId": self.credentials.access_key_id(),
            "accessKeySecret": self.credentials.access_key_secret(),
            "securityToken": self.credentials.security_token(),
        })
    }

    /// Moves the emulator's clock forward.
    #[napi(catch_unwind)]
    pub fn advance(&self, ms: f64) -> Result<()> {
        let by = Duration::try_from_secs_f64(ms / 1000.0)
            .map_err(|_| Error::new(Status::InvalidArg, "ms must be 0 or more"))?;
        self.with(|e| e.advance(by))
    }

    /// Every prefetch task held, of every account, in creation order (the admin API's `GET /_emulator/tasks`).
    #[napi(catch_unwind)]
    pub fn tasks(&self) -> Result<Value> {
        self.with(|e| held(serde_json::to_value(e.tasks())))
    }

    /// Every RefreshMediaPlayUrls job held.
    #[napi(catch_unwind)]
    pub fn refresh_jobs(&self) -> Result<Value> {
        self.with(|e| held(serde_json::to_value(e.refresh_jobs())))
    }

    /// Requests seen per action and outcome.
    #[napi(catch_unwind)]
    pub fn request_counts(&self) -> Result<Value> {
        self.with(|e| held(serde_json::to_value(e.request_counts())))
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    #[napi(catch_unwind)]
    pub fn reset(&self) -> Result<()> {
        self.with(CoreEmulator::reset)
    }

    /// The emulator's clock, as `yyyy-MM-ddTHH:mm:ssZ`.
    #[napi(catch_unwind)]
    pub fn now(&self) -> Result<String> {
        self.with(|e| aliprefetch::format_timestamp(e.now()))
    }

    /// Stops after the requests in flight; stopping twice is harmless.
    #[napi(catch_unwind)]
    pub fn stop<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, serde_json::Value>> {
        let taken = self.inner.lock().map_err(|_| closed())?.take();
        crate::promise::spawn(env, async move {
            if let Some(emu) = taken {
                // The emulator has a runtime of its own; stop it on a plain thread.
                let (tx, rx) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    emu.shutdown_blocking();
                    let _ = tx.send(());
                });
                let _ = rx.await;
            }
            Ok(serde_json::Value::Null)
        })
    }
}
